"""Run the example end to end: a billing worker, an orders worker, and a few orders.

The orders service fires ``shop.order.created``; billing invoices each order and fires
``billing.invoice.issued`` and ``billing.invoice.paid``; the orders service marks the
order paid. The demo waits until every order it placed is paid, then stops the workers.
Without a reachable broker it says so and exits 0: the code generation still ran.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import amqp
from amqp.exceptions import NotFound

from amqp_events.publisher import amqp_connection, masked_url

HERE = Path(__file__).resolve().parent
CELERY = str(Path(sys.executable).with_name("celery"))
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672//"


def broker_problem(url: str) -> str | None:
    """None when the broker answers, else why not."""
    connection = amqp_connection(url, connect_timeout=3)
    try:
        connection.connect()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        connection.collect()
        return str(error) or type(error).__name__
    connection.close()
    return None


def consumers(connection: amqp.Connection, queue: str) -> int:
    """Consumers on a queue, 0 when it does not exist yet."""
    channel = connection.channel()
    try:
        declared = channel.queue_declare(queue, passive=True)
    except NotFound:
        return 0
    channel.close()
    return declared[2] if declared else 0


@contextlib.contextmanager
def worker(service: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``celery -A <service>_service worker`` from the service's folder."""
    folder = HERE / service
    command = [
        CELERY,
        "-A",
        f"{service}_service",
        "worker",
        "-n",
        f"{service}-demo-{os.getpid()}@%h",
        "--pool=prefork",
        "-c",
        "2",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-l",
        "info",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env={**env, "PYTHONPATH": str(folder)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait(
    condition: object,
    what: str,
    timeout: float,
    processes: list[subprocess.Popen[bytes]],
    logs: list[Path],
) -> None:
    """Poll ``condition`` (a callable) until true; explain and exit when it never is."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        dead = [p for p in processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            reason = "a worker exited" if dead else f"{timeout:g} s passed"
            print(f"Gave up waiting for {what}: {reason}. Worker logs:", file=sys.stderr)
            for log in logs:
                print(
                    f"--- {log}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]),
                    file=sys.stderr,
                )
            raise SystemExit(1)
        time.sleep(0.2)


def remove_topology(connection: amqp.Connection) -> None:
    """Delete the queues and exchanges the two services declared (DEMO_KEEP=1 keeps them)."""
    sys.path.insert(0, str(HERE / "billing"))
    # The services' own modules, found via sys.path like their workers find them.
    from billing_service import app as billing_app  # noqa: PLC0415
    from orders_service import app as orders_app  # noqa: PLC0415

    channel = connection.channel()
    for app in (orders_app, billing_app):
        topology = app.topology()
        tasks = f"{app.settings.service}:tasks"  # Celery's queue for plain tasks
        for queue in (*(q.name for q in topology.queues), tasks):
            channel.queue_delete(queue)
        for exchange in (*(e.name for e in topology.exchanges), tasks):
            channel.exchange_delete(exchange)
    channel.close()


def main() -> int:
    """Run the demo; return the exit status."""
    url = os.environ.get("AMQP_URL", DEFAULT_URL)
    problem = broker_problem(url)
    if problem is not None:
        print(
            f"No RabbitMQ answers at {masked_url(url)} ({problem}); the code was generated, "
            "the end-to-end run is skipped. Set AMQP_URL or start rabbitmq-server to see it."
        )
        return 0

    sys.path.insert(0, str(HERE / "orders"))
    import orders_events  # noqa: PLC0415 - generated into examples/orders, found via sys.path

    orders = int(os.environ.get("DEMO_ORDERS", "5"))
    work = Path(tempfile.mkdtemp(prefix="amqp-events-demo-"))
    ledger = work / "orders-ledger.jsonl"
    env = {**os.environ, "AMQP_URL": url, "ORDERS_LEDGER": str(ledger)}
    logs = [work / "billing.log", work / "orders.log"]
    connection = amqp_connection(url, connect_timeout=5)
    connection.connect()
    with (
        worker("billing", env, logs[0]) as billing,
        worker("orders", env, logs[1]) as orders_worker,
    ):
        processes = [billing, orders_worker]
        wait(
            lambda: (
                consumers(connection, "billing.shop.order.created") > 0
                and consumers(connection, "orders.billing.invoice.paid") > 0
            ),
            "both workers to consume",
            60,
            processes,
            logs,
        )
        app = orders_events.create_app(broker_url=url)
        orders_events.bind(app)
        placed = []
        with app.batch():
            for number in range(orders):
                order = orders_events.Order(
                    order_id=uuid.uuid4(),
                    customer_id=f"customer-{number}",
                    currency="EUR",
                    items=[
                        orders_events.OrderLine(sku="book", quantity=number + 1, unit_price=12.5)
                    ],
                    placed_at=datetime.now(UTC),
                )
                orders_events.fire_order_created(order, correlation_id=f"request-{number}")
                placed.append(str(order.order_id))
        app.publisher.close()
        print(f"Placed {orders} orders through the broker at {masked_url(url)}.")

        def paid() -> list[dict[str, object]]:
            if not ledger.exists():
                return []
            return [json.loads(line) for line in ledger.read_text().splitlines()]

        wait(
            lambda: {str(e["order_id"]) for e in paid()} >= set(placed),
            "every order to be paid",
            60,
            processes,
            logs,
        )
    if not os.environ.get("DEMO_KEEP"):
        remove_topology(connection)
    connection.close()
    for entry in paid():
        print(
            f"  order {entry['order_id']} paid: {entry['amount']} EUR, invoice "
            f"{entry['invoice_id']}, request {entry['request_id']}"
        )
    print(f"All {orders} orders were invoiced by billing and marked paid by orders.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
