"""Command line of the generator: ``amqp-events-gen SPEC -o DIR``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the generator command line (not available yet)."""
    del argv
    sys.stderr.write("amqp-events-gen is not implemented yet.\n")
    return 2
