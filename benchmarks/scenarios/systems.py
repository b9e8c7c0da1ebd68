"""The systems compared in worker scenarios: how to declare, feed and run each one.

Each system publishes the same ~100-byte payload and runs a prefork worker of two
processes (FastStream: one asyncio process) whose handler records completion in the
sink file. ``publish_backlog`` is the fastest way to fill the queue before a worker
starts; ``publish_each`` is the system's own confirmed publish, one message at a time.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import amqp

from amqp_events import EventsApp, JsonValue, OutgoingEvent
from amqp_events.declare import declare
from amqp_events.wire import encode_json
from benchmarks import package
from benchmarks.broker import Admin, ConfirmedChannel
from benchmarks.harness import Settings, UnavailableError
from benchmarks.payloads import EVENT, SCHEMA
from benchmarks.procs import Worker, celery_worker
from benchmarks.sink import SinkReader
from benchmarks.workers.celery_service import build_celery_app, task_names
from benchmarks.workers.events_service import build_events_app, load_package


def _identity(value: JsonValue) -> JsonValue:
    return value


class System:
    """A service under test: its names, its worker command and its producers."""

    def __init__(
        self, settings: Settings, admin: Admin, tag: str, *, count: int = 1, retry: float = 3.0
    ) -> None:
        self.admin = admin
        self.settings = settings
        self.name = f"{settings.prefix}-{tag}"
        self.exchange = f"{self.name}-events"
        self.count = count
        self.sink = SinkReader(settings.workdir / f"{tag}.sink")
        self.sink.reset()
        self.log = settings.workdir / f"{tag}.log"
        self.env = {
            "BENCH_URL": settings.url,
            "BENCH_NAME": self.name,
            "BENCH_EXCHANGE": self.exchange,
            "BENCH_COUNT": str(count),
            "BENCH_SINK": str(self.sink.path),
            "BENCH_RETRY": str(retry),
        }
        self.workers = 0

    @property
    def queues(self) -> list[str]:
        """The queues a started worker consumes (first and last are waited for)."""
        raise NotImplementedError

    def declare(self) -> None:
        """Delete any leftovers of these names, then declare what a backlog needs."""
        raise NotImplementedError

    def worker(self) -> Worker:
        """A new (not yet started) worker of this system."""
        raise NotImplementedError

    def start_worker(self) -> Worker:
        """Start a worker and wait until it consumes every queue."""
        worker = self.worker()
        worker.start()
        try:
            self.admin.wait_consumers(
                [self.queues[0], self.queues[-1]], check=worker.check, timeout=60
            )
        except BaseException:
            worker.kill()
            raise
        return worker

    def purge(self) -> None:
        """Drop ready messages from every queue of the system."""
        self.admin.purge(*self.queues)

    def publish_backlog(
        self, bodies: Sequence[Mapping[str, JsonValue]], *, consumed: bool = False
    ) -> None:
        """Fill the queues as fast as possible (body ``i`` goes to handler ``i % count``).

        ``consumed`` says a worker is running, so the queue depth cannot be checked.
        """
        raise NotImplementedError

    def prepare(self, bodies: Sequence[Mapping[str, JsonValue]]) -> Sequence[Any]:
        """What the caller of the system's publish function holds (by default the JSON)."""
        return bodies

    def publish_each(self, items: Sequence[Any]) -> None:
        """Publish prepared items with the system's own client, waiting for each confirm."""
        raise NotImplementedError

    def close(self) -> None:
        """Close producer connections."""


class EventsSystem(System):
    """``amqp_events``: the generated package's service, ``count`` handlers, retry and archive."""

    def __init__(
        self, settings: Settings, admin: Admin, tag: str, *, count: int = 1, retry: float = 3.0
    ) -> None:
        super().__init__(settings, admin, tag, count=count, retry=retry)
        generated = package.generate(settings.workdir, count)
        self.env["BENCH_PACKAGE_DIR"] = str(generated.folder)
        self.env["BENCH_PACKAGE"] = generated.name
        self.package = load_package(self.env)
        self.app: EventsApp = build_events_app(self.env)
        # Backlogs to the handlers that only receive go out as plain validated events.
        self.events = [
            OutgoingEvent(name=name, encode=_identity, schema=SCHEMA)
            for name in package.event_names(count)
        ]

    @property
    def queues(self) -> list[str]:
        return [r.route.queue for r in self.app.handlers.values()]

    @property
    def retry_queues(self) -> list[str]:
        """The queues where failed events wait."""
        prefix = self.app.names.retry_prefix
        return [q.name for q in self.app.topology().queues if q.name.startswith(prefix)]

    def declare(self) -> None:
        topology = self.app.topology()
        self.admin.fresh_topology(topology)
        # The worker also declares the app's default Celery queue and its exchange.
        default = str(self.app.conf.task_default_queue)
        self.admin.fresh(queues=[default], exchanges=[default])
        declare(topology, self.admin.connection)

    def worker(self) -> Worker:
        self.workers += 1
        return celery_worker(
            "benchmarks.workers.events_worker",
            name=f"{self.name}-{self.workers}",
            env=self.env,
            log=self.log,
        )

    def publish_backlog(
        self, bodies: Sequence[Mapping[str, JsonValue]], *, consumed: bool = False
    ) -> None:
        # The generated package is bound to one app per process: this system's, from now.
        self.package.bind(self.app)
        fire = self.package.fire_order_created
        objects = [package.payload_object(self.package, body) for body in bodies]
        with self.app.batch():
            for index, body in enumerate(bodies):
                if index % self.count == 0:
                    fire(objects[index])
                else:
                    self.app.publish(self.events[index % self.count], dict(body))

    def prepare(self, bodies: Sequence[Mapping[str, JsonValue]]) -> Sequence[Any]:
        return [package.payload_object(self.package, body) for body in bodies]

    def publish_each(self, items: Sequence[Any]) -> None:
        self.package.bind(self.app)
        fire = self.package.fire_order_created
        for payload in items:
            fire(payload)

    def close(self) -> None:
        self.app.publisher.close()


