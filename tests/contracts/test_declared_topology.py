"""diff compares what the workers declare: the topology the generated package's app builds.

``diff`` needs no Celery, so it builds a service's topology from the model with the
runtime's own functions; the generated package builds it through ``bind()`` on a real
``EventsApp``. Both must be the same entities, or a redeclaration diff calls safe
could be one RabbitMQ refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.contracts.packages import load_packages
from generator.contracts.revisions import Named
from generator.contracts.sides import read_side
from generator.contracts.topology import side_topology
from tests.golden.cases import cases
from tests.support.workers import ROOT

DOCUMENTS = [
    *((case.folder / "asyncapi.yaml", json.loads((case.folder / "options.json").read_text()))
      for case in cases()),
    (ROOT / "examples" / "orders" / "asyncapi.yaml", {}),
    (ROOT / "examples" / "billing" / "asyncapi.yaml", {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "settings"), DOCUMENTS, ids=[f"{s.parent.name}" for s, _ in DOCUMENTS]
)
def test_diff_sees_the_topology_the_generated_package_declares(
    spec: Path, settings: dict[str, object]
) -> None:
    side = read_side(Named(str(spec), spec), both_sides=bool(settings.get("both_sides"))).side
    assert side is not None
    with load_packages([side]) as (packages, errors):
        assert errors == []
        app = packages[0].app
        consuming, producing = app.topology(), app.publisher_topology()
    seen = side_topology(side)
    assert set(seen.exchanges) == {*consuming.exchanges, *producing.exchanges}
    assert set(seen.queues) == set(consuming.queues)
    assert set(seen.bindings) == set(consuming.bindings)
