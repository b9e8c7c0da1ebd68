"""Operations command line: ``amqp-events archive ...``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the operations command line (not available yet)."""
    del argv
    sys.stderr.write("amqp-events is not implemented yet.\n")
    return 2
