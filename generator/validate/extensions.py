"""Rules for our own extensions: ``x-amqp-events-service``, ``-retry`` and ``-archive``.

``retry`` and ``archive`` parse an extension into a frozen record and report what is
wrong with it; validation runs them where the document writes them, and the model reads
the records of the ones that apply.

The delay bounds and the ladder's defaults are ``amqp_events.policy``'s, so a document
that validates never produces a package that fails when it is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amqp_events.policy import (
    DEFAULT_ARCHIVE,
    DEFAULT_BACKOFF,
    MAX_DELAY,
    MIN_DELAY,
    ArchivePolicy,
    Backoff,
    RetryPolicy,
)
from generator.documents import Node
from generator.validate.checker import Checker
from generator.words import describe, one_of

__all__ = [
    "EXPONENTIAL_FIELDS",
    "SERVICE_NAME",
    "Archive",
    "Retry",
    "archive",
    "check_archive",
    "check_retry",
    "check_service",
    "retry",
]

MAX_RETRIES = 100
SERVICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,199}")
EXPONENTIAL_FIELDS = ("max_retries", "interval_start", "interval_factor", "interval_max")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_service(checker: Checker, node: Node) -> None:
    """``x-amqp-events-service``: the service name, which prefixes its queues."""
    value = node.value
    if not isinstance(value, str) or not SERVICE_NAME.fullmatch(value):
        checker.error(
            node,
            "x-amqp-events-service must be a service name of 1 to 200 letters, digits, '.', "
            f"'-' or '_' that starts with a letter or digit, got {describe(value)}.",
        )


def _delay(checker: Checker, node: Node, what: str) -> float | None:
    value = node.value
    if not _is_number(value) or not MIN_DELAY <= value <= MAX_DELAY:  # type: ignore[operator]
        checker.error(
            node,
            f"{what} must be a number of seconds between {MIN_DELAY} and {MAX_DELAY:.0f}, "
            f"got {describe(value)}.",
        )
        return None
    return float(value)  # type: ignore[arg-type]


def _object(checker: Checker, node: Node, what: str) -> dict[str, object] | None:
    value = node.value
    if not isinstance(value, dict):
        checker.error(node, f"{what} must be an object, got {describe(value)}.")
        return None
    return value


@dataclass(frozen=True, slots=True)
class Retry:
    """``x-amqp-events-retry``: explicit delays, or else an exponential ladder."""

    delays: tuple[float, ...] | None = None
    backoff: Backoff = DEFAULT_BACKOFF

    def policy(self) -> RetryPolicy:
        """The runtime's policy for this setting: the delays given, or the ladder's."""
        return RetryPolicy(delays=self.backoff.delays if self.delays is None else self.delays)


@dataclass(frozen=True, slots=True)
class Archive:
    """``x-amqp-events-archive``: the limits of a handler's archive (None keeps the default)."""

    ttl: float | None = None
    max_length: int | None = None

    def policy(self) -> ArchivePolicy:
        """The runtime's policy for these limits; a limit not given keeps its default."""
        return ArchivePolicy(
            ttl=DEFAULT_ARCHIVE.ttl if self.ttl is None else self.ttl,
            max_length=DEFAULT_ARCHIVE.max_length if self.max_length is None else self.max_length,
        )


def retry(checker: Checker, node: Node) -> Retry | None:
    """Parse ``x-amqp-events-retry``: ``{delays: [...]}`` or the ladder's four numbers.

    None when it is malformed, which is reported.
    """
    what = "x-amqp-events-retry"
    value = _object(checker, node, what)
    if value is None:
        return None
    known = ("delays", *EXPONENTIAL_FIELDS)
    wrong = [key for key in value if key not in known]
    for key in wrong:
        checker.error(
            node.child(key),
            f"{what} has no field {key!r}; use 'delays', or any of {one_of(EXPONENTIAL_FIELDS)}.",
        )
    if "delays" in value:
        mixed = [key for key in EXPONENTIAL_FIELDS if key in value]
        if mixed:
            checker.error(
                node,
                f"{what} gives both 'delays' and {one_of(mixed, conjunction='and')}; give "
                "either the list of delays or the exponential ladder, not both.",
            )
        delays = _delays(checker, node.child("delays"))
        return Retry(delays=delays) if delays is not None and not mixed and not wrong else None
    backoff = _backoff(checker, node, value)
    return Retry(backoff=backoff) if backoff is not None and not wrong else None


