"""Read our ``x-amqp-events-retry`` and ``x-amqp-events-archive`` extensions.

An operation's own setting wins over its channel's, which wins over the document's.
The extensions are parsed by the rules that validated them (``validate.extensions``).
"""

from __future__ import annotations

from generator.documents import Node
from generator.validate.checker import Checker
from generator.validate.extensions import Archive, Retry, archive, retry

__all__ = ["read_policies"]


def read_policies(checker: Checker, *nodes: Node) -> tuple[Retry | None, Archive | None]:
    """The retry and archive settings of the first of ``nodes`` (most specific first)."""
    found_retry: Retry | None = None
    found_archive: Archive | None = None
    for node in nodes:
        retry_node = node.child("x-amqp-events-retry")
        if found_retry is None and retry_node.value is not None:
            found_retry = retry(checker, retry_node)
        archive_node = node.child("x-amqp-events-archive")
        if found_archive is None and archive_node.value is not None:
            found_archive = archive(checker, archive_node)
    return found_retry, found_archive
