"""Read the operations of an AsyncAPI 2.x document: channels with subscribe and publish.

In 2.x the operations are named from the client's side: ``subscribe`` means the
application sends the message (clients subscribe to it), ``publish`` means the
application receives it (clients publish it).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.documents import Node, is_reference
from generator.model.amqp import read_publish
from generator.model.policies import read_policies
from generator.model.reader import Reader, text_of
from generator.model.values import Direction, Message, Operation

__all__ = ["read_operations"]

_DIRECTIONS: dict[str, Direction] = {"subscribe": "send", "publish": "receive"}


def _messages(
    reader: Reader, operation: Node, address: str, fallback: str, content_type: str | None
) -> tuple[Message, ...]:
    node = operation.child("message")
    value = node.value
    if value is None:
        return ()
    if isinstance(value, dict) and "oneOf" in value and not is_reference(value):
        items = value["oneOf"] if isinstance(value["oneOf"], list) else []
        nodes = [node.child("oneOf").child(index) for index in range(len(items))]
        names = [f"{fallback}{index + 1}" for index in range(len(items))]
        # The sender's document says subscribe where the receiver's says publish, so the
        # type of a message written in place comes from the channel alone.
        types = [f"{address} {index + 1}" for index in range(len(items))]
    else:
        nodes, names, types = [node], [fallback], [address]
    return tuple(
        reader.message(item, name, content_type, wire_fallback=wire)
        for item, name, wire in zip(nodes, names, types, strict=True)
    )


def read_operations(reader: Reader) -> Iterator[Operation]:
    """Yield every operation of the root document, in document order."""
    root = reader.root
    document = root.value if isinstance(root.value, dict) else {}
    content_type = document.get("defaultContentType")
    default_type = content_type if isinstance(content_type, str) else None
    channels = reader.fields(root.child("channels"))
    for address in channels:
        place = root.child("channels").child(address)
        item = reader.deref(place)
        if not isinstance(item.value, dict):
            continue
        channel = reader.channel(item, address, address, key=place.key)
        for kind in item.value:
            direction = _DIRECTIONS.get(kind)
            if direction is None:
                continue
            operation = item.child(kind)
            fields = reader.merged(operation)
            operation_id = fields.get("operationId")
            name = (
                operation_id.value if operation_id and isinstance(operation_id.value, str) else ""
            )
            retry, archive = read_policies(reader.parsing, operation, item, root)
            yield Operation(
                id=name or f"{kind} {address}",
                direction=direction,
                channel=channel,
                messages=_messages(
                    reader, operation, address, name or f"{address} {kind}", default_type
                ),
                summary=text_of(fields.get("summary")),
                description=text_of(fields.get("description")),
                publish=read_publish(reader, fields.get("bindings", operation.child("bindings"))),
                retry=retry,
                archive=archive,
                location=reader.where(operation),
            )
