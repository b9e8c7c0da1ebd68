"""``celery -A benchmarks.workers.celery_worker worker``: the raw Celery baseline."""

import os

from benchmarks.workers.celery_service import build_celery_app

app = build_celery_app(os.environ)
