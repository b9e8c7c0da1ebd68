"""Validation parses what the model reads: typed records, and the places references name.

Bindings and extensions are read by the rules that validate them, into frozen records
the model uses as they are; the places the document's references name are part of each
stage's result, so what is reported as unused never depends on the order stages ran in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.documents import Documents, Node
from generator.validate import validate
from generator.validate.bindings import (
    ChannelBinding,
    OperationBinding,
    PublishOptions,
    channel_binding,
    message_binding,
    operation_binding,
)
from generator.validate.checker import Checker
from generator.validate.extensions import Archive, Retry, archive, retry

SPEC = """\
asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  c:
    address: a.b
    messages:
      m: {$ref: '#/components/messages/Used'}
operations:
  o:
    action: send
    channel: {$ref: '#/channels/c'}
components:
  messages:
    Used: {payload: {type: object}}
    Unused: {payload: {type: string}}
"""


def _checker() -> Checker:
    return Checker(Documents(Path("unused.yaml")), (3, 0))


def test_an_operation_binding_is_parsed_into_its_record() -> None:
    checker = _checker()
    node = Node("a.yaml", "/b", {"deliveryMode": 1, "priority": 7, "cc": ["x"], "ack": True})
    assert operation_binding(checker, node) == OperationBinding(
        place=node, publish=PublishOptions(delivery_mode=1, priority=7), unused=("cc", "ack")
    )
    assert checker.diagnostics == []


def test_a_malformed_field_is_reported_and_left_out_of_the_record() -> None:
    checker = _checker()
    node = Node("a.yaml", "/b", {"priority": "high", "mandatory": True})
    options = operation_binding(checker, node).publish
    assert options.priority is None
    assert options.mandatory is True
    [problem] = checker.diagnostics
    assert problem.level == "error"
    assert problem.location.pointer == "/b/priority"


def test_a_channel_binding_names_its_exchange_as_written() -> None:
    checker = _checker()
    value = {"is": "queue", "exchange": {"name": "orders", "type": "direct", "durable": False}}
    binding = channel_binding(checker, Node("a.yaml", "", value))
    assert isinstance(binding, ChannelBinding)
    assert binding.is_queue
    assert binding.exchange is not None
    assert (binding.exchange.name, binding.exchange.type) == ("orders", "direct")
    assert (binding.exchange.durable, binding.exchange.auto_delete) == (False, False)
    message = message_binding(checker, Node("a.yaml", "", {"messageType": "Made"}))
    assert message.message_type == "Made"
    assert checker.diagnostics == []


def test_extensions_are_parsed_into_records_and_refused_when_malformed() -> None:
    checker = _checker()
    exponential = retry(checker, Node("a.yaml", "", {"max_retries": 3, "interval_start": 2}))
    assert exponential is not None
    assert exponential.delays is None
    assert exponential.backoff.delays == (2.0, 4.0, 8.0)
    assert retry(checker, Node("a.yaml", "", {"delays": [1, 5]})) == Retry(delays=(1.0, 5.0))
    assert archive(checker, Node("a.yaml", "", {"ttl": 60})) == Archive(ttl=60.0)
    assert checker.diagnostics == []
    assert retry(checker, Node("a.yaml", "", {"delays": [0]})) is None
    assert archive(checker, Node("a.yaml", "", {"max_length": 0})) is None
    assert len(checker.diagnostics) == 2


def test_the_places_references_name_are_a_value_of_validation(
    write_spec: Callable[..., Path],
) -> None:
    path = write_spec(SPEC)
    documents = Documents(path)
    referenced = validate(documents).referenced
    assert "asyncapi.yaml#/components/messages/Used" in referenced
    assert "asyncapi.yaml#/channels/c" in referenced
    assert not any(key.endswith("/Unused") for key in referenced)
    # Nothing accumulates in the documents: validating again gives the same places.
    assert validate(documents).referenced == referenced
    assert validate(Documents(path)).referenced == referenced
    assert not hasattr(documents, "referenced")
