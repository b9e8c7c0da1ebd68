"""Real documents written by others (``../shared/specs/MANIFEST.tsv``).

A ``doc`` must compile, into a package that imports without warnings, binds to an
events app and passes ``mypy --strict``, unless it uses a non-JSON schema format,
remote references or references to files that do not exist: then it must be refused
with a located diagnostic of that kind. An ``invalid`` document must be refused with
a located diagnostic. The counts are printed at the end of the test run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, errors_in, render_all
from generator.output import write_tree
from generator.pipeline import Options, TypesStage, compile_document
from tests.conftest import require
from tests.generator.conftest import SHARED
from tests.generator.quality import ROOT, mypy_strict
from tests.generator.summary import MANIFEST_COUNTS

SPECS = SHARED / "specs"
MANIFEST = SPECS / "MANIFEST.tsv"

ALLOWED_REFUSALS = {
    "unsupported schema format": re.compile(r"unsupported schema format"),
    "remote reference": re.compile(r"remote references are not fetched"),
    "broken reference": re.compile(
        r"points to the file .*, but|points to '#.*', which does not exist"
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What compiling one manifest document gave."""

    path: str
    role: str
    package: str
    diagnostics: tuple[Diagnostic, ...]
    compiled: bool


def _rows() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8") as handle:
        return [
            r for r in csv.DictReader(handle, delimiter="\t") if r["role"] in ("doc", "invalid")
        ]


ROWS = _rows()


def _require_manifest() -> None:
    require(bool(ROWS), f"The shared documents are not present ({MANIFEST} is missing)")


@pytest.fixture(scope="session")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, build_types: TypesStage
) -> tuple[Path, dict[str, Outcome]]:
    """Compile every manifest document once; write the packages under one folder."""
    _require_manifest()
    output = tmp_path_factory.mktemp("manifest")
    results: dict[str, Outcome] = {}
    for index, row in enumerate(ROWS):
        package = f"m{index:02d}_" + re.sub(r"[^a-z0-9]+", "_", Path(row["path"]).stem.lower())
        options = Options(
            spec=SPECS / row["path"],
            output=output,
            package=package.strip("_")[:40],
            both_sides=True,
            display=row["path"],
        )
        compiled = compile_document(options, build_types=build_types)
        if compiled.tree is not None:
            report = write_tree(output, compiled.tree)
            assert report.diagnostics == (), render_all(report.diagnostics)
        results[row["path"]] = Outcome(
            row["path"],
            row["role"],
            options.package or "",
            compiled.diagnostics,
            compiled.tree is not None,
        )
    return output, results


def _refusal_kinds(outcome: Outcome) -> set[str]:
    return {
        kind
        for kind, pattern in ALLOWED_REFUSALS.items()
        for d in errors_in(outcome.diagnostics)
        if pattern.search(d.message)
    }


@pytest.mark.parametrize("row", ROWS, ids=[r["path"] for r in ROWS])
def test_each_document_compiles_or_is_refused_for_a_located_reason(
    row: dict[str, str], outcomes: tuple[Path, dict[str, Outcome]]
) -> None:
    outcome = outcomes[1][row["path"]]
    errors = errors_in(outcome.diagnostics)
    assert all(d.location.line is not None for d in errors), render_all(errors)
    if row["role"] == "invalid":
        assert not outcome.compiled, "an invalid document compiled"
        assert errors
        MANIFEST_COUNTS["invalid: rejected"] += 1
        return
    if outcome.compiled:
        MANIFEST_COUNTS["doc: compiled"] += 1
        return
    kinds = _refusal_kinds(outcome)
    unexplained = [
        d for d in errors if not any(p.search(d.message) for p in ALLOWED_REFUSALS.values())
    ]
    assert kinds and not unexplained, "refused for another reason:\n" + render_all(unexplained)
    for kind in sorted(kinds):
        MANIFEST_COUNTS[f"doc: rejected ({kind})"] += 1


def test_the_compiled_packages_import_without_warnings_bind_and_pass_mypy(
    outcomes: tuple[Path, dict[str, Outcome]], tmp_path: Path
) -> None:
    output, results = outcomes
    packages = sorted(o.package for o in results.values() if o.compiled)
    assert packages
    # Import every package with warnings as errors, bind it to an app as a service does
    # at start-up, and round-trip the document's examples through the generated types:
    # decode, encode, compare with the original.
    script = (
        "import importlib, json\n"
        "from tests.generator.binding import bind_package\n"
        "report = {'examples': 0, 'mismatches': []}\n"
        f"for name in {packages!r}:\n"
        "    bind_package(name)\n"
        "    examples = importlib.import_module(name + '.examples')\n"
        "    report['examples'] += sum(len(v) for k, v in vars(examples).items()"
        " if k.isupper() and isinstance(v, tuple))\n"
        "    report['mismatches'] += [f'{name}: {m}' for m in examples.roundtrip_examples()]\n"
        "print(json.dumps(report))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=output,
        env={**os.environ, "PYTHONPATH": f"{output}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    examples = json.loads(done.stdout.strip().splitlines()[-1])
    assert examples["mismatches"] == []
    assert examples["examples"] > 0
    MANIFEST_COUNTS["doc: examples round-tripped through the types"] = examples["examples"]
    status, report = mypy_strict([output], tmp_path)
    assert status == 0, report
    MANIFEST_COUNTS["doc: packages passing mypy --strict"] = len(packages)
