"""``python -m generator``: the same command line as ``amqp-events-gen``."""

import sys

from generator.cli import main

sys.exit(main())
