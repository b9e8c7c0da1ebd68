"""The services worker scenarios run, configured from environment variables.

Environment: ``BENCH_URL``, ``BENCH_SINK`` (completion file, see ``benchmarks.sink``),
``BENCH_NAME`` (service or queue name), ``BENCH_EXCHANGE``, ``BENCH_COUNT`` (handlers
or tasks), ``BENCH_RETRY`` (seconds a failed message waits). Each service module
imports only what its own worker needs, so worker memory is compared fairly.
"""
