"""The same spec gives the same bytes: in one process, across hash seeds, in any order
the document's unrelated parts are read."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from generator.payloads import build_types
from tests.generator.payloads import specs
from tests.generator.payloads.support import PROJECT, build, graph_of, roots_of

_SCRIPT = """
import hashlib
from tests.generator.payloads import specs
from tests.generator.payloads.support import build
module = build(specs.FEATURES, {"common.yaml": specs.COMMON}, examples=specs.FEATURE_EXAMPLES)
hostile = build(specs.HOSTILE, reserved=specs.HOSTILE_RESERVED)
text = "".join(
    m.payloads_source + m.schemas_source + m.examples_source + repr(sorted(m.roots.items()))
    for m in (module, hostile)
)
print(hashlib.sha256(text.encode()).hexdigest())
"""


def _digest() -> str:
    module = build(specs.FEATURES, {"common.yaml": specs.COMMON}, examples=specs.FEATURE_EXAMPLES)
    hostile = build(specs.HOSTILE, reserved=specs.HOSTILE_RESERVED)
    text = "".join(
        m.payloads_source + m.schemas_source + m.examples_source + repr(sorted(m.roots.items()))
        for m in (module, hostile)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def test_two_builds_in_one_process_are_identical() -> None:
    assert _digest() == _digest()


def test_builds_under_different_hash_seeds_are_identical() -> None:
    digests = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT)},
        )
        digests.add(result.stdout.strip())
    assert digests == {_digest()}


def test_the_order_of_graph_nodes_does_not_matter() -> None:
    documents = {"common.yaml": specs.COMMON, "asyncapi.yaml": {}}
    roots = roots_of(documents, "asyncapi.yaml", specs.FEATURES)
    graph = graph_of(documents, roots)
    shuffled = type(graph)(nodes=dict(reversed(list(graph.nodes.items()))), locate=graph.locate)
    first = build_types(graph, roots)
    second = build_types(shuffled, roots)
    assert first.payloads_source == second.payloads_source
    assert first.schemas_source == second.schemas_source
