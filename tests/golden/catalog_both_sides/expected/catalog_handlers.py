"""Handlers of service 'catalog-reader': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from amqp_events import Delivery, Headers
from catalog import Handlers, payloads


class CatalogReaderHandlers(Handlers):
    """Handlers of service 'catalog-reader'."""

    def on_user_signed_up(
        self,
        payload: payloads.UserSignedUp,
        delivery: Delivery[Headers],
    ) -> None:
        """Handle UserSignedUp received on 'users.signed-up': A user "signed up" (the first
        time).
        """
        raise NotImplementedError

    def on_invoice_paid(self, payload: payloads.InvoicePaid, delivery: Delivery[Headers]) -> None:
        """Handle InvoicePaid received on 'billing.invoice.paid': An invoice was paid; the
        payload is not described.
        """
        raise NotImplementedError
