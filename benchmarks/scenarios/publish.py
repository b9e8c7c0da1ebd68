"""Publishing with confirms: ``fire_*`` and ``app.batch()`` against kombu and Celery."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import kombu

from amqp_events import EventsApp, JsonValue, OutgoingEvent, events_app
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metrics, Scenario, Settings, Target
from benchmarks.payloads import EVENT, SCHEMA, payloads
from benchmarks.scenarios.common import PUBLISH_METRICS, timed_publish
from benchmarks.workers.celery_service import build_celery_app

KOMBU = "kombu publish"
APPLY_ASYNC = "celery apply_async"
FIRE_DECORATED = "fire_* (@app.event)"
FIRE_SCHEMA = "fire_* (schema)"
BATCH = "fire_* in app.batch()"


def _identity(value: JsonValue) -> JsonValue:
    return value


class _Publishing(Case):
    """Sends to the run's publish exchange; its queue is purged after every repetition."""

    metrics = PUBLISH_METRICS

    def __init__(self, admin: Admin, exchange: str) -> None:
        self.admin = admin
        self.exchange = exchange

    def run(self, n: int) -> Metrics:
        bodies = payloads(n)
        metrics = timed_publish(n, lambda: self.send(bodies))
        self.admin.purge(self.exchange)
        return metrics

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        """Publish every payload with confirms."""
        raise NotImplementedError


class KombuPublish(_Publishing):
    """Raw kombu: ``Producer.publish`` of the JSON payload on a confirm-mode connection."""

    name = KOMBU

    def start(self) -> None:
        self.connection = kombu.Connection(
            self.admin.url, transport_options={"confirm_publish": True}
        )
        self.producer = self.connection.Producer()

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        publish = self.producer.publish
        for body in bodies:
            publish(
                body,
                exchange=self.exchange,
                routing_key=EVENT,
                serializer="json",
                delivery_mode=2,
            )

    def stop(self) -> None:
        self.connection.release()


class ApplyAsync(_Publishing):
    """Celery's ``apply_async`` with ``confirm_publish``, to its own queue."""

    name = APPLY_ASYNC

    def start(self) -> None:
        self.queue = f"{self.exchange}-celery"
        # Celery declares the queue and a direct exchange of the same name.
        self.admin.fresh(queues=[self.queue], exchanges=[self.queue])
        self.app = build_celery_app({"BENCH_NAME": self.queue, "BENCH_URL": self.admin.url})
        self.task: Any = self.app.tasks["bench.order_created"]

    def run(self, n: int) -> Metrics:
        metrics = super().run(n)
        self.admin.purge(self.queue)
        return metrics

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        apply_async = self.task.apply_async
        for body in bodies:
            apply_async(kwargs=body)

    def stop(self) -> None:
        self.app.close()


class _Events(_Publishing):
    """An ``amqp_events`` producer of the run's service."""

    def start(self) -> None:
        self.app: EventsApp = events_app(
            f"{self.exchange}-producer", broker_url=self.admin.url, exchange=self.exchange
        )
        self.event = OutgoingEvent(name=EVENT, encode=_identity, schema=SCHEMA)

    def stop(self) -> None:
        self.app.publisher.close()


class FireDecorated(_Events):
    """``@app.event``: the function body validates, its parameters are the payload."""

    name = FIRE_DECORATED

    def start(self) -> None:
        super().start()

        @self.app.event(EVENT)
        def order_created(seq: int, orderId: str, amount: float, at: str) -> None:  # noqa: N803
            if seq < 0 or amount < 0 or len(orderId) != 36 or not at:
                raise ValueError("invalid order")

        self.fire = order_created

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        fire = self.fire
        for body in bodies:
            fire(**body)  # type: ignore[arg-type]


class FireSchema(_Events):
    """``app.publish`` of an event with a JSON Schema, as generated ``fire_*`` does."""

    name = FIRE_SCHEMA

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        publish, event = self.app.publish, self.event
        for body in bodies:
            publish(event, body)


class Batch(_Events):
    """The same publishes inside ``app.batch()``: confirms pipelined, awaited at the end."""

    name = BATCH

    def send(self, bodies: Sequence[dict[str, JsonValue]]) -> None:
        publish, event = self.app.publish, self.event
        with self.app.batch():
            for body in bodies:
                publish(event, body)


def _exchange(settings: Settings, admin: Admin, suffix: str) -> str:
    name = f"{settings.prefix}-{suffix}"
    admin.fresh(queues=[name], exchanges=[name])
    admin.declare_exchange(name)
    admin.declare_queue(name, exchange=name)
    return name


def _fire_cases(settings: Settings, admin: Admin) -> list[Case]:
    exchange = _exchange(settings, admin, "fire")
    return [
        KombuPublish(admin, exchange),
        ApplyAsync(admin, exchange),
        FireDecorated(admin, exchange),
        FireSchema(admin, exchange),
    ]


def _batch_cases(settings: Settings, admin: Admin) -> list[Case]:
    exchange = _exchange(settings, admin, "batch")
    return [FireSchema(admin, exchange), Batch(admin, exchange)]


FIRE = Scenario(
    name="fire",
    title="fire_* of a ~100-byte validated payload, each publish confirmed",
    build=_fire_cases,
    targets=(
        Target(FIRE_SCHEMA, "rate", ">=", 0.9, KOMBU),
        Target(FIRE_DECORATED, "rate", ">=", 0.9, KOMBU),
    ),
    compare=((APPLY_ASYNC, KOMBU), (FIRE_SCHEMA, APPLY_ASYNC)),
)

BATCH_SCENARIO = Scenario(
    name="batch",
    title="many events at once: confirms pipelined in app.batch()",
    build=_batch_cases,
    targets=(Target(BATCH, "rate", ">=", 3.0, FIRE_SCHEMA),),
)
