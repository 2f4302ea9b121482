"""Backtest of the status: how often its calls, chances and intervals held, against what happened.

Two sets of targets, each judged on every day a new figure was published before the figure
for the target period came out, with only what was public that day, by the library's own
rules (``jwmetrics.assess.status.judge``):

(a) **real targets** from ``data/backtest/`` (20 UK targets, 125 figures, every figure cited
    with its publication date; see ``data/backtest/README.md``);
(b) **generated series with known truth** (synthetic): monthly, quarterly and annual series
    with a trend, seasonality, AR(1) noise and breaks, each with a target set near where the
    series was heading, so that about half are met.

It prints, for each set: the 95% interval's coverage of the figure for the target period
(goal 93-97%); the Brier score of ``probability_met`` against two naive forecasters (a straight
line from the baseline through the latest figure, and the latest change carried forward, each
saying 1 or 0); calibration by band of the chance; the share of Green and Red calls borne out
(decisive accuracy) and the share hedged (Amber). Each target weighs one in the per-target
figures, whatever its number of calls.

    .venv/bin/python bench/status_backtest.py            # both sets
    .venv/bin/python bench/status_backtest.py --generated 400 --seed 3
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jwmetrics.assess.progress import ResolvedTarget, meets  # noqa: E402
from jwmetrics.assess.status import MeasureFacts, judge  # noqa: E402
from jwmetrics.assess.track_record import BANDS, in_band  # noqa: E402
from jwmetrics.periods import Period, PeriodKind  # noqa: E402
from jwmetrics.store.figure import ObservationView  # noqa: E402

CORPUS = ROOT / "data" / "backtest"
DECISIVE = {"Green": True, "Red": False}
KINDS = {"quarterly": PeriodKind.QUARTER, "monthly": PeriodKind.MONTH}


@dataclass(frozen=True)
class Case:
    """One target: its figures (period end, value, published on), the target and outcome."""

    name: str
    unit: str
    frequency: str
    target: ResolvedTarget
    figures: list[tuple[date, date, float, date]]  # period start, end, value, published
    outcome: float  # the figure for the target period
    outcome_published: date


@dataclass(frozen=True)
class Call:
    """What the rules said on one day, and what the naive forecasters said."""

    case: str
    status: str
    chance: float | None
    low: float | None
    high: float | None
    naive_line: float | None
    naive_change: float | None
    met: bool
    outcome: float


def view(
    start: date, end: date, value: float, published: date, kind: PeriodKind
) -> ObservationView:
    """A figure as the status rules read it."""
    return ObservationView(
        id=0, measure_id=1, area_code="E92000001", period=Period(start, end, kind), value=value,
        qualifier="exact", marker=None, data_status="final", partner="", note="",
        source="backtest", return_id=None, row_number=None, published_on=published,
        recorded_at=datetime(2026, 1, 1),
    )  # fmt: skip


def unit_of(unit: str) -> str:
    """The corpus unit as a catalogued unit: percentages stay percent; counts, rates and
    durations (all positive, moving by shares) are fitted like counts, on the log scale."""
    return "percent" if unit == "percent" else "number"


def corpus_cases() -> list[Case]:
    """The real targets of ``data/backtest/``."""
    with (CORPUS / "targets.csv").open(encoding="utf-8") as handle:
        targets = list(csv.DictReader(handle))
    with (CORPUS / "figures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cases = []
    for row in targets:
        mine = [r for r in rows if r["target_id"] == row["target_id"]]
        figures = sorted(
            (
                date.fromisoformat(r["period_start"]),
                date.fromisoformat(r["period_end"]),
                float(r["value"]),
                date.fromisoformat(r["published_on"]),
            )
            for r in mine
        )
        due = date.fromisoformat(row["target_period_end"])
        outcome = next(f for f in figures if f[1] == due)
        target = ResolvedTarget(
            value=float(row["target_value"]),
            baseline_value=float(row["baseline_value"]),
            baseline_date=date.fromisoformat(row["baseline_period_end"]),
            target_date=due,
            direction="down" if row["direction"] == "lower" else "up",
        )
        cases.append(
            Case(
                row["target_id"],
                unit_of(row["unit"]),
                row["frequency"],
                target,
                figures,
                outcome[2],
                outcome[3],
            )
        )
    return cases


def naive_line(target: ResolvedTarget, latest: tuple[date, float]) -> float | None:
    """A straight line from the baseline through the latest figure, read at the target date."""
    if target.baseline_date is None or target.baseline_value is None or target.target_date is None:
        return None
    span = (latest[0] - target.baseline_date).days
    if span <= 0:
        return None
    slope = (latest[1] - target.baseline_value) / span
    return latest[1] + slope * (target.target_date - latest[0]).days


def naive_change(points: list[tuple[date, float]], target: ResolvedTarget) -> float | None:
    """The latest change, per day, carried forward to the target date."""
    if len(points) < 2 or target.target_date is None:
        return None
    (d1, v1), (d2, v2) = points[-2], points[-1]
    if d2 <= d1:
        return None
    return v2 + (v2 - v1) / (d2 - d1).days * (target.target_date - d2).days


def calls_of(case: Case) -> list[Call]:
    """The calls made on each publication day before the outcome was published."""
    kind = KINDS.get(case.frequency, PeriodKind.INTERVAL)
    met = meets(case.outcome, float(case.target.value or 0), case.target.direction)
    facts = MeasureFacts(unit=case.unit, direction=case.target.direction)
    days = sorted({f[3] for f in case.figures if f[3] < case.outcome_published})
    calls = []
    for day in days:
        known = [f for f in case.figures if f[3] <= day and f[1] != case.target.target_date]
        views = [view(s, e, v, p, kind) for s, e, v, p in known]
        result = judge(views, case.target, facts, day)
        if str(result.status) in ("Grey", "No target"):
            continue
        after = [(e, v) for _, e, v, _ in known if e > (case.target.baseline_date or date.min)]
        trend = result.forecast
        goal, direction = float(case.target.value or 0), case.target.direction
        line = naive_line(case.target, after[-1]) if after else None
        change = naive_change([(e, v) for _, e, v, _ in known], case.target)
        calls.append(
            Call(
                case=case.name,
                status=str(result.trend_status or result.status),
                chance=result.probability_met,
                low=trend.low if trend else None,
                high=trend.high if trend else None,
                naive_line=None if line is None else float(meets(line, goal, direction)),
                naive_change=None if change is None else float(meets(change, goal, direction)),
                met=met,
                outcome=case.outcome,
            )
        )
    return calls


def generated_cases(count: int, seed: int) -> list[Case]:
    """Synthetic series with known truth: trend, seasonality, AR(1) noise, sometimes a break."""
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        frequency = rng.choice(["monthly", "quarterly", "annual"])
        per_year = {"monthly": 12, "quarterly": 4, "annual": 1}[frequency]
        known_years = rng.choice([2, 3, 4, 6]) if per_year > 1 else rng.choice([3, 5, 8])
        ahead_years = rng.choice([1, 2, 3])
        n, h = known_years * per_year, ahead_years * per_year
        level, slope = rng.uniform(100, 5000), rng.uniform(-0.2, 0.15)
        noise, rho = rng.uniform(0.01, 0.12), rng.choice([0.0, 0.0, 0.5, 0.8])
        amplitude = rng.choice([0.0, 0.0, 0.15]) if per_year > 1 else 0.0
        broken = rng.random() < 0.2
        values, error = [], 0.0
        for t in range(n + h + 1):
            error = rho * error + rng.gauss(0, noise)
            years = t / per_year
            season = amplitude * math.cos(2 * math.pi * (t % per_year) / per_year)
            bend = -0.15 * (years - known_years / 2) if broken and years > known_years / 2 else 0
            values.append(level * math.exp(slope * years + season + error + bend))
        ends = [_period_end(2000, t, per_year) for t in range(n + h + 1)]
        starts = [_period_start(end, per_year) for end in ends]
        expected = level * math.exp(slope * (n + h) / per_year)
        direction = rng.choice(["up", "down"])
        goal = expected * rng.uniform(0.8, 1.25)
        target = ResolvedTarget(goal, values[0], ends[0], ends[-1], direction)
        lag = {"monthly": 45, "quarterly": 60, "annual": 120}[frequency]
        figures = [
            (starts[t], ends[t], values[t], date.fromordinal(ends[t].toordinal() + lag))
            for t in range(n + h + 1)
            if t <= n or t == n + h
        ]
        cases.append(
            Case(
                f"synthetic-{index}",
                "number",
                frequency,
                target,
                figures,
                values[-1],
                figures[-1][3],
            )
        )
    return cases


def _period_end(year: int, t: int, per_year: int) -> date:
    months = 12 // per_year
    index = year * 12 + (t + 1) * months - 1
    y, m = divmod(index, 12)
    next_first = date(y + (m == 11), (m + 1) % 12 + 1, 1)
    return date.fromordinal(next_first.toordinal() - 1)


def _period_start(end: date, per_year: int) -> date:
    months = 12 // per_year
    index = end.year * 12 + end.month - months
    y, m = divmod(index, 12)
    return date(y, m + 1, 1)


def brier(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """Mean squared error of the probabilities."""
    scores = [(p - float(met)) ** 2 for p, met in pairs]
    return statistics.fmean(scores) if scores else None


def per_target(calls: list[Call], score: str) -> float | None:
    """The Brier score of one forecaster averaged per target (each target weighs one)."""
    by_case: dict[str, list[tuple[float, bool]]] = {}
    for call in calls:
        value = getattr(call, score)
        if call.chance is not None and value is not None:
            by_case.setdefault(call.case, []).append((value, call.met))
    means = [b for pairs in by_case.values() if (b := brier(pairs)) is not None]
    return statistics.fmean(means) if means else None


def report(title: str, calls: list[Call], cases: int) -> None:
    """Print the figures of one set."""
    print(f"\n== {title}: {cases} targets, {len(calls)} calls")
    with_interval = [c for c in calls if c.low is not None and c.high is not None]
    covered = sum(c.low <= c.outcome <= c.high for c in with_interval)  # type: ignore[operator]
    if with_interval:
        print(f"95% interval coverage: {covered / len(with_interval):.1%} of {len(with_interval)}")
    scored = [c for c in calls if c.chance is not None]
    print(f"calls with a chance: {len(scored)} ({len(scored) / max(len(calls), 1):.0%})")
    both = [c for c in scored if c.naive_line is not None and c.naive_change is not None]
    rows = [
        ("probability_met", [(c.chance, c.met) for c in both], "chance"),
        ("naive: line from baseline", [(c.naive_line, c.met) for c in both], "naive_line"),
        ("naive: latest change", [(c.naive_change, c.met) for c in both], "naive_change"),
    ]
    print(f"Brier score on the {len(both)} calls all three can make (lower is better):")
    for name, pairs, attribute in rows:
        pooled = brier(pairs)  # type: ignore[arg-type]
        target_mean = per_target(both, attribute)
        print(f"  {name:<28} {pooled:.3f} pooled, {target_mean:.3f} per target")
    print("calibration (chance band: calls, mean chance, share met):")
    for low, high in BANDS:
        inside = [c for c in scored if in_band(float(c.chance or 0), low, high)]
        if inside:
            mean = statistics.fmean(c.chance for c in inside)  # type: ignore[misc]
            share = statistics.fmean(c.met for c in inside)
            print(f"  {low:.1f}-{high:.1f}: {len(inside):5d} calls, {mean:.2f}, {share:.2f}")
    decisive = [c for c in calls if c.status in DECISIVE]
    right = sum(DECISIVE[c.status] == c.met for c in decisive)
    hedged = sum(c.status == "Amber" for c in calls)
    made = len(decisive) + hedged
    if decisive:
        print(f"decisive calls right: {right} of {len(decisive)} ({right / len(decisive):.0%})")
    for word in ("Green", "Amber", "Red"):
        said = [c for c in calls if c.status == word]
        if said:
            share = statistics.fmean(c.met for c in said)
            print(f"  {word}: {len(said)} calls, target then met in {share:.0%}")
    if made:
        print(f"hedged (Amber): {hedged} of {made} calls ({hedged / made:.0%})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", type=int, default=600, help="generated targets")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    real = corpus_cases()
    report(
        "(a) real targets, data/backtest", [c for case in real for c in calls_of(case)], len(real)
    )
    made = generated_cases(args.generated, args.seed)
    calls = [c for case in made for c in calls_of(case)]
    report("(b) generated series (synthetic, known truth)", calls, len(made))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
