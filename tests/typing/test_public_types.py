"""mypy sees the decorators' signatures: wrong calls are type errors, right ones are not."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SNIPPET = textwrap.dedent(
    """
    from collections.abc import Callable
    from typing import assert_type
    from amqp_events import Delivery, Headers, IncomingEvent, JsonValue, events_app

    app = events_app("shop")

    @app.event("orders.created")
    def order_created(order_id: str, total: float, note: str | None = None) -> None:
        pass

    as_callable: Callable[[str, float], str] = order_created
    assert_type(order_created("o-1", 2.5), str)
    order_created(order_id=1, total=2.5)  # E: wrong argument type
    order_created("o-1")  # E: missing argument

    def decode(data: JsonValue, delivery: Delivery[Headers]) -> int:
        return 1

    def handle(payload: str, delivery: Delivery[Headers]) -> None:
        pass

    app.add_handler(IncomingEvent(name="x", decode=decode), handle)  # E: int is not str
    """
)


def test_event_functions_keep_their_signature_for_mypy(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    mypy = Path(sys.executable).with_name("mypy")
    result = subprocess.run(
        [str(mypy), "--strict", "--no-incremental", "--hide-error-context", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    expected_lines = [n for n, line in enumerate(SNIPPET.splitlines(), start=1) if "# E:" in line]
    assert sorted({int(line.split(":")[1]) for line in errors}) == expected_lines, result.stdout
