"""``oneOf``/``anyOf`` (and ``type: [a, b]``) as Python unions.

Decoding picks a member by, in order: the tag property (a ``discriminator``, or a
property whose ``const``/``enum`` differs between members), the JSON kind of the
value, and finally validation against the member's own schema (in the spec's order;
the last candidate needs no check). Encoding picks a member by its Python class.
Members that Python cannot tell apart when encoding (``list[A] | list[B]``) make the
union fall back to ``JsonValue``, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.payloads.hints import JSON, NEVER, NONE, Hint, MatcherRequest, doc_of, nullable
from generator.payloads.keywords import SHAPE_KEYWORDS, is_object
from generator.payloads.model import (
    AliasDef,
    Nullable,
    Primitive,
    Ref,
    TypeExpr,
    UnionDef,
    UnionMember,
)
from generator.payloads.naming import class_name, constant_name
from generator.payloads.shape import At, Facets, UnionPart, merge_into
from generator.payloads.typeinfo import (
    NATIVE_CLASSES,
    encoded_classes,
    json_kinds,
    python_classes,
)

if TYPE_CHECKING:
    from generator.payloads.mapping import TypeBuilder

__all__ = ["UnionBuilder"]

_KIND_NAMES = {"integer": "number"}


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    member: At
    type: TypeExpr
    facets: Facets


def _has_shape(schema: Any) -> bool:
    if isinstance(schema, bool):
        return True
    return is_object(schema) and not SHAPE_KEYWORDS.isdisjoint(schema)


def _refines(facets: Facets) -> bool:
    return bool(
        facets.properties
        or facets.enum is not None
        or facets.format
        or facets.items
        or facets.prefix
        or facets.additional
    )


def _string_values(facets: Facets) -> tuple[str, ...] | None:
    if facets.enum and all(isinstance(v, str) for v in facets.enum):
        return tuple(dict.fromkeys(facets.enum))
    return None


class UnionBuilder:
    """Builds union definitions for a ``TypeBuilder``."""

    def __init__(self, types: TypeBuilder) -> None:
        self.types = types

    def build(self, facets: Facets, at: At, hint: Hint) -> TypeExpr | None:
        """The type of a schema with ``oneOf``/``anyOf``, or None if its members only
        add constraints (then the rest of the schema decides the type)."""
        part = facets.unions[0]
        for extra in facets.unions[1:]:
            self.types.report(
                "warning",
                extra.site,
                f"Only the first oneOf/anyOf of a schema shapes its Python type; this "
                f"{extra.keyword} is still validated.",
            )
        if not any(_has_shape(member.schema) for member in part.members):
            return None
        base = self.types.union_part_facets(facets)
        candidates: list[_Candidate] = []
        allows_null = False
        for index, member in enumerate(part.members):
            own = self.types.read(member)
            member_hint = self._member_hint(hint, own, facets.discriminator, index)
            member_type = self._member_type(base, own, member, member_hint)
            if isinstance(member_type, Nullable):
                allows_null = True
                member_type = member_type.inner
            if member_type == NONE:
                allows_null = True
            elif (
                member_type != NEVER
                and self._may_match(member_type, base)
                and all(c.type != member_type for c in candidates)
            ):
                candidates.append(_Candidate(index, member, member_type, own))
        if not candidates:
            return NONE if allows_null else NEVER
        if len(candidates) == 1:
            result = candidates[0].type
        else:
            union_hint = hint.without_null() if allows_null else hint
            result = self._union(part, facets, candidates, union_hint)
        return nullable(result) if allows_null else result

    def _member_type(self, base: Facets, own: Facets, member: At, member_hint: Hint) -> TypeExpr:
        if _refines(base) or not _has_shape(member.schema):
            merged = self.types.union_part_facets(base)
            merge_into(merged, own, member, self.types.conflict)
            return self.types.from_facets(merged, member, member_hint)
        return self.types.type_of(member, member_hint)

    @staticmethod
    def _member_hint(hint: Hint, own: Facets, tag: str | None, index: int) -> Hint:
        about = hint.of("A member of")
        if own.title:
            return Hint((class_name(own.title),), about)
        # Named after its tag value when a property has one (``ShapeCircle``).
        names = [tag] if tag is not None else list(own.properties)
        for name in names:
            values = [
                p.schema.get("const") for p in own.properties.get(name, ()) if is_object(p.schema)
            ]
            if values and isinstance(values[0], str) and values[0].strip():
                return hint.child(values[0], about=about)
        return hint.child(f"option{index + 1}", about=about)

    def _may_match(self, member_type: TypeExpr, base: Facets) -> bool:
        if base.types is None:
            return True
        allowed = {_KIND_NAMES.get(t, t) for t in base.types}
        return bool(allowed & set(json_kinds(member_type, self.types.lookup)))

    def by_kind(self, kinds: list[str], facets: Facets, at: At, hint: Hint) -> TypeExpr:
        """A union of the values of several JSON types (``type: [string, integer]``)."""
        types = [
            self.types.kind_type(
                kind, facets, at, hint.child(kind, about=hint.of(f"The {kind} form of"))
            )
            for kind in kinds
        ]
        candidates = [_Candidate(i, at, t, facets) for i, t in enumerate(types)]
        return self._define(hint, doc_of(facets, hint), candidates, tag=None, part=None)

    def _union(
        self, part: UnionPart, facets: Facets, candidates: list[_Candidate], hint: Hint
    ) -> TypeExpr:
        tag = (
            facets.discriminator
            or self.types.tags.by_union.get(part.site.place)
            or self._common_tag(candidates)
        )
        return self._define(hint, doc_of(facets, hint), candidates, tag=tag, part=part)

    def _define(
        self,
        hint: Hint,
        doc: str,
        candidates: list[_Candidate],
        *,
        tag: str | None,
        part: UnionPart | None,
    ) -> TypeExpr:
        types = self.types
        name, encode, decode = types.name_for(hint, "union")
        candidates = [
            replace(c, type=types.short(c.type, name, f"option{c.index + 1}")) for c in candidates
        ]
        candidates = self._without_itself(candidates, name)
        if not candidates:
            return JSON
        tags = self._tags(candidates, tag)
        all_kinds = [json_kinds(c.type, types.lookup) for c in candidates]
        # Objects never need a schema check when every object member has a required tag.
        tagged = all(
            tags[i] and tag in c.facets.required
            for i, c in enumerate(candidates)
            if "object" in all_kinds[i]
        )
        members: list[UnionMember] = []
        for position, candidate in enumerate(candidates):
            kinds = all_kinds[position]
            later = {k for ks in all_kinds[position + 1 :] for k in ks}
            if tagged:
                later.discard("object")
            matcher = None
            if part is not None and later & set(kinds):
                matcher = types.schema_names.claim(
                    [f"{constant_name(name)}_MEMBER_{candidate.index + 1}"]
                )
                types.matchers.append(
                    _matcher_request(matcher, candidate.member, name, candidate.index)
                )
            members.append(
                UnionMember(
                    candidate.type,
                    kinds,
                    tags[position],
                    matcher,
                    encoded_classes(candidate.type, types.lookup),
                )
            )
        clash = _encoding_clash(members, types.lookup)
        if clash is not None:
            types.report(
                "warning",
                candidates[0].member,
                f"The members of {name} cannot be told apart in Python when encoding "
                f"({clash}); the union is typed as JsonValue.",
            )
            return types.add(AliasDef(name, doc, Primitive("json"), encode, decode))
        cases = types.names.claim([constant_name(name, private=True) + "_CASES"])
        variants = types.names.claim([constant_name(name, private=True) + "_VARIANTS"])
        used_tag = tag if any(m.tags for m in members) else None
        return types.add(
            UnionDef(name, doc, tuple(members), used_tag, encode, decode, cases, variants)
        )

    def _property_values(self, facets: Facets, name: str) -> tuple[str, ...] | None:
        places = facets.properties.get(name)
        if not places:
            return None
        merged = Facets()
        for place in places:
            merge_into(merged, self.types.read(place), place, self.types.conflict)
        return _string_values(merged)

    def _without_itself(self, candidates: list[_Candidate], name: str) -> list[_Candidate]:
        """The members, less any that is the union itself with nothing in between."""
        kept = []
        for candidate in candidates:
            if _loops_back(candidate.type, name, self.types.lookup):
                self.types.report(
                    "error",
                    candidate.member,
                    "This member is the union itself (directly or through other unions), "
                    "with no array or object in between, so it describes no value of its "
                    "own and no Python type can spell it; remove it, or wrap it in an array "
                    "or object.",
                )
            else:
                kept.append(candidate)
        return kept

    def _tags(self, candidates: list[_Candidate], tag: str | None) -> list[tuple[str, ...]]:
        if tag is None:
            return [() for _ in candidates]
        found = [self._property_values(c.facets, tag) or () for c in candidates]
        counts: dict[str, int] = {}
        for values in found:
            for value in values:
                counts[value] = counts.get(value, 0) + 1
        # A value two members accept cannot select either of them.
        return [tuple(v for v in values if counts[v] == 1) for values in found]

    def _common_tag(self, candidates: list[_Candidate]) -> str | None:
        objects = [c for c in candidates if "object" in json_kinds(c.type, self.types.lookup)]
        if len(objects) < 2:
            return None
        for name in objects[0].facets.properties:
            values = [self._property_values(c.facets, name) for c in objects]
            if all(values):
                seen = [v for vs in values if vs for v in vs]
                if len(seen) == len(set(seen)):
                    return name
        return None


def _loops_back(expr: TypeExpr, name: str, lookup: Any) -> bool:
    """Whether ``expr`` is the definition ``name`` through aliases and unions alone."""
    pending, seen = [expr], set()
    while pending:
        current = pending.pop()
        if isinstance(current, Nullable):
            pending.append(current.inner)
        elif isinstance(current, Ref) and current.name not in seen:
            if current.name == name:
                return True
            seen.add(current.name)
            found = lookup(current.name)
            if isinstance(found, AliasDef):
                pending.append(found.target)
            elif isinstance(found, UnionDef):
                pending.extend(member.type for member in found.members)
    return False


def _matcher_request(constant: str, member: At, union: str, index: int) -> MatcherRequest:
    doc = f"Schema of member {index + 1} of ``{union}``, to tell it apart when decoding."
    return MatcherRequest(constant, member, doc)


def _encoding_clash(members: list[UnionMember], lookup: Any) -> str | None:
    """Describe two members that the same Python class could belong to, if any."""
    for position, member in enumerate(members):
        if not member.classes:
            continue
        for other_position, other in enumerate(members):
            if other_position == position:
                continue
            other_classes = python_classes(other.type, lookup) or NATIVE_CLASSES
            shared = set(member.classes) & set(other_classes)
            if shared:
                return f"both can be a {sorted(shared)[0]}"
    return None
