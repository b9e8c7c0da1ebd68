"""``python -m benchmarks.workers.faststream_worker``: the FastStream peer, one subscriber."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from faststream import FastStream
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue
from pydantic import BaseModel, Field

from benchmarks.sink import Sink

EVENT = "bench.order.created"


class OrderCreated(BaseModel):
    """The payload of ``benchmarks.payloads``, validated the FastStream way."""

    seq: int = Field(ge=0)
    orderId: UUID  # noqa: N815 - the wire name
    amount: float = Field(ge=0)
    at: datetime
    fail: int = 0


def build_faststream_app(env: Mapping[str, str]) -> FastStream:
    """A broker with one subscriber on its own durable queue, bound like our handler queue."""
    sink = Sink(env.get("BENCH_SINK", "/dev/null"))
    # Per-message log lines at DEBUG stay unprinted, as Celery's do at -l warning.
    broker = RabbitBroker(env["BENCH_URL"], log_level=logging.DEBUG)
    exchange = RabbitExchange(env["BENCH_EXCHANGE"], type=ExchangeType.TOPIC, durable=True)
    queue = RabbitQueue(env["BENCH_NAME"], durable=True, routing_key=EVENT)

    @broker.subscriber(queue, exchange)
    async def handle(body: OrderCreated) -> None:
        sink.record(body.seq)

    return FastStream(broker)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(build_faststream_app(os.environ).run())
