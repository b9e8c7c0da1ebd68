"""The coupon case end to end: what ``contracts`` predicts is what a real worker does.

The orders service adds an optional ``coupon`` to ``Order``; billing, as deployed, was
generated from its committed document, whose ``Order`` says ``additionalProperties:
false``. ``contracts`` fails and names billing; then the new orders code fires an order
with a coupon, and billing's real worker parks it in its archive as invalid-payload.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from amqp_events.archive import Archive
from tests.contracts.conftest import add_coupon
from tests.contracts.documents import run
from tests.examples.test_examples import GENERATOR, isolated_url
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import ROOT, WorkerProcess

BILLING = ROOT / "examples" / "billing"


_FIRE = """
import sys, uuid
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
import orders_events

app = orders_events.create_app(broker_url=sys.argv[2])
orders_events.bind(app)
order = orders_events.Order(
    order_id=uuid.uuid4(), customer_id="cust-1", currency="EUR",
    items=[orders_events.OrderLine(sku="book", quantity=1, unit_price=12.5)],
    placed_at=datetime.now(UTC), coupon="SPRING",
)
print(orders_events.fire_order_created(order, correlation_id="coupon-test"))
app.publisher.close()
"""


@pytest.mark.broker
def test_contracts_fails_and_billing_really_archives_the_order(
    repo: Path, amqp_url: str, tmp_path: Path
) -> None:
    add_coupon(repo)
    status, out, _ = run("contracts", "orders/asyncapi.yaml", "HEAD:billing/asyncapi.yaml")
    assert status == 1
    assert "refused by billing (additionalProperties: false)" in out

    orders = tmp_path / "orders-new"
    generated = subprocess.run(
        [GENERATOR, "orders/asyncapi.yaml", "-o", str(orders), "--package", "orders_events"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    with isolated_url(amqp_url) as url:
        # The example billing service's worker, run from its folder as its README says.
        worker = WorkerProcess(
            "billing_service",
            env={"AMQP_URL": url},
            log=tmp_path / "billing.log",
            name=f"billing-coupon-{os.getpid()}",
            concurrency=1,
            folder=BILLING,
        )
        broker = Broker(url)
        try:
            worker.start()
            worker.wait_consuming(broker, "billing.shop.order.created", timeout=60)
            fired = subprocess.run(
                [sys.executable, "-c", textwrap.dedent(_FIRE), str(orders), url],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert fired.returncode == 0, fired.stderr
            message_id = fired.stdout.strip()
            archive = Archive.for_service("billing", broker_url=url, events=["shop.order.created"])

            def archived() -> bool:
                return any(m.message_id == message_id for m in archive.list())

            wait_for(archived, timeout=60, interval=0.5, what="the order in billing's archive")
            parked = archive.show(message_id)
            assert parked.reason == "invalid-payload"
            assert parked.event == "shop.order.created"
            assert "coupon" in (parked.error or "")
            assert parked.attempts <= 1
            record(
                "coupon",
                "contracts: 1 breaking, naming billing; 1 order with a coupon fired, "
                f"1 archived by billing as {parked.reason}",
            )
        finally:
            worker.stop()
            broker.close()
