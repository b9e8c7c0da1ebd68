"""Validation rules, one case per rule, and every problem of a document reported at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Diagnostic
from generator.pipeline import Compiled

V3 = """\
asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  c:
    address: a.b
    messages:
      m: {payload: {type: object}}
operations:
  o:
    action: send
    channel: {$ref: '#/channels/c'}
"""

AVRO = "application/vnd.apache.avro;version=1.9.0"

V2 = """\
asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  a.b:
    subscribe:
      message: {payload: {type: object}}
"""


def _merge(base: object, patch: object) -> object:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base.get(key), value) if value is not None else None
            if value is None:
                del merged[key]
        return merged
    return patch


def _document(base: str, patch: str) -> str:
    return yaml.safe_dump(_merge(yaml.safe_load(base), yaml.safe_load(patch)), sort_keys=False)


def _find(diagnostics: tuple[Diagnostic, ...], fragment: str) -> Diagnostic:
    found = [d for d in diagnostics if fragment in d.message]
    assert found, f"no diagnostic says {fragment!r}: {[d.render() for d in diagnostics]}"
    return found[0]


def test_the_base_documents_are_valid(compile_spec: Callable[..., Compiled]) -> None:
    for base in (V3, V2):
        compiled = compile_spec(base)
        assert [d for d in compiled.diagnostics if d.level == "error"] == []
        assert compiled.tree is not None


CASES_3 = [
    ("info: {titel: x}", "has no field 'titel' (did you mean 'title'?)", "/info/titel", "error"),
    ("info: {version: null}", "missing its required field 'version'", "/info", "error"),
    ("info: {title: 1}", "must be a string, got the number 1", "/info/title", "error"),
    ("version: 1", "AsyncAPI Object has no field 'version'", "/version", "error"),
    (
        "operations: {o: {action: publish}}",
        "must be 'send' or 'receive'",
        "/operations/o/action",
        "error",
    ),
    (
        "operations: {o: {channel: {$ref: null, address: x}}}",
        "must be a Reference Object",
        "/operations/o/channel",
        "error",
    ),
    (
        "operations: {o: {messages: [{$ref: '#/components/messages/other'}]}}\n"
        "components: {messages: {other: {payload: {type: string}}}}",
        "is not one of the messages of its channel",
        "/operations/o/messages/0/$ref",
        "error",
    ),
    (
        "operations: {o: {channel: {$ref: '#/components/channels/c'}}}\n"
        "components: {channels: {c: {address: x}}}",
        "must refer to a channel of the document's own 'channels'",
        "/operations/o/channel/$ref",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {payload: {schemaFormat: '" + AVRO + "', schema: {}}}}}}",
        "message 'm' is written in the unsupported schema format",
        "/channels/c/messages/m/payload/schemaFormat",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {payload: {type: integerr}}}}}",
        "'type' must be one of array",
        "/channels/c/messages/m/payload/type",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {payload: {type: object, required: x}}}}}",
        "'required' must be a list of different strings",
        "/channels/c/messages/m/payload/required",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {payload: {type: string, pattern: '(['}}}}}",
        "'pattern' must be a valid regular expression",
        "/channels/c/messages/m/payload/pattern",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {correlationId: {location: header.x}}}}}",
        "is not a runtime expression into the message",
        "/channels/c/messages/m/correlationId/location",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {headers: {schemaFormat: '" + AVRO + "', schema: {}}}}}}",
        "headers of message 'm' are written in the unsupported schema format",
        "/channels/c/messages/m/headers/schemaFormat",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retry: {delays: [0]}}}",
        "Retry delay number 1 must be a number of seconds between 0.001",
        "/operations/o/x-amqp-events-retry/delays/0",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retry: {delays: [1], max_retries: 3}}}",
        "gives both 'delays' and 'max_retries'",
        "/operations/o/x-amqp-events-retry",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retry: {delay: [1]}}}",
        "x-amqp-events-retry has no field 'delay'",
        "/operations/o/x-amqp-events-retry/delay",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retry: {interval_start: 10, interval_max: 5}}}",
        "interval_max (5 s) is smaller than interval_start (10 s)",
        "/operations/o/x-amqp-events-retry/interval_max",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retry: {max_retries: -1}}}",
        "max_retries must be a whole number from 0 to 100",
        "/operations/o/x-amqp-events-retry/max_retries",
        "error",
    ),
    (
        "x-amqp-events-archive: {}",
        "x-amqp-events-archive is empty",
        "/x-amqp-events-archive",
        "error",
    ),
    (
        "x-amqp-events-archive: {max_length: 0}",
        "max_length must be a whole number of messages, at least 1",
        "/x-amqp-events-archive/max_length",
        "error",
    ),
    (
        "x-amqp-events-archive: {ttl: 1e12}",
        "x-amqp-events-archive.ttl must be a number of seconds",
        "/x-amqp-events-archive/ttl",
        "error",
    ),
    (
        "info: {x-amqp-events-service: 'bad name!'}",
        "x-amqp-events-service must be a service name",
        "/info/x-amqp-events-service",
        "error",
    ),
    (
        "operations: {o: {x-amqp-events-retyr: {delays: [1]}}}",
        "There is no extension 'x-amqp-events-retyr' (did you mean 'x-amqp-events-retry'?)",
        "/operations/o/x-amqp-events-retyr",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {x-amqp-events-retry: {delays: [1]}}}}}",
        "has no effect on the Message Object",
        "/channels/c/messages/m/x-amqp-events-retry",
        "warning",
    ),
    (
        "channels: {c: {bindings: {amqp: {is: routingKey, exchange: {name: ex, type: bogus}}}}}",
        "The AMQP exchange's 'type' must be",
        "/channels/c/bindings/amqp/exchange/type",
        "error",
    ),
    (
        "channels: {c: {bindings: {amqp: {exchange: {name: amq.topic, type: topic}}}}}",
        "reserves the 'amq.' prefix",
        "/channels/c/bindings/amqp/exchange/name",
        "error",
    ),
    (
        "operations: {o: {bindings: {amqp: {deliveryMode: 3}}}}",
        "'deliveryMode' must be '1' or '2'",
        "/operations/o/bindings/amqp/deliveryMode",
        "error",
    ),
    (
        "operations: {o: {bindings: {amqp: {cc: 'a.b'}}}}",
        "'cc' must be a list of strings, got the string 'a.b'; it is ignored",
        "/operations/o/bindings/amqp/cc",
        "warning",
    ),
    (
        "operations: {o: {bindings: {amqp: {deliveryMod: 2}}}}",
        "has no field 'deliveryMod' (did you mean 'deliveryMode'?); it is ignored",
        "/operations/o/bindings/amqp/deliveryMod",
        "warning",
    ),
    (
        "channels: {c: {parameters: {region: {description: r}}}}",
        "does not appear in the channel address 'a.b'",
        "/channels/c/parameters/region",
        "warning",
    ),
    (
        "servers: {prod: {protocol: amqp}}",
        "Server Object is missing its required field 'host'",
        "/servers/prod",
        "error",
    ),
    (
        "servers: {'bad name': {host: h, protocol: amqp}}",
        "The name 'bad name' in The Servers Object is not allowed",
        "/servers/bad name",
        "error",
    ),
    (
        "info: {tags: [{name: a}, {name: a}]}",
        "The tag 'a' is listed twice",
        "/info/tags/1",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {contentType: application/xml}}}}",
        "has the content type 'application/xml'",
        "/channels/c/messages/m/contentType",
        "error",
    ),
    (
        "channels: {c: {messages: {m: {headers: {type: string}}}}}",
        "must be of type 'object'",
        "/channels/c/messages/m/headers",
        "error",
    ),
    (
        "components: {schemas: {Unused: {type: string}}}",
        "'Unused' in components.schemas is never referenced",
        "/components/schemas/Unused",
        "warning",
    ),
    (
        "components: {schemas: {'a:b': {type: string}}}",
        "The component name 'a:b' uses characters outside",
        "/components/schemas/a:b",
        "warning",
    ),
    (
        "channels: {c: {address: 'users/{id}/created', parameters: {id: {}}}}",
        "has a parameter inside a routing-key word",
        "/channels/c",
        "warning",
    ),
    (
        "channels: {c: {address: null}}",
        "has no address (it is unknown or dynamic)",
        "/channels/c",
        "warning",
    ),
    (
        "operations: {o: {action: receive, x-amqp-events-retry: {delays: [1]}},"
        " s: {action: send, channel: {$ref: '#/channels/c'}, x-amqp-events-archive: {ttl: 5}}}",
        "sends its messages, so its retry and archive settings have no effect",
        "/operations/s",
        "warning",
    ),
]


@pytest.mark.parametrize(("patch", "fragment", "pointer", "level"), CASES_3)
def test_rules_of_3x(
    compile_spec: Callable[..., Compiled], patch: str, fragment: str, pointer: str, level: str
) -> None:
    compiled = compile_spec(_document(V3, patch))
    found = _find(compiled.diagnostics, fragment)
    assert found.level == level
    assert found.location.pointer == pointer
    assert found.location.line is not None
    if level == "error":
        assert compiled.tree is None


CASES_2 = [
    (
        "channels: {a.b: {subscribe: {operationId: x},"
        " publish: {operationId: x, message: {payload: {}}}}}",
        "The operationId 'x' is used twice",
        "/channels/a.b/publish/operationId",
    ),
    (
        "channels: {a.b: {subscribe: {message: {schemaFormat: '" + AVRO + "', name: Person}}}}",
        "The payload of message 'Person' is written in the unsupported schema format",
        "/channels/a.b/subscribe/message/payload",
    ),
    (
        "channels: {a.b: {subscribe: {message: {oneOf: {payload: {}}}}}}",
        "must be a list of Message Objects",
        "/channels/a.b/subscribe/message/oneOf",
    ),
    (
        "channels: {a.b: {subscribe: {message: {examples: [{nope: 1}]}}}}",
        "Message Example Object has no field 'nope'",
        "/channels/a.b/subscribe/message/examples/0/nope",
    ),
    (
        "servers: {prod: {url: h}}",
        "Server Object is missing its required field 'protocol'",
        "/servers/prod",
    ),
    (
        "channels: {a.b: {subscribe: {x-amqp-events-retry: {delays: ['1']}}}}",
        "Retry delay number 1 must be a number of seconds",
        "/channels/a.b/subscribe/x-amqp-events-retry/delays/0",
    ),
]


@pytest.mark.parametrize(("patch", "fragment", "pointer"), CASES_2)
def test_rules_of_2x(
    compile_spec: Callable[..., Compiled], patch: str, fragment: str, pointer: str
) -> None:
    compiled = compile_spec(_document(V2, patch))
    found = _find(compiled.diagnostics, fragment)
    assert found.level == "error"
    assert found.location.pointer == pointer
    assert compiled.tree is None


def test_fields_added_in_later_minor_versions_are_unknown_in_earlier_ones(
    compile_spec: Callable[..., Compiled],
) -> None:
    patch = "channels: {a.b: {subscribe: {message: {messageId: m1}}}}"
    assert compile_spec(_document(V2, patch)).tree is not None
    older = compile_spec(_document(V2, "asyncapi: 2.3.0\n" + patch))
    found = _find(older.diagnostics, "Message Object has no field 'messageId'")
    assert found.location.pointer == "/channels/a.b/subscribe/message/messageId"


@pytest.mark.parametrize(
    ("version", "fragment", "level"),
    [
        ("'1.2.0'", "AsyncAPI 1.2.0 documents are not supported", "error"),
        ("'2.7.0'", "AsyncAPI 2.7.0 does not exist", "error"),
        ("'4.0.0'", "AsyncAPI 4.0.0 is not supported", "error"),
        ("3.0", "must be a version string such as '3.0.0'", "error"),
        ("'3.2.0'", "is newer than 3.1", "warning"),
        ("'3.1.0'", None, None),
    ],
)
def test_versions(
    compile_spec: Callable[..., Compiled], version: str, fragment: str | None, level: str | None
) -> None:
    compiled = compile_spec(V3.replace("asyncapi: 3.0.0", f"asyncapi: {version}"))
    if fragment is None:
        assert compiled.tree is not None
        return
    found = _find(compiled.diagnostics, fragment)
    assert found.level == level
    assert found.location.line == 1


def test_a_document_without_asyncapi_or_not_an_object_is_refused(
    compile_spec: Callable[..., Compiled],
) -> None:
    missing = _find(compile_spec("info: {title: x}\n").diagnostics, "no 'asyncapi' field")
    assert missing.location.line == 1
    listed = _find(compile_spec("- a\n- b\n").diagnostics, "must be an object, got a list")
    assert listed.level == "error"


def test_every_problem_is_reported_at_once(compile_spec: Callable[..., Compiled]) -> None:
    compiled = compile_spec(
        _document(
            V3,
            """\
