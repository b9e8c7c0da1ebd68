"""Rules for the places a document declares a schema, and for schema formats.

A schema field is recorded as a ``SchemaSite``; the resolve stage checks its content as
JSON Schema draft-07 while it follows the schema's ``$ref``s, so every schema is read
once. Here only the format is decided: JSON Schema dialects are compiled, anything else
(Avro, Protobuf, RAML, unknown formats) is refused with a sentence that names the
message, also when the message refers to such a schema in the components.
"""

from __future__ import annotations

import re

from generator.documents import Node, is_reference
from generator.validate.checker import Checker, Rule, SchemaRole, SchemaSite, string
from generator.words import describe

__all__ = ["check_multi_format", "check_schema", "is_json_schema_format", "unsupported_format"]

_JSON_FORMATS = re.compile(
    r"application/(vnd\.aai\.asyncapi(\+json|\+yaml)?;version=[0-9.]+"
    r"|schema\+(json|yaml);version=draft-07"
    r"|vnd\.oai\.openapi(\+json|\+yaml)?;version=3\.[0-9.]+)"
)
_FAMILIES = (
    ("avro", "Avro"),
    ("protobuf", "Protocol Buffers"),
    ("raml", "RAML"),
    ("schema+", "a JSON Schema draft other than draft-07"),
)


def is_json_schema_format(schema_format: str | None) -> bool:
    """Tell whether a ``schemaFormat`` is a JSON Schema dialect we compile."""
    if schema_format is None:
        return True
    return _JSON_FORMATS.fullmatch(schema_format.replace(" ", "").lower()) is not None


def unsupported_format(schema_format: str, message: str) -> str:
    """The sentence that refuses a schema format for the payload of ``message``."""
    lowered = schema_format.lower()
    family = next((name for key, name in _FAMILIES if key in lowered), "an unknown format")
    return (
        f"The payload of message {message!r} is written in the unsupported schema format "
        f"{schema_format!r} ({family}); only JSON Schema payloads can be compiled: the "
        "AsyncAPI schema format, JSON Schema draft-07 or OpenAPI 3.0 schemas. Convert the "
        "payload to JSON Schema to generate code for it."
    )


def check_schema(role: SchemaRole, schema_format: str | None = None) -> Rule:
    """A rule for a field that holds a Schema Object, a boolean schema or a reference."""

    def check(checker: Checker, node: Node) -> None:
        value = node.value
        if not isinstance(value, dict | bool):
            checker.error(node, f"A schema must be an object or a boolean, got {describe(value)}.")
            return
        checker.schema_sites.append(SchemaSite(node, role, schema_format))

    check.__qualname__ = f"schema({role})"
    return check


def _later(checker: Checker, node: Node) -> None:
    # The schema inside is checked below, once its format is known.
    del checker, node


def _refused(role: SchemaRole, schema_format: str, message: str) -> str:
    if role == "payload":
        return unsupported_format(schema_format, message)
    return (
        f"The headers of message {message!r} are written in the unsupported schema format "
        f"{schema_format!r}; headers must be a JSON Schema object."
    )


def _referenced_multi_format(checker: Checker, node: Node, role: SchemaRole, message: str) -> bool:
    """Handle a reference to a Multi Format Schema (in the components); tell if it was one."""
    end = checker.resolve(node)
    value = end.value if end is not None else None
    if end is None or not isinstance(value, dict) or "schemaFormat" not in value:
        return False
    schema_format = value.get("schemaFormat")
    if not isinstance(schema_format, str) or "schema" not in value:
        return True  # reported where the Multi Format Schema is written
    if not is_json_schema_format(schema_format):
        checker.error(node, _refused(role, schema_format, message))
        return True
    check_schema(role, schema_format)(checker, end.child("schema"))
    return True


def check_multi_format(checker: Checker, node: Node, role: SchemaRole, message: str) -> None:
    """A 3.x payload or headers field: a Schema, a reference, or a Multi Format Schema.

    A component schema in a format we do not compile is only an error once a message
    uses it (then at the message), since components may hold schemas for other tools.
    """
    value = node.value
    referenced = is_reference(value) and role != "component"
    if referenced and _referenced_multi_format(checker, node, role, message):
        return
    if isinstance(value, dict) and "schemaFormat" in value and not is_reference(value):
        checker.object(
            node,
            "Multi Format Schema Object",
            {"schemaFormat": string, "schema": _later},
            required=("schemaFormat", "schema"),
        )
        schema_format = value.get("schemaFormat")
        if not isinstance(schema_format, str) or "schema" not in value:
            return
        if not is_json_schema_format(schema_format):
            if role != "component":
                checker.error(node.child("schemaFormat"), _refused(role, schema_format, message))
            return
        check_schema(role, schema_format)(checker, node.child("schema"))
        return
    check_schema(role)(checker, node)
