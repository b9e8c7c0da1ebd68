"""Operate on a service's archive: count, list, show, replay and purge parked events.

Reading is non-destructive: messages are fetched without acknowledgement and return to
the queue when the channel closes. Replay publishes a copy (with confirm) to the
service's recover exchange, which routes it to the owning handler queue only, with the
attempt counter reset; only then is the archived copy acknowledged.

What a message says about itself is believed only for copies a worker of the service
archived (``amqp_events.trust``). A message the broker dead-lettered into the archive
belongs to the queue RabbitMQ recorded in its ``x-death`` header; it is replayed as a
producer would send it, through the default exchange, so its headers gain no belief
on the way. A message published straight into the archive names no queue at all.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import amqp

from amqp_events import trust, wire
from amqp_events.declare import queue_depth
from amqp_events.errors import ArchiveError, PublishError
from amqp_events.publisher import Envelope, Publisher, amqp_connection, masked_url
from amqp_events.topology import ServiceNames

if TYPE_CHECKING:
    from amqp_events.app import EventsApp

__all__ = ["Archive", "ArchiveStats", "ArchivedMessage", "ReplayResult"]

# Headers that describe failures; a replay starts the message's life afresh.
_RESET_ON_REPLAY = frozenset(wire.ARCHIVE_HEADERS) - {
    wire.ORIGINAL_EXCHANGE,
    wire.ORIGINAL_ROUTING_KEY,
} | {wire.DELIVERIES}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


@dataclass(frozen=True, slots=True)
class ArchivedMessage:
    """One parked message and why it was parked."""

    archive_queue: str
    body: bytes
    properties: Mapping[str, Any]
    delivery_tag: int = field(repr=False, compare=False)
    bookkeeping: Mapping[str, object] = field(default_factory=dict)
    """Our headers, when a worker of the service archived the message; else empty."""

    @property
    def headers(self) -> Mapping[str, object]:
        """All application headers as they are in the archive, forged ones included."""
        headers = self.properties.get("application_headers")
        return headers if isinstance(headers, Mapping) else {}

    @property
    def archived_by_worker(self) -> bool:
        """Tell whether a worker of the service archived the message (it was not dead-lettered)."""
        return bool(self.bookkeeping)

    def _death(self) -> Mapping[str, object]:
        """The broker's record of the dead-lettering that parked the message, if any."""
        deaths = self.headers.get("x-death")
        if isinstance(deaths, list) and deaths and isinstance(deaths[0], Mapping):
            return deaths[0]
        return {}

    @property
    def message_id(self) -> str | None:
        """The AMQP message_id property."""
        return _text(self.properties.get("message_id"))

    @property
    def queue(self) -> str | None:
        """The handler queue the message belongs to (where replay sends it)."""
        queue = self.bookkeeping.get(wire.QUEUE)
        return _text(queue) if queue is not None else _text(self._death().get("queue"))

    @property
    def event(self) -> str | None:
        """Event name of the handler that gave up on the message."""
        event = self.bookkeeping.get(wire.EVENT)
        if event is not None:
            return _text(event)
        keys = self._death().get("routing-keys")
        if isinstance(keys, list) and keys:
            return _text(keys[0])
        return None

    @property
    def reason(self) -> str:
        """Why the message was parked (a ``Reason`` value, or the broker's dead-letter reason)."""
        reason = self.bookkeeping.get(wire.REASON)
        if reason is not None:
            return _text(reason) or ""
        return f"dead-lettered:{_text(self._death().get('reason')) or 'unknown'}"

    @property
    def attempts(self) -> int:
        """Failed attempts recorded before parking."""
        return wire.header_count(self.bookkeeping, wire.ATTEMPT)

    @property
    def error(self) -> str | None:
        """``Exception: message`` of the last failure, if recorded."""
        kind = _text(self.bookkeeping.get(wire.EXCEPTION))
        message = _text(self.bookkeeping.get(wire.ERROR))
        if kind is None and message is None:
            return None
        return f"{kind or 'error'}: {message or ''}"

    @property
    def last_failure(self) -> str | None:
        """ISO time of the last failure, if recorded."""
        return _text(self.bookkeeping.get(wire.LAST_FAILURE))

    @property
    def archived_at(self) -> datetime | None:
        """When the message was parked: its last failure, or the broker's dead-letter time."""
        text = self.last_failure
        if text:
            with contextlib.suppress(ValueError):
                return datetime.fromisoformat(text)
        when = self._death().get("time")
        if isinstance(when, datetime):
            return when if when.tzinfo else when.replace(tzinfo=UTC)
        return None

    def summary(self) -> dict[str, object]:
        """A flat description for tables and JSON output."""
        return {
            "message_id": self.message_id,
            "event": self.event,
            "queue": self.queue,
            "reason": self.reason,
            "attempts": self.attempts,
            "last_failure": self.last_failure,
            "error": self.error,
            "bytes": len(self.body),
        }


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    """Message counts of a service's archive queues."""

    depths: Mapping[str, int]
    by_event: Mapping[str, int] = field(default_factory=dict)
    by_reason: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Messages in all archive queues."""
        return sum(self.depths.values())


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """What a replay (or a dry run) did."""

    replayed: tuple[ArchivedMessage, ...] = ()
    failed: tuple[tuple[ArchivedMessage, str], ...] = ()
    dry_run: bool = False


Matcher = Callable[[ArchivedMessage], bool]


def _matcher(
    event: str | None,
    message_ids: Sequence[str] | None,
    reason: str | None,
    older_than: float | None = None,
) -> Matcher:
    wanted_ids = set(message_ids or ())
    now = datetime.now(UTC)

    def matches(message: ArchivedMessage) -> bool:
        if event is not None and message.event != event:
            return False
        if wanted_ids and message.message_id not in wanted_ids:
            return False
        if reason is not None and message.reason != reason:
            return False
        if older_than is None:
            return True
        archived_at = message.archived_at
        return archived_at is not None and (now - archived_at).total_seconds() >= older_than

    return matches


class Archive:
    """The archive queues of one service on one broker."""

    def __init__(
        self,
        service: str,
        *,
        broker_url: str,
        queues: Sequence[str] | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        self.names = ServiceNames(service)
        self.broker_url = broker_url
        self.queues = tuple(queues) if queues else (self.names.archive_queue(),)
        self.connect_timeout = connect_timeout
        self._publisher = Publisher(
            self._amqp_connection, url_for_errors=broker_url, publish_timeout=connect_timeout
        )

    @classmethod
    def for_app(cls, app: EventsApp) -> Archive:
        """The archive of an app's service, with every archive queue its handlers use."""
        queues = sorted({r.route.archive_queue for r in app.handlers.values()}) or None
        return cls(app.settings.service, broker_url=app.broker_url, queues=queues)

    @classmethod
    def for_service(
        cls,
        service: str,
        *,
        broker_url: str,
        events: Sequence[str] = (),
        connect_timeout: float = 10.0,
    ) -> Archive:
        """The archive of a service known only by name, with the own archives of ``events``.

        A handler with its own archive limits parks in ``<service>:archive.<event>``.
        AMQP cannot list queues, so without the app's code only the events named here
        are looked for; those whose queue exists are read beside the shared archive.
        """
        archive = cls(service, broker_url=broker_url, connect_timeout=connect_timeout)
        if events:
            names = archive.names
            candidates = [names.archive_queue(), *(names.archive_queue(e) for e in events)]
            with archive._connection() as connection:
                found = [q for q in candidates if queue_depth(connection, q) is not None]
            archive.queues = tuple(found) or archive.queues
        return archive

    def _amqp_connection(self) -> amqp.Connection:
        return amqp_connection(self.broker_url, connect_timeout=self.connect_timeout)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[amqp.Connection]:
        connection = self._amqp_connection()
        try:
            connection.connect()
        except Exception as error:
            connection.collect()
            raise ArchiveError(
                f"Could not connect to the broker at {masked_url(self.broker_url)}: {error}."
            ) from error
        try:
            yield connection
        finally:
            with contextlib.suppress(Exception):
                connection.close()

    def _depth(self, connection: amqp.Connection, queue: str) -> int:
        depth = queue_depth(connection, queue)
        if depth is not None:
            return depth
        why = "has a worker of the service ever started?"
        if queue == self.names.archive_queue():
            own = self.names.archive_queue("<event>")
            why = (
                "either no worker of the service has started, or every handler has "
                f"archive limits of its own and parks in {own!r} (name those queues "
                "with --queue, or use --app)."
            )
        raise ArchiveError(
            f"The archive queue {queue!r} of service {self.names.service!r} does not exist "
            f"on {masked_url(self.broker_url)}: {why}"
        )

    def _scan(
        self, connection: amqp.Connection, queue: str, limit: int | None
    ) -> Iterator[tuple[amqp.Channel, ArchivedMessage]]:
        """Fetch messages without acknowledging them; the caller may ack some."""
        depth = self._depth(connection, queue)
        channel = connection.channel()
        channel.auto_decode = False
        try:
            for _ in range(depth if limit is None else min(depth, limit)):
                message = channel.basic_get(queue, no_ack=False)
                if message is None:
                    break
                body = (
                    message.body if isinstance(message.body, bytes) else str(message.body).encode()
                )
                properties = dict(message.properties)
                headers = properties.get("application_headers")
                info = message.delivery_info
                yield (
                    channel,
                    ArchivedMessage(
                        archive_queue=queue,
                        body=body,
                        properties=properties,
                        delivery_tag=message.delivery_tag or 0,
                        bookkeeping=trust.bookkeeping(
                            headers if isinstance(headers, Mapping) else {},
                            self.names,
                            exchange=str(info.get("exchange") or ""),
                            routing_key=str(info.get("routing_key") or ""),
                            queue=queue,
                        ),
                    ),
                )
        finally:
            # Closing returns every message not acknowledged to the queue.
            with contextlib.suppress(Exception):
                channel.close()

    def stats(self, *, by_event: bool = True) -> ArchiveStats:
        """Count archived messages per queue and, optionally, per event and reason."""
        events: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        with self._connection() as connection:
            depths = {queue: self._depth(connection, queue) for queue in self.queues}
            if by_event:
                for queue in self.queues:
                    for _, message in self._scan(connection, queue, None):
                        events[message.event or "(unknown)"] += 1
                        reasons[message.reason] += 1
        return ArchiveStats(depths=depths, by_event=dict(events), by_reason=dict(reasons))

    def list(
        self,
        *,
        event: str | None = None,
        reason: str | None = None,
        older_than: float | None = None,
        limit: int | None = None,
    ) -> list[ArchivedMessage]:
        """Return archived messages (oldest first), leaving them in the archive.

        ``older_than`` keeps messages archived at least that many seconds ago.
        """
        matches = _matcher(event, None, reason, older_than)
        found: list[ArchivedMessage] = []
        with self._connection() as connection:
            for queue in self.queues:
                for _, message in self._scan(connection, queue, None):
                    if matches(message):
                        found.append(message)
                        if limit is not None and len(found) >= limit:
                            return found
        return found

    def show(self, message_id: str) -> ArchivedMessage:
        """Return the archived message with this message id."""
        with self._connection() as connection:
            for queue in self.queues:
                for _, message in self._scan(connection, queue, None):
                    if message.message_id == message_id:
                        return message
        raise ArchiveError(
            f"No archived message of service {self.names.service!r} has message_id "
            f"{message_id!r}; 'amqp-events archive list' shows the ids."
        )

    def replay_envelope(self, message: ArchivedMessage) -> Envelope:
        """The copy a replay publishes: failure headers removed, replay count raised.

        A copy a worker archived goes back through the recover exchange with the
        bookkeeping that outlives failures. Any other message goes back as a producer
        would send it, straight to the queue that dead-lettered it: it carries none of
        our headers, and the worker treats it as a first delivery.
        """
        queue = message.queue
        ident = message.message_id or "(without message_id)"
        if not message.archived_by_worker and not (queue and self.names.is_handler_queue(queue)):
            raise ArchiveError(
                f"Archived message {ident} was not archived by a worker of service "
                f"{self.names.service!r} (it did not come through {self.names.recover_exchange!r})"
                " and RabbitMQ recorded no handler queue of the service that dead-lettered it, "
                "so it names no queue to replay it to."
            )
        if not queue:
            raise ArchiveError(
                f"Archived message {ident} names no handler queue, so it cannot be replayed to "
                "its service."
            )
        headers = {
            key: value
            for key, value in message.headers.items()
            if not key.startswith((wire.HEADER_PREFIX, "x-first-death-", "x-last-death-"))
            and key != "x-death"
        }
        deaths = message.headers.get("x-death")
        if isinstance(deaths, list):
            foreign = [
                d
                for d in deaths
                if not (isinstance(d, Mapping) and d.get("queue") in (queue, *self.queues))
            ]
            if foreign:
                headers["x-death"] = foreign
        exchange = ""
        if message.archived_by_worker:
            exchange = self.names.recover_exchange
            kept = {k: v for k, v in message.bookkeeping.items() if k not in _RESET_ON_REPLAY}
            headers.update(kept)
            headers[wire.REPLAYS] = wire.header_count(message.bookkeeping, wire.REPLAYS) + 1
        properties = dict(message.properties)
        properties["application_headers"] = headers
        return Envelope(
            exchange=exchange,
            routing_key=queue,
            body=message.body,
            properties=properties,
            mandatory=True,
        )

    def replay(
        self,
        *,
        event: str | None = None,
        message_ids: Sequence[str] | None = None,
        reason: str | None = None,
        older_than: float | None = None,
        limit: int | None = None,
        dry_run: bool = False,
    ) -> ReplayResult:
        """Send archived messages back to their handler queues, one confirmed copy each."""
        matches = _matcher(event, message_ids, reason, older_than)
        replayed: list[ArchivedMessage] = []
        failed: list[tuple[ArchivedMessage, str]] = []
        with self._connection() as connection:
            for queue in self.queues:
                for channel, message in self._scan(connection, queue, None):
                    if limit is not None and len(replayed) >= limit:
                        break
                    if not matches(message):
                        continue
                    if dry_run:
                        replayed.append(message)
                        continue
                    try:
                        self._publisher.publish(self.replay_envelope(message))
                    except (PublishError, ArchiveError) as error:
                        failed.append((message, str(error)))
                        continue
                    channel.basic_ack(message.delivery_tag)
                    replayed.append(message)
        self._publisher.close()
        return ReplayResult(replayed=tuple(replayed), failed=tuple(failed), dry_run=dry_run)

    def purge(
        self,
        *,
        event: str | None = None,
        reason: str | None = None,
        older_than: float | None = None,
        limit: int | None = None,
        dry_run: bool = False,
    ) -> int:
        """Delete archived messages (all, or those matching); return how many."""
        matches = _matcher(event, None, reason, older_than)
        removed = 0
        with self._connection() as connection:
            for queue in self.queues:
                for channel, message in self._scan(connection, queue, None):
                    if limit is not None and removed >= limit:
                        break
                    if matches(message):
                        if not dry_run:
                            channel.basic_ack(message.delivery_tag)
                        removed += 1
        return removed