def _delays(checker: Checker, node: Node) -> tuple[float, ...] | None:
    delays = node.value
    if not isinstance(delays, list):
        checker.error(
            node,
            "x-amqp-events-retry.delays must be a list of seconds such as [1, 5, 30], got "
            f"{describe(delays)}.",
        )
        return None
    if len(delays) > MAX_RETRIES:
        checker.error(
            node, f"x-amqp-events-retry.delays lists {len(delays)} delays; at most {MAX_RETRIES}."
        )
    found = [
        _delay(checker, node.child(index), f"Retry delay number {index + 1}")
        for index in range(len(delays))
    ]
    seconds = [delay for delay in found if delay is not None]
    if len(delays) > MAX_RETRIES or len(seconds) < len(found):
        return None
    return tuple(seconds)


def _backoff(checker: Checker, node: Node, value: dict[str, object]) -> Backoff | None:
    retries = value.get("max_retries", DEFAULT_BACKOFF.max_retries)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= MAX_RETRIES:
        checker.error(
            node.child("max_retries"),
            f"x-amqp-events-retry.max_retries must be a whole number from 0 to {MAX_RETRIES}, "
            f"got {describe(retries)}.",
        )
        return None
    start = (
        _delay(checker, node.child("interval_start"), "interval_start")
        if "interval_start" in value
        else DEFAULT_BACKOFF.interval_start
    )
    top = (
        _delay(checker, node.child("interval_max"), "interval_max")
        if "interval_max" in value
        else DEFAULT_BACKOFF.interval_max
    )
    factor = value.get("interval_factor", DEFAULT_BACKOFF.interval_factor)
    if not isinstance(factor, int | float) or isinstance(factor, bool) or not 1 <= factor <= 1000:
        checker.error(
            node.child("interval_factor"),
            "x-amqp-events-retry.interval_factor must be a number from 1 to 1000 so delays "
            f"never shrink, got {describe(factor)}.",
        )
        return None
    if start is None or top is None:
        return None
    if top < start:
        checker.error(
            node.child("interval_max"),
            f"interval_max ({top:g} s) is smaller than interval_start ({start:g} s).",
        )
        return None
    return Backoff(retries, start, float(factor), top)


def archive(checker: Checker, node: Node) -> Archive | None:
    """Parse ``x-amqp-events-archive``: ``{ttl: seconds, max_length: messages}``.

    None when it is malformed, which is reported.
    """
    what = "x-amqp-events-archive"
    value = _object(checker, node, what)
    if value is None:
        return None
    valid = bool(value)
    if not value:
        checker.error(
            node, f"{what} is empty; give 'ttl' (seconds), 'max_length' (messages) or both."
        )
    for key in value:
        if key not in ("ttl", "max_length"):
            valid = False
            checker.error(
                node.child(key),
                f"{what} has no field {key!r}; its fields are 'ttl' and 'max_length'.",
            )
    ttl = _delay(checker, node.child("ttl"), f"{what}.ttl") if "ttl" in value else None
    valid &= ttl is not None or "ttl" not in value
    length = value.get("max_length", 1)
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        checker.error(
            node.child("max_length"),
            f"{what}.max_length must be a whole number of messages, at least 1, got "
            f"{describe(length)}.",
        )
        return None
    max_length = length if "max_length" in value else None
    return Archive(ttl=ttl, max_length=max_length) if valid else None


def check_retry(checker: Checker, node: Node) -> None:
    """``x-amqp-events-retry``, checked where the document writes it."""
    retry(checker, node)


def check_archive(checker: Checker, node: Node) -> None:
    """``x-amqp-events-archive``, checked where the document writes it."""
    archive(checker, node)
