"""Broker passwords never appear in logs, error messages or command output."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from amqp_events import BrokerUnavailableError, events_app
from amqp_events.cli import main
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.private_node import PrivateNode
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "s3cr3t-Pa55word"
EVENT = "shop.secret.kept"


def test_a_password_in_the_broker_url_never_reaches_logs_errors_or_output(
    private_node: PrivateNode,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    private_node.ctl("add_user", "svc", SECRET)
    private_node.ctl("set_permissions", "-p", "/", "svc", ".*", ".*", ".*")
    url = f"amqp://svc:{SECRET}@127.0.0.1:{private_node.port}//"
    service = recorder_service("secrets", (EVENT,), url=url, retry="0.1")
    node_broker = Broker(url)
    worker = start_worker(service, via=node_broker)
    node_broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "a", "action": "fail"}',
        content_type="application/json",
        message_id="a",
    )
    node_broker.publish(service.exchange, EVENT, b"not json", message_id="b")
    wait_for(lambda: node_broker.depth(service.archive) == 2, timeout=30, what="two parked events")
    node_broker.close()

    out = io.StringIO()
    assert main(["archive", "list", "--service", service.name, "--broker", url], out=out) == 0
    cli = subprocess.run(
        [
            str(Path(sys.executable).with_name("amqp-events")),
            "archive",
            "show",
            "--service",
            service.name,
            "--broker",
            url,
            "a",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    offline = events_app(
        "offline", broker_url=f"amqp://svc:{SECRET}@127.0.0.1:{closed}//", publish_timeout=0.5
    )

    @offline.event(EVENT)
    def kept(id: str) -> None:
        """Never delivered."""

    with pytest.raises(BrokerUnavailableError) as error:
        kept(id="x")
    wrong_password = events_app(
        "wrong",
        broker_url=f"amqp://svc:{SECRET}x@127.0.0.1:{private_node.port}//",
        publish_timeout=2,
    )

    @wrong_password.event(EVENT)
    def refused(id: str) -> None:
        """Refused."""

    with pytest.raises(BrokerUnavailableError) as refusal:
        refused(id="y")

    worker.stop()
    captured = capfd.readouterr()
    texts = {
        "worker log": worker.log.read_text(errors="replace"),
        "cli list": out.getvalue(),
        "cli show": cli.stdout + cli.stderr,
        "unreachable error": str(error.value),
        "refused error": str(refusal.value),
        "captured output": captured.out + captured.err,
    }
    assert "svc:**@" in texts["worker log"], "the worker names its broker, masked"
    leaks = [name for name, text in texts.items() if SECRET in text]
    assert leaks == [], f"the password leaked into: {leaks}"
    record("secrets", f"password found in {len(leaks)} of {len(texts)} outputs checked")
