"""Command lines ``amqp-events-gen diff`` and ``amqp-events-gen contracts``.

Exit status: 0 when nothing reaches ``--fail-on`` (by default: nothing is breaking), 1
when something does, 2 for an invalid document, revision or option, 3 on an internal
defect. Findings go to stdout, one per line and a summary, or as one JSON document
with ``--format json``; problems of the documents go to stderr as diagnostics.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TextIO

from generator.contracts.diff import diff
from generator.contracts.report import (
    EXIT_DEFECT,
    EXIT_INVALID,
    LEVELS,
    Finding,
    Level,
    exit_status,
    summary,
    to_json,
)
from generator.contracts.revisions import Named, against, name_document
from generator.contracts.sides import Side, open_sides
from generator.diagnostics import Diagnostic, Location, render_all

__all__ = ["main"]

_EPILOG = (
    "Exit status: 0 nothing at or above --fail-on, 1 something is, 2 invalid document, "
    "revision or option, 3 internal defect."
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are diagnostics, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage()
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="One line per finding and a summary (text), or one JSON document (json).",
    )
    parser.add_argument(
        "--fail-on",
        choices=LEVELS,
        default="breaking",
        help="The least severe level that makes the exit status 1 (default: breaking).",
    )


def diff_parser() -> argparse.ArgumentParser:
    """The parser of ``amqp-events-gen diff``."""
    parser = _Parser(
        prog="amqp-events-gen diff",
        description=(
            "Compare two versions of an AsyncAPI document and classify every change as "
            "breaking, compatible or info, for the consumers of the events it sends, the "
            "producers of the events it receives, or the broker."
        ),
        epilog=_EPILOG,
    )
    parser.add_argument(
        "documents",
        nargs="+",
        metavar="DOCUMENT",
        help=(
            "OLD and NEW: paths, or REV:PATH for a file at a git revision (its relative "
            "$refs are read at the same revision). With --against, only the document."
        ),
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="Compare the document at the git revision REV (REV:SPEC) with SPEC on disk.",
    )
    parser.add_argument(
        "--both-sides",
        action="store_true",
        help="Read every operation as both sent and received, as for a catalog document.",
    )
    _common(parser)
    return parser


def contracts_parser() -> argparse.ArgumentParser:
    """The parser of ``amqp-events-gen contracts``."""
    parser = _Parser(
        prog="amqp-events-gen contracts",
        description=(
            "Check the AsyncAPI documents of several services against each other: every "
            "consumer accepts what every producer may send, producers and consumers meet "
            "on the broker, and every producer's examples decode with every consumer's "
            "generated code."
        ),
        epilog=_EPILOG,
    )
    parser.add_argument(
        "documents",
        nargs="+",
        metavar="SPEC",
        help="The services' documents: paths, or REV:PATH for a file at a git revision.",
    )
    _common(parser)
    return parser


def _report(
    findings: list[Finding],
    subject: str,
    arguments: argparse.Namespace,
    out: TextIO,
    fields: dict[str, object],
) -> int:
    if arguments.format == "json":
        out.write(to_json(findings, **fields))
    else:
        for finding in findings:
            out.write(finding.render() + "\n")
        out.write(summary(findings, subject) + "\n")
    level: Level = arguments.fail_on
    return exit_status(findings, level)


def _run_diff(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    documents: list[str] = arguments.documents
    if arguments.against is not None:
        if len(documents) != 1:
            return _invalid(err, "--against takes one document, the one on disk.")
        names: list[Named] = [against(arguments.against, documents[0]), name_document(documents[0])]
    elif len(documents) != 2:
        return _invalid(err, f"diff takes two documents, OLD and NEW, got {len(documents)}.")
    else:
        names = [name_document(d) for d in documents]
    with open_sides(names, both_sides=arguments.both_sides) as (sides, errors):
        if errors or len(sides) != 2:
            err.write(render_all(errors) + "\n")
            return EXIT_INVALID
        old, new = sides
        findings = diff(old, new)
    return _report(
        findings,
        f"{names[0].text} -> {names[1].text}",
        arguments,
        out,
        {"old": names[0].text, "new": names[1].text},
    )


def _run_contracts(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # Imported here: checking examples imports the generated packages, hence the runtime.
    from generator.contracts.fleet import check_fleet  # noqa: PLC0415

    names = [name_document(d) for d in arguments.documents]
    with open_sides(names) as (sides, errors):
        if errors:
            err.write(render_all(errors) + "\n")
            return EXIT_INVALID
        checked = check_fleet(sides)
    if checked.errors:
        err.write(render_all(checked.errors) + "\n")
        return EXIT_INVALID
    subject = ", ".join(side_name(s) for s in sides)
    return _report(
        checked.findings,
        f"contracts of {subject}",
        arguments,
        out,
        {"services": [side_name(s) for s in sides]},
    )


def side_name(side: Side) -> str:
    """A service and the document it comes from."""
    return f"{side.name} ({side.named.text})"


def _invalid(err: TextIO, message: str) -> int:
    err.write(render_all([Diagnostic("error", Location("amqp-events-gen"), message)]) + "\n")
    return EXIT_INVALID


def main(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Run ``diff`` or ``contracts`` (``argv[0]``); return the exit status."""
    command, *rest = argv
    parsers: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[..., int]]] = {
        "diff": (diff_parser, _run_diff),
        "contracts": (contracts_parser, _run_contracts),
    }
    make, run = parsers[command]
    arguments = make().parse_args(rest)
    try:
        return run(arguments, out, err)
    except Exception as error:  # noqa: BLE001 - the last line of defence: a sentence, not a traceback
        err.write(
            f"amqp-events-gen {command}: internal error: {type(error).__name__}: {error}. This "
            "is a defect of amqp-events-gen, not of the documents; please report it with "
            "the documents.\n"
        )
        return EXIT_DEFECT
