"""Handlers of service 'mailer': write each method's body here."""

# Written once by amqp-events-gen and never overwritten: this file is yours to edit.
from amqp_events import Delivery, Headers
from mailer import Handlers, payloads


class MailerHandlers(Handlers):
    """Handlers of service 'mailer'."""

    def on_mail_requested(self, payload: payloads.Mail, delivery: Delivery[Headers]) -> None:
        """Handle MailRequested received on 'mail.requested'."""
        raise NotImplementedError
