"""The table printed at the end of a run, and the JSON file with every measured value."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.harness import Row, ScenarioResult, Verdict


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _pairs(result: ScenarioResult) -> list[tuple[str, str, str | None]]:
    """(case, baseline, metric or None for every metric) pairs shown as ratios."""
    pairs: list[tuple[str, str, str | None]] = []
    for target in result.scenario.targets:
        if target.baseline is not None:
            pairs.append((target.case, target.baseline, target.metric))
    pairs.extend((case, base, None) for case, base in result.scenario.compare)
    return pairs


def ratios(result: ScenarioResult, row: Row) -> list[tuple[str, float]]:
    """The row's median divided by each baseline it is compared with."""
    found = []
    seen = set()
    for case, base, metric in _pairs(result):
        if case != row.case or (metric is not None and metric != row.metric) or base in seen:
            continue
        reference = next(
            (r for r in result.rows if r.case == base and r.metric == row.metric), None
        )
        value = row.median
        if reference is None or reference.median is None or value is None:
            continue
        if reference.median:
            found.append((base, value / reference.median))
            seen.add(base)
    return found


def _verdict_text(verdict: Verdict) -> str:
    if verdict.met is None:
        return f"? ({verdict.note})"
    return "met" if verdict.met else "MISSED"


def table(results: Sequence[ScenarioResult], meta: Mapping[str, object]) -> str:
    """Render the results as a plain-text table, one block per scenario."""
    lines = [
        "celery-amqp-events benchmarks: " + ", ".join(f"{k} {v}" for k, v in meta.items()),
        "",
    ]
    header = f"{'case':<34} {'metric':<20} {'median':>9} {'min':>9} {'max':>9}  ratio to baseline"
    for result in results:
        size = f" (n={result.n})" if result.n else ""
        lines.append(f"== {result.scenario.name}: {result.scenario.title}{size}")
        if result.error:
            lines.append(f"   {result.error}")
            lines.append("")
            continue
        lines.append(header)
        for row in result.rows:
            if row.error:
                lines.append(f"{row.case:<34} {row.metric:<20} {row.error}")
                continue
            compared = "; ".join(f"{ratio:.2f}x {base}" for base, ratio in ratios(result, row))
            lines.append(
                f"{row.case:<34} {(row.metric + ' ' + row.unit):<20} "
                f"{_number(row.median):>9} {_number(min(row.values, default=None)):>9} "
                f"{_number(max(row.values, default=None)):>9}  {compared}"
            )
        for verdict in result.verdicts:
            ratio = "-" if verdict.ratio is None else f"{verdict.ratio:.2f}"
            lines.append(
                f"   target: {verdict.target.case} {verdict.target.metric} "
                f"{verdict.target.describe()}: {ratio} -> {_verdict_text(verdict)}"
            )
        lines.append("")
    return "\n".join(lines)


def to_json(results: Sequence[ScenarioResult], meta: Mapping[str, object]) -> dict[str, object]:
    """Every value of every repetition, the medians, ratios and verdicts."""
    scenarios = []
    for result in results:
        scenarios.append(
            {
                "name": result.scenario.name,
                "title": result.scenario.title,
                "n": result.n,
                "error": result.error,
                "rows": [
                    {
                        "case": row.case,
                        "metric": row.metric,
                        "unit": row.unit,
                        "higher_is_better": row.higher_is_better,
                        "values": row.values,
                        "median": row.median,
                        "min": min(row.values, default=None),
                        "max": max(row.values, default=None),
                        "ratios": dict(ratios(result, row)),
                        "error": row.error,
                    }
                    for row in result.rows
                ],
                "targets": [
                    {
                        "case": v.target.case,
                        "metric": v.target.metric,
                        "target": v.target.describe(),
                        "ratio": v.ratio,
                        "met": v.met,
                        "note": v.note,
                    }
                    for v in result.verdicts
                ],
            }
        )
    return {"meta": dict(meta), "scenarios": scenarios}


def write_json(path: Path, data: Mapping[str, object]) -> None:
    """Write the JSON report, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
