"""Two resolved JSON Schemas compared keyword by keyword, through references and recursion.

Both schemas come from ``generator.resolve``: every ``$ref`` names the canonical key of
its target (``file#pointer``) in the schemas of its own document. Walking the two in
step, a pair of places that both are references is not entered but recorded as an
edge; each pair of referenced schemas is compared once (``_pairs``), and the changes
below one root are gathered by following the edges from it, each pair once. So shared
schemas cost one comparison, and recursive ones end where a pair comes round again.

Where the two schemas differ, the change is reported at the innermost place that says
so: ``.../properties/items/items/properties/quantity/minimum``, not at the message.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from generator.contracts.changes import (
    EXCLUSIVE,
    FLIP,
    IDENTITY,
    Context,
    Effect,
    SchemaChange,
    Step,
    apply,
    compose,
)
from generator.contracts.keywords import canonical, scalar_changes
from generator.contracts.wording import Wording, shown
from generator.diagnostics import escape_pointer_token
from generator.documents import parse_pointer
from generator.schema_graph import JsonSchema, SchemaKey

__all__ = ["Lookup", "SchemaComparison"]

Lookup = Callable[[SchemaKey], JsonSchema | None]
"""The resolved schema at a canonical key, in one document."""

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class _At:
    """The pair of places being compared, where in a value they are, and their context."""

    old: SchemaKey | None
    new: SchemaKey | None
    path: tuple[Step, ...] = ()
    context: Context = IDENTITY

    def key(self, *tokens: str | int, new: bool) -> SchemaKey | None:
        place = self.new if new else self.old
        if place is None:
            return None
        return place + "".join(f"/{escape_pointer_token(t)}" for t in tokens)

    def below(
        self,
        old: Sequence[str | int] | None,
        new: Sequence[str | int] | None,
        step: Step | None = None,
        context: Context = IDENTITY,
    ) -> _At:
        return _At(
            None if old is None else self.key(*old, new=False),
            None if new is None else self.key(*new, new=True),
            self.path + ((step,) if step else ()),
            compose(self.context, context),
        )


@dataclass(frozen=True, slots=True)
class _Edge:
    """A pair of schemas met where one side (or both) is a reference."""

    old_key: SchemaKey
    old: JsonSchema
    new_key: SchemaKey
    new: JsonSchema
    path: tuple[Step, ...]
    context: Context

    @property
    def identity(self) -> tuple[SchemaKey, SchemaKey, Context]:
        return self.old_key, self.new_key, self.context


@dataclass(slots=True)
class _Local:
    """The changes of one pair of schemas, and the pairs it leads to."""

    changes: list[SchemaChange] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)


def _is_ref(schema: object) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("$ref"), str)


def _object(schema: object) -> Mapping[str, Any]:
    return schema if isinstance(schema, dict) else _EMPTY


def _name(key: SchemaKey) -> str:
    tokens = parse_pointer(key.partition("#")[2])
    return tokens[-1] if tokens else key.partition("#")[0]


_ABSENT = "(absent) "


def _absent(value: JsonSchema) -> SchemaKey:
    """A key for a schema no place writes (an absent keyword's default), for the memo."""
    return _ABSENT + canonical(value)


def _written(key: SchemaKey) -> SchemaKey | None:
    return None if key.startswith(_ABSENT) else key


class SchemaComparison:
    """Compares the schemas of two documents; each referenced pair is compared once."""

    def __init__(self, old: Lookup, new: Lookup, wording: Wording) -> None:
        self.old = old
        self.new = new
        self.words = wording
        self._pairs: dict[tuple[SchemaKey, SchemaKey, Context], _Local] = {}
        self._no_refs: dict[int, bool] = {}
        self._kept: list[JsonSchema] = []

    def compare(
        self, old_key: SchemaKey, old: JsonSchema, new_key: SchemaKey, new: JsonSchema
    ) -> list[SchemaChange]:
        """Every change between two root schemas, each once, at its innermost place."""
        found: list[SchemaChange] = []
        seen: set[tuple[SchemaKey, SchemaKey, Context]] = set()
        pending = deque([_Edge(old_key, old, new_key, new, (), IDENTITY)])
        while pending:
            edge = pending.popleft()
            if edge.identity in seen:
                continue
            seen.add(edge.identity)
            local = self._local(edge)
            found.extend(change.below(edge.path) for change in local.changes)
            pending.extend(replace(e, path=edge.path + e.path) for e in local.edges)
        return found

    def _local(self, edge: _Edge) -> _Local:
        local = self._pairs.get(edge.identity)
        if local is None:
            local = _Local()
            at = _At(_written(edge.old_key), _written(edge.new_key), (), edge.context)
            self._schema(edge.old, edge.new, at, local)
            self._pairs[edge.identity] = local
        return local

    def _refless(self, schema: JsonSchema) -> bool:
        """Whether no ``$ref`` is inside ``schema``, so that equal means equivalent."""
        known = self._no_refs.get(id(schema))
        if known is None:
            known = not _references_inside(schema)
            self._no_refs[id(schema)] = known
            self._kept.append(schema)  # the id stays this object's while it is cached
        return known

    # -- reporting ---------------------------------------------------------------------

    def _change(
        self,
        local: _Local,
        at: _At,
        effect: Effect,
        kind: str,
        message: str,
        *,
        old: SchemaKey | None,
        new: SchemaKey | None,
        old_schema: JsonSchema = True,
        new_schema: JsonSchema = True,
        values: tuple[object, ...] = (),
        path: tuple[Step, ...] | None = None,
    ) -> None:
        local.changes.append(
            SchemaChange(
                apply(at.context, effect),
                kind,
                message,
                old,
                new,
                at.path if path is None else path,
                old_schema,
                new_schema,
                values,
            )
        )

    # -- one pair of places ------------------------------------------------------------

    def _schema(self, old: JsonSchema, new: JsonSchema, at: _At, local: _Local) -> None:
        if old == new and _identical(old, new) and self._refless(old):
            return  # equal, and nothing inside can differ: most of an unchanged document
        if _is_ref(old) or _is_ref(new):
            self._reference(old, new, at, local)
            return
        if old is False or new is False:
            if old is not new:
                self._boolean(old, new, at, local)
            return
        before, after = _object(old), _object(new)
        for effect, kind, message, keyword, values in scalar_changes(before, after, self.words):
            in_new = keyword in after
            self._change(
                local,
                at,
                effect,
                kind,
                message,
                old=at.key(keyword, new=False) if keyword in before else at.old,
                new=at.key(keyword, new=True)
                if in_new
                else (None if keyword in before else at.new),
                old_schema=old,
                new_schema=new,
                values=values,
            )
        self._required(before, after, at, local)
        self._properties(before, after, at, local)
        self._dependencies(before, after, at, local)
        self._items(before, after, at, local)
        self._all_of(before, after, at, local)
        for keyword in ("anyOf", "oneOf"):
            self._union(keyword, before, after, at, local)
        self._not(before, after, at, local)
        self._conditional(before, after, at, local)
        self._discriminator(before, after, at, local)

    def _reference(self, old: JsonSchema, new: JsonSchema, at: _At, local: _Local) -> None:
        old_key, new_key = at.old, at.new
        old_value: JsonSchema | None = old
        new_value: JsonSchema | None = new
        if _is_ref(old):
            old_key = str(_object(old)["$ref"])
            old_value = self.old(old_key)
        if _is_ref(new):
            new_key = str(_object(new)["$ref"])
            new_value = self.new(new_key)
        if old_value is None or new_value is None:
            return  # a broken reference is the document's error, reported by validation
        if (
            self.words.old is None
            and _is_ref(old)
            and _is_ref(new)
            and _name(str(old_key)) != _name(str(new_key))
        ):
            self._change(
                local,
                at,
                "info",
                "ref",
                self.words.changes(
                    "the reference", repr(_name(str(old_key))), repr(_name(str(new_key)))
                ),
                old=at.key("$ref", new=False),
                new=at.key("$ref", new=True),
            )
        local.edges.append(
            _Edge(
                old_key or _absent(old_value),
                old_value,
                new_key or _absent(new_value),
                new_value,
                at.path,
                at.context,
            )
        )

    def _boolean(self, old: JsonSchema, new: JsonSchema, at: _At, local: _Local) -> None:
        old_side, new_side = self.words.side(new=False), self.words.side(new=True)
        if old is False:
            message = f"{old_side} accepts no value here and {new_side} does"
            self._change(
                local, at, "wider", "accept", message, old=at.old, new=at.new, new_schema=new
            )
        else:
            message = f"{new_side} accepts no value here and {old_side} does"
            self._change(
                local, at, "narrower", "refuse", message, old=at.old, new=at.new, old_schema=old
            )

    # -- objects -----------------------------------------------------------------------

    def _required(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before = [n for n in old.get("required") or () if isinstance(n, str)]
        after = [n for n in new.get("required") or () if isinstance(n, str)]
        for index, name in enumerate(after):
            if name not in before:
                self._change(
                    local,
                    at,
                    "narrower",
                    "required-added",
                    self.words.required(name, in_new=True),
                    old=at.old,
                    new=at.key("required", index, new=True),
                    values=(name,),
                )
        for index, name in enumerate(before):
            if name not in after:
                self._change(
                    local,
                    at,
                    "wider",
                    "required-removed",
                    self.words.required(name, in_new=False),
                    old=at.key("required", index, new=False),
                    new=None,
                    values=(name,),
                    old_schema=old,
                    new_schema=new,
                )

    def _undescribed(
        self, schema: Mapping[str, Any], place: SchemaKey | None, name: str
    ) -> tuple[JsonSchema, SchemaKey | None, str]:
        """What a schema says of a property its ``properties`` do not name, and where."""
        patterns = _object(schema.get("patternProperties"))
        matching = [p for p in patterns if _search(p, name)]
        if matching:
            where = (
                None
                if place is None
                else f"{place}/patternProperties/{escape_pointer_token(matching[0])}"
            )
            value: JsonSchema = (
                patterns[matching[0]]
                if len(matching) == 1
                else {"allOf": [patterns[p] for p in matching]}
            )
            return value, where, f"patternProperties {shown(matching[0])}"
        extra = schema.get("additionalProperties", True)
        where = (
            None
            if place is None or "additionalProperties" not in schema
            else f"{place}/additionalProperties"
        )
        return (
            extra,
            where,
            "additionalProperties: false" if extra is False else "additionalProperties",
        )

    def _properties(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = _object(old.get("properties")), _object(new.get("properties"))
        for name in [*after, *(n for n in before if n not in after)]:
            step: Step = ("property", name)
            place = ("properties", name)
            if name in before and name in after:
                self._schema(before[name], after[name], at.below(place, place, step), local)
            elif name in after:
                value, where, why = self._undescribed(old, at.old, name)
                target = replace(at.below(None, place, step), old=where)
                if _plain_boolean(value):
                    self._one_side(
                        name, after[name], value, why=why, at=target, local=local, in_new=True
                    )
                else:
                    self._schema(value, after[name], target, local)
            else:
                value, where, why = self._undescribed(new, at.new, name)
                target = replace(at.below(place, None, step), new=where)
                if _plain_boolean(value):
                    self._one_side(
                        name, before[name], value, why=why, at=target, local=local, in_new=False
                    )
                else:
                    self._schema(before[name], value, target, local)
        self._additional(old, new, at, local)
        self._patterns(old, new, at, local)
        self._schema_keyword("propertyNames", old, new, at, local, step=("name", ""))

    def _one_side(
        self,
        name: str,
        described: JsonSchema,
        other: JsonSchema,
        *,
        why: str,
        at: _At,
        local: _Local,
        in_new: bool,
    ) -> None:
        """A property one schema describes, where the other allows anything or nothing."""
        if described is False or (other is not False and described in (True, {})):
            return
        mine, theirs = self.words.side(new=in_new), self.words.side(new=not in_new)
        if other is False:
            message = (
                f"the property {name!r} is described by {mine} and refused by {theirs} ({why})"
            )
            effect: Effect = "wider" if in_new else "narrower"
        else:
            message = (
                f"the property {name!r} is described by {mine}, where {theirs} allows any value"
            )
            effect = "narrower" if in_new else "wider"
        self._change(
            local,
            at,
            effect,
            "property-added" if in_new else "property-removed",
            message,
            old=at.old,
            new=at.new if in_new else None,
            old_schema=True if in_new else described,
            new_schema=described if in_new else True,
            values=(name,),
        )

    def _additional(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        if "additionalProperties" not in old and "additionalProperties" not in new:
            return
        before = old.get("additionalProperties", True)
        after = new.get("additionalProperties", True)
        target = at.below(("additionalProperties",), ("additionalProperties",), ("extra", ""))
        target = replace(
            target,
            old=target.old if "additionalProperties" in old else at.old,
            new=target.new if "additionalProperties" in new else at.new,
        )
        if isinstance(before, bool) or isinstance(after, bool):
            if canonical(before if before is not True else {}) == canonical(
                after if after is not True else {}
            ):
                return
            if after is False or before is False:
                effect: Effect = "narrower" if after is False else "wider"
                message = self.words.changes("additionalProperties", shown(before), shown(after))
                self._change(
                    local,
                    target,
                    effect,
                    "additional",
                    message,
                    old=target.old,
                    new=target.new,
                    old_schema=before,
                    new_schema=after,
                )
                return
        self._schema(before, after, target, local)

    def _patterns(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = _object(old.get("patternProperties")), _object(new.get("patternProperties"))
        for pattern in after:
            if pattern in before:
                place = ("patternProperties", pattern)
                self._schema(before[pattern], after[pattern], at.below(place, place), local)
        if set(before) != set(after):
            self._change(
                local,
                at,
                "unknown",
                "patterns",
                self.words.changes(
                    "the patternProperties", shown(sorted(before)), shown(sorted(after))
                )
                + "; which property names each side then allows cannot be told",
                old=at.key("patternProperties", new=False) if before else at.old,
                new=at.key("patternProperties", new=True) if after else None,
            )

    def _dependencies(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = _object(old.get("dependencies")), _object(new.get("dependencies"))
        for name in [*after, *(n for n in before if n not in after)]:
            place = ("dependencies", name)
            if name in before and name in after:
                if isinstance(before[name], list) and isinstance(after[name], list):
                    gained = [n for n in after[name] if n not in before[name]]
                    lost = [n for n in before[name] if n not in after[name]]
                    effect: Effect | None = (
                        "both"
                        if gained and lost
                        else "narrower"
                        if gained
                        else "wider"
                        if lost
                        else None
                    )
                    if effect:
                        self._change(
                            local,
                            at,
                            effect,
                            "dependencies",
                            self.words.changes(
                                f"the properties that {name!r} needs",
                                shown(before[name]),
                                shown(after[name]),
                            ),
                            old=at.key(*place, new=False),
                            new=at.key(*place, new=True),
                        )
                elif not isinstance(before[name], list) and not isinstance(after[name], list):
                    self._schema(before[name], after[name], at.below(place, place), local)
                else:
                    self._change(
                        local,
                        at,
                        "unknown",
                        "dependencies",
                        f"the dependency of {name!r} is a list of properties on one side "
                        "and a schema on the other",
                        old=at.key(*place, new=False),
                        new=at.key(*place, new=True),
                    )
            else:
                in_new = name in after
                self._change(
                    local,
                    at,
                    "narrower" if in_new else "wider",
                    "dependencies",
                    self.words.only(f"a dependency of the property {name!r}", in_new=in_new),
                    old=None if in_new else at.key(*place, new=False),
                    new=at.key(*place, new=True) if in_new else None,
                )

    # -- arrays ------------------------------------------------------------------------

    def _items(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = old.get("items"), new.get("items")
        if isinstance(before, list) or isinstance(after, list):
            count = max(len(v) for v in (before, after) if isinstance(v, list))
            for index in range(count + 1):
                old_value, old_place = _item(old, index)
                new_value, new_place = _item(new, index)
                target = _At(
                    at.key(*old_place, new=False) if old_place else at.old,
                    at.key(*new_place, new=True) if new_place else at.new,
                    (*at.path, ("item", str(index))),
                    at.context,
                )
                self._schema(old_value, new_value, target, local)
        elif before is not None or after is not None:
            target = at.below(("items",), ("items",), ("item", "0"))
            target = replace(
                target,
                old=target.old if before is not None else at.old,
                new=target.new if after is not None else at.new,
            )
            self._schema(
                True if before is None else before, True if after is None else after, target, local
            )
        self._schema_keyword(
            "contains", old, new, at, local, step=("item", "0"), absent_means_nothing=True
        )

    def _schema_keyword(
        self,
        keyword: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        at: _At,
        local: _Local,
        *,
        step: Step,
        absent_means_nothing: bool = False,
    ) -> None:
        if keyword not in old and keyword not in new:
            return
        if absent_means_nothing and (keyword not in old or keyword not in new):
            in_new = keyword in new
            self._change(
                local,
                at,
                "narrower" if in_new else "wider",
                keyword,
                self.words.only(keyword, in_new=in_new),
                old=None if in_new else at.key(keyword, new=False),
                new=at.key(keyword, new=True) if in_new else None,
            )
            return
        target = at.below((keyword,), (keyword,), step)
        target = replace(
            target,
            old=target.old if keyword in old else at.old,
            new=target.new if keyword in new else at.new,
        )
        self._schema(old.get(keyword, True), new.get(keyword, True), target, local)

    # -- combinations ------------------------------------------------------------------

    def _all_of(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = _members(old, "allOf"), _members(new, "allOf")
        if not before and not after:
            return
        pairs, added, removed = self._pair(before, after, None)
        for i, j in pairs:
            self._schema(before[i], after[j], at.below(("allOf", i), ("allOf", j)), local)
        for j in added:
            self._schema(True, after[j], replace(at.below(None, ("allOf", j)), old=at.old), local)
        for i in removed:
            self._schema(before[i], True, replace(at.below(("allOf", i), None), new=None), local)

    def _union(
        self, keyword: str, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = _members(old, keyword), _members(new, keyword)
        if keyword not in old and keyword not in new:
            return
        if keyword not in old or keyword not in new:
            in_new = keyword in new
            members = after if in_new else before
            if any(m is True or m == {} for m in members):
                return
            self._change(
                local,
                at,
                "narrower" if in_new else "wider",
                keyword,
                self.words.only(f"{keyword} of {len(members)} schemas", in_new=in_new),
                old=None if in_new else at.key(keyword, new=False),
                new=at.key(keyword, new=True) if in_new else None,
            )
            return
        tag = (
            self._tag(old, new, before, after)
            if keyword == "oneOf" or "discriminator" in new
            else None
        )
        disjoint = keyword == "anyOf" or tag is not None
        pairs, added, removed = self._pair(before, after, tag)
        inner = IDENTITY if disjoint else EXCLUSIVE
        for i, j in pairs:
            self._schema(
                before[i], after[j], at.below((keyword, i), (keyword, j), None, inner), local
            )
        for j in added:
            self._member(keyword, j, after[j], at, local, tag=tag, disjoint=disjoint, in_new=True)
        for i in removed:
            self._member(keyword, i, before[i], at, local, tag=tag, disjoint=disjoint, in_new=False)

    def _member(
        self,
        keyword: str,
        index: int,
        member: JsonSchema,
        at: _At,
        local: _Local,
        *,
        tag: str | None,
        disjoint: bool,
        in_new: bool,
    ) -> None:
        """A member of ``anyOf``/``oneOf`` that only one side has."""
        label = self._label(member, self.new if in_new else self.old, tag) or f"number {index + 1}"
        message = self.words.only(f"the {keyword} member {label}", in_new=in_new)
        if not disjoint:
            message += (
                f", which may also make a value match two members, which {keyword} refuses"
                if in_new
                else f", which may also leave a value matching one member only, which "
                f"{keyword} then accepts"
            )
        self._change(
            local,
            at,
            ("wider" if in_new else "narrower") if disjoint else "both",
            "member-added" if in_new else "member-removed",
            message,
            old=None if in_new else at.key(keyword, index, new=False),
            new=at.key(keyword, index, new=True) if in_new else None,
            old_schema=True if in_new else member,
            new_schema=member if in_new else True,
        )

    def _not(self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local) -> None:
        if "not" not in old and "not" not in new:
            return
        if "not" in old and "not" in new:
            self._schema(old["not"], new["not"], at.below(("not",), ("not",), None, FLIP), local)
            return
        in_new = "not" in new
        self._change(
            local,
            at,
            "narrower" if in_new else "wider",
            "not",
            self.words.only("a 'not' schema", in_new=in_new),
            old=None if in_new else at.key("not", new=False),
            new=at.key("not", new=True) if in_new else None,
        )

    def _conditional(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        if not any(k in old or k in new for k in ("if", "then", "else")):
            return
        before = canonical([old.get(k) for k in ("if", "then", "else")])
        after = canonical([new.get(k) for k in ("if", "then", "else")])
        if before != after:
            keyword = next(k for k in ("if", "then", "else") if k in new or k in old)
            self._change(
                local,
                at,
                "unknown",
                "conditional",
                self.words.changes("the if/then/else schemas", "one set", "another")
                + "; what each accepts cannot be told",
                old=at.key(keyword, new=False) if keyword in old else at.old,
                new=at.key(keyword, new=True) if keyword in new else None,
            )

    def _discriminator(
        self, old: Mapping[str, Any], new: Mapping[str, Any], at: _At, local: _Local
    ) -> None:
        before, after = old.get("discriminator"), new.get("discriminator")
        if (before is None and after is None) or canonical(before) == canonical(after):
            return
        self._change(
            local,
            at,
            "both",
            "discriminator",
            self.words.changes(
                "the discriminator",
                shown(before) if before else "none",
                shown(after) if after else "none",
            )
            + ", so the member a value decodes as may differ",
            old=at.key("discriminator", new=False) if before else at.old,
            new=at.key("discriminator", new=True) if after else None,
        )

    # -- members of a union -------------------------------------------------------------

    def _deref(self, schema: JsonSchema, lookup: Lookup) -> Mapping[str, Any]:
        for _ in range(32):
            if not _is_ref(schema):
                break
            found = lookup(str(_object(schema)["$ref"]))
            schema = {} if found is None else found
        return _object(schema)

    def _tag_value(
        self, member: JsonSchema, lookup: Lookup, tag: str, depth: int = 0
    ) -> str | None:
        """The value a member's required property ``tag`` must have, as canonical text."""
        schema = self._deref(member, lookup)
        prop = self._deref(_object(schema.get("properties")).get(tag, {}), lookup)
        values = [prop["const"]] if "const" in prop else prop.get("enum")
        if isinstance(values, list) and len(values) == 1 and tag in (schema.get("required") or ()):
            return canonical(values[0])
        for part in _members(schema, "allOf") if depth < 8 else ():
            found = self._tag_value(part, lookup, tag, depth + 1)
            if found is not None:
                return found
        return None

    def _tag(
        self,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        before: list[JsonSchema],
        after: list[JsonSchema],
    ) -> str | None:
        """The property whose value tells the members apart on both sides, if one does."""
        named = _discriminator_name(new)
        if named is not None and named == _discriminator_name(old):
            return named
        first = self._deref(after[0], self.new) if after else _EMPTY
        for tag in _object(first.get("properties")):
            sides = (
                [self._tag_value(m, self.old, tag) for m in before],
                [self._tag_value(m, self.new, tag) for m in after],
            )
            distinct = all(None not in v and len(set(v)) == len(v) for v in sides)
            # Members that are objects: no other value can match two of them.
            objects = all(
                self._deref(m, lookup).get("type") == "object"
                for members, lookup in ((before, self.old), (after, self.new))
                for m in members
            )
            if distinct and (objects or (len(before) > 1 and len(after) > 1)):
                return tag
        return None

    def _label(self, member: JsonSchema, lookup: Lookup, tag: str | None) -> str | None:
        if tag is not None:
            value = self._tag_value(member, lookup, tag)
            if value is not None:
                return f"{tag} = {value}"
            if _is_ref(member):
                return f"{tag} = {shown(_name(str(_object(member)['$ref'])))}"
        if _is_ref(member):
            return repr(_name(str(_object(member)["$ref"])))
        title = _object(member).get("title")
        return repr(title) if isinstance(title, str) else None

    def _pair(
        self, before: list[JsonSchema], after: list[JsonSchema], tag: str | None
    ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Members paired by their tag value, schema name or title, then in order."""
        old_labels = [self._label(m, self.old, tag) for m in before]
        new_labels = [self._label(m, self.new, tag) for m in after]
        pairs: list[tuple[int, int]] = []
        free_old = list(range(len(before)))
        free_new: list[int] = []
        for j, label in enumerate(new_labels):
            match = next(
                (i for i in free_old if label is not None and old_labels[i] == label), None
            )
            if match is None:
                free_new.append(j)
            else:
                pairs.append((match, j))
                free_old.remove(match)
        labelled = tag is not None
        if not labelled:
            while free_old and free_new:
                pairs.append((free_old.pop(0), free_new.pop(0)))
        return sorted(pairs, key=lambda p: p[1]), free_new, free_old


def _identical(old: object, new: object) -> bool:
    """Equal as JSON values are: ``true`` is not ``1`` (Python's ``==`` says it is)."""
    pending = [(old, new)]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, dict) and isinstance(b, dict):
            pending.extend((a[k], b[k]) for k in a)
        elif isinstance(a, list) and isinstance(b, list):
            pending.extend(zip(a, b, strict=True))
    return True


def _references_inside(schema: object) -> bool:
    pending = [schema]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if "$ref" in value:
                return True
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _members(schema: Mapping[str, Any], keyword: str) -> list[JsonSchema]:
    value = schema.get(keyword)
    return [m for m in value if isinstance(m, dict | bool)] if isinstance(value, list) else []


def _discriminator_name(schema: Mapping[str, Any]) -> str | None:
    value = schema.get("discriminator")
    if isinstance(value, dict):
        value = value.get("propertyName")
    return value if isinstance(value, str) else None


def _item(schema: Mapping[str, Any], index: int) -> tuple[JsonSchema, tuple[str | int, ...] | None]:
    """The schema of item ``index`` and its place below the schema (None: no place)."""
    items = schema.get("items")
    if isinstance(items, list):
        if index < len(items):
            return items[index], ("items", index)
        if "additionalItems" in schema:
            return schema["additionalItems"], ("additionalItems",)
        return True, None
    if items is None:
        return True, None
    return items, ("items",)


def _plain_boolean(schema: JsonSchema) -> bool:
    """Whether a schema allows anything (``true``, ``{}``) or nothing (``false``)."""
    return schema is True or schema is False or schema == {}


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False