class CelerySystem(System):
    """Raw Celery: ``count`` tasks on one queue, the same worker settings."""

    def __init__(
        self, settings: Settings, admin: Admin, tag: str, *, count: int = 1, retry: float = 3.0
    ) -> None:
        super().__init__(settings, admin, tag, count=count, retry=retry)
        self.app = build_celery_app(self.env)
        # Backlogs go out unconfirmed (the queue depth is checked instead), to save time.
        self.fast_app = build_celery_app(self.env)
        self.fast_app.conf.broker_transport_options = {}
        self.tasks: list[Any] = [self.app.tasks[name] for name in task_names(count)]
        self.fast_tasks: list[Any] = [self.fast_app.tasks[name] for name in task_names(count)]

    @property
    def queues(self) -> list[str]:
        return [self.name]

    def declare(self) -> None:
        # Celery names the queue's direct exchange after the queue.
        self.admin.fresh(queues=[self.name], exchanges=[self.name])
        self.admin.declare_exchange(self.name, "direct")
        self.admin.declare_queue(self.name, exchange=self.name, routing_key=self.name)

    def worker(self) -> Worker:
        self.workers += 1
        return celery_worker(
            "benchmarks.workers.celery_worker",
            name=f"{self.name}-{self.workers}",
            env=self.env,
            log=self.log,
        )

    def publish_backlog(
        self, bodies: Sequence[Mapping[str, JsonValue]], *, consumed: bool = False
    ) -> None:
        before = self.admin.status(self.name)
        for index, body in enumerate(bodies):
            self.fast_tasks[index % self.count].apply_async(kwargs=body)
        if not consumed:
            self.admin.wait_depth(self.name, (before[0] if before else 0) + len(bodies))

    def publish_each(self, items: Sequence[Any]) -> None:
        apply_async = self.tasks[0].apply_async
        for body in items:
            apply_async(kwargs=body)

    def close(self) -> None:
        self.app.close()
        self.fast_app.close()


class FastStreamSystem(System):
    """FastStream 0.7: one subscriber, bound to a topic exchange like our handler queue."""

    def __init__(
        self, settings: Settings, admin: Admin, tag: str, *, count: int = 1, retry: float = 3.0
    ) -> None:
        super().__init__(settings, admin, tag, count=count, retry=retry)
        try:
            from faststream.rabbit import RabbitBroker  # noqa: PLC0415 - an optional peer
        except ImportError as error:
            raise UnavailableError(f"FastStream not available: {error}") from None
        self.loop = asyncio.new_event_loop()
        self.broker = RabbitBroker(settings.url)
        self.connected = False
        self.channel: ConfirmedChannel | None = None

    @property
    def queues(self) -> list[str]:
        return [self.name]

    def declare(self) -> None:
        self.admin.fresh(queues=[self.name], exchanges=[self.exchange])
        # The same entities FastStream declares, so its own declare finds them equal.
        self.admin.declare_exchange(self.exchange, "topic")
        self.admin.declare_queue(self.name, exchange=self.exchange, routing_key=EVENT)

    def worker(self) -> Worker:
        return Worker(
            [sys.executable, "-m", "benchmarks.workers.faststream_worker"],
            env=self.env,
            log=self.log,
        )

    def publish_backlog(
        self, bodies: Sequence[Mapping[str, JsonValue]], *, consumed: bool = False
    ) -> None:
        if self.channel is None:
            self.channel = ConfirmedChannel(self.admin.connection)
        for body in bodies:
            message = amqp.Message(
                encode_json(dict(body)), content_type="application/json", delivery_mode=2
            )
            self.channel.publish(self.exchange, EVENT, message)
        self.channel.wait()

    def publish_each(self, items: Sequence[Any]) -> None:
        self.loop.run_until_complete(self._publish_each(items))

    async def _publish_each(self, bodies: Sequence[Mapping[str, JsonValue]]) -> None:
        from faststream.rabbit import ExchangeType, RabbitExchange  # noqa: PLC0415

        if not self.connected:
            await self.broker.connect()
            self.connected = True
        exchange = RabbitExchange(self.exchange, type=ExchangeType.TOPIC, durable=True)
        for body in bodies:
            await self.broker.publish(
                dict(body), exchange=exchange, routing_key=EVENT, persist=True
            )

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
        if self.connected:
            self.loop.run_until_complete(self.broker.stop())
        self.loop.close()
