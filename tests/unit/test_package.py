"""The package's top level: every public name, imported only when it is first used."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import amqp_events


def test_importing_the_package_loads_no_other_module() -> None:
    probe = (
        "import sys, amqp_events\n"
        "print(sorted(m for m in sys.modules if m.startswith(('amqp_events.', 'celery', 'kombu'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", amqp_events.__all__)
def test_each_public_name_is_the_object_its_module_defines(name: str) -> None:
    home = amqp_events._HOMES[name]
    assert getattr(amqp_events, name) is getattr(importlib.import_module(home), name)
    assert name in dir(amqp_events)


def test_every_name_with_a_home_is_public() -> None:
    assert sorted(amqp_events._HOMES) == sorted(amqp_events.__all__)


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="'EventApp'"):
        amqp_events.EventApp  # type: ignore[attr-defined]  # noqa: B018
