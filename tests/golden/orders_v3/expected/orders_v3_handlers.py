"""Handlers of service 'orders': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from amqp_events import Delivery, Headers
from orders_v3 import Handlers, payloads


class OrdersHandlers(Handlers):
    """Handlers of service 'orders'."""

    def on_order_created(
        self,
        payload: payloads.Order,
        delivery: Delivery[payloads.OrderCreatedHeaders],
    ) -> None:
        """Handle OrderCreated received on 'orders.created': A customer placed an order."""
        raise NotImplementedError

    def on_order_shipped(self, payload: payloads.OrderShipped, delivery: Delivery[Headers]) -> None:
        """Handle OrderShipped received on 'orders.{region}.events'."""
        raise NotImplementedError

    def on_order_cancelled(
        self,
        payload: payloads.OrderCancelled,
        delivery: Delivery[Headers],
    ) -> None:
        """Handle OrderCancelled received on 'orders.{region}.events'."""
        raise NotImplementedError
