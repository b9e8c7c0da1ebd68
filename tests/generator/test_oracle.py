"""Our verdicts against independent oracles: the official AsyncAPI schemas and jsonschema.

The validator is written from the specification, not from the official JSON Schemas;
here the two must agree on whether a document is valid, over the shared real documents
and our own fixtures. Where the specification says more than the official schemas can
(or the reverse), the difference is listed with its reason. The draft-07 checker of
payload schemas is compared with ``jsonschema``'s metaschema validation the same way.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.documents import Documents, Node, RefProblem
from generator.json_schema import schema_problems
from generator.validate import validate
from tests.conftest import require
from tests.generator.conftest import SHARED
from tests.golden.cases import cases

SCHEMAS = SHARED / "asyncapi-schemas"
SPECS = SHARED / "specs"

NOT_STRUCTURE = re.compile(
    r"unsupported schema format|has the content type|never referenced|"
    r"leads back to itself|remote references|points to the file|which does not exist"
)
"""Our errors that are about what we can compile or resolve, not about validity."""

KNOWN_DIFFERENCES: dict[str, str] = {
    "asyncapi-spec/v2.0.0/examples/1.2.0/streetlights.yml": (
        "no official schema exists for 1.x; we refuse the version"
    ),
    "asyncapi-avro-schema-parser/test/documents/invalid-asyncapi.yaml": (
        "the Avro payload is invalid Avro; we do not read Avro at all and refuse it as an "
        "unsupported format, which is not a verdict on the document's structure"
    ),
}


@cache
def _official(version: str) -> jsonschema.Draft7Validator | None:
    path = SCHEMAS / f"{version}-without-$id.json"
    if not path.is_file():
        return None
    return jsonschema.Draft7Validator(json.loads(path.read_text()))


def _keeps_reference(path: tuple[str | int, ...]) -> bool:
    # 3.x: operation.channel, operation/reply messages[] and channel.servers[] must be $refs.
    if len(path) >= 1 and path[-1] == "channel":
        return True
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] in ("messages", "servers")


def _dereferenced(documents: Documents, node: Node, major: int) -> Any:
    """The document with references inlined (recursive ones left as references)."""
    failures: list[str] = []

    def follow(current: Node, path: tuple[str | int, ...], active: tuple[str, ...]) -> Any:
        ref = current.value["$ref"]  # type: ignore[index]
        if major == 3 and _keeps_reference(path):
            return {"$ref": ref}
        target = documents.deref(current)
        if isinstance(target, RefProblem):
            failures.append(target.message)
            return current.value
        if target.key in active:
            return {"$ref": ref}
        return walk(target, path, (*active, target.key))

    def walk(current: Node, path: tuple[str | int, ...], active: tuple[str, ...]) -> Any:
        value = current.value
        if isinstance(value, dict) and "$ref" in value:
            return follow(current, path, active)
        if isinstance(value, dict):
            return {k: walk(current.child(k), (*path, k), active) for k in value}
        if isinstance(value, list):
            return [walk(current.child(i), (*path, i), active) for i in range(len(value))]
        return value

    result = walk(node, (), ())
    if failures:
        raise LookupError(failures[0])
    return result


def _verdicts(spec: Path) -> tuple[bool, bool] | None:
    """(official says valid, we say valid), or None when the oracle cannot judge."""
    documents = Documents(spec)
    root = documents.root()
    if root is None or not isinstance(root.value, dict):
        return None
    version = str(root.value.get("asyncapi"))
    oracle = _official(version)
    if oracle is None:
        return None
    try:
        resolved = _dereferenced(documents, root, int(version[0]))
    except LookupError:
        return None
    official = not any(True for _ in oracle.iter_errors(resolved))
    ours = validate(documents)
    structural = [
        d for d in ours.diagnostics if d.level == "error" and not NOT_STRUCTURE.search(d.message)
    ]
    return official, not structural


def _require_shared() -> None:
    require(SCHEMAS.is_dir(), f"The official AsyncAPI schemas are not present ({SCHEMAS})")


def _manifest() -> list[str]:
    manifest = SPECS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [r["path"] for r in rows if r["role"] in ("doc", "invalid")]


@pytest.mark.parametrize("path", _manifest())
def test_official_schemas_agree_on_the_shared_documents(path: str) -> None:
    _require_shared()
    verdicts = _verdicts(SPECS / path)
    if verdicts is None or path in KNOWN_DIFFERENCES:
        return
    official, ours = verdicts
    assert official == ours, f"official valid={official}, ours valid={ours}"


@pytest.mark.parametrize("case", [c.name for c in cases()])
def test_official_schemas_agree_on_the_golden_documents(case: str) -> None:
    _require_shared()
    verdicts = _verdicts(Path(__file__).parents[1] / "golden" / case / "asyncapi.yaml")
    assert verdicts == (True, True)


BROKEN = {
    "unknown field": ("info", {"title": "T", "version": "1", "dupa": 1}),
    "missing title": ("info", {"version": "1"}),
    "title not a string": ("info", {"title": 3, "version": "1"}),
    "unknown root field": ("version", "1"),
    "channels not an object": ("channels", ["a"]),
    "tag without name": ("tags", [{"description": "x"}]),
}


@pytest.mark.parametrize("major", [2, 3])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_official_schemas_agree_on_broken_documents(
    name: str, major: int, write_spec: Callable[..., Path]
) -> None:
    _require_shared()
    document: dict[str, Any] = {
        "asyncapi": "2.6.0" if major == 2 else "3.0.0",
        "info": {"title": "T", "version": "1"},
        "channels": {},
    }
    key, value = BROKEN[name]
    if key == "tags" and major == 3:
        document["info"]["tags"] = value
    else:
        document[key] = value
    verdicts = _verdicts(write_spec(yaml.safe_dump(document)))
    assert verdicts == (False, False)


SCHEMA_SAMPLES: list[object] = [
    True,
    {},
    {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
    {"type": ["string", "null"], "enum": ["a", None]},
    {"items": [{"type": "integer"}], "additionalItems": False},
    {"oneOf": [{"const": 1}, {"$ref": "#/definitions/x"}], "definitions": {"x": {}}},
    {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
    {"maxLength": 2.0, "minItems": 0, "multipleOf": 0.5},
    {"if": {"type": "string"}, "then": {"minLength": 1}, "else": False},
    {"nullable": True, "discriminator": "kind", "x-anything": [1]},
    3,
    "string",
    {"type": "integerr"},
    {"type": []},
    {"type": ["string", "string"]},
    {"required": "a"},
    {"required": ["a", "a"]},
    {"properties": {"a": 3}},
    {"properties": []},
    {"items": []},
    {"allOf": []},
    {"anyOf": [{"type": "bad"}]},
    {"maxLength": -1},
    {"maxLength": 1.5},
    {"multipleOf": 0},
    {"enum": "a"},
    {"minimum": "0"},
    {"dependencies": {"a": ["b", "b"]}},
    {"dependencies": {"a": 3}},
    {"additionalProperties": {"type": "bogus"}},
    {"not": []},
    {"readOnly": "yes"},
    {"examples": {}},
    {"title": 1, "description": None},
    {"$ref": 5},
    {"exclusiveMinimum": True},
]


@pytest.mark.parametrize("schema", SCHEMA_SAMPLES, ids=lambda s: json.dumps(s)[:60])
def test_the_draft07_checker_agrees_with_jsonschema(schema: object) -> None:
    metaschema = jsonschema.Draft7Validator(jsonschema.Draft7Validator.META_SCHEMA)
    assert (not schema_problems(schema)) == metaschema.is_valid(schema)


def test_the_draft07_checker_agrees_on_every_shared_payload_schema() -> None:
    _require_shared()
    metaschema = jsonschema.Draft7Validator(jsonschema.Draft7Validator.META_SCHEMA)
    compared = 0
    for path in _manifest():
        documents = Documents(SPECS / path)
        for site in validate(documents).schema_sites:
            value = site.node.value
            assert (not schema_problems(value)) == metaschema.is_valid(value), site.node.key
            compared += 1
    assert compared > 100
