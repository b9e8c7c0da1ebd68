"""A module holding one events app, for tests of the command line's ``--app``."""

from __future__ import annotations

from pathlib import Path

import pytest


def app_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unique: str, url: str, *, event: str
) -> str:
    """Write an importable module with app ``unique`` handling ``event``; return its name."""
    module = "app_" + unique.replace("-", "_")
    (tmp_path / f"{module}.py").write_text(
        "from amqp_events import IncomingEvent, events_app\n"
        f"app = events_app({unique!r}, broker_url={url!r}, exchange={unique + '-events'!r})\n"
        f"app.add_handler(IncomingEvent(name={event!r}, decode=lambda d, _: d),\n"
        "                lambda p, _: None)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return module
