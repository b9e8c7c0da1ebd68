"""Generated packages shared by the functional tests, built and imported once per run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.payloads import TypesModule
from tests.conftest import require
from tests.generator.payloads import specs
from tests.generator.payloads.support import build, import_package, write_package

SHARED = Path(__file__).resolve().parents[4] / "shared" / "research" / "codegen-peers-fixtures"


@dataclass(frozen=True)
class Generated:
    """A generated package: what ``build_types`` returned and its imported modules."""

    module: TypesModule
    payloads: ModuleType
    schemas: ModuleType
    examples: ModuleType


def shared_fixture(name: str) -> Path:
    """A file of the shared research fixtures; skipped when absent, unless in CI."""
    path = SHARED / name
    require(path.exists(), f"{path} is not available on this machine")
    return path


def load_yaml(path: Path) -> Any:
    """A YAML document."""
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="session")
def packages_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory every generated test package is written to."""
    return tmp_path_factory.mktemp("generated")


def _generate(root: Path, name: str, module: TypesModule) -> Generated:
    modules = import_package(module, root, name)
    return Generated(module, modules["payloads"], modules["schemas"], modules["examples"])


@pytest.fixture(scope="session")
def features(packages_root: Path) -> Generated:
    """The package of ``specs.FEATURES``."""
    module = build(specs.FEATURES, {"common.yaml": specs.COMMON}, examples=specs.FEATURE_EXAMPLES)
    return _generate(packages_root, "features_pkg", module)


@pytest.fixture(scope="session")
def recursive(packages_root: Path) -> Generated:
    """The package of ``specs.RECURSIVE``."""
    module = build(specs.RECURSIVE, {"recursive.yaml": specs.RECURSIVE_COMMON})
    return _generate(packages_root, "recursive_pkg", module)


@pytest.fixture(scope="session")
def hostile(packages_root: Path) -> Generated:
    """The package of ``specs.HOSTILE``, with the other half's names reserved."""
    module = build(specs.HOSTILE, reserved=specs.HOSTILE_RESERVED)
    return _generate(packages_root, "hostile_pkg", module)


@pytest.fixture(scope="session")
def discriminated(packages_root: Path) -> Generated:
    """The package of ``specs.DISCRIMINATED``."""
    module = build(specs.DISCRIMINATED, {"pets.yaml": specs.PETS})
    return _generate(packages_root, "discriminated_pkg", module)


@pytest.fixture(scope="session")
def empty(packages_root: Path) -> Generated:
    """The package of a document without payloads."""
    return _generate(packages_root, "empty_pkg", build({}))


@pytest.fixture(scope="session")
def written(
    packages_root: Path,
    *,
    features: Generated,
    recursive: Generated,
    hostile: Generated,
    discriminated: Generated,
    empty: Generated,
) -> Path:
    """The directory once every shared package is in it (for mypy and ruff)."""
    del features, recursive, hostile, discriminated, empty
    return packages_root


__all__ = ["Generated", "load_yaml", "shared_fixture", "write_package"]
