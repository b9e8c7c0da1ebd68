"""The benchmark service's own AsyncAPI document, compiled by ``amqp-events-gen``.

Scenarios fire and handle events through the generated package, as a service does:
``fire_order_created(OrderCreated(...))`` validates against the embedded schema and
publishes; the worker implements the generated ``Handlers``. The channels carry no
AMQP binding, so events go to the app's default exchange, which is unique per run.
"""

from __future__ import annotations

import compileall
import copy
import importlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from amqp_events import JsonValue
from benchmarks.payloads import EVENT, SCHEMA

SERVICE = "bench"


def event_names(count: int) -> list[str]:
    """Names of ``count`` events; the first is the one every message scenario sends."""
    return [EVENT] + [f"bench.thing{i}.changed" for i in range(1, count)]


def document(count: int) -> dict[str, Any]:
    """A service that sends and receives ``bench.order.created`` and receives ``count - 1`` more."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for index, address in enumerate(event_names(count)):
        name = "OrderCreated" if index == 0 else f"Thing{index}Changed"
        channel = name[0].lower() + name[1:]
        channels[channel] = {
            "address": address,
            "messages": {name: {"name": name, "payload": copy.deepcopy(SCHEMA)}},
        }
        ref = {"$ref": f"#/channels/{channel}"}
        if index == 0:
            operations[f"send{name}"] = {"action": "send", "channel": ref}
        operations[f"on{name}"] = {"action": "receive", "channel": ref}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Benchmark service",
            "version": "1.0.0",
            "x-amqp-events-service": SERVICE,
        },
        "channels": channels,
        "operations": operations,
    }


def gen_command() -> list[str]:
    """How to run ``amqp-events-gen`` from this interpreter's environment."""
    script = Path(sys.executable).with_name("amqp-events-gen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "generator"]


@dataclass(frozen=True, slots=True)
class Package:
    """A generated package: the folder to put on ``sys.path`` and the module name."""

    folder: Path
    name: str

    def load(self) -> ModuleType:
        """Import the package (in this process)."""
        if str(self.folder) not in sys.path:
            sys.path.insert(0, str(self.folder))
        return importlib.import_module(self.name)


@cache
def generate(workdir: Path, count: int) -> Package:
    """Generate (once per run) the package of the ``count``-handler service."""
    folder = workdir / "packages"
    name = f"bench_events_{count}"
    spec = folder / f"{name}.asyncapi.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    spec.write_text(yaml.safe_dump(document(count), sort_keys=False), encoding="utf-8")
    shutil.rmtree(folder / name, ignore_errors=True)
    done = subprocess.run(
        [*gen_command(), str(spec), "-o", str(folder), "--package", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"amqp-events-gen failed on {spec}: {done.stderr.strip()[-2000:]}")
    compile_bytecode(folder / name)
    return Package(folder, name)


def compile_bytecode(folder: Path) -> None:
    """Write the .pyc files of a source tree, as ``pip install`` does for a package.

    Without them (``PYTHONDONTWRITEBYTECODE`` is set on some machines) every worker
    compiles the sources at start and keeps the compiler's memory, which a deployed
    service does not.
    """
    compileall.compile_dir(folder, quiet=1)


def payload_object(package: ModuleType, body: Mapping[str, JsonValue]) -> Any:
    """The generated ``OrderCreated`` for a payload (what a caller of ``fire_*`` builds)."""
    fail = body.get("fail")
    return package.OrderCreated(
        seq=body["seq"],
        order_id=uuid.UUID(str(body["orderId"])),
        amount=body["amount"],
        at=datetime.fromisoformat(str(body["at"])),
        **({"fail": fail} if fail else {}),
    )
