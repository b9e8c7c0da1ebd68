"""Resource bombs end in a clear error within bounded time and memory, with default limits."""

from __future__ import annotations

import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from generator.load import LIMITS, load_text
from generator.nesting import MAX_INLINE_NESTING, MAX_NESTING

GENERATOR = str(Path(sys.executable).with_name("amqp-events-gen"))


def test_a_document_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(LIMITS.max_bytes + 1)  # sparse: the size is real, the disk stays free
    started = time.monotonic()
    done = subprocess.run(
        [GENERATOR, str(huge), "-o", str(tmp_path / "gen")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "larger than 64 MiB" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 10


def test_too_many_values_stop_the_loader_within_bounded_time_and_memory() -> None:
    text = "[" + ",".join(["0"] * (LIMITS.max_values + 1)) + "]"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    loaded, problems = load_text(text)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert loaded is None
    assert "more than 1,000,000 values" in problems[0].message
    assert "alias" not in problems[0].message, "no alias was involved"
    # Generous bounds for a loaded 2-core machine; typically 6 s and 250 MB.
    assert elapsed < 60
    assert grown_mb < 1024


def _document(payload: object, schemas: dict[str, object]) -> str:
    return json.dumps(
        {
            "asyncapi": "3.0.0",
            "info": {"title": "Deep", "version": "1.0.0"},
            "channels": {"c": {"address": "deep.event", "messages": {"M": {"payload": payload}}}},
            "operations": {"send": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
            "components": {"schemas": schemas},
        }
    )


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _generate(tmp_path: Path, document: str) -> subprocess.CompletedProcess[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = tmp_path / "deep.json"
    spec.write_text(document, encoding="utf-8")
    return subprocess.run(
        [GENERATOR, str(spec), "-o", str(tmp_path / "gen")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _arrays(levels: int, leaf: object) -> object:
    schema = leaf
    for _ in range(levels):
        schema = {"type": "array", "items": schema}
    return schema


def test_a_long_chain_of_references_is_refused_with_a_located_error(tmp_path: Path) -> None:
    length = 5000  # a recursive walk would need ten times Python's stack
    schemas: dict[str, object] = {f"S{i}": _arrays(1, _ref(f"S{i + 1}")) for i in range(length)}
    schemas[f"S{length}"] = {"type": "string"}
    done = _generate(tmp_path, _document(_ref("S0"), schemas))
    assert done.returncode == 2, done.stderr
    assert f"nests more than {MAX_NESTING} levels deep" in done.stderr
    assert "(#/channels/c/messages/M/payload)" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_references_that_fan_out_are_walked_once_each(tmp_path: Path) -> None:
    # 4 ** 25 paths through 26 schemas: expanding them would never end.
    names = [f"F{i}" for i in range(26)]
    schemas: dict[str, object] = {
        name: {"type": "object", "properties": {k: _ref(after) for k in "abcd"}}
        for name, after in itertools.pairwise(names)
    }
    schemas[names[-1]] = {"type": "string"}
    done = _generate(tmp_path, _document(_ref("F0"), schemas))
    assert done.returncode == 0, done.stderr


def test_inline_nesting_is_bounded_where_the_runtime_can_still_compile_the_validator(
    tmp_path: Path,
) -> None:
    done = _generate(tmp_path / "over", _document(_arrays(MAX_INLINE_NESTING + 1, {}), {}))
    assert done.returncode == 2, done.stderr
    assert f"more than {MAX_INLINE_NESTING} levels of subschemas inside one another" in done.stderr
    assert "(#/channels/c/messages/M/payload)" in done.stderr

    deepest = _arrays(MAX_INLINE_NESTING, {"type": "string"})
    done = _generate(tmp_path / "at", _document(deepest, {}))
    assert done.returncode == 0, done.stderr
    value: object = "leaf"
    for _ in range(MAX_INLINE_NESTING):
        value = [value]
    script = (
        "import json, sys\n"
        "from amqp_events.schema import SchemaValidator\n"
        "from deep import schemas\n"
        "SchemaValidator(schemas.M, event='deep.event').validate(json.loads(sys.argv[1]))\n"
    )
    checked = subprocess.run(
        [sys.executable, "-c", script, json.dumps(value)],
        cwd=tmp_path / "at" / "gen",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
