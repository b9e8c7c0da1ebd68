"""Hypothesis: schema pairs of a known widening or narrowing, judged and then checked.

A random schema is changed at a random place by one operation known to widen (accept a
superset) or narrow (accept a subset). The comparison must call a widening breaking for
a sent message and compatible for a received one, and a narrowing the other way round.
And whatever it says is checked against validation: when it calls a change to a sent
message compatible, no value valid under the new schema may be refused by the old one;
when it calls a change to a received message compatible, no value valid under the old
schema may be refused by the new one. Values are drawn by a generator of this file that
follows the schema's shape loosely (it makes invalid values too), kept when
``jsonschema`` finds them valid, so neither the values nor their validation come from
the code under test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.contracts.schemas import SchemaComparison
from generator.contracts.verdicts import judge
from generator.contracts.wording import OVER_TIME
from generator.model import Direction
from tests.support.figures import record

Schema = dict[str, Any]
Path = tuple[str | int, ...]

_NAMES = ("a", "b", "c")


def _strings() -> st.SearchStrategy[Schema]:
    return st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={"minLength": st.integers(1, 2), "maxLength": st.integers(3, 6)},
    )


def _integers() -> st.SearchStrategy[Schema]:
    return st.fixed_dictionaries(
        {"type": st.just("integer")},
        optional={
            "minimum": st.integers(-5, 0),
            "maximum": st.integers(1, 9),
            "multipleOf": st.sampled_from([2, 3]),
        },
    )


def _numbers() -> st.SearchStrategy[Schema]:
    return st.fixed_dictionaries(
        {"type": st.just("number")},
        optional={"exclusiveMinimum": st.integers(-5, 0), "maximum": st.integers(1, 9)},
    )


def _enums() -> st.SearchStrategy[Schema]:
    values = st.one_of(st.sampled_from(["x", "y", "z"]), st.integers(0, 3))
    return st.builds(
        lambda v: {"enum": v}, st.lists(values, min_size=1, max_size=3, unique_by=repr)
    )


def _objects(children: st.SearchStrategy[Schema]) -> st.SearchStrategy[Schema]:
    @st.composite
    def build(draw: st.DrawFn) -> Schema:
        names = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3, unique=True))
        schema: Schema = {
            "type": "object",
            "properties": {name: draw(children) for name in names},
        }
        required = draw(st.lists(st.sampled_from(names), unique=True))
        if required:
            schema["required"] = required
        if draw(st.booleans()):
            schema["additionalProperties"] = draw(st.booleans())
        return schema

    return build()


def _arrays(children: st.SearchStrategy[Schema]) -> st.SearchStrategy[Schema]:
    return st.fixed_dictionaries(
        {"type": st.just("array"), "items": children},
        optional={"minItems": st.just(1), "maxItems": st.integers(2, 3)},
    )


def _unions(children: st.SearchStrategy[Schema]) -> st.SearchStrategy[Schema]:
    return st.builds(lambda m: {"anyOf": m}, st.lists(children, min_size=2, max_size=2))


SCHEMAS = st.recursive(
    st.one_of(_strings(), _integers(), _numbers(), _enums(), st.just({"type": "boolean"})),
    lambda children: st.one_of(_objects(children), _arrays(children), _unions(children)),
    max_leaves=5,
)


def _places(schema: Schema, path: Path = ()) -> Iterator[Path]:
    yield path
    for name, child in schema.get("properties", {}).items():
        yield from _places(child, (*path, "properties", name))
    if isinstance(schema.get("items"), dict):
        yield from _places(schema["items"], (*path, "items"))
    for index, member in enumerate(schema.get("anyOf", ())):
        yield from _places(member, (*path, "anyOf", index))


def _at(schema: Schema, path: Path) -> Schema:
    for token in path:
        schema = schema[token]  # type: ignore[index]
    return schema


Operation = Callable[[Schema], bool]
"""Change a schema in place; False when it does not apply to this schema."""


def _drop(keyword: str) -> Operation:
    def run(s: Schema) -> bool:
        return s.pop(keyword, None) is not None

    return run


def _set(keyword: str, value: object, when: Callable[[Schema], bool]) -> Operation:
    def run(s: Schema) -> bool:
        if not when(s) or s.get(keyword) == value:
            return False
        s[keyword] = value
        return True

    return run


def _typed(kind: str) -> Callable[[Schema], bool]:
    return lambda s: s.get("type") == kind


def _shift(keyword: str, by: int) -> Operation:
    def run(s: Schema) -> bool:
        counted = keyword.startswith(("min", "max")) and keyword[3].isupper()
        if not isinstance(s.get(keyword), int) or (counted and s[keyword] + by < 0):
            return False
        s[keyword] += by
        return True

    return run


def _enum_add(s: Schema) -> bool:
    if "enum" not in s or "w" in s["enum"]:
        return False
    s["enum"].append("w")
    return True


def _enum_remove(s: Schema) -> bool:
    if len(s.get("enum", ())) < 2:
        return False
    s["enum"].pop()
    return True


def _unrequire(s: Schema) -> bool:
    if not s.get("required"):
        return False
    s["required"].pop()
    if not s["required"]:
        del s["required"]
    return True


def _require(s: Schema) -> bool:
    missing = [n for n in s.get("properties", {}) if n not in s.get("required", [])]
    if not missing:
        return False
    s.setdefault("required", []).append(missing[0])
    return True


def _member_add(s: Schema) -> bool:
    if "anyOf" not in s:
        return False
    s["anyOf"].append({"type": "null"})
    return True


def _member_remove(s: Schema) -> bool:
    if len(s.get("anyOf", ())) < 2:
        return False
    s["anyOf"].pop()
    return True


def _new_property(s: Schema) -> bool:
    if s.get("type") != "object" or "z" in s["properties"]:
        return False
    s["properties"]["z"] = {"type": "string"}
    return True


def _type_add(s: Schema) -> bool:
    if s.get("type") not in ("string", "boolean"):
        return False
    s["type"] = [s["type"], "integer"]
    return True


WIDENINGS: dict[str, Operation] = {
    "drop minLength": _drop("minLength"),
    "drop maxLength": _drop("maxLength"),
    "drop minimum": _drop("minimum"),
    "drop maximum": _drop("maximum"),
    "drop exclusiveMinimum": _drop("exclusiveMinimum"),
    "drop multipleOf": _drop("multipleOf"),
    "drop minItems": _drop("minItems"),
    "drop maxItems": _drop("maxItems"),
    "drop enum": _drop("enum"),
    "maximum raised": _shift("maximum", 3),
    "minimum lowered": _shift("minimum", -2),
    "exclusiveMinimum lowered": _shift("exclusiveMinimum", -2),
    "maxLength raised": _shift("maxLength", 2),
    "minLength lowered": _shift("minLength", -1),
    "maxItems raised": _shift("maxItems", 1),
    "enum value added": _enum_add,
    "required removed": _unrequire,
    "additionalProperties true": _set(
        "additionalProperties", True, lambda s: s.get("additionalProperties") is False
    ),
    "type widened": _type_add,
    "anyOf member added": _member_add,
    "property added where additionalProperties is false": lambda s: (
        s.get("additionalProperties") is False and _new_property(s)
    ),
}

NARROWINGS: dict[str, Operation] = {
    "maxLength 2": _set("maxLength", 2, lambda s: _typed("string")(s) and "maxLength" not in s),
    "minimum 1": _set("minimum", 1, lambda s: _typed("integer")(s) and "minimum" in s),
    "maximum 0": _set("maximum", 0, lambda s: s.get("type") in ("integer", "number")),
    "multipleOf 6": _set("multipleOf", 6, lambda s: s.get("multipleOf") in (2, 3)),
    "minItems 1": _set("minItems", 1, lambda s: _typed("array")(s) and "minItems" not in s),
    "maximum lowered": _shift("maximum", -1),
    "minimum raised": _shift("minimum", 2),
    "exclusiveMinimum raised": _shift("exclusiveMinimum", 1),
    "maxLength lowered": _shift("maxLength", -1),
    "minLength raised": _shift("minLength", 1),
    "maxItems lowered": _shift("maxItems", -1),
    "enum value removed": _enum_remove,
    "required added": _require,
    "additionalProperties false": _set("additionalProperties", False, _typed("object")),
    "anyOf member removed": _member_remove,
    "property added where any value was allowed": lambda s: (
        s.get("additionalProperties", True) is True and _new_property(s)
    ),
}


_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-12, 12), st.sampled_from(["", "x", "abcdefg"])
)


def values(schema: Schema, focus: Path = ()) -> st.SearchStrategy[object]:
    """Values near what ``schema`` accepts, valid or not: a loose follower of its shape.

    ``focus`` is the place of the change: the values always reach it (its properties
    are present, its arrays have items), so what the change admits or refuses shows.
    """
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), _JSON_LEAVES)
    if "anyOf" in schema:
        if focus[:1] == ("anyOf",):
            return values(schema["anyOf"][focus[1]], focus[2:])
        return st.one_of(*(values(m) for m in schema["anyOf"]))
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of(*(values({**schema, "type": k}, focus) for k in kinds))
    by_kind: dict[object, Callable[[], st.SearchStrategy[object]]] = {
        "string": lambda: st.one_of(st.text("abXY", max_size=8), st.sampled_from(_lengths(schema))),
        "integer": lambda: st.one_of(st.integers(-12, 12), st.sampled_from(_edges(schema))),
        "number": lambda: st.one_of(
            st.integers(-12, 12), st.floats(-12, 12), st.sampled_from(_edges(schema))
        ),
        "boolean": st.booleans,
        "null": st.none,
        "object": lambda: _object_values(schema, focus),
        "array": lambda: st.lists(
            values(schema["items"], focus[1:]), min_size=1 if focus else 0, max_size=5
        ),
    }
    found = by_kind.get(kinds)
    if found is None:
        return _JSON_LEAVES
    # Mostly values of the schema's shape, sometimes any other JSON value.
    return found() if focus else st.one_of(found(), found(), found(), _JSON_LEAVES)


def _edges(schema: Schema) -> list[int | float]:
    """Numbers on and around each bound of ``schema``, where a moved bound shows."""
    found: list[int | float] = [0]
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "minLength", "maxLength"):
        bound = schema.get(keyword)
        if isinstance(bound, int):
            found += [bound - 1, bound - 0.5, bound, bound + 0.5, bound + 1]
    return found


def _lengths(schema: Schema) -> list[str]:
    return ["a" * int(n) for n in _edges(schema) if n >= 0 and float(n).is_integer()]


def _object_values(schema: Schema, focus: Path) -> st.SearchStrategy[object]:
    known = {name: values(child) for name, child in schema["properties"].items()}
    present = set(schema.get("required", ()))
    if focus[:1] == ("properties",):
        present.add(str(focus[1]))
        known[str(focus[1])] = values(schema["properties"][focus[1]], focus[2:])
    required = {name: known.pop(name) for name in sorted(present) if name in known}
    extra = {"z": _JSON_LEAVES, "q": _JSON_LEAVES}
    return st.fixed_dictionaries(required, optional={**extra, **known})


OPERATIONS = {
    **{n: ("wider", op) for n, op in WIDENINGS.items()},
    **{n: ("narrower", op) for n, op in NARROWINGS.items()},
}


_LEAVES = st.one_of(_strings(), _integers(), _numbers(), _enums(), st.just({"type": "boolean"}))

_FAMILIES: tuple[tuple[tuple[str, ...], st.SearchStrategy[Schema]], ...] = (
    (("Length", "type widened"), _strings()),
    (("minimum", "maximum", "multipleOf"), st.one_of(_integers(), _numbers())),
    (("Items",), _arrays(_LEAVES)),
    (("enum",), _enums()),
    (("required", "additionalProperties", "property added"), _objects(_LEAVES)),
    (("anyOf",), _unions(_LEAVES)),
)


def _family(name: str) -> st.SearchStrategy[Schema]:
    """Schemas of the kind the operation ``name`` changes."""
    return next(
        family for words, family in _FAMILIES if any(w.lower() in name.lower() for w in words)
    )


@st.composite
def _around(draw: st.DrawFn, seed: Schema) -> tuple[Schema, Path]:
    """``seed`` inside zero to two random containers, and the path down to it."""
    schema: Schema = seed
    path: Path = ()
    for _ in range(draw(st.integers(0, 2))):
        wrap = draw(st.sampled_from(["object", "array", "anyOf"]))
        if wrap == "object":
            name = draw(st.sampled_from(_NAMES))
            others = {n: draw(_LEAVES) for n in _NAMES if n != name and draw(st.booleans())}
            schema = {"type": "object", "properties": {**others, name: schema}}
            if draw(st.booleans()):
                schema["required"] = [name]
            path = ("properties", name, *path)
        elif wrap == "array":
            schema, path = {"type": "array", "items": schema}, ("items", *path)
        else:
            schema, path = {"anyOf": [schema, draw(_LEAVES)]}, ("anyOf", 0, *path)
    return schema, path


@st.composite
def changed_pairs(draw: st.DrawFn, name: str) -> tuple[Schema, Schema, str, Path]:
    """A schema, a copy changed by the operation ``name`` at one place, its kind and place."""
    kind, operation = OPERATIONS[name]
    seed = draw(_family(name).filter(lambda s: operation(copy.deepcopy(s))))
    old, path = draw(_around(seed))
    new = copy.deepcopy(old)
    assert operation(_at(new, path))
    return old, new, kind, path


DIRECTIONS: tuple[Direction, ...] = ("send", "receive")


def _levels(old: Schema, new: Schema) -> dict[str, str]:
    """The verdict for a sent and for a received message: breaking or compatible."""
    comparison = SchemaComparison(lambda _: None, lambda _: None, OVER_TIME)
    changes = comparison.compare("old.yaml#", old, "new.yaml#", new)
    return {
        direction: (
            "breaking"
            if any(judge(c.effect, direction) == "breaking" for c in changes)
            else "compatible"
        )
        for direction in DIRECTIONS
    }


def _probes(schema: Schema, path: Path) -> st.SearchStrategy[list[object]]:
    """Values that reach the changed place, and values of any shape."""
    return st.lists(st.one_of(values(schema, path), values(schema)), min_size=6, max_size=12)


def _refused(schema: Schema, value: object) -> bool:
    return not jsonschema.Draft7Validator(schema).is_valid(value)


PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
NAMES = sorted(OPERATIONS)
COUNTS = {"pairs": 0, "values": 0}


@pytest.mark.parametrize("name", NAMES)
@PROFILE
@given(data=st.data())
def test_a_known_widening_or_narrowing_gets_its_verdict(name: str, data: st.DataObject) -> None:
    old, new, kind, _ = data.draw(changed_pairs(name))
    levels = _levels(old, new)
    if kind == "wider":
        assert levels == {"send": "breaking", "receive": "compatible"}, (old, new)
    else:
        assert levels == {"send": "compatible", "receive": "breaking"}, (old, new)


@pytest.mark.parametrize("name", NAMES)
@PROFILE
@given(data=st.data())
def test_a_change_called_compatible_admits_no_value_the_other_side_refuses(
    name: str, data: st.DataObject
) -> None:
    old, new, _, path = data.draw(changed_pairs(name))
    levels = _levels(old, new)
    COUNTS["pairs"] += 1
    if levels["send"] == "compatible":
        # Every value the sender may now send is one its receivers accepted before.
        for value in data.draw(_probes(new, path), label="sent"):
            COUNTS["values"] += not _refused(new, value)
            assert _refused(new, value) or not _refused(old, value), (old, new, value)
    if levels["receive"] == "compatible":
        # Every value senders sent before is still accepted by the receiver.
        for value in data.draw(_probes(old, path), label="received"):
            COUNTS["values"] += not _refused(old, value)
            assert _refused(old, value) or not _refused(new, value), (old, new, value)
    record(
        "contract verdicts",
        f"{len(OPERATIONS)} operations, {COUNTS['pairs']} schema pairs judged, "
        f"{COUNTS['values']} valid values checked against the verdict, 0 contradicted",
    )


@pytest.mark.parametrize("name", NAMES[:3])
@PROFILE
@given(data=st.data())
def test_the_verdict_is_the_same_on_every_run(name: str, data: st.DataObject) -> None:
    old, new, *_ = data.draw(changed_pairs(name))
    first = SchemaComparison(lambda _: None, lambda _: None, OVER_TIME).compare(
        "o#", old, "n#", new
    )
    second = SchemaComparison(lambda _: None, lambda _: None, OVER_TIME).compare(
        "o#", copy.deepcopy(old), "n#", copy.deepcopy(new)
    )
    assert first == second
