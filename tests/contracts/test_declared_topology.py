"""diff compares what the workers declare: the topology the generated package's app builds.

``diff`` needs no Celery, so it builds a service's topology from the model with the
runtime's own functions; the generated package builds it through ``bind()`` on a real
``EventsApp``. Both must be the same entities, or a redeclaration diff calls safe
could be one RabbitMQ refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.contracts.packages import load_packages
from generator.contracts.revisions import Named
from generator.contracts.sides import read_side
from generator.contracts.topology import side_topology
from tests.golden.cases import cases
from tests.support.figures import record
from tests.support.workers import ROOT

DOCUMENTS = [
    *((case.folder / "asyncapi.yaml", json.loads((case.folder / "options.json").read_text()))
      for case in cases()),
    (ROOT / "examples" / "orders" / "asyncapi.yaml", {}),
    (ROOT / "examples" / "billing" / "asyncapi.yaml", {}),
]  # fmt: skip


def _compare(spec: Path, both_sides: bool) -> tuple[int, list[str]]:
    """How many entities were compared, and those only one of diff and the app has."""
    side = read_side(Named(str(spec), spec), both_sides=both_sides).side
    assert side is not None, spec
    with load_packages([side]) as (packages, errors):
        assert errors == [], spec
        app = packages[0].app
        consuming, producing = app.topology(), app.publisher_topology()
    seen = side_topology(side)
    pairs = [
        (seen.exchanges, (*consuming.exchanges, *producing.exchanges)),
        (seen.queues, consuming.queues),
        (seen.bindings, consuming.bindings),
    ]
    compared = sum(len({*ours, *theirs}) for ours, theirs in pairs)
    return compared, [
        f"{spec.parent.name}: {e}" for ours, theirs in pairs for e in {*ours} ^ {*theirs}
    ]


def test_diff_sees_the_topology_the_generated_package_declares() -> None:
    total, differences = 0, []
    for spec, settings in DOCUMENTS:
        compared, differ = _compare(spec, bool(settings.get("both_sides")))
        total += compared
        differences += differ
    assert differences == []
    record(
        "declared topology",
        f"{len(DOCUMENTS)} documents: {total} exchanges, queues and bindings compared, 0 differ",
    )
