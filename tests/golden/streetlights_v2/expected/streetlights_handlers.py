"""Handlers of service 'streetlights': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from amqp_events import Delivery, Headers
from streetlights import Handlers, payloads


class StreetlightsHandlers(Handlers):
    """Handlers of service 'streetlights'."""

    def on_light_measured(
        self,
        payload: payloads.LightMeasuredPayload,
        delivery: Delivery[payloads.CommonHeaders],
    ) -> None:
        """Handle lightMeasured received on 'lights.{streetlightId}.measured': Light measured."""
        raise NotImplementedError

    def on_status(self, payload: payloads.Status, delivery: Delivery[Headers]) -> None:
        """Handle status received on 'lights.status'."""
        raise NotImplementedError
