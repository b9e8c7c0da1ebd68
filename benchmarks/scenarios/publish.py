"""Publishing with confirms: ``fire_*`` and ``app.batch()`` against kombu and Celery."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import kombu

from amqp_events import EventsApp, JsonValue, events_app
from benchmarks import package
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metrics, Scenario, Settings, Target
from benchmarks.payloads import EVENT, payloads
from benchmarks.scenarios.common import PUBLISH_METRICS, timed_publish
from benchmarks.workers.celery_service import build_celery_app

KOMBU = "kombu publish"
APPLY_ASYNC = "celery apply_async"
FIRE = "fire_* (generated)"
FIRE_DECORATED = "@app.event function"
BATCH = "fire_* in app.batch()"


class _Publishing(Case):
    """Sends to the run's publish exchange; its queue is purged after every repetition."""

    metrics = PUBLISH_METRICS

    def __init__(self, settings: Settings, admin: Admin, exchange: str) -> None:
        self.settings = settings
        self.admin = admin
        self.exchange = exchange

    def run(self, n: int) -> Metrics:
        items = self.prepare(payloads(n))
        metrics = timed_publish(n, lambda: self.send(items))
        self.admin.purge(self.exchange)
        return metrics

    def prepare(self, bodies: list[dict[str, JsonValue]]) -> Sequence[Any]:
        """What the caller holds before publishing (untimed); by default the JSON payloads."""
        return bodies

    def send(self, items: Sequence[Any]) -> None:
        """Publish every item with confirms."""
        raise NotImplementedError


class KombuPublish(_Publishing):
    """Raw kombu: ``Producer.publish`` of the JSON payload on a confirm-mode connection."""

    name = KOMBU

    def start(self) -> None:
        self.connection = kombu.Connection(
            self.admin.url, transport_options={"confirm_publish": True}
        )
        self.producer = self.connection.Producer()

    def send(self, items: Sequence[Any]) -> None:
        publish = self.producer.publish
        for body in items:
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

    def send(self, items: Sequence[Any]) -> None:
        apply_async = self.task.apply_async
        for body in items:
            apply_async(kwargs=body)

    def stop(self) -> None:
        self.app.close()


class _Events(_Publishing):
    """An ``amqp_events`` producer with the generated package of the benchmark service."""

    def start(self) -> None:
        self.app: EventsApp = events_app(
            f"{self.exchange}-producer", broker_url=self.admin.url, exchange=self.exchange
        )
        self.package = package.generate(self.settings.workdir, 1).load()

    def prepare(self, bodies: list[dict[str, JsonValue]]) -> Sequence[Any]:
        return [package.payload_object(self.package, body) for body in bodies]

    def stop(self) -> None:
        self.app.publisher.close()


class FireGenerated(_Events):
    """The generated ``fire_order_created(OrderCreated(...))``: encode, validate, publish."""

    name = FIRE

    def send(self, items: Sequence[Any]) -> None:
        # The package publishes through one app per process: this case's, from now.
        self.package.bind(self.app)
        fire = self.package.fire_order_created
        for payload in items:
            fire(payload)


class Batch(_Events):
    """The same calls inside ``app.batch()``: confirms pipelined, awaited at the end."""

    name = BATCH

    def send(self, items: Sequence[Any]) -> None:
        self.package.bind(self.app)
        fire = self.package.fire_order_created
        with self.app.batch():
            for payload in items:
                fire(payload)


class FireDecorated(_Events):
    """``@app.event``: a hand-written function whose body validates, its parameters the payload."""

    name = FIRE_DECORATED

    def start(self) -> None:
        super().start()

        @self.app.event(EVENT)
        def order_created(seq: int, orderId: str, amount: float, at: str) -> None:  # noqa: N803
            if seq < 0 or amount < 0 or len(orderId) != 36 or not at:
                raise ValueError("invalid order")

        self.fire = order_created

    def prepare(self, bodies: list[dict[str, JsonValue]]) -> Sequence[Any]:
        return bodies

    def send(self, items: Sequence[Any]) -> None:
        fire = self.fire
        for body in items:
            fire(**body)


def _exchange(settings: Settings, admin: Admin, suffix: str) -> str:
    name = f"{settings.prefix}-{suffix}"
    admin.fresh(queues=[name], exchanges=[name])
    admin.declare_exchange(name)
    admin.declare_queue(name, exchange=name)
    return name


def _fire_cases(settings: Settings, admin: Admin) -> list[Case]:
    exchange = _exchange(settings, admin, "fire")
    return [
        KombuPublish(settings, admin, exchange),
        ApplyAsync(settings, admin, exchange),
        FireGenerated(settings, admin, exchange),
        FireDecorated(settings, admin, exchange),
    ]


def _batch_cases(settings: Settings, admin: Admin) -> list[Case]:
    exchange = _exchange(settings, admin, "batch")
    return [FireGenerated(settings, admin, exchange), Batch(settings, admin, exchange)]


FIRE_SCENARIO = Scenario(
    name="fire",
    title="fire_* of a ~100-byte validated payload, each publish confirmed",
    build=_fire_cases,
    targets=(Target(FIRE, "rate", ">=", 0.9, KOMBU),),
    compare=((APPLY_ASYNC, KOMBU), (FIRE, APPLY_ASYNC), (FIRE_DECORATED, KOMBU)),
)

BATCH_SCENARIO = Scenario(
    name="batch",
    title="many events at once: confirms pipelined in app.batch()",
    build=_batch_cases,
    targets=(Target(BATCH, "rate", ">=", 3.0, FIRE),),
)
