"""Handlers of service 'corner-cases': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from amqp_events import Delivery, Headers
from corner_cases import Handlers, payloads


class CornerCasesHandlers(Handlers):
    """Handlers of service 'corner-cases'."""

    def on_o(self, payload: payloads.O2, delivery: Delivery[Headers]) -> None:
        """Handle O received on 'letters.{l}.{I}.{O}'."""
        raise NotImplementedError

    def on_i(self, payload: payloads.I2, delivery: Delivery[payloads.IHeaders]) -> None:
        """Handle I received on 'letters.{l}.{I}.{O}'."""
        raise NotImplementedError

    def on_l(self, payload: payloads.L2, delivery: Delivery[Headers]) -> None:
        """Handle l received on 'letters.{l}.{I}.{O}'."""
        raise NotImplementedError

    def on_stamped(self, payload: payloads.Stamped, delivery: Delivery[Headers]) -> None:
        """Handle Stamped received on 'stamps'."""
        raise NotImplementedError

    def on_null_payload(self, payload: payloads.NullPayload, delivery: Delivery[Headers]) -> None:
        """Handle NullPayload received on 'nothing'."""
        raise NotImplementedError

    def on_null_reference(self, payload: payloads.Nothing, delivery: Delivery[Headers]) -> None:
        """Handle NullReference received on 'nothing'."""
        raise NotImplementedError
