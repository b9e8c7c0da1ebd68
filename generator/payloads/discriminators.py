"""Discriminators whose values are schema names: which member each value selects.

AsyncAPI's ``discriminator`` names a property (on a base schema the members ``allOf``,
or on the union itself; OpenAPI's ``{propertyName, mapping}`` form too) whose value
is the member's schema name (its key under ``components/schemas``), unless the
``mapping`` gives it another one. Before any type is built, every reachable union is
read once, so that a named member carries its value wherever it is used: its class
types the property as a ``Literal`` of the value, and its embedded schema requires
it. A union whose discriminator cannot select a member (the property is optional, a
member has no name, two members would share a value) is reported and read as if it
had no discriminator.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.payloads.keywords import is_object, subschemas
from generator.payloads.shape import At, Facets, merge_into
from generator.schema_graph import SchemaGraph, split_key

__all__ = ["Discriminated", "Tag", "discriminate", "target_key"]

_NO_DISCRIMINATOR = "the members are told apart as if there were no discriminator."
_COMPONENT = "/components/schemas/"


@dataclass(frozen=True, slots=True)
class Tag:
    """The value of ``property`` that selects one named schema."""

    property: str
    value: str


@dataclass(slots=True)
class Discriminated:
    """What the discriminators of the reachable unions decide."""

    by_key: dict[str, Tag] = field(default_factory=dict)
    """Schemas (graph keys) whose tag property holds one value wherever they are used."""
    by_union: dict[str, str] = field(default_factory=dict)
    """The tag property of each union (by place) whose members are selected by name."""
    problems: list[tuple[At, str]] = field(default_factory=list)
    """Discriminators that cannot select, as warnings at their place."""


def target_key(graph: SchemaGraph, key: str) -> str:
    """``key``, or the schema it stands for when it is only a ``$ref``."""
    seen = {key}
    node = graph.nodes.get(key)
    while is_object(node) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        key = node["$ref"]
        seen.add(key)
        node = graph.nodes.get(key)
    return key


def _schema_name(key: str) -> str | None:
    _, pointer = split_key(key)
    if not pointer.startswith(_COMPONENT):
        return None
    name = pointer[len(_COMPONENT) :]
    if "/" in name:
        return None
    return name.replace("~1", "/").replace("~0", "~")


@dataclass(frozen=True, slots=True)
class _Mapping:
    """A discriminator's ``mapping``: values by the schema they refer to."""

    refs: tuple[tuple[str, str, str], ...] = ()
    """``(file, pointer, value)``, the file resolved like a ``$ref``'s."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Values by bare schema name, which OpenAPI allows instead of a reference."""

    def value_of(self, key: str) -> str | None:
        """The value that selects the schema ``key``, if the mapping names it."""
        file, pointer = split_key(key)
        for mapped_file, mapped_pointer, value in self.refs:
            if mapped_pointer == pointer and _same_file(mapped_file, file):
                return value
        name = _schema_name(key)
        return self.names.get(name) if name is not None else None


def _same_file(written: str, key_file: str) -> bool:
    # A root's place names its file as given on the command line, while graph keys
    # name files relative to the root document's folder.
    return written == key_file or written.endswith("/" + key_file)


def _mapping(site: At | None) -> _Mapping:
    """The ``mapping`` of the discriminator written at ``site``."""
    value = site.schema.get("discriminator") if site and is_object(site.schema) else None
    mapping = value.get("mapping") if is_object(value) else None
    if site is None or not is_object(mapping):
        return _Mapping()
    file = split_key(site.base)[0]
    refs: list[tuple[str, str, str]] = []
    names: dict[str, str] = {}
    for name, ref in mapping.items():
        if not isinstance(ref, str):
            continue
        address, hash_, pointer = ref.partition("#")
        if not hash_:
            names.setdefault(ref, str(name))
            continue
        if address:
            address = posixpath.normpath(posixpath.join(posixpath.dirname(file), address))
        refs.append((address or file, pointer, str(name)))
    return _Mapping(tuple(refs), names)


def _walk(at: At) -> Iterator[At]:
    """``at`` and every schema written inside it (references are not followed)."""
    stack = [at]
    while stack:
        current = stack.pop()
        yield current
        if is_object(current.schema) and "$ref" not in current.schema:
            found = [
                At(sub, current.base, current.pointer + suffix)
                for suffix, sub in subschemas(current.schema)
            ]
            stack.extend(reversed(found))


@dataclass(frozen=True, slots=True)
class _Union:
    """A ``oneOf``/``anyOf`` with a discriminator, and what its members say."""

    at: At
    keyword: str
    prop: str
    own: Facets
    places: list[At]
    facets: list[Facets]
    mapping: _Mapping


