"""``celery -A benchmarks.workers.events_worker worker``: the ``amqp_events`` service."""

import os

from benchmarks.workers.events_service import build_events_app

app = build_events_app(os.environ)
