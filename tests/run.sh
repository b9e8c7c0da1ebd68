#!/usr/bin/env bash
# The whole test suite on a fresh machine: virtualenv, install, broker, lint, types, tests.
# Extra arguments go to pytest, e.g. `bash tests/run.sh -k archive -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=${VENV:-.venv}
export AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672//}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'

# Starts a local rabbitmq-server when one is installed but not running; fails with
# instructions when no broker answers at $AMQP_URL.
"$venv/bin/python" -m tests.support.ensure_broker

"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
"$venv/bin/mypy" .
"$venv/bin/pytest" "$@"
