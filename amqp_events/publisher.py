"""Publishing with publisher confirms: nothing counts as sent until the broker says so.

One AMQP connection per process and thread, opened on first use, in confirm mode. A
single publish waits for its own confirm. Inside ``Publisher.batch()`` publishes are
pipelined and the batch waits for all confirms when it ends, which is many times
faster on a real network round trip. A connection error during a publish or a batch is
retried on a new connection (unconfirmed messages are sent again, so a consumer may see
a duplicate, never a gap) until ``publish_timeout`` passes without progress.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import amqp
import kombu
from amqp.exceptions import AMQPError, ChannelError, RecoverableConnectionError
from kombu.utils.url import maybe_sanitize_url

from amqp_events.errors import (
    BrokerUnavailableError,
    PublishError,
    PublishNackedError,
    PublishTimeoutError,
    UnroutableError,
)
from amqp_events.topology import Exchange

__all__ = ["Batch", "Envelope", "Publisher", "amqp_connection", "masked_url"]

logger = logging.getLogger(__name__)

# Errors while connecting that a later attempt may not meet again.
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (OSError, RecoverableConnectionError)
# Errors on an open connection: the connection is gone, so reconnect and send again.
_RETRIED_ERRORS: tuple[type[BaseException], ...] = (OSError, amqp.exceptions.ConnectionError)


def amqp_connection(
    url: str,
    *,
    connect_timeout: float,
    ssl: bool | dict[str, Any] | None = None,
    login_method: str | None = None,
    **options: Any,
) -> amqp.Connection:
    """Build (not open) a py-amqp connection to ``url``, parsing the URL as Celery does.

    Owning the socket lets a failed handshake be closed at once, and the publisher
    run confirm mode itself instead of kombu's one-confirm-at-a-time publishing.
    """
    info = kombu.Connection(url, ssl=ssl or False, login_method=login_method)
    return amqp.Connection(
        host=info.host,
        userid=info.userid or "guest",
        password=info.password or "guest",
        login_method=info.login_method,
        virtual_host=info.virtual_host or "/",
        ssl=info.ssl or False,
        connect_timeout=connect_timeout,
        heartbeat=0,
        **options,
    )


def masked_url(url: str) -> str:
    """Return a broker URL with its password replaced by ``**``, fit for messages and logs."""
    masked: str = maybe_sanitize_url(url)
    return masked


@dataclass(frozen=True, slots=True)
class Envelope:
    """One AMQP message ready to publish: body bytes, properties and where it goes."""

    exchange: str
    routing_key: str
    body: bytes
    properties: Mapping[str, Any] = field(default_factory=dict)
    mandatory: bool = False
    declare: tuple[Exchange, ...] = ()
    """Exchanges to declare (once per connection) before the first publish to them."""

    @property
    def message_id(self) -> str | None:
        """The AMQP message_id property, if any."""
        value = self.properties.get("message_id")
        return value if isinstance(value, str) else None

    def describe(self) -> str:
        """Name the message in an error sentence."""
        exchange = self.exchange or "(default exchange)"
        ident = f" (message_id {self.message_id})" if self.message_id else ""
        return f"the message to {exchange!r} with routing key {self.routing_key!r}{ident}"


def _abort(connection: amqp.Connection) -> None:
    """Close a connection's socket without the AMQP handshake (which can block)."""
    with contextlib.suppress(Exception):
        connection.collect()