info: {titel: x}
operations: {o: {action: publish, x-amqp-events-retry: {delays: [-1]}}}
channels: {c: {messages: {m: {correlationId: {location: nope}}}}}
servers: {s: {host: h}}
""",
        )
    )
    errors = [d for d in compiled.diagnostics if d.level == "error"]
    pointers = {d.location.pointer for d in errors}
    assert pointers >= {
        "/info/titel",
        "/operations/o/action",
        "/operations/o/x-amqp-events-retry/delays/0",
        "/channels/c/messages/m/correlationId/location",
        "/servers/s",
    }
    assert all(d.location.line for d in errors)


def test_objects_referenced_from_other_files_are_checked_in_their_file(
    write_spec: Callable[..., Path], tmp_path: Path, build_types: object
) -> None:
    from generator.documents import Documents  # noqa: PLC0415
    from generator.validate import validate  # noqa: PLC0415

    spec = write_spec(
        _document(V3, "channels: {c: {messages: {m: {$ref: 'messages.yaml#/Thing'}}}}"),
        **{"messages.yaml": "Thing:\n  payload: {type: object}\n  titel: typo\n"},
    )
    validation = validate(Documents(spec))
    found = _find(validation.diagnostics, "Message Object has no field 'titel'")
    assert found.location.file.endswith("messages.yaml")
    assert found.location.pointer == "/Thing/titel"
    assert found.location.line == 3


def test_a_message_referring_to_a_component_in_an_unsupported_format_is_refused(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        _document(
            V3,
            "channels: {c: {messages: {m: {payload: {$ref: '#/components/schemas/Avro'}}}}}\n"
            "components: {schemas: {Avro: {schemaFormat: '" + AVRO + "', schema: {type: record}},"
            " Unused: {schemaFormat: '" + AVRO + "', schema: {type: record}}}}",
        )
    )
    found = _find(compiled.diagnostics, "message 'm' is written in the unsupported schema format")
    assert found.location.pointer == "/channels/c/messages/m/payload"
    assert [
        d for d in compiled.diagnostics if "Unused" in d.location.pointer and d.level == "error"
    ] == []


def test_a_message_referring_to_a_json_multi_format_component_uses_its_schema(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        _document(
            V3,
            "channels: {c: {messages: {m: {payload: {$ref: '#/components/schemas/Json'}}}}}\n"
            "components: {schemas: {Json: {schemaFormat: "
            "'application/schema+json;version=draft-07', schema: {type: string, maxLength: 3}}}}",
        )
    )
    assert compiled.tree is not None
    schemas = compiled.tree.files["pkg/schemas.py"]
    assert '"maxLength": 3' in schemas


def test_a_document_without_operations_compiles_with_a_warning(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec("asyncapi: 3.0.0\ninfo: {title: Empty, version: '1'}\n")
    assert compiled.tree is not None
    [warning] = [d for d in compiled.diagnostics if d.level == "warning"]
    assert "describes no operations" in warning.message
    assert warning.location.line == 1


def test_a_service_name_that_starts_with_a_digit_gives_a_valid_scaffold_class(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        "asyncapi: 3.0.0\ninfo: {title: '3.0.0', version: '1'}\n"
        "channels: {c: {address: a.b, messages: {m: {payload: {type: object}}}}}\n"
        "operations: {o: {action: receive, channel: {$ref: '#/channels/c'}}}\n"
    )
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    assert compiled.tree.scaffold is not None
    path, text = compiled.tree.scaffold
    assert "class Service300Handlers(Handlers):" in text, path


def test_a_payload_that_accepts_no_value_is_an_error(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        "asyncapi: 3.0.0\ninfo: {title: Void, version: '1'}\n"
        "channels: {c: {address: a.b, messages: {m: {payload: false}}}}\n"
        "operations: {o: {action: receive, channel: {$ref: '#/channels/c'}}}\n"
    )
    assert compiled.tree is None
    assert any("accepts no value at all" in d.message for d in compiled.diagnostics)
