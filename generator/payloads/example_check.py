"""Check the spec's examples against their schemas while generating.

An example that is not JSON, or that its own schema rejects, is reported as a warning
and left out of ``examples.py``, whose round-trip check is meant to pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import fastjsonschema

from amqp_events.schema import FORMATS
from generator.diagnostics import Diagnostic, Location

__all__ = ["check_examples", "json_problem"]


def json_problem(value: Any) -> str | None:
    """Why ``value`` is not a JSON value (e.g. a YAML date), or None when it is."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, bool | int | str):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return f"it holds {item!r}, which JSON cannot represent"
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return "it holds an object whose keys are not all strings"
            stack.extend(item.values())
        else:
            return (
                f"it holds a {type(item).__name__} ({item!r}); quote it in YAML to keep it a string"
            )
    return None


def check_examples(
    label: str,
    examples: Sequence[Any],
    schema: Mapping[str, Any],
    location: Location,
) -> tuple[list[Any], list[Diagnostic]]:
    """The examples that are JSON and satisfy ``schema``, and a warning for each other."""
    if not examples:
        return [], []
    try:
        validate = fastjsonschema.compile(dict(schema), formats=dict(FORMATS), use_default=False)
    except fastjsonschema.JsonSchemaDefinitionException as error:
        message = f"The schema of {label} cannot be compiled by the runtime validator: {error}"
        return [], [Diagnostic("error", location, message)]
    kept: list[Any] = []
    diagnostics: list[Diagnostic] = []
    for number, example in enumerate(examples, start=1):
        problem = json_problem(example)
        if problem is None:
            try:
                validate(example)
            except fastjsonschema.JsonSchemaValueException as error:
                problem = f"it does not satisfy its schema: {error.message}"
        if problem is None:
            kept.append(example)
            continue
        diagnostics.append(
            Diagnostic(
                "warning",
                location,
                f"Example {number} of {label} is left out of examples.py because {problem}",
            )
        )
    return kept, diagnostics
