"""Handlers of service 'account-service': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from accounts import Handlers


class AccountServiceHandlers(Handlers):
    """Handlers of service 'account-service'."""
