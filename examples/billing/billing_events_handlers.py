"""Handlers of service 'billing': invoice every order, then report it paid."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from billing_events import (
    Handlers,
    InvoiceIssued,
    InvoicePaid,
    fire_invoice_issued,
    fire_invoice_paid,
    payloads,
)

from amqp_events import Delivery

logger = logging.getLogger(__name__)


class BillingHandlers(Handlers):
    """Handlers of service 'billing'."""

    def on_order_created(
        self,
        payload: payloads.Order,
        delivery: Delivery[payloads.OrderCreatedHeaders],
    ) -> None:
        """Issue the invoice of a new order; this demo's customers pay at once."""
        # Sum in Decimal so that 3 x 0.10 is 0.30, not 0.30000000000000004.
        total = sum(
            (Decimal(str(line.unit_price)) * line.quantity for line in payload.items),
            Decimal(0),
        )
        invoice_id = f"inv-{payload.order_id.hex[:12]}"
        # The request id travels on as the correlation id of everything this causes.
        request_id = delivery.correlation_id
        fire_invoice_issued(
            InvoiceIssued(
                invoice_id=invoice_id,
                order_id=payload.order_id,
                amount=float(total),
                currency=payload.currency,
                due_date=(payload.placed_at + timedelta(days=30)).date(),
            ),
            correlation_id=request_id,
        )
        fire_invoice_paid(
            InvoicePaid(
                invoice_id=invoice_id,
                order_id=payload.order_id,
                amount=float(total),
                paid_at=datetime.now(UTC),
                method="card",
            ),
            correlation_id=request_id,
        )
        logger.info(
            "Invoiced order %s: %s %s (attempt %d).",
            payload.order_id,
            total,
            payload.currency,
            delivery.attempt,
        )
