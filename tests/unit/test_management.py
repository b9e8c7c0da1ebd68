"""What a broker policy changes of a queue as we declare it: RabbitMQ's precedence rules."""

from __future__ import annotations

from amqp_events.management import ManagementApi, QueuePolicy, policy_effects
from amqp_events.topology import Queue

ARCHIVE = Queue.with_arguments(
    "billing:archive", {"x-message-ttl": 604_800_000, "x-max-length": 10_000}
)


def _effects(**definition: object) -> list[str]:
    return policy_effects(ARCHIVE, QueuePolicy("billing:archive", "p", definition=definition))


def test_a_lower_limit_applies_and_a_higher_one_does_not() -> None:
    assert _effects(**{"message-ttl": 2000}) == [
        "message-ttl=2000 applies instead of x-message-ttl=604800000"
    ]
    assert _effects(**{"message-ttl": 700_000_000, "max-length": 20_000}) == []


def test_a_limit_the_queue_does_not_set_applies_as_it_is() -> None:
    assert _effects(expires=60_000, **{"max-length-bytes": 1024}) == [
        "max-length-bytes=1024 applies (the queue sets no x-max-length-bytes)",
        "expires=60000 applies (the queue sets no x-expires)",
    ]


def test_routing_keys_apply_only_where_the_queue_sets_no_argument() -> None:
    handler = Queue.with_arguments(
        "billing.a", {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": "billing:archive"}
    )
    policy = QueuePolicy(
        "billing.a",
        "p",
        definition={"dead-letter-exchange": "elsewhere", "overflow": "reject-publish"},
    )
    assert policy_effects(handler, policy) == ["overflow=reject-publish applies"]
    assert _effects(**{"queue-mode": "lazy", "ha-mode": "all"}) == []


def test_the_default_api_is_on_the_brokers_host_with_its_credentials_and_vhost() -> None:
    api = ManagementApi.of_broker("amqp://ops:secret@rabbit.internal:5672/shop")
    assert (api.url, api.userid, api.vhost) == ("http://rabbit.internal:15672", "ops", "shop")
    assert "secret" not in api.describe()
    tls = ManagementApi.of_broker("amqps://ops:secret@rabbit.internal:5671/shop")
    assert tls.url == "https://rabbit.internal:15671"
    named = ManagementApi("http://admin:other@mgmt:8080/", broker_url="amqp://ops:secret@h//")
    assert (named.url, named.userid, named.vhost) == ("http://mgmt:8080", "admin", "/")
