"""The orders service: its events app, bound to the generated package and its handlers.

Run a worker with::

    celery -A orders_service worker --without-mingle --without-gossip --without-heartbeat
"""

import os

import orders_events
from orders_events_handlers import OrdersHandlers

app = orders_events.create_app(broker_url=os.environ.get("AMQP_URL"))
orders_events.bind(app, OrdersHandlers())
