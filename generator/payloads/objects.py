"""JSON objects as Python types: a frozen dataclass per object, or a map.

Properties become fields in the spec's order, with attribute names made safe and
unique within the class and the spec's names kept for the wire. Properties the schema
does not name are kept in an ``additional_properties`` field unless
``additionalProperties: false`` forbids them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.payloads.hints import JSON, NEVER, Hint, doc_of
from generator.payloads.keywords import is_object
from generator.payloads.model import ClassDef, Extra, Field, MapOf, TypeExpr
from generator.payloads.naming import Namespace, attribute_name
from generator.payloads.shape import At, Facets

if TYPE_CHECKING:
    from generator.payloads.mapping import TypeBuilder

__all__ = ["ObjectBuilder"]


class ObjectBuilder:
    """Builds the types of JSON objects for a ``TypeBuilder``."""

    def __init__(self, types: TypeBuilder) -> None:
        self.types = types

    def build(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        """A class for an object with properties, otherwise a map."""
        if facets.properties:
            return self._class(facets, at, hint)
        if facets.additional and not facets.pattern_properties:
            value_hint = hint.child("value", about=hint.of("A value of"))
            return MapOf(self.types.merged_type(facets.additional, at, value_hint))
        return MapOf(JSON)

    def _class(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        name, encode, decode = self.types.name_for(hint, "class")
        attributes = Namespace(python_names=False)
        fields: list[Field] = []
        for wire, places in facets.properties.items():
            about = f"The ``{wire}`` property of ``{name}``."
            field_type = self.types.merged_type(places, at, hint.child(wire, about=about))
            if field_type == NEVER:
                if wire in facets.required:
                    self.types.report(
                        "warning",
                        places[0],
                        f"The property {wire!r} is required but its schema allows no value, "
                        "so no payload is valid.",
                    )
                continue
            attribute = attributes.claim([attribute_name(wire)])
            fields.append(
                Field(
                    attribute,
                    wire,
                    self.types.short(field_type, name, wire),
                    wire in facets.required,
                    _property_doc(places, wire, attribute),
                )
            )
        for wire in facets.required:
            if wire not in facets.properties:
                attribute = attributes.claim([attribute_name(wire)])
                doc = f"The ``{wire}`` property, required by the schema, which says nothing else."
                fields.append(Field(attribute, wire, JSON, True, doc))
        extra = self._extra(facets, at, hint, attributes, fields)
        self._check_closed(facets)
        return self.types.add(
            ClassDef(name, doc_of(facets, hint), tuple(fields), extra, encode, decode)
        )

    def _extra(
        self,
        facets: Facets,
        at: At,
        hint: Hint,
        attributes: Namespace,
        fields: list[Field],
    ) -> Extra | None:
        if facets.closed and not facets.pattern_properties:
            return None
        value: TypeExpr = JSON
        if facets.additional and not facets.pattern_properties:
            value_hint = hint.child("value", about=hint.of("A further property of"))
            value = self.types.merged_type(facets.additional, at, value_hint)
        attribute = attributes.claim(["additional_properties"])
        known = tuple(f.wire for f in fields)
        return Extra(attribute, self.types.short(value, hint.base, "value"), known)

    def _check_closed(self, facets: Facets) -> None:
        # additionalProperties: false in one allOf part rejects what the others add.
        for site in facets.closed:
            own = site.schema.get("properties") if is_object(site.schema) else None
            own_names = set(own) if is_object(own) else set()
            foreign = [name for name in facets.properties if name not in own_names]
            if foreign and not facets.pattern_properties:
                self.types.report(
                    "warning",
                    site.child(False, "additionalProperties"),
                    "additionalProperties is false here, so the properties other allOf "
                    f"parts add ({', '.join(map(repr, foreign))}) can never be present.",
                )


def _property_doc(places: list[At], wire: str, attribute: str) -> str:
    texts: list[str] = []
    for place in places:
        if is_object(place.schema):
            for keyword in ("title", "description"):
                value = place.schema.get(keyword)
                if isinstance(value, str) and value.strip() and value not in texts:
                    texts.append(value)
    # Without a title or description there is nothing to say but a renamed JSON name.
    if attribute != wire:
        texts.append(f"JSON name: ``{wire}``.")
    return "\n\n".join(texts)
