"""The archive as operators use it: `amqp-events archive ...` against real parked events."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from amqp_events.cli import main
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.workers import ROOT, WorkerProcess

pytestmark = pytest.mark.broker

CREATED = "shop.order.created"
CANCELLED = "shop.order.cancelled"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


@pytest.fixture
def parked(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> Service:
    """A service whose archive holds two failed 'created' events and one invalid 'cancelled'."""
    service = recorder_service("ops", (CREATED, CANCELLED), retry="")
    service.flag.touch()
    start_worker(service)
    for number in (1, 2):
        broker.publish(
            service.exchange,
            CREATED,
            f'{{"id": "c{number}", "action": "fail-while-flag"}}'.encode(),
            content_type="application/json",
            message_id=f"created-{number}",
        )
    broker.publish(
        service.exchange,
        CANCELLED,
        b'{"reason": "no id"}',
        content_type="application/json",
        message_id="cancelled-1",
    )
    wait_for(lambda: broker.depth(service.archive) == 3, timeout=15, what="three parked events")
    return service


def target(service: Service, amqp_url: str) -> list[str]:
    return ["--service", service.name, "--broker", amqp_url]


def test_stats_counts_by_event_and_reason_and_drives_an_alert(
    parked: Service, amqp_url: str
) -> None:
    status, text = run("archive", "stats", *target(parked, amqp_url), "--json", "--max", "3")
    assert status == 0
    stats = json.loads(text)
    assert stats["total"] == 3
    assert stats["events"] == {CREATED: 2, CANCELLED: 1}
    assert stats["reasons"] == {"handler-failed": 2, "invalid-payload": 1}
    status, _ = run("archive", "stats", *target(parked, amqp_url), "--max", "2")
    assert status == 1


def test_list_filters_and_show_prints_headers_and_body(parked: Service, amqp_url: str) -> None:
    status, text = run("archive", "list", *target(parked, amqp_url), "--event", CREATED, "--json")
    assert status == 0
    rows = json.loads(text)
    assert sorted(r["message_id"] for r in rows) == ["created-1", "created-2"]
    assert all(r["reason"] == "handler-failed" and r["attempts"] == 1 for r in rows)
    status, text = run("archive", "list", *target(parked, amqp_url), "--older-than", "3600")
    assert (status, text) == (0, "(no archived messages)\n"), "parked seconds ago, not an hour"
    status, text = run("archive", "list", *target(parked, amqp_url), "--older-than", "0", "--json")
    assert len(json.loads(text)) == 3
    status, text = run("archive", "list", *target(parked, amqp_url), "--limit", "1")
    assert status == 0
    assert len(text.splitlines()) == 2, "a header line and one message"
    status, text = run("archive", "show", *target(parked, amqp_url), "cancelled-1")
    assert status == 0
    assert "invalid-payload" in text
    assert '{"reason": "no id"}' in text
    assert "x-amqp-events-traceback" in text
    assert "content_type: application/json" in text, "the AMQP properties are shown"
    status, text = run("archive", "list", *target(parked, amqp_url), "--event", CANCELLED)
    assert "PayloadError: Payload of event" in text and "amqp_events.errors" not in text
    assert text.rstrip().endswith("got {'reason': 'no id'}."), "the error is not cut short"
    status, _ = run("archive", "show", *target(parked, amqp_url), "nope")
    assert status == 2


def test_replay_dry_run_then_replay_one_message_to_its_handler(
    parked: Service, amqp_url: str, broker: Broker
) -> None:
    status, text = run(
        "archive", "replay", *target(parked, amqp_url), "--event", CREATED, "--dry-run"
    )
    assert status == 0
    assert text.startswith("Would replay 2 message(s).")
    assert broker.depth(parked.archive) == 3
    parked.flag.unlink()
    status, text = run("archive", "replay", *target(parked, amqp_url), "--id", "created-2")
    assert status == 0
    assert text.startswith("Replayed 1 message(s).")
    wait_for(lambda: parked.ids() == ["c2"], timeout=15, what="the replayed event")
    assert broker.depth(parked.archive) == 2


def test_purge_needs_confirmation_and_deletes_only_what_matches(
    parked: Service, amqp_url: str, broker: Broker
) -> None:
    status, _ = run("archive", "purge", *target(parked, amqp_url), "--reason", "invalid-payload")
    assert status == 2
    status, text = run(
        "archive", "purge", *target(parked, amqp_url), "--reason", "invalid-payload", "--yes"
    )
    assert status == 0
    assert text == "Deleted 1 message(s).\n"
    assert broker.depth(parked.archive) == 2


def test_the_console_script_loads_the_app_and_masks_passwords(
    parked: Service, amqp_url: str, tmp_path: Path
) -> None:
    script = str(Path(sys.executable).with_name("amqp-events"))
    result = subprocess.run(
        [script, "archive", "stats", "--app", "tests.apps.recorder_worker:app", "--no-breakdown"],
        cwd=ROOT,
        env={**parked.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"{parked.archive}: 3 message(s)" in result.stdout

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run(
        [
            script,
            "archive",
            "stats",
            "--service",
            "x",
            "--broker",
            f"amqp://guest:hunter2@127.0.0.1:{port}//",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Could not connect" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_service_mode_finds_an_events_own_archive_and_says_what_it_cannot_see(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
    amqp_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service = recorder_service("own", (CREATED, CANCELLED), retry="", own_archive=(CREATED,))
    own_archive = f"{service.name}:archive.{CREATED}"
    service.flag.touch()
    start_worker(service)
    for event, number in ((CREATED, 1), (CANCELLED, 2)):
        broker.publish(
            service.exchange,
            event,
            f'{{"id": "e{number}", "action": "fail-while-flag"}}'.encode(),
            content_type="application/json",
            message_id=f"event-{number}",
        )
    wait_for(
        lambda: broker.depth(own_archive) == 1 and broker.depth(service.archive) == 1,
        timeout=15,
        what="one event parked in each archive",
    )
    capsys.readouterr()

    status, text = run("archive", "stats", *target(service, amqp_url), "--json")
    assert status == 0
    assert json.loads(text)["queues"] == {service.archive: 1}
    assert f"{service.name}:archive.<event>" in capsys.readouterr().err

    status, text = run("archive", "list", *target(service, amqp_url), "--event", CREATED, "--json")
    assert status == 0
    assert [r["message_id"] for r in json.loads(text)] == ["event-1"]
    assert capsys.readouterr().err == ""

    status, text = run(
        "archive", "stats", *target(service, amqp_url), "--queue", own_archive, "--max", "0"
    )
    assert status == 1, "an explicit queue counts toward the alert"

    service.flag.unlink()
    status, text = run("archive", "replay", *target(service, amqp_url), "--event", CREATED)
    assert (status, text.splitlines()[0]) == (0, "Replayed 1 message(s).")
    wait_for(lambda: service.ids() == ["e1"], timeout=15, what="the replayed event")
    assert broker.depth(own_archive) == 0
    assert broker.depth(service.archive) == 1


def test_a_replayed_message_that_fails_again_keeps_its_replay_count(
    parked: Service, amqp_url: str, broker: Broker
) -> None:
    for round_number in (1, 2):
        status, _ = run("archive", "replay", *target(parked, amqp_url), "--id", "created-1")
        assert status == 0
        # The handler still fails (its flag is set): the message comes back to the archive.
        calls = 2 + round_number

        def parked_again(calls: int = calls) -> bool:
            return len(parked.records()) == calls and broker.depth(parked.archive) == 3

        wait_for(parked_again, timeout=15, what="the replayed message to fail and be parked again")
        status, text = run("archive", "show", *target(parked, amqp_url), "created-1", "--json")
        assert status == 0
        headers = json.loads(text)["headers"]
        # show --json prints header values as text
        assert headers["x-amqp-events-replays"] == str(round_number)
        assert headers["x-amqp-events-attempt"] == "1", "attempts start afresh on each replay"


def test_a_missing_shared_archive_names_both_possible_causes(
    amqp_url: str, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run("archive", "stats", "--service", f"{unique}-ghost", "--broker", amqp_url)
    assert status == 2
    err = capsys.readouterr().err
    assert f"'{unique}-ghost:archive' of service '{unique}-ghost' does not exist" in err
    assert "archive limits of its own" in err and "--queue" in err
