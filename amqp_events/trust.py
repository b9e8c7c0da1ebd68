"""Which bookkeeping headers the runtime believes: only those on copies it published itself.

The runtime's ``x-amqp-events-*`` headers decide what becomes of a message: how many
attempts it had (so when it is archived), how often a lost worker returned it, the
routing key and exchange its handler is told, and the handler queue a replay sends it
back to. Any producer can set any header, so they are believed only on a copy the
runtime made, and every such copy reaches its queue the same way: through the
service's recover exchange, addressed to that very queue. Retry buckets dead-letter
into it, redelivery counting and replay publish to it, and archive copies pass through
it into the archive. A message that arrives any other way (from an event exchange,
from the default exchange, or as a ``CC`` side copy of a message addressed to another
queue) is a first delivery, whatever headers it carries.

The rule keeps out every producer that may publish only to the event exchanges. It
cannot keep out a client that may publish to the recover exchange or a retry exchange
of the service, nor one that may publish to the default exchange: that one can put a
message into a retry bucket's queue, which hands it on to the recover exchange. Deny
such clients those exchanges in their RabbitMQ write permissions.
"""

from __future__ import annotations

from collections.abc import Mapping

from amqp_events.topology import ServiceNames
from amqp_events.wire import HEADER_PREFIX

__all__ = ["bookkeeping", "written_by_runtime"]


def written_by_runtime(names: ServiceNames, *, exchange: str, routing_key: str, queue: str) -> bool:
    """Tell whether a message read from ``queue`` is a copy the runtime published there."""
    return exchange == names.recover_exchange and routing_key == queue


def bookkeeping(
    headers: Mapping[str, object],
    names: ServiceNames,
    *,
    exchange: str,
    routing_key: str,
    queue: str,
) -> dict[str, object]:
    """The ``x-amqp-events-*`` headers of a message read from ``queue``, if the runtime wrote them.

    ``exchange`` and ``routing_key`` are the delivery's, as the broker reports them.
    A message the runtime did not write has no bookkeeping: an empty dict.
    """
    if not written_by_runtime(names, exchange=exchange, routing_key=routing_key, queue=queue):
        return {}
    return {key: value for key, value in headers.items() if key.startswith(HEADER_PREFIX)}
