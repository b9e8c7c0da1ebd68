"""A RabbitMQ node of the tests' own, so restarts and alarms disturb nothing else.

Fault tests stop the broker and raise memory alarms; both act on a whole node, not a
vhost. Running them against a private node on free ports (own data directory, own
node name) leaves the shared broker and every other test alone.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    """A TCP port free now, whose Erlang distribution port (+20000) is free too."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + 20000 > 65535:
            continue
        with socket.socket() as dist:
            try:
                dist.bind(("127.0.0.1", port + 20000))
            except OSError:
                continue
        return port
    raise RuntimeError("Found no pair of free ports for a private RabbitMQ node.")


def missing_tools() -> str | None:
    """Say why a private node cannot be started here, or None when it can."""
    for tool in ("rabbitmq-server", "rabbitmqctl"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "rabbitmq":
        return "starting a RabbitMQ node needs root or the rabbitmq user"
    return None


class PrivateNode:
    """A detached RabbitMQ node with its own name, ports and data directory.

    ``management=True`` enables the management plugin on a free port of its own.
    """

    def __init__(self, *, management: bool = False) -> None:
        self.port = _free_port()
        self.name = f"amqpevents{self.port}@localhost"
        self.base = Path(tempfile.mkdtemp(prefix="amqp-events-node-"))
        self.management_port = _free_port() if management else None
        config = (
            f"listeners.tcp.default = {self.port}\n"
            "loopback_users.guest = true\n"
            "disk_free_limit.absolute = 1MB\n"
        )
        if self.management_port is not None:
            config += (
                f"management.tcp.port = {self.management_port}\nmanagement.tcp.ip = 127.0.0.1\n"
            )
        plugins = "rabbitmq_management" if management else ""
        (self.base / "enabled_plugins").write_text(f"[{plugins}].\n")
        (self.base / "rabbitmq.conf").write_text(config)
        self.env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.port + 20000),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_PID_FILE": str(self.base / "pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq"),
        }
        if os.geteuid() == 0:
            # The packaged server drops to the rabbitmq user, which must own its files.
            user = pwd.getpwnam("rabbitmq")
            for path in [self.base, *self.base.iterdir()]:
                os.chown(path, user.pw_uid, user.pw_gid)

    @property
    def url(self) -> str:
        """AMQP URL of the node."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def management_url(self) -> str:
        """URL of the node's management HTTP API (only with ``management=True``)."""
        if self.management_port is None:
            raise RuntimeError("This node was started without the management plugin.")
        return f"http://127.0.0.1:{self.management_port}"

    def ctl(self, *args: str, timeout: float = 60) -> str:
        """Run ``rabbitmqctl`` against this node and return its output."""
        result = subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def _ping(self) -> bool:
        try:
            self.ctl("ping", timeout=15)
        except (RuntimeError, subprocess.TimeoutExpired):
            return False
        return True

    def start(self, timeout: float = 90) -> None:
        """Start the node and wait until it accepts connections."""
        subprocess.run(["rabbitmq-server", "-detached"], env=self.env, check=True, timeout=60)
        deadline = time.monotonic() + timeout
        while not self._ping():
            if time.monotonic() > deadline:
                raise RuntimeError(f"The private RabbitMQ node {self.name} did not start.")
            time.sleep(1)
        self.ctl("await_startup", timeout=timeout)

    def stop_app(self) -> None:
        """Stop the broker application: every connection drops, the node stays up."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        """Start the broker application again and wait until it serves."""
        self.ctl("start_app")
        self.ctl("await_startup")

    def stop(self) -> None:
        """Stop the node and remove its data."""
        with contextlib.suppress(Exception):
            self.ctl("stop", timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)
