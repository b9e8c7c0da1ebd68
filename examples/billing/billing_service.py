"""The billing service: its events app, bound to the generated package and its handlers.

Run a worker with::

    celery -A billing_service worker --without-mingle --without-gossip --without-heartbeat
"""

import os

import billing_events
from billing_events_handlers import BillingHandlers

app = billing_events.create_app(broker_url=os.environ.get("AMQP_URL"))
billing_events.bind(app, BillingHandlers())
