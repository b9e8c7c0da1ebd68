#!/usr/bin/env bash
# The main job: generate both example services' packages from their AsyncAPI documents,
# check that the committed code matches, and run the services end to end when a RabbitMQ
# answers at $AMQP_URL (default amqp://guest:guest@127.0.0.1:5672//).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=${VENV:-.venv}
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'

for service in orders billing; do
    "$venv/bin/amqp-events-gen" "examples/$service/asyncapi.yaml" -o "examples/$service" \
        --package "${service}_events"
    "$venv/bin/amqp-events-gen" "examples/$service/asyncapi.yaml" -o "examples/$service" \
        --package "${service}_events" --check
done

"$venv/bin/python" examples/demo.py
