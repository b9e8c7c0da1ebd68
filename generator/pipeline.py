"""The generator end to end: load, validate, resolve, model, types, render, format.

``compile_document`` runs every stage in memory and returns the generated tree with
all diagnostics; ``generate`` then writes it and ``check`` compares it with the disk.
Problems in the document are values (``Diagnostic``), never exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from amqp_events.errors import SpecError
from generator import payloads as payloads_stage
from generator.diagnostics import Diagnostic, Location, errors_in, render_all
from generator.documents import Documents, Source
from generator.format import finish, finish_all
from generator.model import Service, build_model
from generator.names import package_problem
from generator.nesting import nesting_problems
from generator.output import Drift, Tree, WriteReport, compare_tree, write_tree
from generator.payloads import TypeRoot, TypesModule
from generator.plan import fire_names, plan_package
from generator.render.package import (
    PAYLOAD_MODULES,
    header_lines,
    package_names,
    render_package,
    render_scaffold,
)
from generator.resolve import ResolvedSchemas, resolve_schemas
from generator.schema_graph import SchemaGraph
from generator.validate import unused_components, validate
from generator.validate.extensions import SERVICE_NAME

__all__ = [
    "CheckResult",
    "Compiled",
    "GenerateResult",
    "Modelled",
    "Options",
    "TypesStage",
    "check",
    "command_words",
    "compile_document",
    "generate",
    "model_document",
]

TypesStage = Callable[..., TypesModule]
"""``build_types(graph, roots, *, reserved_names=...)``."""


@dataclass(frozen=True, slots=True)
class Options:
    """What to generate from which document, and where."""

    spec: Path
    output: Path
    package: str | None = None
    service: str | None = None
    both_sides: bool = False
    """Generate fire_* and handlers for every operation, whatever its direction."""
    display: str | None = None
    """How to show the document's path in diagnostics (defaults to ``spec``)."""
    source: Source | None = None
    """Where the document's files are read from (a git revision); the disk when None."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """The generated tree (None when there are errors) and every diagnostic."""

    tree: Tree | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """What ``generate`` did."""

    diagnostics: tuple[Diagnostic, ...]
    report: WriteReport | None = None
    package: str | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the package was generated and written."""
        return self.report is not None and not errors_in(self.diagnostics)

    def raise_for_errors(self) -> None:
        """Raise ``amqp_events.SpecError`` carrying every error, when there is one."""
        _raise_for(self.diagnostics)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``check`` found."""

    diagnostics: tuple[Diagnostic, ...]
    drift: Drift | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the document compiles and the disk matches it."""
        return self.drift is not None and self.drift.clean and not errors_in(self.diagnostics)

    def raise_for_errors(self) -> None:
        """Raise ``amqp_events.SpecError`` carrying every error, when there is one."""
        _raise_for(self.diagnostics)


def _raise_for(diagnostics: Sequence[Diagnostic]) -> None:
    errors = errors_in(diagnostics)
    if errors:
        raise SpecError(
            f"The AsyncAPI document has {len(errors)} error(s):\n{render_all(errors)}", errors
        )


