"""Random documents whose schemas refer to each other in cycles never crash the generator.

Each document has four component schemas built from unions, ``allOf``, tuples, maps,
nullables and references to any of the four (themselves included), so recursion runs
through every construct. A document compiles, or is refused with located errors; the
generator never stops with an internal error. The packages that compile pass
``mypy --strict`` (checked once, over all of them).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.output import write_tree
from generator.pipeline import Options, TypesStage, compile_document
from tests.generator.quality import mypy_strict

NAMES = ("A", "B", "C", "D")
SEEDS = range(120)


def _leaf(rng: random.Random) -> Any:
    return rng.choice(
        [
            {"type": "string"},
            {"type": "integer"},
            {"type": "null"},
            {"$ref": f"#/components/schemas/{rng.choice(NAMES)}"},
            {"const": rng.choice([1, "x", None])},
            {"enum": ["a", 1, None]},
            True,
            {},
        ]
    )


def _object(rng: random.Random, inner: Callable[[], Any]) -> Any:
    names = rng.sample(["a", "b", "class", "x-y"], rng.randint(0, 3))
    schema: dict[str, Any] = {"type": "object", "properties": {n: inner() for n in names}}
    if names and rng.random() < 0.5:
        schema["required"] = names[:1]
    return schema


def _nullable(schema: Any) -> Any:
    return {**schema, "nullable": True} if isinstance(schema, dict) else schema


def _schema(rng: random.Random, depth: int) -> Any:
    if depth > 3 or rng.random() < 0.2:
        return _leaf(rng)

    def inner() -> Any:
        return _schema(rng, depth + 1)

    kinds: dict[str, Callable[[], Any]] = {
        "object": lambda: _object(rng, inner),
        "array": lambda: {"type": "array", "items": inner()},
        "tuple": lambda: {"type": "array", "items": [inner(), inner()]},
        "union": lambda: {
            rng.choice(["oneOf", "anyOf", "allOf"]): [inner() for _ in range(rng.randint(1, 3))]
        },
        "ref": lambda: {"$ref": f"#/components/schemas/{rng.choice(NAMES)}"},
        "nullable": lambda: _nullable(inner()),
        "types": lambda: {"type": ["string", "null", rng.choice(["integer", "array", "object"])]},
        "map": lambda: {"type": "object", "additionalProperties": inner()},
    }
    return kinds[rng.choice(sorted(kinds))]()


def _document(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    schemas = {name: _schema(rng, 0) for name in NAMES}
    messages = {
        "M": {"payload": {"$ref": "#/components/schemas/A"}},
        "N": {"payload": _schema(rng, 0)},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Cycles", "version": "1.0.0"},
        "channels": {"c": {"address": "cycles.seen", "messages": messages}},
        "operations": {
            "s": {"action": "send", "channel": {"$ref": "#/channels/c"}},
            "r": {"action": "receive", "channel": {"$ref": "#/channels/c"}},
        },
        "components": {"schemas": schemas},
    }


def test_cyclic_documents_compile_or_are_refused_and_their_packages_pass_mypy(
    tmp_path: Path, build_types: TypesStage
) -> None:
    output = tmp_path / "gen"
    compiled = refused = 0
    for seed in SEEDS:
        spec = tmp_path / f"cycles{seed}.json"
        spec.write_text(json.dumps(_document(seed)), encoding="utf-8")
        result = compile_document(
            Options(spec=spec, output=output, package=f"cycles{seed}"), build_types=build_types
        )
        if result.tree is None:
            refused += 1
            # Every error names its place (an allOf merge may name the schema it merges).
            assert all(d.location.pointer for d in result.diagnostics if d.level == "error")
            continue
        compiled += 1
        write_tree(output, result.tree)
        (output / f"cycles{seed}_handlers.py").unlink()
    # Random schemas often contradict themselves (allOf of string and integer): refused.
    assert compiled >= 60, (compiled, refused)
    status, report = mypy_strict([output], tmp_path)
    assert status == 0, report
