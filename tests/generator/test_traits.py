"""Traits are applied with JSON Merge Patch (RFC 7386), as the AsyncAPI specification says.

A trait and its object that both carry an object-valued field (``bindings``,
``headers``, ``correlationId``) are merged key by key, to any depth: a trait that adds
Kafka bindings keeps the message's AMQP ``messageType``, a trait of common headers adds
to the message's own headers instead of replacing them. On a key both set, 2.x lets the
trait win and 3.x lets the object win.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.model.traits import merge_patch
from generator.pipeline import Compiled
from tests.generator.conftest import errors

V2 = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.created:
    subscribe:
      message: {$ref: '#/components/messages/Created'}
components:
  messages:
    Created:
      name: Created
      payload: {type: object}
      headers:
        type: object
        properties: {tenant: {type: string}}
      bindings:
        amqp: {messageType: order.created.v2, bindingVersion: 0.2.0}
      traits:
        - $ref: '#/components/messageTraits/common'
  messageTraits:
    common:
      headers:
        type: object
        properties: {trace-id: {type: string}}
        required: [trace-id]
      bindings:
        kafka: {key: {type: string}}
        amqp: {messageType: %(trait_type)s}
"""

V3 = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  created:
    address: orders.created
    messages:
      Created:
        name: Created
        payload: {type: object}
        headers:
          type: object
          properties: {tenant: {type: string}}
        bindings:
          amqp: {messageType: order.created.v3}
        traits:
          - headers:
              type: object
              properties: {trace-id: {type: string}}
              required: [trace-id]
            bindings:
              kafka: {key: {type: string}}
              amqp: {messageType: from.trait, bindingVersion: 0.3.0}
operations:
  sendCreated:
    action: send
    channel: {$ref: '#/channels/created'}
"""


def _files(compiled: Compiled) -> dict[str, str]:
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    assert not errors(compiled.diagnostics)
    return dict(compiled.tree.files)


def test_a_2x_trait_merges_into_the_message_and_wins_on_shared_keys(
    compile_spec: Callable[..., Compiled],
) -> None:
    files = _files(compile_spec(V2 % {"trait_type": "from.trait"}))
    payloads = files["pkg/payloads.py"]
    assert '"tenant"' in payloads and '"trace-id"' in payloads
    assert 'message_type="from.trait"' in files["pkg/events.py"]


def test_a_2x_trait_that_adds_other_bindings_keeps_the_messages_amqp_binding(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = V2.replace("        amqp: {messageType: %(trait_type)s}\n", "")
    files = _files(compile_spec(spec))
    assert 'message_type="order.created.v2"' in files["pkg/events.py"]


def test_a_3x_message_merges_over_its_traits_and_wins_on_shared_keys(
    compile_spec: Callable[..., Compiled],
) -> None:
    files = _files(compile_spec(V3))
    payloads = files["pkg/payloads.py"]
    assert '"tenant"' in payloads and '"trace-id"' in payloads
    assert 'message_type="order.created.v3"' in files["pkg/events.py"]
    # The trait made trace-id required; the merged headers keep that requirement.
    assert "    headers: payloads.CreatedHeaders,\n" in files["pkg/publishers.py"]


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [  # RFC 7386, appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_follows_rfc_7386(target: object, patch: object, result: object) -> None:
    assert merge_patch(target, patch) == result


OPERATION_V2 = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.created:
    subscribe:
      message: {name: Created, payload: {type: object}}
      bindings: {amqp: {priority: 7}}
      traits:
        - bindings: {mqtt: {qos: 1}}
"""


def test_an_operation_trait_with_other_bindings_keeps_the_operations_amqp_binding(
    compile_spec: Callable[..., Compiled],
) -> None:
    files = _files(compile_spec(OPERATION_V2))
    assert "priority=7" in files["pkg/events.py"]
