"""Make sure a RabbitMQ answers at AMQP_URL, starting a local one when it is installed.

Run as ``python -m tests.support.ensure_broker``; exits 1 with instructions when no
broker can be had.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from kombu.utils.url import maybe_sanitize_url, parse_url

from amqp_events.publisher import amqp_connection

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672//"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def broker_answers(url: str, timeout: float = 3.0) -> str | None:
    """Return None when an AMQP handshake succeeds, else the reason it failed."""
    connection = amqp_connection(url, connect_timeout=timeout)
    try:
        connection.connect()
    except Exception as error:  # noqa: BLE001 - any failure means "not usable"
        connection.collect()
        return f"{type(error).__name__}: {error}"
    connection.close()
    return None


def main() -> int:
    """Check the broker, start a local one if possible, and report."""
    url = os.environ.get("AMQP_URL", DEFAULT_URL)
    shown = maybe_sanitize_url(url)
    reason = broker_answers(url)
    if reason is None:
        print(f"RabbitMQ answers at {shown}.")
        return 0
    host = parse_url(url)["hostname"] or "127.0.0.1"
    server = shutil.which("rabbitmq-server")
    if host in LOCAL_HOSTS and server:
        print(f"No broker at {shown} ({reason}); starting {server} -detached ...")
        subprocess.run([server, "-detached"], check=False)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            time.sleep(2)
            reason = broker_answers(url)
            if reason is None:
                print(f"RabbitMQ answers at {shown}.")
                return 0
    print(
        f"No RabbitMQ broker answers at {shown}: {reason}.\n"
        "The tests need a real RabbitMQ. Either install one locally "
        "(Debian/Ubuntu: apt-get install rabbitmq-server; this script then starts it), "
        "or point AMQP_URL at a reachable broker, e.g.\n"
        "  AMQP_URL=amqp://user:password@host:5672/vhost bash tests/run.sh",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
