"""Command line of the generator: ``amqp-events-gen SPEC -o DIR [--check]``.

``amqp-events-gen diff ...`` and ``amqp-events-gen contracts ...`` compare documents
instead (``generator.contracts.cli``).

Exit status: 0 when the package was generated (or, with ``--check``, is up to date),
1 when ``--check`` finds the files on disk out of date, 2 when the document (or an
option) is invalid, 3 on an internal defect. Diagnostics go to stderr, one per line:
``file:line:col: level: message (#/json/pointer)``.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator.diagnostics import errors_in, render_all
from generator.pipeline import Options, check, command_words, generate

__all__ = ["main", "parser"]

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_INVALID = 2
EXIT_DEFECT = 3

COMPARING = ("diff", "contracts")
"""Subcommands that compare documents; a document named like one is given as ``./diff``."""


def parser() -> argparse.ArgumentParser:
    """The argument parser; ``--help`` explains each option in a sentence."""
    result = argparse.ArgumentParser(
        prog="amqp-events-gen",
        description=(
            "Compile an AsyncAPI document (2.0 to 2.6, 3.0, 3.1) into a typed Python package "
            "of events on amqp_events: payload types, fire_* functions, a Handlers interface "
            "and the service's RabbitMQ topology."
        ),
        epilog=(
            "Exit status: 0 generated or up to date, 1 out of date (--check), 2 invalid "
            "document or option, 3 internal defect."
        ),
    )
    result.add_argument("spec", metavar="SPEC", help="The AsyncAPI document, YAML or JSON.")
    result.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        required=True,
        help="The folder that receives the package folder and the handler scaffold.",
    )
    result.add_argument(
        "--package",
        metavar="NAME",
        help="The package's Python name; by default the service name in snake case.",
    )
    result.add_argument(
        "--service",
        metavar="NAME",
        help=(
            "The service name that prefixes its queues; by default info.x-amqp-events-service, "
            "else the document's title in kebab case."
        ),
    )
    result.add_argument(
        "--both-sides",
        action="store_true",
        help=(
            "Generate a fire_* function and a handler for every operation whatever its "
            "direction, for a catalog document that lists events of several services."
        ),
    )
    result.add_argument(
        "--check",
        action="store_true",
        help=(
            "Write nothing; compare the package on disk with the document, print a diff and "
            "the stale and missing files, and exit 1 when they differ."
        ),
    )
    return result


def _report_check(options: Options, out: TextIO, err: TextIO, command: str) -> int:
    result = check(options)
    if result.diagnostics:
        err.write(render_all(result.diagnostics) + "\n")
    if result.drift is None or errors_in(result.diagnostics):
        return EXIT_INVALID
    drift = result.drift
    for diff in drift.changed.values():
        out.write(diff)
    for title, paths in (("Missing", drift.missing), ("Stale", drift.stale)):
        if paths:
            out.write(f"{title} files:\n" + "".join(f"  {options.output / p}\n" for p in paths))
    if drift.clean:
        out.write(f"{options.output} is up to date with {options.spec}.\n")
        return EXIT_OK
    out.write(f"{options.output} is out of date with {options.spec}; regenerate with: {command}\n")
    return EXIT_DRIFT


def _report_generate(options: Options, out: TextIO, err: TextIO) -> int:
    result = generate(options)
    if result.diagnostics:
        err.write(render_all(result.diagnostics) + "\n")
    report = result.report
    if report is None or not result.ok:
        return EXIT_INVALID
    total = len(report.written) + len(report.unchanged)
    out.write(
        f"Generated {options.output / (result.package or '')}: {total} files, "
        f"{len(report.written)} written, {len(report.removed)} stale removed.\n"
    )
    if report.scaffold:
        out.write(f"Wrote the handler scaffold {options.output / report.scaffold}; it is yours.\n")
    interface = f"{result.package}/handlers.py"
    if report.kept_scaffold and interface in report.written:
        out.write(
            f"Kept your handler scaffold {options.output / report.kept_scaffold}; "
            f"{options.output / interface} was regenerated, so if its Handlers interface "
            "changed, compare your class with it (mypy reports a missing or mistyped "
            "method).\n"
        )
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0] in COMPARING:
        # Imported here: generating never needs the modules that compare documents.
        from generator.contracts import cli  # noqa: PLC0415

        return cli.main(given, out, err)
    arguments = parser().parse_args(given)
    options = Options(
        spec=Path(arguments.spec),
        output=Path(arguments.output),
        package=arguments.package,
        service=arguments.service,
        both_sides=arguments.both_sides,
        display=arguments.spec,
    )
    command = shlex.join(
        command_words(
            arguments.spec,
            arguments.output,
            package=arguments.package,
            service=arguments.service,
            both_sides=arguments.both_sides,
        )
    )
    try:
        if arguments.check:
            return _report_check(options, out, err, command)
        return _report_generate(options, out, err)
    except Exception as error:  # noqa: BLE001 - the last line of defence: a sentence, not a traceback
        err.write(
            f"amqp-events-gen: internal error: {type(error).__name__}: {error}. This is a defect "
            "of amqp-events-gen, not of the document; please report it with the document.\n"
        )
        return EXIT_DEFECT
