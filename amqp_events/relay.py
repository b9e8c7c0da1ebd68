"""Confirmed publishes that never make the consumer loop wait: each settles its original.

Some copies must be confirmed by the broker before the message they replace is settled:
a redelivered message moved to the isolation lane, a message whose pool process died,
a retry after a hard time limit. The worker's consumer loop must not wait for those
confirms, or one slow confirm stalls every message of the worker. The relay publishes
the copy and returns at once; when the confirm arrives, read by the same event loop,
it calls the copy's ``settle`` with ``None``, and the caller acknowledges the original.
When the broker refuses the copy (basic.nack), returns it as unroutable, or does not
confirm it within ``timeout`` seconds, ``settle`` gets the ``PublishError`` instead.
Time spent while the broker blocks the connection (a resource alarm) does not count:
the confirm comes once the alarm clears, and the original waits unacknowledged,
neither parked nor run twice.

The relay has a connection of its own: RabbitMQ stops reading from a connection that
publishes during a resource alarm, and on the consumer's connection that would stop
its acknowledgements too, and with them the consuming that frees the broker's memory.
With an event loop (the prefork, threads and solo pools) the relay's socket is read by
that loop; without one (gevent, eventlet) a green thread reads it. Either way ``settle``
runs where the consumer's own callbacks run, never in a pool thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import amqp

from amqp_events.errors import (
    BrokerUnavailableError,
    PublishError,
    PublishNackedError,
    PublishTimeoutError,
    UnroutableError,
)
from amqp_events.publisher import Envelope

__all__ = ["Relay", "Settle"]

logger = logging.getLogger(__name__)

Settle = Callable[[PublishError | None], None]
"""Called once per copy: ``None`` when the broker confirmed it, else why it did not."""

# The errors of a lost connection; the relay reconnects on its next publish.
_LOST: tuple[type[BaseException], ...] = (OSError, amqp.exceptions.ConnectionError)


@dataclass(slots=True)
class _Pending:
    envelope: Envelope
    settle: Settle
    deadline: float
    returned: bool = False


class Relay:
    """Overlapped confirmed publishing on a connection of its own; see the module docstring."""

    def __init__(
        self, connect: Callable[[], amqp.Connection], *, timeout: float, url_for_errors: str
    ) -> None:
        self._connect = connect
        self.timeout = timeout
        self._url = url_for_errors
        self._connection: amqp.Connection | None = None
        self._channel: amqp.Channel | None = None
        self._pending: dict[int, _Pending] = {}
        self._next_tag = 1
        self._blocked = False
        self._hub: Any = None
        self._threaded = False
        self._reader: threading.Thread | None = None
        self._draining = False
        self._settling = 0
        self._idle: list[Callable[[], None]] = []

    # -- connection --------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Copies published and not yet settled."""
        return len(self._pending)

    def open(self) -> None:
        """Connect (blocking, bounded by the connect timeout) unless connected."""
        if self._connection is not None:
            return
        connection = self._connect()
        try:
            connection.connect()
            channel = connection.channel()
            channel.confirm_select()
        except Exception:
            connection.collect()
            raise
        events = cast(Any, channel).events  # not in the type stubs
        events["basic_ack"].add(self._on_ack)
        events["basic_nack"].add(self._on_nack)
        events["basic_return"].add(self._on_return)
        cast(Any, connection).on_blocked = self._on_blocked
        cast(Any, connection).on_unblocked = self._on_unblocked
        self._connection, self._channel = connection, channel
        self._next_tag = 1
        self._blocked = False
        self._watch()

    def register_with_event_loop(self, hub: Any) -> None:
        """Read confirms in the consumer's event loop and expire overdue copies on its timer."""
        if hub is not self._hub:
            self._hub = hub
            hub.call_repeatedly(1.0, self.expire)
        self.open()
        self._watch()

    def read_in_thread(self) -> None:
        """Without an event loop (gevent, eventlet): read confirms in a green thread."""
        self._threaded = True
        self.open()
        self._watch()

    def _watch(self) -> None:
        """Have the answers on the current connection read, whichever way was chosen.

        Called again on every new connection: a reconnect gets a new socket, and a
        reader thread ends with the connection it read.
        """
        connection = self._connection
        if connection is None:
            return
        if self._hub is not None:
            self._hub.add_reader(connection.sock, self._on_readable)
        elif self._threaded and (self._reader is None or not self._reader.is_alive()):
            self._reader = threading.Thread(target=self._read_forever, daemon=True)
            self._reader.start()

    def close(self, why: PublishError | None = None) -> None:
        """Close the connection; copies still unconfirmed are settled as lost (or ``why``)."""
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                if self._hub is not None and connection.sock is not None:
                    self._hub.remove(connection.sock)
                connection.collect()
        self._fail_all(
            why
            or BrokerUnavailableError(
                f"The connection to the broker at {self._url} closed before it confirmed the "
                "copy; it may or may not have been delivered."
            )
        )

    def _channel_closed(self, error: amqp.exceptions.ChannelError) -> None:
        # py-amqp reopens the channel without confirms: start afresh on the next publish.
        self.close(
            PublishError(f"The broker closed the channel before confirming the copy: {error}.")
        )

    # -- publishing --------------------------------------------------------------------

    def publish(self, envelope: Envelope, settle: Settle) -> None:
        """Publish a copy and return at once; ``settle`` runs when the broker has answered."""
        try:
            self.open()
            assert self._channel is not None
            self._channel.basic_publish(
                amqp.Message(envelope.body, **envelope.properties),
                exchange=envelope.exchange,
                routing_key=envelope.routing_key,
                mandatory=envelope.mandatory,
            )
        except _LOST as error:
            self.close()
            lost = BrokerUnavailableError(
                f"Could not publish {envelope.describe()} to the broker at {self._url}: {error}."
            )
            self._settle([(settle, lost)])
            return
        self._pending[self._next_tag] = _Pending(envelope, settle, time.monotonic() + self.timeout)
        self._next_tag += 1

    def flush(self, timeout: float) -> None:
        """Wait (blocking) until every copy is settled or ``timeout`` passes; for shutdown.

        Called from a ``settle`` callback, while the relay reads answers, it returns at
        once: the connection cannot be read from inside its own reading.
        """
        if self._draining:
            return
        deadline = time.monotonic() + timeout
        reading_elsewhere = (
            self._reader is not None
            and self._reader.is_alive()
            and self._reader is not threading.current_thread()
        )
        while self._pending and self._connection is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if reading_elsewhere:
                time.sleep(min(remaining, 0.05))
                continue
            self._drain(min(remaining, 0.5))
            self.expire()

    def expire(self) -> None:
        """Settle copies that the broker did not confirm in time as failed."""
        now = time.monotonic()
        if self._blocked:
            # An alarm: the confirm comes when it clears. Start the clock again then.
            for entry in self._pending.values():
                entry.deadline = now + self.timeout
            return
        overdue = [tag for tag, entry in self._pending.items() if entry.deadline <= now]
        self._settle(
            [
                (
                    entry.settle,
                    PublishTimeoutError(
                        f"The broker at {self._url} did not confirm {entry.envelope.describe()} "
                        f"within {self.timeout:g} s; it may or may not have been delivered."
                    ),
                )
                for entry in (self._pending.pop(tag) for tag in overdue)
            ]
        )

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once every copy is settled: at once if none is in flight.

        A batch of confirms (``multiple``) settles all its copies before ``callback``
        runs, so what it starts never finds an original of a confirmed copy unsettled.
        """
        self._idle.append(callback)
        self._run_idle()

    def _run_idle(self) -> None:
        if self._pending or self._settling or not self._idle:
            return
        callbacks, self._idle = self._idle, []
        for callback in callbacks:
            callback()

    def _settle(self, settlements: list[tuple[Settle, PublishError | None]]) -> None:
        """Call each copy's ``settle``, then what waited for the relay to be idle."""
        self._settling += 1
        try:
            for settle, error in settlements:
                settle(error)
        finally:
            self._settling -= 1
        self._run_idle()

    # -- broker answers ----------------------------------------------------------------

    def _on_readable(self) -> None:
        while self._drain(0):
            pass

    def _drain(self, timeout: float) -> bool:
        """Read one answer of the broker, waiting up to ``timeout`` s; False when none came."""
        connection = self._connection
        if connection is None or self._draining:
            return False
        self._draining = True
        try:
            connection.drain_events(timeout=timeout)
        except TimeoutError:
            return False
        except _LOST:
            self.close()
            return False
        except amqp.exceptions.ChannelError as error:
            self._channel_closed(error)
            return False
        finally:
            self._draining = False
        return True

    def _read_forever(self) -> None:
        while self._connection is not None:
            self.flush(timeout=1.0) if self._pending else time.sleep(0.05)

    def _settled(self, tag: int, multiple: bool) -> list[_Pending]:
        if not multiple:
            entry = self._pending.pop(tag, None)
            return [] if entry is None else [entry]
        tags = [t for t in self._pending if t <= tag]
        return [self._pending.pop(t) for t in tags]

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self._settle(
            [
                (
                    entry.settle,
                    UnroutableError(
                        f"The broker returned {entry.envelope.describe()} as unroutable: no "
                        "queue is bound for its routing key."
                    )
                    if entry.returned
                    else None,
                )
                for entry in self._settled(tag, multiple)
            ]
        )

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self._settle(
            [
                (
                    entry.settle,
                    PublishNackedError(
                        f"The broker refused {entry.envelope.describe()} (basic.nack)."
                    ),
                )
                for entry in self._settled(tag, multiple)
            ]
        )

    def _on_return(
        self, exc: Exception, exchange: str, routing_key: str, message: amqp.Message
    ) -> None:
        # A return carries no delivery tag; it comes just before the confirm of its
        # message, so it is the oldest unconfirmed copy with this address and body.
        for entry in self._pending.values():
            envelope = entry.envelope
            if (
                not entry.returned
                and envelope.exchange == exchange
                and envelope.routing_key == routing_key
                and envelope.body == message.body
            ):
                entry.returned = True
                return

    def _on_blocked(self, reason: str = "") -> None:
        logger.warning(
            "The broker blocks publishing (%s); copies wait for their confirms until it unblocks.",
            reason or "resource alarm",
        )
        self._blocked = True

    def _on_unblocked(self) -> None:
        self._blocked = False
        self.expire()

    def _fail_all(self, error: PublishError) -> None:
        pending, self._pending = self._pending, {}
        self._settle([(entry.settle, error) for entry in pending.values()])
