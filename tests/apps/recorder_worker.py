"""Worker entry of the recorder service: ``celery -A tests.apps.recorder_worker worker``."""

from __future__ import annotations

import os

from tests.apps.recorder import build_app

app = build_app(os.environ)
