"""``diff`` rule by rule: one document pair per rule and direction, with its verdict and place.

Schema rules run twice, on the message the document sends and on the one it receives:
the same change is breaking for one and compatible for the other (what a sender may
change is what every receiver still accepts). ``effect`` says which way the change moves
the set of accepted values; the expected level follows from it and the direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.contracts.verdicts import judge
from tests.contracts.documents import PREFIXES, Document, document, findings, write

Schemas = dict[str, Any]


@dataclass(frozen=True)
class SchemaRule:
    """A change to the schemas of one direction (``P`` is ``Sent`` or ``Received``)."""

    name: str
    change: Callable[[Schemas, str], object]
    effect: str
    pointer: str
    """Where the finding is, with ``{P}`` for the prefix; the old document's place when
    ``in_old`` (something removed)."""
    says: str
    in_old: bool = False


def _thing(schemas: Schemas, p: str) -> dict[str, Any]:
    found: dict[str, Any] = schemas[f"{p}Thing"]
    return found


def _prop(schemas: Schemas, p: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = _thing(schemas, p)["properties"][name]
    return found


THING = "/components/schemas/{P}Thing"
PROP = THING + "/properties/"

SCHEMA_RULES = [
    SchemaRule(
        "property added where additionalProperties is false",
        lambda s, p: _thing(s, p)["properties"].update(coupon={"type": "string"}),
        "wider",
        PROP + "coupon",
        "the property 'coupon' is described by the new schema and refused by the old",
    ),
    SchemaRule(
        "property removed where additionalProperties is false",
        lambda s, p: _thing(s, p)["properties"].pop("note"),
        "narrower",
        PROP + "note",
        "refused by the new schema (additionalProperties: false)",
        in_old=True,
    ),
    SchemaRule(
        "property described where any value was allowed",
        lambda s, p: _prop(s, p, "open")["properties"].update(b={"type": "string"}),
        "narrower",
        PROP + "open/properties/b",
        "where the old schema allows any value",
    ),
    SchemaRule(
        "property no longer described where any value is allowed",
        lambda s, p: _prop(s, p, "open")["properties"].pop("a"),
        "wider",
        PROP + "open/properties/a",
        "where the new schema allows any value",
        in_old=True,
    ),
    SchemaRule(
        "required added",
        lambda s, p: _thing(s, p)["required"].append("note"),
        "narrower",
        THING + "/required/2",
        "the property 'note' becomes required",
    ),
    SchemaRule(
        "required removed",
        lambda s, p: _thing(s, p)["required"].remove("amount"),
        "wider",
        THING + "/required/1",
        "the property 'amount' is no longer required",
        in_old=True,
    ),
    SchemaRule(
        "additionalProperties becomes false",
        lambda s, p: _prop(s, p, "open").update(additionalProperties=False),
        "narrower",
        PROP + "open/additionalProperties",
        "additionalProperties changes from true to false",
    ),
    SchemaRule(
        "additionalProperties becomes true",
        lambda s, p: _thing(s, p).update(additionalProperties=True),
        "wider",
        THING + "/additionalProperties",
        "additionalProperties changes from false to true",
    ),
    SchemaRule(
        "additionalProperties schema narrowed",
        lambda s, p: _prop(s, p, "labels")["additionalProperties"].update(maxLength=3),
        "narrower",
        PROP + "labels/additionalProperties/maxLength",
        "maxLength",
    ),
    SchemaRule(
        "type narrowed",
        lambda s, p: _prop(s, p, "amount").update(type="integer"),
        "narrower",
        PROP + "amount/type",
        "the type changes from 'number' to 'integer'",
    ),
    SchemaRule(
        "type widened",
        lambda s, p: _prop(s, p, "count").update(type="number"),
        "wider",
        PROP + "count/type",
        "the type changes from 'integer' to 'number'",
    ),
    SchemaRule(
        "type changed",
        lambda s, p: _prop(s, p, "tags")["items"].update(type="integer"),
        "both",
        PROP + "tags/items/type",
        "from 'string' to 'integer'",
    ),
    SchemaRule(
        "enum value added",
        lambda s, p: _prop(s, p, "status")["enum"].append("refunded"),
        "wider",
        PROP + "status/enum",
        'the value "refunded" is added to the allowed values',
    ),
    SchemaRule(
        "enum value removed",
        lambda s, p: _prop(s, p, "status")["enum"].remove("paid"),
        "narrower",
        PROP + "status/enum",
        'the value "paid" is removed from the allowed values',
    ),
    SchemaRule(
        "const changed",
        lambda s, p: _prop(s, p, "kind").update(const="other"),
        "both",
        PROP + "kind/const",
        '"other"',
    ),
    SchemaRule(
        "nullable: true added",
        lambda s, p: _prop(s, p, "note").update(nullable=True),
        "wider",
        PROP + "note/nullable",
        "to 'null' or 'string'",
    ),
    SchemaRule(
        "null added to the type list",
        lambda s, p: _prop(s, p, "note").update(type=["string", "null"]),
        "wider",
        PROP + "note/type",
        "to 'null' or 'string'",
    ),
    SchemaRule(
        "checked format added",
        lambda s, p: _prop(s, p, "note").update(format="email"),
        "narrower",
        PROP + "note/format",
        'the format changes from none to "email"',
    ),
    SchemaRule(
        "checked format removed",
        lambda s, p: _prop(s, p, "id").pop("format"),
        "wider",
        PROP + "id/format",
        'the format changes from "uuid" to none',
        in_old=True,
    ),
    SchemaRule(
        "unchecked format added",
        lambda s, p: _prop(s, p, "note").update(format="x-colour"),
        "info",
        PROP + "note/format",
        "neither is checked at run time",
    ),
    SchemaRule(
        "minimum raised",
        lambda s, p: _prop(s, p, "amount").update(minimum=1),
        "narrower",
        PROP + "amount/minimum",
        "the lower bound changes from at least 0 to at least 1",
    ),
    SchemaRule(
        "maximum raised",
        lambda s, p: _prop(s, p, "amount").update(maximum=2000),
        "wider",
        PROP + "amount/maximum",
        "the upper bound changes from at most 1000 to at most 2000",
    ),
    SchemaRule(
        "inclusive minimum made exclusive",
        lambda s, p: _prop(s, p, "amount").update(
            exclusiveMinimum=_prop(s, p, "amount").pop("minimum")
        ),
        "narrower",
        PROP + "amount/exclusiveMinimum",
        "from at least 0 to more than 0",
    ),
    SchemaRule(
        "multipleOf made coarser",
        lambda s, p: _prop(s, p, "count").update(multipleOf=4),
        "narrower",
        PROP + "count/multipleOf",
        "multipleOf changes from 2 to 4",
    ),
    SchemaRule(
        "multipleOf changed to an unrelated step",
        lambda s, p: _prop(s, p, "count").update(multipleOf=3),
        "both",
        PROP + "count/multipleOf",
        "multipleOf changes from 2 to 3",
    ),
    SchemaRule(
        "maxLength lowered",
        lambda s, p: _prop(s, p, "note").update(maxLength=50),
        "narrower",
        PROP + "note/maxLength",
        "from 100 to 50",
    ),
    SchemaRule(
        "minLength lowered",
        lambda s, p: _prop(s, p, "code").update(minLength=2),
        "wider",
        PROP + "code/minLength",
        "from 3 to 2",
    ),
    SchemaRule(
        "maxItems raised",
        lambda s, p: _prop(s, p, "tags").update(maxItems=10),
        "wider",
        PROP + "tags/maxItems",
        "from 5 to 10",
    ),
    SchemaRule(
        "uniqueItems removed",
        lambda s, p: _prop(s, p, "tags").pop("uniqueItems"),
        "wider",
        PROP + "tags/uniqueItems",
        "uniqueItems is removed",
        in_old=True,
    ),
    SchemaRule(
        "pattern changed: cannot tell",
        lambda s, p: _prop(s, p, "code").update(pattern="^[A-Z]{2,3}$"),
        "unknown",
        PROP + "code/pattern",
        "cannot be told",
    ),
    SchemaRule(
        "pattern removed",
        lambda s, p: _prop(s, p, "code").pop("pattern"),
        "wider",
        PROP + "code/pattern",
        "is removed",
        in_old=True,
    ),
    SchemaRule(
        "tagged oneOf member added (a new discriminator value)",
        lambda s, p: _prop(s, p, "payment")["oneOf"].append(
            {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cash"}}}
        ),
        "wider",
        PROP + "payment/oneOf/2",
        'the oneOf member kind = "cash" is added',
    ),
    SchemaRule(
        "tagged oneOf member removed (a discriminator value gone)",
        lambda s, p: _prop(s, p, "payment")["oneOf"].pop(),
        "narrower",
        PROP + "payment/oneOf/1",
        'the oneOf member kind = "transfer" is removed',
        in_old=True,
    ),
    SchemaRule(
        "member of a oneOf whose members may overlap added",
        lambda s, p: _prop(s, p, "shape")["oneOf"].append({"type": "number"}),
        "both",
        PROP + "shape/oneOf/2",
        "may also make a value match two members",
    ),
    SchemaRule(
        "anyOf member added",
        lambda s, p: _prop(s, p, "choice")["anyOf"].append({"type": "boolean"}),
        "wider",
        PROP + "choice/anyOf/2",
        "the anyOf member number 3 is added",
    ),
    SchemaRule(
        "anyOf member removed",
        lambda s, p: _prop(s, p, "choice")["anyOf"].pop(),
        "narrower",
        PROP + "choice/anyOf/1",
        "the anyOf member number 2 is removed",
        in_old=True,
    ),
    SchemaRule(
        "allOf member added",
        lambda s, p: _prop(s, p, "base")["allOf"].append({"required": ["x"]}),
        "narrower",
        PROP + "base/allOf/2/required/0",
        "the property 'x' becomes required",
    ),
    SchemaRule(
        "inside an allOf member, through a $ref",
        lambda s, p: s[f"{p}Base"]["properties"]["y"].update(maxLength=2),
        "narrower",
        "/components/schemas/{P}Base/properties/y/maxLength",
        "from unbounded to 2",
    ),
    SchemaRule(
        "discriminator added",
        lambda s, p: _prop(s, p, "payment").update(discriminator="kind"),
        "both",
        PROP + "payment/discriminator",
        'the discriminator changes from none to "kind"',
    ),
    SchemaRule(
        "recursion: a change below the schema that contains itself",
        lambda s, p: s[f"{p}Node"]["properties"]["label"].update(maxLength=20),
        "wider",
        "/components/schemas/{P}Node/properties/label/maxLength",
        "from 10 to 20",
    ),
    SchemaRule(
        "not added",
        lambda s, p: _prop(s, p, "note").update({"not": {"const": "x"}}),
        "narrower",
        PROP + "note/not",
        "a 'not' schema is added",
    ),
    SchemaRule(
        "dependency added",
        lambda s, p: _thing(s, p).update(dependencies={"note": ["status"]}),
        "narrower",
        THING + "/dependencies/note",
        "a dependency of the property 'note' is added",
    ),
    SchemaRule(
        "if/then/else added: cannot tell",
        lambda s, p: _prop(s, p, "note").update({"if": {"minLength": 5}, "then": {"maxLength": 6}}),
        "unknown",
        PROP + "note/if",
        "cannot be told",
    ),
]


def _pair(tmp_path: Path, change: Callable[[Document], object]) -> tuple[Path, Path]:
    old, new = document(), document()
    change(new)
    return write(tmp_path / "old", old), write(tmp_path / "new", new)


def _finding(found: list[dict[str, Any]], pointer: str) -> dict[str, Any]:
    at = [f for f in found if f["pointer"] == pointer]
    assert len(at) == 1, f"expected one finding at {pointer}, got:\n" + "\n".join(
        f"{f['level']} {f['pointer']}: {f['message']}" for f in found
    )
    return at[0]


@pytest.mark.parametrize("direction", ["send", "receive"])
@pytest.mark.parametrize("rule", SCHEMA_RULES, ids=lambda r: r.name)
def test_a_schema_change_is_judged_by_direction(
    tmp_path: Path, rule: SchemaRule, direction: str
) -> None:
    prefix = PREFIXES[direction]
    old, new = _pair(tmp_path, lambda d: rule.change(d["components"]["schemas"], prefix))
    status, found = findings("diff", str(old), str(new))
    finding = _finding(found, rule.pointer.replace("{P}", prefix))
    expected = judge(rule.effect, direction)  # type: ignore[arg-type]
    assert finding["level"] == expected, finding
    assert finding["file"] == str(old if rule.in_old else new)
    assert isinstance(finding["line"], int)
    assert rule.says.lower() in finding["message"].lower(), finding["message"]
    event = "shop.thing.sent" if direction == "send" else "shop.thing.received"
    if expected != "info":
        assert finding["events"] == [event]
        assert finding["audience"] == ["consumers" if direction == "send" else "producers"]
        assert f"'{event}'" in finding["message"]
    assert status == (1 if expected == "breaking" else 0)
    assert finding["certain"] == (rule.effect != "unknown")
