"""Read the operations of an AsyncAPI 3.x document: each has an action and a channel."""

from __future__ import annotations

from collections.abc import Iterator

from generator.documents import Node, RefProblem, parse_pointer
from generator.model.amqp import read_publish
from generator.model.policies import read_policies
from generator.model.reader import Reader, text_of
from generator.model.values import Direction, Message, Operation

__all__ = ["read_operations"]


def _last_token(node: Node) -> str:
    tokens = parse_pointer(node.pointer)
    return tokens[-1] if tokens else node.file


def _channel_address(reader: Reader, channel: Node, channel_id: str) -> str:
    address = channel.value.get("address") if isinstance(channel.value, dict) else None
    if isinstance(address, str):
        return address
    reader.warn(
        channel,
        f"The channel {channel_id!r} has no address (it is unknown or dynamic); its key "
        f"{channel_id!r} is used as the event name and routing key.",
    )
    return channel_id


def _messages(
    reader: Reader, operation: Node, channel: Node, content_type: str | None
) -> tuple[Message, ...]:
    value = operation.value if isinstance(operation.value, dict) else {}
    listed = value.get("messages")
    found: list[Message] = []
    if isinstance(listed, list):
        for index in range(len(listed)):
            place = operation.child("messages").child(index)
            found.append(reader.message(place, str(index), content_type))
        return tuple(found)
    members = reader.fields(channel.child("messages"))
    return tuple(
        reader.message(channel.child("messages").child(key), key, content_type) for key in members
    )


def read_operations(reader: Reader) -> Iterator[Operation]:
    """Yield every operation of the root document, in document order."""
    root = reader.root
    document = root.value if isinstance(root.value, dict) else {}
    content_type = document.get("defaultContentType")
    default_type = content_type if isinstance(content_type, str) else None
    operations = reader.fields(root.child("operations"))
    for operation_id in operations:
        operation = reader.deref(root.child("operations").child(operation_id))
        value = operation.value if isinstance(operation.value, dict) else {}
        channel = reader.documents.deref(operation.child("channel"), reader.referenced)
        if isinstance(channel, RefProblem) or not isinstance(channel.value, dict):
            continue
        channel_id = _last_token(channel)
        model_channel = reader.channel(
            channel, channel_id, _channel_address(reader, channel, channel_id), key=channel.key
        )
        if "reply" in value:
            reader.warn(
                operation.child("reply"),
                f"The reply of operation {operation_id!r} is not generated; describe the reply "
                "with its own send and receive operations to get code for it.",
            )
        fields = reader.merged(operation)
        action: Direction = "send" if value.get("action") == "send" else "receive"
        retry, archive = read_policies(reader.parsing, operation, channel, root)
        yield Operation(
            id=operation_id,
            direction=action,
            channel=model_channel,
            messages=_messages(reader, operation, channel, default_type),
            summary=text_of(fields.get("summary")),
            description=text_of(fields.get("description")),
            publish=read_publish(reader, fields.get("bindings", operation.child("bindings"))),
            retry=retry,
            archive=archive,
            location=reader.where(operation),
        )
