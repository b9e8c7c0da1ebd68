"""Compile AsyncAPI documents into typed event packages on top of ``amqp_events``.

The pipeline, one module per stage: ``load`` (YAML/JSON with line numbers) ->
``validate`` (the AsyncAPI structure) -> ``resolve`` (schema ``$ref``s) -> ``model``
(what the document means) -> ``payloads`` (payload types) -> ``plan`` (Python names) ->
``render`` (templates) -> ``format`` -> ``output`` (write, or compare for ``--check``).
``pipeline`` runs them; ``cli`` is the command line.
"""

from generator.diagnostics import Diagnostic, Location
from generator.pipeline import (
    CheckResult,
    Compiled,
    GenerateResult,
    Options,
    check,
    compile_document,
    generate,
)

__all__ = [
    "CheckResult",
    "Compiled",
    "Diagnostic",
    "GenerateResult",
    "Location",
    "Options",
    "check",
    "compile_document",
    "generate",
]
