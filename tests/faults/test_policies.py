"""Broker policies that override the archive's limits: 'topology plan' shows what it can see.

A policy is broker-wide, so these tests set them on a private node only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from amqp_events.cli import load_app, main
from amqp_events.declare import declare
from tests.support.app_module import app_module
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.private_node import PrivateNode, _free_port

pytestmark = pytest.mark.broker


def _plan(module: str, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["topology", "plan", "--app", module, *extra], out=out)
    return status, out.getvalue()


def test_plan_reports_a_policy_that_shortens_the_archives_ttl(
    management_node: PrivateNode,
    unique: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = app_module(tmp_path, monkeypatch, unique, management_node.url, event="a.b")
    app = load_app(module)
    broker = Broker(management_node.url)
    try:
        declare(app.topology(), broker.connection)
        archive, queue = f"{unique}:archive", f"{unique}.a.b"
        definition = json.dumps({"message-ttl": 2000})
        management_node.ctl(
            "set_policy", "short", f"^{archive}$", definition, "--apply-to", "queues"
        )
        management_node.ctl("set_policy", "lazy", f"^{queue}$", '{"queue-mode": "lazy"}')

        plans: list[tuple[int, str]] = []

        def shown() -> bool:
            # The plugin reports a queue's policies with its statistics, every 5 s.
            plans.append(_plan(module, "--management", management_node.management_url))
            return "override  queue" in plans[-1][1] and "  policy  queue" in plans[-1][1]

        wait_for(shown, timeout=30, interval=1, what="the plan to show both policies")
        status, output = plans[-1]
        assert status == 1, output
        assert (
            f"override  queue    {archive}  (policy 'short': message-ttl=2000 applies instead "
            "of x-message-ttl=604800000)"
        ) in output
        assert (
            f"  policy  queue    {queue}  (policy 'lazy': queue-mode=lazy; changes nothing"
            in output
        )
        assert ", 1 overridden by a broker policy;" in output
        assert (
            f"Broker policies: read from the management API at {management_node.management_url}/"
            in output
        )

        # What the plan warns about: the archive empties itself.
        broker.publish("", archive, b'{"id": "parked"}')
        assert broker.depth(archive) == 1
        wait_for(lambda: broker.depth(archive) == 0, timeout=10, what="the policy's TTL")
        record(
            "archive TTL shortened by a policy",
            "plan: 1 overridden (exit 1); archive emptied by the policy",
        )
    finally:
        for name in ("short", "lazy"):
            management_node.ctl("clear_policy", name)
        broker.delete(app.topology())
        broker.close()


def test_plan_says_it_cannot_see_policies_when_no_management_api_answers(
    amqp_url: str,
    broker: Broker,
    unique: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = app_module(tmp_path, monkeypatch, unique, amqp_url, event="a.b")
    nowhere = f"http://127.0.0.1:{_free_port()}"
    try:
        status, output = _plan(module, "--management", nowhere)
        assert status == 0, output
        [line] = [line for line in output.splitlines() if line.startswith("Broker policies:")]
        assert line.startswith(
            f"Broker policies: not visible. No management API answered at {nowhere}/"
        )
        assert "AMQP cannot read policies" in line
        assert "'rabbitmqctl list_queues name policy'" in line
        assert "guest:guest" not in output
    finally:
        broker.delete(load_app(module).topology())
