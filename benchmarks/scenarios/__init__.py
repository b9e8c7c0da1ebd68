"""The scenarios of the command, one module per area, in the order they run."""

from benchmarks.harness import Scenario
from benchmarks.scenarios.codegen import CHECK_SCENARIO, CODEGEN, DIFF_SCENARIO
from benchmarks.scenarios.consume import DRAIN, E2E
from benchmarks.scenarios.memory import MEMORY
from benchmarks.scenarios.publish import BATCH_SCENARIO, FIRE_SCENARIO
from benchmarks.scenarios.retry import RETRY

SCENARIOS: tuple[Scenario, ...] = (
    FIRE_SCENARIO,
    BATCH_SCENARIO,
    DRAIN,
    E2E,
    RETRY,
    MEMORY,
    CODEGEN,
    CHECK_SCENARIO,
    DIFF_SCENARIO,
)
