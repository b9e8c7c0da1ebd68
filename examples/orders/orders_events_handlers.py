"""Handlers of service 'orders': mark orders paid when billing says so."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
import json
import logging
import os

from orders_events import Handlers, payloads

from amqp_events import Delivery, Headers

logger = logging.getLogger(__name__)


class OrdersHandlers(Handlers):
    """Handlers of service 'orders'."""

    def __init__(self, ledger: str | None = None) -> None:
        # A real service would update its database; the demo appends to a ledger file.
        self.ledger = ledger or os.environ.get("ORDERS_LEDGER", "orders-ledger.jsonl")

    def on_invoice_paid(self, payload: payloads.InvoicePaid, delivery: Delivery[Headers]) -> None:
        """Mark the order of a paid invoice as paid."""
        entry = {
            "order_id": str(payload.order_id),
            "invoice_id": payload.invoice_id,
            "amount": payload.amount,
            "paid_at": payload.paid_at.isoformat(),
            "request_id": delivery.correlation_id,
        }
        with open(self.ledger, "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(entry) + "\n")
        logger.info("Order %s is paid (%s).", payload.order_id, payload.invoice_id)
