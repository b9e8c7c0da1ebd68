"""The research fixtures: the JSON Schema feature matrix, two different Money schemas,
and the orders spec (read from the shared folder when it is there)."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

from amqp_events.schema import SchemaValidator
from amqp_events.wire import JsonValue
from generator.diagnostics import Location
from generator.payloads import TypeRoot, TypesModule, build_types
from tests.generator.payloads.conftest import SHARED, load_yaml, shared_fixture
from tests.generator.payloads.support import graph_of, import_package


def _message_roots(document: Any, file: str) -> list[TypeRoot]:
    """A root per payload and headers of the document's messages (inline or components)."""
    found: list[tuple[str, Any, str]] = []
    for channel, body in (document.get("channels") or {}).items():
        for name, message in (body.get("messages") or {}).items():
            if "$ref" not in message:
                found.append((name, message, f"/channels/{channel}/messages/{name}"))
    for name, message in ((document.get("components") or {}).get("messages") or {}).items():
        found.append((name, message, f"/components/messages/{name}"))
    roots = []
    for name, message, pointer in found:
        for part in ("payload", "headers"):
            if part in message:
                roots.append(
                    TypeRoot(
                        key=f"messages/{name}/{part}",
                        schema=_canonical(message[part], file),
                        name_hint=name + ("Headers" if part == "headers" else ""),
                        location=Location(file, f"{pointer}/{part}"),
                    )
                )
    return roots


def _canonical(node: Any, file: str) -> Any:
    if isinstance(node, dict):
        return {
            k: (f"{file}{v}" if k == "$ref" and v.startswith("#") else _canonical(v, file))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_canonical(item, file) for item in node]
    return node


def fixture_modules() -> dict[str, TypesModule]:
    """The packages of the shared fixtures that are present, by package name."""
    folder = SHARED
    modules = {}
    if (folder / "jsfeatures.yaml").exists():
        modules["jsfeatures_q_pkg"] = _build(folder, "jsfeatures.yaml")
    if (folder / "collision").exists():
        modules["collision_q_pkg"] = _build(folder / "collision", "main.yaml", "a.yaml", "b.yaml")
    if (folder / "orders.asyncapi.yaml").exists():
        modules["orders_q_pkg"] = _build(folder, "orders.asyncapi.yaml", "common.yaml")
    return modules


def _build(folder: Path, main: str, *others: str) -> TypesModule:
    documents = {name: load_yaml(folder / name) for name in (main, *others)}
    roots = _message_roots(documents[main], main)
    return build_types(graph_of(documents, roots), roots)


def test_jsfeatures(tmp_path: Path) -> None:
    path = shared_fixture("jsfeatures.yaml")
    module = _build(path.parent, "jsfeatures.yaml")
    assert [d for d in module.diagnostics if d.level == "error"] == []
    modules = import_package(module, tmp_path, "jsfeatures_pkg")
    p = modules["payloads"]
    fields = {f.name: f.type for f in dataclasses.fields(p.Envelope)}
    assert fields["id"] == "UUID"
    assert fields["at"] == "_dt.datetime"
    assert fields["email"] == "str | Unset"  # other formats stay str
    assert fields["pair"] == "EnvelopePair | Unset"
    assert fields["nullable3_1"] == fields["nullable3_0"] == "str | Unset | None"
    assert fields["event"] == "EnvelopeEvent"
    assert fields["tree"] == "Node"
    assert "additional_properties" not in fields
    binding = module.roots["messages/M/payload"]
    validator = SchemaValidator(getattr(modules["schemas"], binding.schema), event="M")
    data: dict[str, JsonValue] = {
        "id": str(uuid.UUID(int=1)),
        "at": "2024-01-01T00:00:00Z",
        "event": {"kind": "created", "name": "n"},
        "tree": {"value": 1, "children": [{"value": 2, "children": []}]},
        "pair": ["a", 1],
        "color": "null",
        "meta": {"a": 1},
        "either": 2,
        "merged": {"name": "x", "extra": True},
    }
    validator.validate(data)
    value = p.decode_envelope(data)
    assert value.event == p.Created(kind="created", name="n")
    assert value.pair == ("a", 1)
    again = p.encode_envelope(value)
    assert again == data


def test_two_different_money_schemas_get_two_names(tmp_path: Path) -> None:
    folder = shared_fixture("collision/main.yaml").parent
    module = _build(folder, "main.yaml", "a.yaml", "b.yaml")
    p = import_package(module, tmp_path, "collision_pkg")["payloads"]
    assert {f.name: f.type for f in dataclasses.fields(p.AMoney)}["amount"] == "float"
    assert {f.name for f in dataclasses.fields(p.BMoney)} >= {"cents", "iso"}
    assert {f.name: f.type for f in dataclasses.fields(p.A)}["m"] == "AMoney | Unset"
    assert {f.name: f.type for f in dataclasses.fields(p.B)}["m"] == "BMoney | Unset"


def test_orders_spec(tmp_path: Path) -> None:
    path = shared_fixture("orders.asyncapi.yaml")
    module = _build(path.parent, "orders.asyncapi.yaml", "common.yaml")
    assert [d for d in module.diagnostics if d.level == "error"] == []
    modules = import_package(module, tmp_path, "orders_pkg")
    p = modules["payloads"]
    headers = module.roots["messages/OrderCreated/headers"]
    assert headers.annotation == "payloads.OrderCreatedHeaders"
    assert p.encode_order_created_headers(p.OrderCreatedHeaders(x_tenant="t")) == {"x-tenant": "t"}
    shipped = p.decode_order_shipped(
        {"kind": "shipped", "region": "eu", "orderId": str(uuid.UUID(int=2))}
    )
    assert shipped.order_id == uuid.UUID(int=2)
    assert modules["examples"].roundtrip_examples() == []
