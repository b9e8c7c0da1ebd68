"""Read our ``x-amqp-events-retry`` and ``x-amqp-events-archive`` extensions.

An operation's own setting wins over its channel's, which wins over the document's;
the extensions were validated before, so malformed values cannot reach here.
"""

from __future__ import annotations

from amqp_events.policy import DEFAULT_BACKOFF, Backoff
from generator.documents import Node
from generator.model.values import Archive, Retry

__all__ = ["read_policies"]


def _number(value: object, default: float) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else default  # type: ignore[arg-type]


def _retry(spec: dict[str, object]) -> Retry:
    delays = spec.get("delays")
    if isinstance(delays, list):
        return Retry(delays=tuple(_number(d, 1.0) for d in delays))
    default = DEFAULT_BACKOFF
    return Retry(
        backoff=Backoff(
            max_retries=int(_number(spec.get("max_retries"), default.max_retries)),
            interval_start=_number(spec.get("interval_start"), default.interval_start),
            interval_factor=_number(spec.get("interval_factor"), default.interval_factor),
            interval_max=_number(spec.get("interval_max"), default.interval_max),
        )
    )


def _archive(spec: dict[str, object]) -> Archive:
    ttl = spec.get("ttl")
    length = spec.get("max_length")
    return Archive(
        ttl=_number(ttl, 0.0) if ttl is not None else None,
        max_length=length if isinstance(length, int) and not isinstance(length, bool) else None,
    )


def read_policies(*nodes: Node) -> tuple[Retry | None, Archive | None]:
    """The retry and archive settings of the first of ``nodes`` (most specific first)."""
    retry: Retry | None = None
    archive: Archive | None = None
    for node in nodes:
        value = node.value if isinstance(node.value, dict) else {}
        retry_spec = value.get("x-amqp-events-retry")
        if retry is None and isinstance(retry_spec, dict):
            retry = _retry(retry_spec)
        archive_spec = value.get("x-amqp-events-archive")
        if archive is None and isinstance(archive_spec, dict):
            archive = _archive(archive_spec)
    return retry, archive
