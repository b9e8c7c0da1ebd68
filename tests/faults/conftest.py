"""Private RabbitMQ nodes for tests that restart the broker, raise its alarms or set policies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.support.broker import Broker
from tests.support.private_node import PrivateNode, missing_tools


def _running_node(*, management: bool = False) -> Iterator[PrivateNode]:
    reason = missing_tools()
    require(reason is None, f"Cannot start a private RabbitMQ node: {reason}")
    node = PrivateNode(management=management)
    try:
        node.start()
    except Exception as error:  # noqa: BLE001 - report any start failure as the test outcome
        node.stop()
        pytest.fail(f"The private RabbitMQ node did not start: {error}")
    yield node
    node.stop()


@pytest.fixture(scope="session")
def private_node() -> Iterator[PrivateNode]:
    """One node for the session (it takes seconds to boot); removed at the end."""
    yield from _running_node()


@pytest.fixture(scope="session")
def management_node() -> Iterator[PrivateNode]:
    """A node with the management plugin, for what only its HTTP API shows (policies)."""
    yield from _running_node(management=True)


@pytest.fixture
def node_broker(private_node: PrivateNode) -> Iterator[Broker]:
    """A direct connection to the private node."""
    broker = Broker(private_node.url)
    yield broker
    broker.close()