class _Link:
    """One connection and one confirm-mode channel, with the confirms still outstanding."""

    def __init__(self, connection: amqp.Connection) -> None:
        self.connection = connection
        # A link lives in thread-local storage: when its thread ends, close the socket
        # instead of leaving it to the garbage collector.
        weakref.finalize(self, _abort, connection)
        self.channel: amqp.Channel = self.connection.channel()
        self.channel.confirm_select()
        self.next_tag = 1
        self.pending: dict[int, Envelope] = {}
        self.failed: list[tuple[Envelope, PublishError]] = []
        self.returned: list[tuple[str | None, str]] = []
        self.declared: set[str] = set()
        self.blocked_reason: str | None = None
        # The type stubs omit these py-amqp attributes.
        events = cast(Any, self.channel).events
        events["basic_ack"].add(self._on_ack)
        events["basic_nack"].add(self._on_nack)
        events["basic_return"].add(self._on_return)
        cast(Any, self.connection).on_blocked = self._on_blocked
        cast(Any, self.connection).on_unblocked = self._on_unblocked

    def _settle(self, tag: int, multiple: bool) -> list[Envelope]:
        if not multiple:
            envelope = self.pending.pop(tag, None)
            return [] if envelope is None else [envelope]
        settled = []
        while self.pending:
            first = next(iter(self.pending))
            if first > tag:
                break
            settled.append(self.pending.pop(first))
        return settled

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self._settle(tag, multiple)

    def _on_nack(self, tag: int, multiple: bool) -> None:
        for envelope in self._settle(tag, multiple):
            self.failed.append(
                (
                    envelope,
                    PublishNackedError(f"The broker refused {envelope.describe()} (basic.nack)."),
                )
            )

    def _on_return(
        self, exc: Exception, exchange: str, routing_key: str, message: amqp.Message
    ) -> None:
        message_id = message.properties.get("message_id")
        self.returned.append((message_id if isinstance(message_id, str) else None, str(exc)))

    def _on_blocked(self, reason: str = "") -> None:
        self.blocked_reason = reason or "resource alarm"

    def _on_unblocked(self) -> None:
        self.blocked_reason = None

    def send(self, envelope: Envelope) -> None:
        for exchange in envelope.declare:
            if exchange.name not in self.declared:
                self.channel.exchange_declare(
                    exchange.name,
                    exchange.type,
                    durable=exchange.durable,
                    auto_delete=exchange.auto_delete,
                )
                self.declared.add(exchange.name)
        message = amqp.Message(envelope.body, **envelope.properties)
        self.channel.basic_publish(
            message,
            exchange=envelope.exchange,
            routing_key=envelope.routing_key,
            mandatory=envelope.mandatory,
        )
        # Only a publish that left in full gets a delivery tag from the broker; a failed
        # write is sent again on the next connection instead.
        self.pending[self.next_tag] = envelope
        self.next_tag += 1

    def drain(self, timeout: float) -> None:
        try:
            self.connection.drain_events(timeout=timeout)
        except TimeoutError:
            return

    def close(self, *, graceful: bool) -> None:
        """Close the connection; without ``graceful`` only the socket, which never blocks.

        The AMQP close handshake waits for the broker's answer without a time limit,
        and a broker that blocks this connection (a resource alarm) never answers.
        """
        if graceful and self.blocked_reason is None:
            try:
                self.connection.close()
            except Exception:
                logger.debug("Ignored an error closing a publisher connection.", exc_info=True)
            return
        _abort(self.connection)


class Batch:
    """Publishes sent together: how many, and those the broker did not confirm."""

    def __init__(self) -> None:
        self.sent = 0
        self.failures: list[tuple[Envelope, PublishError]] = []


_publishers: weakref.WeakSet[Publisher] = weakref.WeakSet()


def _forget_links_after_fork() -> None:
    # A forked child must not speak on its parent's sockets; it opens its own.
    for publisher in list(_publishers):
        publisher._reset_after_fork()


os.register_at_fork(after_in_child=_forget_links_after_fork)


