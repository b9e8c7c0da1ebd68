"""Benchmarks against a real RabbitMQ: ``python -m benchmarks`` (see ``--help``)."""