def _unique(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(dict.fromkeys(diagnostics))


def _option_problems(options: Options) -> list[Diagnostic]:
    problems = []
    if options.service is not None and not SERVICE_NAME.fullmatch(options.service):
        problems.append(
            Diagnostic(
                "error",
                Location("--service"),
                f"The service name {options.service!r} is not allowed; use 1 to 200 letters, "
                "digits, '.', '-' or '_', starting with a letter or digit.",
            )
        )
    if options.package is not None:
        problem = package_problem(options.package)
        if problem:
            problems.append(Diagnostic("error", Location("--package"), problem))
    problem = _output_problem(options.output)
    if problem:
        problems.append(Diagnostic("error", Location("-o"), problem))
    return problems


def _output_problem(output: Path) -> str | None:
    """Why ``output`` cannot be the folder that receives the package, if it cannot."""
    for place in (output, *output.parents):
        if place.is_dir():
            return None
        if place.exists():
            what = "is" if place == output else f"would be inside {str(place)!r}, which is"
            return (
                f"The output path {str(output)!r} {what} not a folder; -o names the "
                "folder that receives the package."
            )
    return None


@dataclass(frozen=True, slots=True)
class Modelled:
    """The document read, checked and modelled: what the payloads stage starts from."""

    documents: Documents | None
    schemas: ResolvedSchemas | None
    service: Service | None
    diagnostics: list[Diagnostic]


def model_document(options: Options) -> Modelled:
    """Load, validate, resolve and model the document; stop at the first stage with errors.

    ``options.output`` is not looked at: modelling writes nothing.
    """
    found: list[Diagnostic] = []
    documents = Documents(options.spec, display=options.display, source=options.source)
    validation = validate(documents)
    found.extend(validation.diagnostics)
    if validation.version is None:
        return Modelled(documents, None, None, found)
    schemas = resolve_schemas(documents, validation.schema_sites)
    found.extend(schemas.diagnostics)
    if errors_in(found):
        return Modelled(documents, schemas, None, found)
    model = build_model(
        documents,
        validation.version,
        schemas,
        service=options.service,
        package=options.package,
        both_sides=options.both_sides,
    )
    found.extend(model.diagnostics)
    referenced = validation.referenced | schemas.referenced | model.referenced
    found.extend(unused_components(documents, referenced))
    service = model.service
    if service is not None and not service.operations:
        found.append(
            Diagnostic(
                "warning",
                documents.locate(documents.root_file, ""),
                "The document describes no operations, so the package has no events to fire "
                "or handle; add operations (3.x: send or receive; 2.x: publish or subscribe).",
            )
        )
    if service is not None and not errors_in(found):
        problem = package_problem(service.package)
        if problem:
            found.append(
                Diagnostic(
                    "error",
                    Location("--package"),
                    f"{problem} The name comes from the service name {service.name!r}; choose "
                    "another with --package.",
                )
            )
    return Modelled(documents, schemas, None if errors_in(found) else service, found)


def compile_document(
    options: Options, *, build_types: TypesStage | None = None, verify: bool = True
) -> Compiled:
    """Run every stage in memory; the tree is None when any error was found.

    ``verify`` parses each rendered module again, the renderer's check on itself before
    anything is written; comparing with the disk does not need it (the bytes are equal).
    """
    problems = _option_problems(options)
    if problems:
        return Compiled(None, _unique(problems))
    front = model_document(options)
    found = front.diagnostics
    if front.service is None or front.schemas is None or front.documents is None:
        return Compiled(None, _unique(found))
    service = front.service
    graph = front.schemas.graph(front.documents, [root.schema for root in service.roots])
    found.extend(nesting_problems(graph, service.roots))
    if errors_in(found):
        return Compiled(None, _unique(found))
    stage = build_types or payloads_stage.build_types
    # The package's __init__ re-exports the payload types beside its own names and fire_*.
    reserved = package_names() | fire_names(service, both_sides=options.both_sides)
    try:
        types = stage(graph, service.roots, reserved_names=reserved)
    except RecursionError:
        found.extend(_untypable_roots(stage, graph, service.roots, reserved))
        return Compiled(None, _unique(found))
    found.extend(types.diagnostics)
    found.extend(
        Diagnostic(
            "error",
            root.location,
            f"The schema of {root.name_hint!r} accepts no value at all (it is false, or its "
            "parts contradict each other), so no message could ever be sent or received.",
        )
        for root in service.roots
        if types.roots[root.key].accepts_nothing and not errors_in(types.diagnostics)
    )
    if errors_in(found):
        return Compiled(None, _unique(found))
    # How to generate the package again, but for the folder: a package does not know
    # where it was generated, only where it is.
    command = command_words(
        service.source,
        None,
        package=service.package,
        service=options.service,
        both_sides=options.both_sides,
    )
    plan = plan_package(service, types, both_sides=options.both_sides, regenerate=command[1:])
    rendered = render_package(plan, header=header_lines(service.source))
    verified = {f"{service.package}/{name}" for name in PAYLOAD_MODULES}
    files = finish_all(rendered, verified=rendered.keys() if not verify else verified)
    scaffold_path, scaffold_text = render_scaffold(plan)
    tree = Tree(
        package=service.package,
        files=files,
        scaffold=(scaffold_path, finish(scaffold_path, scaffold_text)),
    )
    return Compiled(tree, _unique(found))


def command_words(
    spec: str, output: str | None, *, package: str | None, service: str | None, both_sides: bool
) -> list[str]:
    """The words of the ``amqp-events-gen`` command that generates with these options."""
    words = ["amqp-events-gen", spec, *(("-o", output) if output is not None else ())]
    for flag, value in (("--package", package), ("--service", service)):
        if value:
            words += [flag, value]
    if both_sides:
        words.append("--both-sides")
    return words


def _untypable_roots(
    stage: TypesStage, graph: SchemaGraph, roots: Sequence[TypeRoot], reserved: frozenset[str]
) -> list[Diagnostic]:
    """An error at each message schema whose types recurse without end, found one by one.

    A schema can refer back to itself through ``allOf``/``oneOf`` in ways the type stage
    cannot turn into a finite type; it then recurses until Python's stack runs out.
    That is reported where the schema is, as a limit of the document's shape, instead
    of as a crash.
    """
    problems = []
    for root in roots:
        try:
            stage(graph, [root], reserved_names=reserved)
        except RecursionError:
            problems.append(
                Diagnostic(
                    "error",
                    root.location,
                    f"The schema of {root.name_hint!r} refers back to itself through allOf, "
                    "oneOf or anyOf in a way amqp-events-gen cannot turn into a finite type; "
                    "make each recursion go through an array or an object property, and "
                    "refer to a schema with a plain $ref rather than merging it with allOf.",
                )
            )
    return problems or [
        Diagnostic(
            "error",
            roots[0].location if roots else Location(""),
            "The message schemas refer back to each other through allOf, oneOf or anyOf in "
            "a way amqp-events-gen cannot turn into finite types; make each recursion go "
            "through an array or an object property.",
        )
    ]


def generate(options: Options, *, build_types: TypesStage | None = None) -> GenerateResult:
    """Compile the document and write the package (and the scaffold, when absent)."""
    compiled = compile_document(options, build_types=build_types)
    if compiled.tree is None:
        return GenerateResult(compiled.diagnostics)
    report = write_tree(options.output, compiled.tree)
    diagnostics = _unique([*compiled.diagnostics, *report.diagnostics])
    return GenerateResult(diagnostics, report, compiled.tree.package)


def check(options: Options, *, build_types: TypesStage | None = None) -> CheckResult:
    """Compile the document and compare the package with the disk; write nothing."""
    compiled = compile_document(options, build_types=build_types, verify=False)
    if compiled.tree is None:
        return CheckResult(compiled.diagnostics)
    return CheckResult(compiled.diagnostics, compare_tree(options.output, compiled.tree))