class Publisher:
    """Confirmed publishing to one broker, with a connection per process and thread."""

    def __init__(
        self,
        connect: Callable[[], amqp.Connection],
        *,
        url_for_errors: str,
        publish_timeout: float = 10.0,
        max_in_flight: int = 1000,
    ) -> None:
        self._connect = connect
        self._url = masked_url(url_for_errors)
        self.publish_timeout = publish_timeout
        self.max_in_flight = max_in_flight
        self._local = threading.local()
        _publishers.add(self)

    # -- connection handling ---------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Tell whether this thread holds an open connection."""
        return getattr(self._local, "link", None) is not None

    def _reset_after_fork(self) -> None:
        self._local = threading.local()

    def _link(self, deadline: float) -> _Link:
        link: _Link | None = getattr(self._local, "link", None)
        if link is not None:
            return link
        pause = 0.05
        while True:
            connection = self._connect()
            try:
                connection.connect()
                link = _Link(connection)
            except _CONNECTION_ERRORS as error:
                connection.collect()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrokerUnavailableError(
                        f"Could not connect to the broker at {self._url} within "
                        f"{self.publish_timeout:g} s: {error}."
                    ) from error
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, 1.0)
                continue
            except AMQPError as error:
                connection.collect()
                # Wrong credentials or an unknown vhost: trying again cannot help.
                raise BrokerUnavailableError(
                    f"The broker at {self._url} refused the connection: {error}."
                ) from error
            self._local.link = link
            return link

    def _drop_link(self, *, graceful: bool = False) -> _Link | None:
        link: _Link | None = getattr(self._local, "link", None)
        self._local.link = None
        if link is not None:
            link.close(graceful=graceful)
        return link

    def close(self) -> None:
        """Close this thread's connection, if one is open."""
        self._drop_link(graceful=True)

    # -- publishing ------------------------------------------------------------------

    def publish(self, envelope: Envelope) -> None:
        """Publish one message and wait for the broker's confirm; raise ``PublishError`` if none."""
        batch: Batch | None = getattr(self._local, "batch", None)
        if batch is not None:
            self._send(envelope, batch)
            return
        batch = Batch()
        self._send(envelope, batch)
        self._wait_all(batch)
        self._raise_failures(batch)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Pipeline every publish of this thread until the block ends, then wait for all confirms.

        Raises ``PublishError`` at the end of the block if any message was not confirmed;
        nothing is waited for when the block itself raises.
        """
        if getattr(self._local, "batch", None) is not None:
            raise PublishError("Publisher batches cannot be nested; end the outer batch first.")
        batch = Batch()
        self._local.batch = batch
        try:
            yield batch
        finally:
            self._local.batch = None
        self._wait_all(batch)
        self._raise_failures(batch)

    def _send(self, envelope: Envelope, batch: Batch) -> None:
        deadline = time.monotonic() + self.publish_timeout
        self._wait(batch, below=self.max_in_flight)
        while True:
            link = self._link(deadline)
            try:
                link.send(envelope)
            except _RETRIED_ERRORS:
                self._recover(batch, deadline)
                continue
            except ChannelError as error:
                self._fail_pending(link, batch, error)
                self._drop_link()
                raise PublishError(
                    "The broker closed the channel while publishing "
                    f"{envelope.describe()}: {error}."
                ) from error
            batch.sent += 1
            return

    def _recover(self, batch: Batch, deadline: float) -> None:
        """Reconnect and send again what the lost connection left unconfirmed."""
        lost = self._drop_link()
        unconfirmed = list(lost.pending.values()) if lost is not None else []
        if lost is not None:
            self._collect(lost, batch)
        if unconfirmed:
            logger.warning(
                "Lost the publisher connection to %s; sending %d unconfirmed message(s) again.",
                self._url,
                len(unconfirmed),
            )
        while True:
            link = self._link(deadline)
            try:
                for envelope in unconfirmed:
                    link.send(envelope)
            except _RETRIED_ERRORS as error:
                self._drop_link()
                if time.monotonic() >= deadline:
                    raise BrokerUnavailableError(
                        f"Lost the connection to the broker at {self._url} and could not publish "
                        f"again within {self.publish_timeout:g} s; {len(unconfirmed)} message(s) "
                        "were not confirmed."
                    ) from error
                continue
            return

    def _wait_all(self, batch: Batch) -> None:
        self._wait(batch, below=1)

    def _wait(self, batch: Batch, *, below: int) -> None:
        """Read confirms until fewer than ``below`` are outstanding on this thread's link."""
        last_progress = time.monotonic()
        outstanding: int | None = None
        while True:
            link: _Link | None = getattr(self._local, "link", None)
            if link is None:
                return
            if len(link.pending) < below:
                self._collect(link, batch)
                return
            if outstanding is None or len(link.pending) < outstanding:
                outstanding = len(link.pending)
                last_progress = time.monotonic()
            remaining = last_progress + self.publish_timeout - time.monotonic()
            if remaining <= 0:
                self._time_out(link, batch)
                return
            try:
                link.drain(min(remaining, 1.0))
            except _RETRIED_ERRORS:
                self._recover(batch, last_progress + self.publish_timeout)
            except ChannelError as error:
                self._fail_pending(link, batch, error)
                self._drop_link()
                return

    def _time_out(self, link: _Link, batch: Batch) -> None:
        blocked = (
            f" The broker has blocked this connection ({link.blocked_reason})."
            if link.blocked_reason
            else ""
        )
        for envelope in link.pending.values():
            batch.failures.append(
                (
                    envelope,
                    PublishTimeoutError(
                        f"The broker at {self._url} did not confirm {envelope.describe()} within "
                        f"{self.publish_timeout:g} s; it may or may not have been delivered."
                        f"{blocked}"
                    ),
                )
            )
        link.pending.clear()
        self._collect(link, batch)
        # A late confirm on this channel would be misattributed, so start afresh.
        self._drop_link()

    def _fail_pending(self, link: _Link, batch: Batch, error: ChannelError) -> None:
        for envelope in link.pending.values():
            batch.failures.append(
                (
                    envelope,
                    PublishError(
                        f"The broker closed the channel before confirming "
                        f"{envelope.describe()}: {error}."
                    ),
                )
            )
        link.pending.clear()
        self._collect(link, batch)

    def _collect(self, link: _Link, batch: Batch) -> None:
        batch.failures.extend(link.failed)
        link.failed.clear()
        for message_id, reason in link.returned:
            batch.failures.append(
                (
                    Envelope("", "", b"", {"message_id": message_id}),
                    UnroutableError(
                        f"The broker returned message {message_id or '(without message_id)'} as "
                        f"unroutable ({reason}): no queue is bound for its routing key."
                    ),
                )
            )
        link.returned.clear()

    @staticmethod
    def _raise_failures(batch: Batch) -> None:
        if not batch.failures:
            return
        if len(batch.failures) == 1:
            raise batch.failures[0][1]
        first = batch.failures[0][1]
        raise type(first)(
            f"{len(batch.failures)} of {batch.sent} message(s) were not confirmed; "
            f"the first: {first}"
        )
