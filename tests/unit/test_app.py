"""The app factory and decorators, without a broker (validation happens before any connection)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import amqp_events
from amqp_events import (
    AmqpEventsError,
    ArchivePolicy,
    ConfigurationError,
    Delivery,
    Exchange,
    ExchangeSpec,
    Headers,
    IncomingEvent,
    JsonValue,
    OutgoingEvent,
    PayloadError,
    RetryPolicy,
    events_app,
)
from amqp_events.cli import load_app
from amqp_events.cli import main as cli_main
from tests.support.workers import ROOT

NOWHERE = "amqp://guest:guest@127.0.0.1:1//"


def test_events_app_has_robust_defaults_and_lets_celery_settings_override_them() -> None:
    app = events_app("billing", broker_url=NOWHERE, worker_prefetch_multiplier=1)
    conf = dict(app.conf)
    assert conf["task_acks_late"] is True
    assert conf["task_reject_on_worker_lost"] is True
    assert conf["result_backend"] is None
    assert conf["broker_transport_options"] == {"confirm_publish": True}
    assert conf["worker_prefetch_multiplier"] == 1
    assert conf["task_default_queue"] == "billing:tasks"
    assert not app.publisher.connected, "nothing connects before the first publish"


def test_payload_errors_are_raised_before_any_connection_is_attempted() -> None:
    app = events_app("shop", broker_url=NOWHERE)

    @app.event("orders.created")
    def created(order_id: str, total: float) -> None:
        if total < 0:
            raise ValueError("total must not be negative")

    with pytest.raises(ValueError, match="must not be negative"):
        created("o-1", -1)

    @app.event("orders.tagged")
    def tagged(tag: str) -> None:
        """No validation in the body."""

    with pytest.raises(
        PayloadError, match=r"'orders\.tagged' is invalid: it cannot be written as JSON"
    ):
        tagged(object())  # type: ignore[arg-type]
    schema_event: OutgoingEvent[JsonValue] = OutgoingEvent(
        name="orders.paid",
        encode=lambda value: value,
        schema={"type": "object", "required": ["id"]},
    )
    without_id: JsonValue = {"no": "id"}
    with pytest.raises(PayloadError, match=r"orders\.paid"):
        app.publish(schema_event, without_id)
    with_id: JsonValue = {"id": 1}
    with pytest.raises(PayloadError, match="reserved"):
        app.publish(schema_event, with_id, headers={"x-amqp-events-attempt": 9})
    assert not app.publisher.connected


def test_one_handler_per_event_and_per_handler_policies_get_their_own_archive() -> None:
    app = events_app("billing", broker_url=NOWHERE)

    @app.handler("orders.created", retry=RetryPolicy(delays=(5,)))
    def on_created(order_id: str) -> None:
        """Handle it."""

    @app.handler("orders.cancelled", archive=ArchivePolicy(max_length=5))
    def on_cancelled(order_id: str) -> None:
        """Handle it."""

    with pytest.raises(ConfigurationError, match="already has a handler"):
        app.handler("orders.created")(on_created)

    routes = {r.route.event: r.route for r in app.handlers.values()}
    assert routes["orders.created"].retry.delays == (5.0,)
    assert routes["orders.created"].archive_queue == "billing:archive"
    assert routes["orders.cancelled"].archive_queue == "billing:archive.orders.cancelled"
    names = {q.name for q in app.topology().queues}
    assert {"billing:retry.5000", "billing:archive", "billing:archive.orders.cancelled"} <= names
    assert on_created("o-1") is None, "the decorated function stays callable"


def test_bad_names_are_refused_with_a_sentence() -> None:
    with pytest.raises(ConfigurationError, match="must not be empty"):
        events_app("")
    app = events_app("billing", broker_url=NOWHERE)
    with pytest.raises(ConfigurationError, match="control character"):
        app.event("orders\ncreated")
    with pytest.raises(ConfigurationError, match="255 bytes"):
        app.handler("x" * 300)


def test_the_public_api_is_exactly_what_all_lists() -> None:
    exported = {name for name in dir(amqp_events) if not name.startswith("_")}
    modules = {
        "addresses",
        "app",
        "binding",
        "consumer",
        "declare",
        "errors",
        "events",
        "generated_api",
        "handling",
        "management",
        "policy",
        "publisher",
        "relay",
        "schema",
        "signature",
        "task_options",
        "topology",
        "trust",
        "wire",
        "archive",
        "cli",
        "codec",
    }
    assert exported - modules == set(amqp_events.__all__)
    assert amqp_events.__all__ == sorted(amqp_events.__all__)


def test_exchange_flags_several_messages_per_channel_and_typed_headers() -> None:
    app = events_app("billing", broker_url=NOWHERE)
    transient = ExchangeSpec("tmp", "fanout", durable=False, auto_delete=True)

    def decode(data: JsonValue, delivery: Delivery[Headers]) -> JsonValue:
        return data

    def handle(payload: JsonValue, delivery: Delivery[Headers]) -> None:
        """Nothing to do."""

    app.add_handler(IncomingEvent(name="a", decode=decode, exchange=transient), handle)
    assert app.topology().exchange("tmp") == Exchange(
        "tmp", "fanout", durable=False, auto_delete=True
    )

    shipped: OutgoingEvent[JsonValue] = OutgoingEvent(
        name="o", encode=decode_nothing, message_type="shipped"
    )
    cancelled: OutgoingEvent[JsonValue] = OutgoingEvent(
        name="o", encode=decode_nothing, message_type="cancelled"
    )
    app.register_outgoing(shipped)
    app.register_outgoing(cancelled)
    app.register_outgoing(shipped)
    assert set(app.outgoing) == {("o", "shipped"), ("o", "cancelled")}

    delivery: Delivery[Headers] = Delivery(
        event="a", queue="q", routing_key="a", exchange="tmp", headers={"n": 1}, attempt=2
    )
    typed = delivery.with_headers(7)
    assert typed.headers == 7
    assert (typed.attempt, typed.queue) == (2, "q")


def decode_nothing(value: JsonValue) -> JsonValue:
    return value


ENVIRONMENT_READS = '''
import collections.abc, json, os, sys

class Recording(collections.abc.MutableMapping):
    """os.environ that notes the file of the code that read it."""

    def __init__(self, real):
        self.real, self.readers = real, []

    def __getitem__(self, key):
        frame = sys._getframe(1)
        while frame.f_code.co_filename.endswith(("os.py", "os>", "_collections_abc.py", "abc>")):
            frame = frame.f_back
        self.readers.append([key, frame.f_code.co_filename])
        return self.real[key]

    def __setitem__(self, key, value): self.real[key] = value
    def __delitem__(self, key): del self.real[key]
    def __iter__(self): return iter(self.real)
    def __len__(self): return len(self.real)

os.environ = recording = Recording(os.environ)
import amqp_events
import orders_events, billing_events
os.getenv("AE_PROBE")  # shows that the recording sees a read
print(json.dumps(recording.readers))
'''


def test_importing_the_runtime_and_generated_packages_reads_no_environment() -> None:
    examples = ROOT / "examples"
    done = subprocess.run(
        [sys.executable, "-c", ENVIRONMENT_READS],
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT), str(examples / "orders"), str(examples / "billing")]
            ),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    readers = json.loads(done.stdout.splitlines()[-1])
    ours = (str(ROOT / "amqp_events"), str(examples))
    assert [r for r in readers if r[1].startswith(ours)] == []
    assert ["AE_PROBE", "<string>"] in readers


def test_the_command_line_finds_an_app_as_celery_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shop_service.py").write_text(
        "from amqp_events import events_app\n"
        "app = events_app('shop', broker_url='amqp://guest:guest@127.0.0.1:1//')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {load_app(spec) for spec in ("shop_service", "shop_service:app", "shop_service.app")}
    assert len(found) == 1
    with pytest.raises(AmqpEventsError, match="Could not import the app module 'nowhere'"):
        load_app("nowhere.app")


def test_an_address_with_a_parameter_inside_a_word_binds_coarsely_and_matches_exactly() -> None:
    def decode(data: JsonValue, delivery: Delivery[Headers]) -> JsonValue:
        return data

    lights = IncomingEvent(name="lights/{id}/on", decode=decode)
    assert lights.keys == ("*",)
    assert lights.matches_routing_key("lights/7/on")
    assert not lights.matches_routing_key("lights/7/off")
    assert not lights.matches_routing_key("lights.7.on")
    users = IncomingEvent(name="users.user-{id}.created", decode=decode)
    assert users.keys == ("users.*.created",)
    assert users.matches_routing_key("users.user-7.created")
    assert not users.matches_routing_key("users.admin-7.created")
    # Whole-word parameters bind exactly: every key the binding admits is the event's.
    regions = IncomingEvent(name="orders.{region}.events", decode=decode)
    assert regions.keys == ("orders.*.events",)
    assert regions.matches_routing_key("orders.anything.events")


def test_an_unknown_archive_reason_is_refused_before_connecting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["archive", "purge", "--service", "x", "--broker", NOWHERE, "--reason", "bogus", "--yes"]
    with pytest.raises(SystemExit) as exited:
        cli_main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "'bogus' is not an archive reason; use one of handler-failed" in err
