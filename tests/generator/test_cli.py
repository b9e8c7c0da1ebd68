"""The command line: options, exit codes, diagnostics format, and never a traceback."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import cli
from generator.pipeline import Options, TypesStage, compile_document
from tests.generator.quality import ROOT

DIAGNOSTIC = re.compile(r"^\S.*?(:\d+:\d+)?: (error|warning): .+\.( \(#/.*\))?$")


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_help_explains_every_option() -> None:
    text = cli.parser().format_help()
    for option in ("SPEC", "-o DIR", "--package NAME", "--service NAME", "--both-sides", "--check"):
        assert option in text
    assert "Exit status: 0 generated or up to date, 1 out of date (--check)" in " ".join(
        text.split()
    )


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "generator"], [str(Path(sys.executable).with_name("amqp-events-gen"))]],
    ids=["python -m generator", "amqp-events-gen"],
)
def test_both_entry_points_run_the_same_command_line(command: list[str], tmp_path: Path) -> None:
    helped = subprocess.run([*command, "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0
    assert "usage: amqp-events-gen" in helped.stdout
    spec = tmp_path / "bad.yaml"
    spec.write_text("asyncapi: 3.0.0\ninfo: {title: x}\n")
    done = subprocess.run(
        [*command, str(spec), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{spec}:2:1: error: Info Object is missing its required field 'version'. (#/info)" in (
        done.stderr
    )


def test_every_diagnostic_line_has_the_documented_shape(tmp_path: Path) -> None:
    spec = tmp_path / "many.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {titel: x, version: '1'}\n"
        "channels: {c: {address: a, messages: {m: {payload: {type: wrong}}}}}\n"
        "operations: {o: {action: send, channel: {$ref: '#/channels/c'}}}\n"
        "servers: {s: {host: h}}\n"
    )
    status, _, err = _cli(str(spec), "-o", str(tmp_path / "out"))
    assert status == 2
    lines = err.splitlines()
    assert len(lines) >= 3
    for line in lines:
        assert DIAGNOSTIC.match(line), line
    assert lines[0].startswith(f"{spec}:2:")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\xff\xfe garbage", "not UTF-8"),
        (b"a: [1,", "not valid YAML"),
        (b"- just\n- a list\n", "must be an object"),
        (b"asyncapi: 3.0.0\n", "missing its required field 'info'"),
        (b"&a [*a]", "refers to no anchor"),
        (b"a: " + b"[" * 300, "levels deep"),
    ],
)
def test_bad_files_exit_2_with_a_sentence(content: bytes, fragment: str, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_bytes(content)
    status, _, err = _cli(str(spec), "-o", str(tmp_path / "out"))
    assert status == 2
    assert fragment in err
    assert "Traceback" not in err


def test_a_folder_or_a_missing_file_as_document(tmp_path: Path) -> None:
    status, _, err = _cli(str(tmp_path), "-o", str(tmp_path / "out"))
    assert status == 2
    assert "cannot be read" in err
    status, _, err = _cli(str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out"))
    assert status == 2
    assert "does not exist" in err


def test_an_internal_defect_is_a_sentence_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.payloads.build_types", broken)
    spec = tmp_path / "ok.yaml"
    spec.write_text("asyncapi: 3.0.0\ninfo: {title: Ok, version: '1'}\n")
    status, _, err = _cli(str(spec), "-o", str(tmp_path / "out"))
    assert status == 3
    assert err.startswith("amqp-events-gen: internal error: RuntimeError: boom.")


KEYS = st.sampled_from(
    [
        "asyncapi",
        "info",
        "title",
        "version",
        "channels",
        "operations",
        "components",
        "messages",
        "payload",
        "headers",
        "address",
        "action",
        "channel",
        "$ref",
        "bindings",
        "amqp",
        "exchange",
        "parameters",
        "subscribe",
        "publish",
        "message",
        "oneOf",
        "traits",
        "correlationId",
        "location",
        "schemas",
        "x-amqp-events-retry",
        "delays",
        "schemaFormat",
        "schema",
        "type",
        "properties",
        "items",
    ]
)
VALUES: Any = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["3.0.0", "2.6.0", "send", "receive", "#/channels/c", "x.yaml", "object"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=st.dictionaries(KEYS, VALUES, max_size=6), version=st.sampled_from(["3.0.0", "2.6.0"])
)
def test_random_documents_never_raise(
    document: dict[str, Any], version: str, tmp_path: Path, build_types: TypesStage
) -> None:
    document.setdefault("asyncapi", version)
    spec = tmp_path / "random.yaml"
    spec.write_text(yaml.safe_dump(document))
    compiled = compile_document(
        Options(spec=spec, output=tmp_path / "out"), build_types=build_types
    )
    assert compiled.tree is not None or compiled.diagnostics


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: object) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replaced(value[head], tuple(rest), new)
    return copy


GOLDEN_DOCUMENTS = sorted((ROOT / "tests" / "golden").glob("*/asyncapi.yaml"))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_golden_documents_never_raise(
    data: st.DataObject, tmp_path: Path, build_types: TypesStage
) -> None:
    source = data.draw(st.sampled_from(GOLDEN_DOCUMENTS))
    document = yaml.safe_load(source.read_text())
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(document)))
        document = _replaced(document, path, data.draw(VALUES))
    folder = tmp_path / source.parent.name
    folder.mkdir(exist_ok=True)
    for extra in source.parent.rglob("*"):
        if extra.is_file() and extra.suffix in (".yaml", ".json") and "expected" not in extra.parts:
            target = folder / extra.relative_to(source.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(extra.read_bytes())
    spec = folder / "asyncapi.yaml"
    spec.write_text(yaml.safe_dump(document))
    compiled = compile_document(
        Options(spec=spec, output=tmp_path / "out", package="mutant"), build_types=build_types
    )
    assert compiled.tree is not None or compiled.diagnostics


@pytest.mark.parametrize("check", [False, True])
def test_an_output_path_that_is_a_file_is_a_located_error(tmp_path: Path, check: bool) -> None:
    spec = tmp_path / "ok.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Ok, version: '1'}\n"
        "channels: {c: {address: a.b, messages: {m: {payload: {type: object}}}}}\n"
        "operations: {o: {action: send, channel: {$ref: '#/channels/c'}}}\n"
    )
    a_file = tmp_path / "afile"
    a_file.write_text("mine\n")
    for output, says in ((a_file, "is not a folder"), (a_file / "sub", "would be inside")):
        status, _, err = _cli(str(spec), "-o", str(output), *(["--check"] if check else []))
        assert status == 2, err
        assert err.startswith(f"-o: error: The output path {str(output)!r} {says}"), err
        assert "internal error" not in err
    assert a_file.read_text() == "mine\n"
