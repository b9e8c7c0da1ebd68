"""The AMQP ``type`` of a message: what the sender sets and the receiver dispatches on.

It is the binding's ``messageType``, else the message's ``name``, else its
``messageId``; without any of them it comes from the message object itself (the key it
is written under), never from the way a document reaches it, so that a sender's and a
receiver's documents agree on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from generator.pipeline import Compiled
from tests.generator.conftest import errors

COMPONENT = """\
components:
  messages:
    Alias: {$ref: '#/components/messages/OrderCreated'}
    OrderCreated:
      payload: {type: object}
"""

V3_CHANNEL_KEY = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  created:
    address: orders.created
    messages:
      Created: {$ref: '#/components/messages/OrderCreated'}
operations:
  act: {action: %s, channel: {$ref: '#/channels/created'}}
"""

V3_OPERATION_MESSAGES = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  created:
    address: orders.created
    messages:
      theOrder: {$ref: '#/components/messages/Alias'}
operations:
  act:
    action: %s
    channel: {$ref: '#/channels/created'}
    messages: [{$ref: '#/channels/created/messages/theOrder'}]
"""

V2_COMPONENT = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.created:
    %s:
      message: {$ref: '#/components/messages/OrderCreated'}
"""

V2_ALIAS = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.created:
    %s:
      message:
        oneOf:
          - $ref: '#/components/messages/Alias'
"""

WAYS = {
    "3.0-channel-key": (V3_CHANNEL_KEY, "send", "receive"),
    "3.0-operation-messages": (V3_OPERATION_MESSAGES, "send", "receive"),
    "2.6-component": (V2_COMPONENT, "subscribe", "publish"),
    "2.6-alias-in-oneOf": (V2_ALIAS, "subscribe", "publish"),
}


def _sent_types(compiled: Compiled) -> set[str]:
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    return set(re.findall(r'message_type="([^"]*)"', compiled.tree.files["pkg/events.py"]))


def _received_types(compiled: Compiled) -> set[str]:
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    found = re.findall(
        r"message_types=frozenset\(\{([^}]*)\}", compiled.tree.files["pkg/handlers.py"]
    )
    return {t.strip().strip('"') for group in found for t in group.split(",")}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_an_unnamed_message_has_one_type_however_it_is_reached(
    compile_spec: Callable[..., Compiled], way: str
) -> None:
    spec, send, receive = WAYS[way]
    assert _sent_types(compile_spec(spec % send + COMPONENT)) == {"OrderCreated"}
    assert _received_types(compile_spec(spec % receive + COMPONENT)) == {"OrderCreated"}


V2_INLINE = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.created:
    %s:
      operationId: %s
      message:
        payload: {type: object}
"""


def test_an_unnamed_inline_2x_message_has_the_same_type_for_its_sender_and_receiver(
    compile_spec: Callable[..., Compiled],
) -> None:
    sender = compile_spec(V2_INLINE % ("subscribe", "announceOrder"))
    receiver = compile_spec(V2_INLINE % ("publish", "handleOrder"))
    assert _sent_types(sender) == _received_types(receiver) == {"orders.created"}
    # Its Python names still come from the operation.
    assert sender.tree is not None and receiver.tree is not None
    assert "def fire_announce_order(" in sender.tree.files["pkg/publishers.py"]
    assert "def on_handle_order(" in receiver.tree.files["pkg/handlers.py"]


SAME_NAME = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders:
    %s:
      message:
        oneOf:
          - messageId: createdV1
            name: Event
            payload: {type: object, required: [a], properties: {a: {type: string}}}
          - messageId: createdV2
            name: Event
            payload: {type: object, required: [b], properties: {b: {type: string}}}
"""


@pytest.mark.parametrize("kind", ["publish", "subscribe"])
def test_two_messages_of_one_event_with_one_type_are_an_error(
    compile_spec: Callable[..., Compiled], kind: str
) -> None:
    compiled = compile_spec(SAME_NAME % kind)
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == f"/channels/orders/{kind}/message/oneOf/1"
    assert found.location.line is not None
    assert f"(#/channels/orders/{kind}/message/oneOf/0)" in found.message
    assert "AMQP type 'Event'" in found.message
    assert "bindings.amqp.messageType" in found.message


def test_a_distinct_message_type_tells_messages_of_one_name_apart(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = SAME_NAME.replace(
        "          - messageId: createdV2\n",
        "          - messageId: createdV2\n"
        "            bindings: {amqp: {messageType: order.created.v2}}\n",
    )
    compiled = compile_spec(spec % "publish")
    assert _received_types(compiled) == {"Event", "order.created.v2"}


SAME_TYPE_ACROSS_CHANNELS = """\
asyncapi: 3.0.0
info: {title: Socket, version: 1.0.0}
channels:
  ping:
    address: /
    messages:
      ping: {name: Frame, payload: {type: object}}
  pong:
    address: /
    messages:
      pong: {name: Frame, payload: {type: object}}
operations:
  onPing: {action: %(action)s, channel: {$ref: '#/channels/ping'}}
  onPong: {action: %(action)s, channel: {$ref: '#/channels/pong'}}
"""


@pytest.mark.parametrize("action", ["send", "receive"])
def test_messages_of_channels_with_one_address_and_one_type_are_an_error(
    compile_spec: Callable[..., Compiled], action: str
) -> None:
    compiled = compile_spec(SAME_TYPE_ACROSS_CHANNELS % {"action": action})
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/pong/messages/pong"
    assert "AMQP type 'Frame'" in found.message
