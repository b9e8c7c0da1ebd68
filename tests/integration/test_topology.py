"""Declaring topology is idempotent, and drift is reported instead of breaking silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from amqp_events import ArchivePolicy, IncomingEvent, RetryPolicy, TopologyError, events_app
from amqp_events.cli import load_app, main
from amqp_events.declare import declare, plan
from tests.support.app_module import app_module
from tests.support.broker import Broker

pytestmark = pytest.mark.broker


def make_app(amqp_url: str, unique: str, *, delays: tuple[float, ...], max_length: int):  # type: ignore[no-untyped-def]
    app = events_app(
        unique,
        broker_url=amqp_url,
        exchange=f"{unique}-events",
        retry=RetryPolicy(delays=delays),
        archive=ArchivePolicy(max_length=max_length),
    )
    app.add_handler(
        IncomingEvent(name="a.b.c", decode=lambda data, delivery: data),
        lambda payload, delivery: None,
    )
    return app


def test_declare_is_idempotent_and_plan_reports_missing_existing_and_conflicting(
    amqp_url: str, broker: Broker, unique: str
) -> None:
    app = make_app(amqp_url, unique, delays=(1,), max_length=100)
    topology = app.topology()
    try:
        assert {
            item.action for item in plan(topology, broker.connection) if item.kind != "binding"
        } == {"create"}
        declare(topology, broker.connection)
        declare(topology, broker.connection)
        assert {
            item.action for item in plan(topology, broker.connection) if item.kind != "binding"
        } == {"exists"}

        grown = make_app(amqp_url, unique, delays=(1, 5), max_length=100).topology()
        actions = {item.name: item.action for item in plan(grown, broker.connection)}
        assert actions[f"{unique}:retry.5000"] == "create", "a new delay is a new bucket"

        changed = make_app(amqp_url, unique, delays=(1,), max_length=50).topology()
        conflicts = [item for item in plan(changed, broker.connection) if item.action == "conflict"]
        assert [item.name for item in conflicts] == [f"{unique}:archive"]
        assert "x-max-length" in conflicts[0].detail
        with pytest.raises(TopologyError, match=f"'{unique}:archive' already exists"):
            declare(changed, broker.connection)
    finally:
        broker.delete(topology, extra_queues=[f"{unique}:retry.5000"])
        broker.delete_exchange(f"{unique}:retry.5000")


def test_the_topology_command_plans_declares_and_plans_again(
    amqp_url: str,
    broker: Broker,
    unique: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = app_module(tmp_path, monkeypatch, unique, amqp_url, event="a.b.c")
    out = io.StringIO()
    try:
        assert main(["topology", "plan", "--app", f"{module}.app"], out=out) == 0
        topology = load_app(module).topology()
        entities = len(topology.exchanges) + len(topology.queues)
        assert out.getvalue().splitlines()[-2].startswith(f"{entities} to create, 0 existing")
        assert main(["topology", "declare", "--app", module], out=io.StringIO()) == 0
        out = io.StringIO()
        assert main(["topology", "plan", "--app", module], out=out) == 0
        assert out.getvalue().splitlines()[-2].startswith("0 to create, ")
        assert " 0 in conflict, 0 overridden by a broker policy; " in out.getvalue()
    finally:
        app = load_app(module)
        broker.delete(app.topology())
        broker.delete_exchange(f"{unique}-events")
