"""A plain Celery app, none of this project: ``celery -A tests.apps.plain_tasks worker``.

It shows what Celery itself does. Its one task, ``plain.record``, appends its argument
as a line to ``AE_OUT``; tasks acknowledge late and go to the queue ``AE_QUEUE``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from celery import Celery


def build_app(env: Mapping[str, str]) -> Celery:
    """The plain app for the broker and queue ``env`` names."""
    plain = Celery("plain", broker=env["AMQP_URL"], set_as_current=False)
    plain.conf.update(
        task_acks_late=True,
        task_default_queue=env["AE_QUEUE"],
        worker_hijack_root_logger=False,
    )
    out_path = env["AE_OUT"]

    @plain.task(name="plain.record")
    def record(n: int) -> None:
        with open(out_path, "a", encoding="utf-8") as out:
            out.write(f"{n}\n")

    return plain


if "AE_QUEUE" in os.environ:
    app = build_app(os.environ)
