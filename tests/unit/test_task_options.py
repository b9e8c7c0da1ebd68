"""Which Celery task options a handler takes: each is honoured, or refused with its reason."""

from __future__ import annotations

from typing import Any

import pytest

from amqp_events import ConfigurationError, Delivery, Headers, IncomingEvent, events_app
from amqp_events.task_options import ENFORCED_BY, HONOURED, REFUSED, unenforced_limits

NOWHERE = "amqp://guest:guest@127.0.0.1:1//"


def _handler() -> None:
    """A handler without a payload."""


def _callback(payload: object, delivery: Delivery[Headers]) -> None:
    """A handler as generated code registers it."""


@pytest.mark.parametrize("option", sorted(REFUSED))
def test_an_option_a_handler_cannot_honour_is_refused_with_its_reason(option: str) -> None:
    app = events_app("billing", broker_url=NOWHERE)
    incoming = IncomingEvent(name="orders.created", decode=lambda data, delivery: data)
    options: dict[str, Any] = {option: 1}
    with pytest.raises(ConfigurationError) as raised:
        app.add_handler(incoming, _callback, **options)
    message = str(raised.value)
    assert "'orders.created'" in message
    assert f"task option {option!r}" in message
    assert REFUSED[option] in message
    assert "orders.created" not in {r.route.event for r in app.handlers.values()}
    assert not any(name.startswith("billing.") for name in app.tasks), "nothing registered"


def test_a_misspelt_option_is_refused_and_the_error_lists_the_options_a_handler_takes() -> None:
    app = events_app("billing", broker_url=NOWHERE)
    with pytest.raises(
        ConfigurationError, match="'time_limt', which is not a Celery task"
    ) as raised:
        app.handler("orders.created", time_limt=10)(_handler)
    assert "rate_limit, soft_time_limit, time_limit" in str(raised.value)


def test_the_options_a_handler_honours_reach_its_celery_task() -> None:
    app = events_app("billing", broker_url=NOWHERE)
    values: dict[str, Any] = {"time_limit": 30, "soft_time_limit": 20, "rate_limit": "6/m"}
    assert set(values) == set(HONOURED)
    app.handler("orders.created", **values)(_handler)
    task = app.tasks["billing.orders.created"]
    assert {name: getattr(task, name) for name in values} == values


@pytest.mark.parametrize(
    ("pool", "ignored"),
    [
        ("prefork", []),
        ("gevent", ["soft_time_limit"]),
        ("threads", ["time_limit", "soft_time_limit"]),
        ("solo", ["time_limit", "soft_time_limit"]),
        ("eventlet", ["time_limit", "soft_time_limit"]),
    ],
)
def test_each_pool_is_known_to_enforce_or_ignore_each_time_limit(
    pool: str, ignored: list[str]
) -> None:
    assert set(ENFORCED_BY) <= set(HONOURED)
    both = {"time_limit": 30, "soft_time_limit": 20, "rate_limit": "6/m"}
    assert unenforced_limits(both, pool) == ignored
    assert unenforced_limits({"rate_limit": "6/m", "time_limit": None}, pool) == []
