"""The keywords that constrain one value, compared: type, values, bounds, lengths, strings.

Each function compares one keyword (or one group that only makes sense together, such
as ``minimum`` with ``exclusiveMinimum``) of two schema objects and says what changed
as ``(effect, kind, sentence, keyword of the place, values)``. Keywords that only
annotate (``title``, ``description``, ``default``, ``examples``, ``x-``) change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from amqp_events.schema import ASSERTED_FORMATS
from generator.contracts.changes import Effect
from generator.contracts.wording import Wording, shown

__all__ = ["Found", "canonical", "scalar_changes"]

Found = tuple[Effect, str, str, str, tuple[object, ...]]
"""``(effect, kind, sentence, keyword, values)`` of one difference."""

Schema = Mapping[str, Any]

_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
_ALL = frozenset({"array", "boolean", "null", "number", "object", "string"})
_LENGTHS = (
    ("minLength", "maxLength", "length"),
    ("minItems", "maxItems", "number of items"),
    ("minProperties", "maxProperties", "number of properties"),
)


def _plain(value: object) -> object:
    """A JSON value with numbers that are equal in JSON made equal in Python too."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def canonical(value: object) -> str:
    """One text per JSON value, equal exactly when JSON Schema calls two values equal."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _types(schema: Schema) -> frozenset[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    names = frozenset(k for k in (kind if isinstance(kind, list) else [kind]) if k in _TYPES)
    return names | {"null"} if schema.get("nullable") is True else names


def _holds(types: frozenset[str] | None, name: str) -> bool:
    return types is None or name in types or (name == "integer" and "number" in types)


def _type_text(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " or ".join(repr(t) for t in sorted(types)) or "none"


def _type(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = _types(old), _types(new)
    if before == after:
        return
    gained = tuple(t for t in sorted(_ALL if after is None else after) if not _holds(before, t))
    lost = tuple(t for t in sorted(_ALL if before is None else before) if not _holds(after, t))
    if not gained and not lost:
        return
    effect: Effect = "both" if gained and lost else "wider" if gained else "narrower"
    keyword = "type" if old.get("type") != new.get("type") else "nullable"
    sentence = words.changes("the type", _type_text(before), _type_text(after))
    yield effect, "type", sentence, keyword, gained


def _values(schema: Schema) -> list[object] | None:
    found: list[object] | None = None
    if isinstance(schema.get("enum"), list):
        found = list(schema["enum"])
    if "const" in schema:
        const = canonical(schema["const"])
        found = [v for v in (found or [schema["const"]]) if canonical(v) == const]
    if found is not None and schema.get("nullable") is True:
        found.append(None)
    return found


def _listed(values: list[object]) -> str:
    shown_values = [shown(v) for v in values[:5]]
    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    noun = "value" if len(values) == 1 else "values"
    return f"the {noun} {', '.join(shown_values)}{more}"


def _enum(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = _values(old), _values(new)
    keyword = "enum" if "enum" in new or "enum" in old else "const"
    if before is None and after is None:
        return
    if before is None or after is None:
        listed = _listed(after if after is not None else before or [])
        effect: Effect = "narrower" if after is not None else "wider"
        yield (
            effect,
            "values",
            words.only(f"a list of allowed values ({listed})", in_new=after is not None),
            keyword,
            tuple(after or ()),
        )
        return
    old_keys = {canonical(v) for v in before}
    new_keys = {canonical(v) for v in after}
    added = [v for v in after if canonical(v) not in old_keys]
    removed = [v for v in before if canonical(v) not in new_keys]
    if added and removed:
        sentence = words.changes("the allowed values", shown(before), shown(after))
        yield "both", "values", sentence, keyword, tuple(added)
        return
    if added:
        sentence = words.values(_listed(added), plural=len(added) > 1, in_new=True)
        yield "wider", "values", sentence, keyword, tuple(added)
    if removed:
        sentence = words.values(_listed(removed), plural=len(removed) > 1, in_new=False)
        yield "narrower", "values", sentence, keyword, tuple(removed)


def _bound(schema: Schema, upper: bool) -> tuple[float, bool, str] | None:
    """The tightest bound on one side: value, whether exclusive, and its keyword."""
    inclusive, exclusive = (
        ("maximum", "exclusiveMaximum") if upper else ("minimum", "exclusiveMinimum")
    )
    value, flag = schema.get(inclusive), schema.get(exclusive)
    found = []
    if isinstance(value, int | float) and not isinstance(value, bool):
        found.append((float(value), flag is True, inclusive))
    if isinstance(flag, int | float) and not isinstance(flag, bool):
        found.append((float(flag), True, exclusive))
    if not found:
        return None
    if upper:
        return min(found, key=lambda b: (b[0], not b[1]))
    return max(found, key=lambda b: (b[0], b[1]))


def _bound_text(bound: tuple[float, bool, str], upper: bool) -> str:
    value = int(bound[0]) if bound[0].is_integer() else bound[0]
    if upper:
        return f"less than {value}" if bound[1] else f"at most {value}"
    return f"more than {value}" if bound[1] else f"at least {value}"


def _bounds(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    for upper in (False, True):
        before, after = _bound(old, upper), _bound(new, upper)
        what = "the upper bound" if upper else "the lower bound"
        kind = "upper" if upper else "lower"
        if before is None and after is None:
            continue
        values = tuple(b[0] if b else None for b in (before, after))
        if before is None or after is None:
            there = after or before
            assert there is not None
            text = f"{what} ({_bound_text(there, upper)})"
            effect: Effect = "narrower" if after is not None else "wider"
            yield effect, kind, words.only(text, in_new=after is not None), there[2], values
            continue
        tighter = (after[0] < before[0]) if upper else (after[0] > before[0])
        looser = (after[0] > before[0]) if upper else (after[0] < before[0])
        if after[0] == before[0] and after[1] != before[1]:
            tighter, looser = after[1], before[1]
        if tighter or looser:
            sentence = words.changes(what, _bound_text(before, upper), _bound_text(after, upper))
            yield ("narrower" if tighter else "wider"), kind, sentence, after[2], values


def _one_sided(
    before: object, after: object, words: Wording, *, kind: str, text: str, keyword: str
) -> Found:
    """A keyword that only one schema has: that schema is the narrower one."""
    in_new = after is not None
    effect: Effect = "narrower" if in_new else "wider"
    return effect, kind, words.only(text, in_new=in_new), keyword, (before, after)


def _multiple(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = old.get("multipleOf"), new.get("multipleOf")
    if not _number(before):
        before = None
    if not _number(after):
        after = None
    if before == after:
        return
    if before is None or after is None:
        there = after if after is not None else before
        yield _one_sided(
            before, after, words, kind="multiple", text=f"multipleOf {there}", keyword="multipleOf"
        )
        return
    ratio = Fraction(str(after)) / Fraction(str(before))
    effect: Effect = (
        "narrower" if ratio.denominator == 1 else "wider" if ratio.numerator == 1 else "both"
    )
    yield (
        effect,
        "multiple",
        words.changes("multipleOf", str(before), str(after)),
        "multipleOf",
        (before, after),
    )


def _lengths(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    for low, high, what in _LENGTHS:
        before, after = _count(old.get(low)) or 0, _count(new.get(low)) or 0
        if before != after:
            effect: Effect = "narrower" if after > before else "wider"
            yield (
                effect,
                low,
                words.changes(f"the least {what} ({low})", str(before), str(after)),
                low,
                (before, after),
            )
        top, end = _count(old.get(high)), _count(new.get(high))
        if top != end:
            narrower = top is None or (end is not None and end < top)
            shown_top = "unbounded" if top is None else str(top)
            shown_end = "unbounded" if end is None else str(end)
            yield (
                ("narrower" if narrower else "wider"),
                high,
                words.changes(f"the greatest {what} ({high})", shown_top, shown_end),
                high,
                (top, end),
            )


def _pattern(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = old.get("pattern"), new.get("pattern")
    if before == after:
        return
    if before is None or after is None:
        there = after if after is not None else before
        text = f"the pattern {shown(there)}"
        yield _one_sided(before, after, words, kind="pattern", text=text, keyword="pattern")
        return
    sentence = words.changes("the pattern", shown(before), shown(after))
    yield (
        "unknown",
        "pattern",
        f"{sentence}; whether every string one matches the other matches too cannot be told",
        "pattern",
        (before, after),
    )


def _format(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = old.get("format"), new.get("format")
    if before == after:
        return
    checked = (
        before if before in ASSERTED_FORMATS else None,
        after if after in ASSERTED_FORMATS else None,
    )
    text = (shown(before) if before else "none", shown(after) if after else "none")
    sentence = words.changes("the format", *text)
    if checked[0] == checked[1]:
        yield (
            "info",
            "format",
            f"{sentence}; neither is checked at run time",
            "format",
            (before, after),
        )
        return
    effect: Effect = "both" if None not in checked else "narrower" if checked[1] else "wider"
    yield effect, "format", sentence, "format", (before, after)


def _unique(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if before != after:
        yield (
            ("narrower" if after else "wider"),
            "unique",
            words.only("uniqueItems", in_new=after),
            "uniqueItems",
            (),
        )


def scalar_changes(old: Schema, new: Schema, words: Wording) -> Iterator[Found]:
    """Every difference of the keywords that constrain a value without a subschema."""
    for compare in (_type, _enum, _bounds, _multiple, _lengths, _pattern, _format, _unique):
        yield from compare(old, new, words)
