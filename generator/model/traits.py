"""Traits applied as the AsyncAPI specification says: JSON Merge Patch (RFC 7386), in order.

A field that an object and its traits both hold is merged key by key, to any depth,
so a trait that adds Kafka bindings keeps the message's AMQP binding and a trait of
common headers adds to the message's own headers. 2.x merges each trait over the
object (the trait wins a key both set); 3.x merges the object over its traits (the
object wins).
"""

from __future__ import annotations

from collections.abc import Callable

from generator.documents import Node

__all__ = ["field_layers", "merge_nodes", "merge_patch"]

_MAX_DEPTH = 64
"""Merging stops descending here, the later layer wins: references may form cycles."""


def merge_patch(target: object, patch: object, depth: int = 0) -> object:
    """RFC 7386: ``patch`` applied to ``target`` (``null`` in the patch removes a key)."""
    if not isinstance(patch, dict) or depth >= _MAX_DEPTH:
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value, depth + 1)
    return result


def field_layers(own: Node, traits: list[Node], *, traits_win: bool) -> dict[str, list[Node]]:
    """Each field of an object and its traits, as the nodes that set it, first applied first."""
    sources = [own, *traits] if traits_win else [*traits, own]
    layers: dict[str, list[Node]] = {}
    for source in sources:
        if not isinstance(source.value, dict):
            continue
        for key in source.value:
            if key != "traits":
                layers.setdefault(key, []).append(source.child(key))
    # An object's own fields come first, in its own order, whoever wins them.
    own_keys = [key for key in layers if isinstance(own.value, dict) and key in own.value]
    return {key: layers[key] for key in [*own_keys, *(k for k in layers if k not in own_keys)]}


def merge_nodes(layers: list[Node], deref: Callable[[Node], Node]) -> Node | None:
    """The layers of one field merged into one node; None when a later layer removed it.

    A single layer, or a last layer that is not an object, is returned as it is, so its
    references and place survive. Otherwise the result is a new object placed where the
    last layer is, each level dereferenced before it is merged.
    """
    return _merge(layers, deref, 0)


def _merge(layers: list[Node], deref: Callable[[Node], Node], depth: int) -> Node | None:
    last = layers[-1]
    if len(layers) == 1:
        return last
    if last.value is None:
        return None
    ends = [deref(layer) for layer in layers]
    # Only the objects after the last non-object layer take part: a scalar resets the key.
    objects: list[tuple[Node, dict[str, object]]] = []
    for end in ends:
        objects = [*objects, (end, end.value)] if isinstance(end.value, dict) else []
    if len(objects) < 2 or depth >= _MAX_DEPTH:
        return last
    merged: dict[str, object] = {}
    for key in dict.fromkeys(key for _, value in objects for key in value):
        children = [end.child(key) for end, value in objects if key in value]
        node = _merge(children, deref, depth + 1)
        if node is not None:
            # Dereferenced, since the merged object is placed in the last layer's file;
            # references deeper inside a value taken whole are left as they are.
            merged[key] = deref(node).value
    return Node(last.file, last.pointer, merged)
