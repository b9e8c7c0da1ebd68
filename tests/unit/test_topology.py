"""The topology builder is pure: these tests need no broker."""

from __future__ import annotations

import pytest

from amqp_events import ArchivePolicy, ConfigurationError, Exchange, ExchangeSpec, RetryPolicy
from amqp_events.topology import Binding, HandlerRoute, ServiceNames, service_topology

NAMES = ServiceNames("billing")


def route(
    event: str, *, retry: RetryPolicy | None = None, archive_queue: str = "billing:archive"
) -> HandlerRoute:
    return HandlerRoute(
        event=event,
        queue=NAMES.handler_queue(event),
        exchange=Exchange("events", "topic"),
        binding_keys=(event,),
        retry=retry or RetryPolicy(delays=(1, 2, 4)),
        archive=ArchivePolicy(),
        archive_queue=archive_queue,
    )


def test_handler_queue_is_bound_to_the_event_exchange_and_to_its_recover_exchange() -> None:
    topology = service_topology(NAMES, [route("orders.created")])
    assert Binding("events", "billing.orders.created", "orders.created") in topology.bindings
    assert (
        Binding("billing:recover", "billing.orders.created", "billing.orders.created")
        in topology.bindings
    )
    assert topology.exchange("billing:recover").type == "direct"


def test_every_retry_bucket_is_declared_once_with_its_ttl_and_dead_letter_route() -> None:
    topology = service_topology(
        NAMES,
        [
            route("a", retry=RetryPolicy(delays=(1, 2, 4))),
            route("b", retry=RetryPolicy(delays=(2, 30))),
        ],
    )
    buckets = sorted(q.name for q in topology.queues if q.name.startswith("billing:retry."))
    assert buckets == [
        "billing:retry.1000",
        "billing:retry.2000",
        "billing:retry.30000",
        "billing:retry.4000",
    ]
    bucket = topology.queue("billing:retry.30000").argument_map
    assert bucket == {"x-message-ttl": 30000, "x-dead-letter-exchange": "billing:recover"}
    assert Binding("billing:retry.30000", "billing:retry.30000", "") in topology.bindings
    assert topology.exchange("billing:retry.30000").type == "fanout"


def test_archive_is_bounded_and_handler_queues_dead_letter_into_it() -> None:
    topology = service_topology(NAMES, [route("a")])
    assert topology.queue("billing:archive").argument_map == {
        "x-message-ttl": 7 * 24 * 3600 * 1000,
        "x-max-length": 10_000,
    }
    assert topology.queue("billing.a").argument_map == {
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": "billing:archive",
    }


def test_quorum_queues_bound_redeliveries_with_a_delivery_limit() -> None:
    topology = service_topology(NAMES, [route("a")], queue_type="quorum", delivery_limit=3)
    arguments = topology.queue("billing.a").argument_map
    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 3
    assert all(dict(q.arguments)["x-queue-type"] == "quorum" for q in topology.queues)


def test_service_names_refuse_the_separator_of_retry_and_archive_entities() -> None:
    with pytest.raises(ConfigurationError, match="contains ':'"):
        ServiceNames("bill:ing")


def test_retry_policy_counts_attempts_and_rejects_nonsense() -> None:
    policy = RetryPolicy.exponential(3, interval_start=0.5)
    assert policy.delays == (0.5, 1.0, 2.0)
    assert policy.max_attempts == 4
    assert policy.delay_for(3) == 2.0
    assert policy.delay_for(4) is None
    with pytest.raises(ConfigurationError, match=r"between 0\.001"):
        RetryPolicy(delays=(0,))
    with pytest.raises(ConfigurationError, match="max_length"):
        ArchivePolicy(max_length=0)
    for ttl in (0, -1.0):  # an archive that keeps nothing is refused, never silently empty
        with pytest.raises(ConfigurationError, match="Archive ttl"):
            ArchivePolicy(ttl=ttl)


def test_an_event_with_its_own_limits_parks_in_its_own_archive() -> None:
    default = ArchivePolicy()
    assert NAMES.archive_of("x.created", default, default) == "billing:archive"
    own = ArchivePolicy(ttl=60)
    assert NAMES.archive_of("x.created", own, default) == "billing:archive.x.created"


def test_a_handler_route_is_named_after_its_service_and_event() -> None:
    exchange = Exchange("events", "topic")
    default = ArchivePolicy()
    plain = HandlerRoute.for_event(
        NAMES, "x.created", exchange, ["x.*"], retry=RetryPolicy(), archive=default,
        default_archive=default,
    )  # fmt: skip
    assert (plain.queue, plain.archive_queue) == ("billing.x.created", "billing:archive")
    assert (plain.binding_keys, plain.extra_arguments) == (("x.*",), ())
    own = HandlerRoute.for_event(
        NAMES, "x.created", exchange, ["x.*"], retry=RetryPolicy(), archive=ArchivePolicy(ttl=60),
        default_archive=default, max_priority=5,
    )  # fmt: skip
    assert own.archive_queue == "billing:archive.x.created"
    assert own.extra_arguments == (("x-max-priority", 5),)


def test_an_exchange_without_a_name_is_the_apps() -> None:
    assert ExchangeSpec().declared("shop") == Exchange("shop", "topic")
    assert ExchangeSpec(type="direct").declared() == Exchange("events", "direct")
    named = ExchangeSpec("orders", "fanout", durable=False)
    assert named.declared("shop") == Exchange("orders", "fanout", durable=False)
