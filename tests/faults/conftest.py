"""A private RabbitMQ node for tests that restart the broker or raise its alarms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.support.broker import Broker
from tests.support.private_node import PrivateNode, missing_tools


@pytest.fixture(scope="session")
def private_node() -> Iterator[PrivateNode]:
    """One node for the session (it takes seconds to boot); removed at the end."""
    reason = missing_tools()
    require(reason is None, f"Cannot start a private RabbitMQ node: {reason}")
    node = PrivateNode()
    try:
        node.start()
    except Exception as error:  # noqa: BLE001 - report any start failure as the test outcome
        node.stop()
        pytest.fail(f"The private RabbitMQ node did not start: {error}")
    yield node
    node.stop()


@pytest.fixture
def node_broker(private_node: PrivateNode) -> Iterator[Broker]:
    """A direct connection to the private node."""
    broker = Broker(private_node.url)
    yield broker
    broker.close()