class _Decider:
    def __init__(self, graph: SchemaGraph, read: Callable[[At], Facets]) -> None:
        self.graph = graph
        self.read = read
        self.result = Discriminated()
        self._bases: dict[str, set[str]] = {}

    def union(self, at: At) -> None:
        keyword = next((k for k in ("oneOf", "anyOf") if k in at.schema), None)
        members = at.schema.get(keyword) if keyword else None
        if keyword is None or not isinstance(members, list):
            return
        places = [at.child(m, keyword, i) for i, m in enumerate(members)]
        own = self.read(at)
        facets = [self.read(place) for place in places]
        prop, site = own.discriminator, own.discriminator_at
        if prop is None:
            prop, site = _inherited(facets)
        if prop is None:
            return
        tags = self._tags(_Union(at, keyword, prop, own, places, facets, _mapping(site)))
        if tags is not None:
            self.result.by_key.update(tags)
            self.result.by_union[at.place] = prop

    def _tags(self, union: _Union) -> dict[str, Tag] | None:
        prop, keyword = union.prop, union.keyword
        if prop not in union.own.required and not all(prop in f.required for f in union.facets):
            return self._fails(
                union.at,
                f"The discriminator {prop!r} is not required by every member of this "
                f"{keyword}, so its value cannot select a member; {_NO_DISCRIMINATOR}",
            )
        tags: dict[str, Tag] = {}
        values: list[str] = []
        for place, member in zip(union.places, union.facets, strict=True):
            constant = self._values(member, prop)
            if constant:
                values.extend(constant)
                continue
            ref = place.schema.get("$ref") if is_object(place.schema) else None
            value = None
            if isinstance(ref, str):
                value = union.mapping.value_of(ref) or _schema_name(ref)
            if value is None:
                return self._fails(
                    place,
                    f"This member of a {keyword} with the discriminator {prop!r} is neither "
                    "a reference to a named schema nor gives the property a const value, "
                    f"so no value of {prop!r} selects it; {_NO_DISCRIMINATOR}",
                )
            assert isinstance(ref, str)
            tags[target_key(self.graph, ref)] = Tag(prop, value)
            values.append(value)
        return self._checked(union.at, keyword, tags, values)

    def _checked(
        self, at: At, keyword: str, tags: dict[str, Tag], values: list[str]
    ) -> dict[str, Tag] | None:
        shared = sorted({v for v in values if values.count(v) > 1})
        if shared:
            return self._fails(
                at,
                f"Two members of this {keyword} have the discriminator value "
                f"{shared[0]!r}, so it cannot select one; {_NO_DISCRIMINATOR}",
            )
        known = self.result.by_key
        for key, tag in tags.items():
            if known.get(key, tag) != tag:
                return self._fails(
                    at,
                    f"The schema {key!r} is selected by {tag.property!r} = {tag.value!r} "
                    f"here but by {known[key].property!r} = {known[key].value!r} in another "
                    f"union, and one class holds one value; {_NO_DISCRIMINATOR}",
                )
        every = known | tags
        for key, tag in tags.items():
            for other, other_tag in every.items():
                if other_tag.property != tag.property:
                    continue
                whole, part = (key, other) if other in self._bases_of(key) else (other, key)
                if other != key and part in self._bases_of(whole):
                    return self._fails(
                        at,
                        f"The schema {whole!r} includes {part!r} through allOf, so it would "
                        f"require both their discriminator values; {_NO_DISCRIMINATOR}",
                    )
        return tags

    def _fails(self, at: At, message: str) -> dict[str, Tag] | None:
        """Report why the discriminator cannot select; None, so the union keeps no tags."""
        self.result.problems.append((at, message))
        return None

    def _values(self, facets: Facets, prop: str) -> list[str]:
        merged = Facets()
        for place in facets.properties.get(prop, ()):
            merge_into(merged, self.read(place), place, _ignore)
        if merged.enum and all(isinstance(v, str) for v in merged.enum):
            return list(dict.fromkeys(merged.enum))
        return []

    def _bases_of(self, key: str) -> set[str]:
        """The keys ``key`` includes through ``allOf``, however deep."""
        known = self._bases.get(key)
        if known is not None:
            return known
        self._bases[key] = found = set()
        stack = [self.graph.nodes.get(key)]
        while stack:
            node = stack.pop()
            if not is_object(node):
                continue
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = target_key(self.graph, ref)
                if target not in found and target != key:
                    found.add(target)
                    stack.append(self.graph.nodes.get(target))
                continue
            parts = node.get("allOf")
            if isinstance(parts, list):
                stack.extend(parts)
        return found


def _inherited(facets: list[Facets]) -> tuple[str | None, At | None]:
    """The discriminator every member inherits from a base schema, if they agree."""
    names = {f.discriminator for f in facets}
    if len(names) != 1 or None in names:
        return None, None
    return facets[0].discriminator, facets[0].discriminator_at


def _ignore(conflict: Any) -> None:
    del conflict  # the type builder reports contradictions when it builds the type


def discriminate(
    graph: SchemaGraph, schemas: Sequence[At], read: Callable[[At], Facets]
) -> Discriminated:
    """Decide the tags of every union written in ``schemas`` (roots and graph keys)."""
    decider = _Decider(graph, read)
    for schema in schemas:
        for at in _walk(schema):
            if is_object(at.schema) and "$ref" not in at.schema:
                decider.union(at)
    return decider.result
