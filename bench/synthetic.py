"""Synthetic national dataset for benchmarks: about 1,000,000 labelled observations.

``python bench/synthetic.py --database-url URL [--observations 1000000] [--seed 1]``

Why: the report gives a dozen figures; the dashboard must stay quick when partners have sent
years of quarterly returns for every local authority. This script builds such a database the
way real data would arrive, so the benchmarks (``bench/scale_bench.py``) and the tests measure
the real code paths:

1. **Catalogue**: 28 synthetic measures over the five initiatives and about 4,000 targets
   (England, the 9 regions and, for several measures, every local authority) are added with
   :func:`jwmetrics.catalogue.load.load_catalogue_file` from the CSV files in
   ``bench/synthetic_catalogue/``. Original targets have a 1998 baseline and a date in
   2004-2010 (so they are now Achieved or Missed); some pairs also have a renewed target
   (baseline March 2019, due 2027-2030), which is what makes Green, Amber and Red appear at
   today's date. The CSV files are written by ``--write-catalogue`` from :data:`MEASURES` and
   the series model below, so the data follow the targets.
2. **Figures**: quarterly values 1998 Q1-2024 Q4 for England, every region and every local
   authority (codes from ``data/areas_england.csv``): a piecewise-linear path through the
   target years, seasonal swing and noise (Poisson for small counts), some ``..`` (not
   available) and ``x`` (suppressed) markers, 2024 marked provisional.
3. **Import**: the figures are written as CSV return files (``synthetic-*.csv``, one per
   initiative per three years) and go through the one import path, :func:`check_return` then
   :func:`commit_return` with warnings confirmed; then one revision return per initiative
   revises 3% of the values.

Everything is labelled: measure names start with ``[Synthetic] ``, sources and notes say
"synthetic benchmark data", return files start with ``synthetic-``. ``--observations``
scales the run down (fewer series, always the full 1998-2024 span); tests use about 5,000.
The series model and the catalogue do not depend on ``--seed``; the noise, the markers and
the revisions do.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as a script: make the jwmetrics package importable
    sys.path.insert(0, str(REPO_ROOT))

from jwmetrics.catalogue.load import load_catalogue_file  # noqa: E402
from jwmetrics.catalogue.seed import open_seeded  # noqa: E402
from jwmetrics.db.engine import DATA_DIR, Database  # noqa: E402
from jwmetrics.returns import check_return, commit_return  # noqa: E402

CATALOGUE_DIR = Path(__file__).resolve().parent / "synthetic_catalogue"
MEASURES_FILE = "synthetic-measures.csv"
TARGET_FILES = ("synthetic-targets-1998.csv", "synthetic-targets-2019.csv")
NAME_PREFIX = "[Synthetic] "
SLUG_PREFIX = "syn-"
SOURCE = "synthetic benchmark data (bench/synthetic.py)"
NOTE = "synthetic benchmark data"
REVISION_NOTE = "synthetic benchmark data: revised"
UPLOADED_BY = "bench/synthetic.py"

FIRST_YEAR, LAST_YEAR = 1998, 2024
QUARTERS: tuple[tuple[int, int], ...] = tuple(
    (year, q) for year in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)
)
PROVISIONAL_YEAR = LAST_YEAR  # the newest year's figures arrive provisional
BLOCK_YEARS = 3  # one original return per initiative per this many years
REVISION_SHARE = 0.03  # share of the numeric values the revision returns revise
NOT_AVAILABLE_SHARE = {"country": 0.001, "region": 0.002, "local authority": 0.004}
SUPPRESSED_SHARE = 0.003  # "x" markers, local authorities only
NOISE = {"country": 0.012, "region": 0.025, "local authority": 0.06}
RATE_SPREAD = {"country": 0.0, "region": 0.10, "local authority": 0.22}
POISSON_BELOW = 200.0  # counts below this level get Poisson noise instead of Gaussian

ENGLAND = "E92000001"
BASELINE_1 = date(1998, 3, 31)  # original targets: baseline March 1998
BASELINE_2 = date(2019, 3, 31)  # renewed targets: baseline March 2019
LAST_END = date(LAST_YEAR, 12, 31)
TARGET_COLUMNS = (
    "measure",
    "area_code",
    "baseline_value",
    "baseline_period",
    "target_value",
    "target_change",
    "target_date",
    "wording",
    "value_qualifier",
    "milestones",
    "source",
    "recorded_at",
)
MEASURE_COLUMNS = (
    "initiative",
    "slug",
    "name",
    "unit",
    "direction",
    "kind",
    "description",
    "results_expected",
    "too_early_note",
    "source",
)
RETURN_COLUMNS = ("initiative", "measure", "area_code", "period", "value", "status", "note")


# --------------------------------------------------------------------------------------------
# The catalogue: measures and how their synthetic series behave
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """A synthetic measure and the parameters of its series.

    ``level`` is England's value in 1998 Q1. ``scaled`` counts grow with the area's size
    (people, places, export sales); rates (per cent, cost per unit) do not. ``scope`` says
    where original targets are set: ``england``, ``regions`` (England and the regions) or
    ``local`` (England, the regions and every local authority); ``renewed`` adds a second
    target with a 2019 baseline at the same places.
    """

    initiative: str
    slug: str
    name: str
    unit: str
    direction: str
    kind: str
    description: str
    level: float
    scaled: bool
    scope: str
    renewed: bool = False
    seasonal: float = 0.0

    @property
    def full_name(self) -> str:
        """The labelled name: "[Synthetic] ..."."""
        return NAME_PREFIX + self.name


def _m(
    initiative: str,
    slug: str,
    name: str,
    unit: str,
    direction: str,
    kind: str,
    level: float,
    scope: str,
    renewed: bool = False,
    seasonal: float = 0.0,
) -> MeasureSpec:
    scaled = unit in ("people", "places") or (unit == "GBP" and direction == "up")
    description = f"Synthetic benchmark data: {name[0].lower() + name[1:]}. Not a real statistic."
    return MeasureSpec(
        initiative, SLUG_PREFIX + slug, name, unit, direction, kind, description, level,
        scaled, scope, renewed, seasonal,
    )  # fmt: skip


MEASURES: tuple[MeasureSpec, ...] = (
    # Rough Sleepers Unit
    _m("rough-sleepers-unit", "rs-street-count", "People counted sleeping rough (local counts)",
       "people", "down", "outcome", 2000, "local", renewed=True, seasonal=0.08),
    _m("rough-sleepers-unit", "rs-hostel-bed-spaces", "Hostel bed spaces for people sleeping rough",
       "places", "up", "output", 18000, "regions"),
    _m("rough-sleepers-unit", "rs-settled-move-on", "Hostel residents moving on to settled housing",
       "percent", "up", "outcome", 35, "local", renewed=True),
    _m("rough-sleepers-unit", "rs-outreach-contacts", "People contacted by outreach teams",
       "people", "up", "output", 9000, "england", renewed=True, seasonal=0.1),
    _m("rough-sleepers-unit", "rs-cost-per-person-helped", "Cost per person helped off the streets",
       "GBP", "down", "cost", 4200, "england"),
    _m("rough-sleepers-unit", "rs-returns-to-street", "People back on the streets within a year",
       "percent", "down", "outcome", 22, "regions", renewed=True),
    # Early Years Development and Childcare Partnerships
    _m("eydcp", "ey-childcare-places", "Registered childcare places",
       "places", "up", "output", 700000, "local"),
    _m("eydcp", "ey-3yo-free-place", "3 year olds with a free part-time nursery place (local)",
       "percent", "up", "output", 34, "local", renewed=True),
    _m("eydcp", "ey-4yo-free-place", "4 year olds with a free part-time nursery place (local)",
       "percent", "up", "output", 88, "regions"),
    _m("eydcp", "ey-out-of-school-places", "Out of school childcare places",
       "places", "up", "output", 120000, "england", renewed=True),
    _m("eydcp", "ey-childminders", "Registered childminders",
       "people", "up", "input", 95000, "regions"),
    _m("eydcp", "ey-cost-per-place", "Cost per new childcare place",
       "GBP", "down", "cost", 1600, "england"),
    # Sure Start
    _m("sure-start", "ss-smoking-in-pregnancy", "Mothers smoking in pregnancy (local)",
       "percent", "down", "outcome", 27, "local", renewed=True),
    _m("sure-start", "ss-low-birthweight", "Babies born with a low birthweight",
       "percent", "down", "outcome", 8, "regions"),
    _m("sure-start", "ss-breastfeeding", "Mothers starting breastfeeding",
       "percent", "up", "outcome", 62, "local"),
    _m("sure-start", "ss-children-reached", "Children under 4 reached by Sure Start",
       "people", "up", "output", 150000, "england", renewed=True),
    _m("sure-start", "ss-emergency-admissions", "Emergency hospital admissions of children under 4",
       "people", "down", "outcome", 40000, "regions", renewed=True, seasonal=0.12),
    _m("sure-start", "ss-parent-satisfaction", "Parents satisfied with Sure Start services",
       "percent", "up", "satisfaction", 71, "england"),
    # Business Link partnerships
    _m("business-link", "bl-customer-satisfaction", "Business Link customers satisfied (local)",
       "percent", "up", "satisfaction", 68, "regions", renewed=True),
    _m("business-link", "bl-market-penetration", "Businesses using Business Link (local)",
       "percent", "up", "output", 9, "local"),
    _m("business-link", "bl-advisers", "Business advisers in post",
       "people", "up", "input", 4200, "england", renewed=True),
    _m("business-link", "bl-cost-per-assist", "Cost per business assisted",
       "GBP", "down", "cost", 850, "england"),
    _m("business-link", "bl-repeat-customers", "Customers coming back within a year",
       "percent", "up", "outcome", 38, "england", renewed=True),
    # British Trade International
    _m("british-trade-international", "bti-higher-export-sales",
       "Assisted firms reporting higher export sales", "percent", "up", "outcome", 45, "regions"),
    _m("british-trade-international", "bti-event-attendees",
       "People attending trade missions and export events", "people", "up", "output", 5200,
       "local", seasonal=0.15),
    _m("british-trade-international", "bti-client-satisfaction",
       "Firms satisfied with trade advice", "percent", "up", "satisfaction", 74, "england",
       renewed=True),
    _m("british-trade-international", "bti-cost-per-firm", "Cost per firm assisted",
       "GBP", "down", "cost", 3100, "england"),
    _m("british-trade-international", "bti-export-sales-assisted",
       "Export sales of assisted firms per quarter", "GBP", "up", "outcome", 250_000_000,
       "england"),
)  # fmt: skip
"""The 28 synthetic measures, about five or six per initiative."""

INITIATIVES: tuple[str, ...] = tuple(dict.fromkeys(m.initiative for m in MEASURES))


@dataclass(frozen=True)
class AreaInfo:
    """An area of ``data/areas_england.csv`` and its share of England (for scaled counts)."""

    code: str
    name: str
    area_type: str
    parent: str
    weight: float


def read_areas(path: Path = DATA_DIR / "areas_england.csv") -> list[AreaInfo]:
    """England, the regions and the local authorities, each with a deterministic size weight.

    Local authority weights are log-normal (a few big cities, many small districts) and sum
    to 1; a region's weight is the sum of its authorities'; England's is 1.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    raw = {
        r["area_code"]: random.Random(f"weight|{r['area_code']}").lognormvariate(0.0, 0.6)
        for r in rows
        if r["area_type"] == "local authority"
    }
    total = sum(raw.values())
    by_region: dict[str, float] = {}
    for r in rows:
        if r["area_code"] in raw:
            by_region[r["parent_code"]] = (
                by_region.get(r["parent_code"], 0.0) + raw[r["area_code"]] / total
            )
    areas = []
    for r in rows:
        code, kind = r["area_code"], r["area_type"]
        weight = 1.0 if kind == "country" else by_region.get(code, 0.0)
        if code in raw:
            weight = raw[code] / total
        areas.append(AreaInfo(code, r["area_name"], kind, r["parent_code"] or "", weight))
    order = {"country": 0, "region": 1, "local authority": 2}
    return sorted(areas, key=lambda a: (order[a.area_type], a.code))


# --------------------------------------------------------------------------------------------
# The series model: a noise-free path through the target years, and targets that fit it
# --------------------------------------------------------------------------------------------


def _ordinal(day: date) -> float:
    return float(day.toordinal())


def _bounds(spec: MeasureSpec) -> tuple[float, float]:
    """The values a measure can take (per cent stays inside 0-100, counts at or above 0)."""
    return (0.0, 100.0) if spec.unit == "percent" else (0.0, math.inf)


def _improve(level: float, share: float, spec: MeasureSpec) -> float:
    """``level`` moved ``share`` of a typical improvement in the better direction.

    Linear in ``share`` (negative means worse), so a target can be placed exactly between two
    levels: per cent up moves towards 97 (headroom-limited), per cent down towards 10% of
    the level, counts up by up to 120%, counts and costs down by up to 80%.
    """
    if spec.unit == "percent":
        step = min(level, 97.0 - level) if spec.direction == "up" else -0.9 * level
    else:
        step = 1.2 * level if spec.direction == "up" else -0.8 * level
    low, high = _bounds(spec)
    return min(max(level + step * share, low), high)


def _round(value: float, spec: MeasureSpec) -> float:
    """Figures as published: per cent to 0.1, counts and money to whole units."""
    return round(value, 1) if spec.unit == "percent" else float(round(value))


def _text(value: float, spec: MeasureSpec) -> str:
    return f"{value:.1f}" if spec.unit == "percent" else f"{value:.0f}"


@dataclass(frozen=True)
class Target:
    """A target row as it goes into the targets CSV."""

    baseline: float
    baseline_date: date
    value: float
    due: date
    as_change: bool
    recorded_at: str


@dataclass(frozen=True)
class SeriesModel:
    """The noise-free path of one measure in one area, and its targets (if any)."""

    knots_x: tuple[float, ...]
    knots_y: tuple[float, ...]
    original: Target | None
    renewed: Target | None


def _has_target(spec: MeasureSpec, area: AreaInfo) -> bool:
    if area.area_type == "country":
        return True
    if area.area_type == "region":
        return spec.scope in ("regions", "local")
    return spec.scope == "local"


def _march(year: int) -> date:
    return date(year, 3, 31)


def series_model(spec: MeasureSpec, area: AreaInfo) -> SeriesModel:
    """The deterministic path and targets of ``spec`` in ``area`` (independent of the seed).

    Knots: the 1998 baseline, the original target date (2004-2010, one per measure), March
    2019 and the end of 2024. The original target is set so that the path reaches 55%-135%
    of it by its date (some Achieved, some not); the renewed target (due 2027-2030) so that
    the 2024 figure is 40%-200% of the way along the trajectory (Red, Amber, Green, Achieved).
    """
    measure_rng = random.Random(f"measure|{spec.slug}")
    due_1 = _march(measure_rng.randint(2004, 2010))
    due_2 = _march(measure_rng.randint(2027, 2030))
    rng = random.Random(f"series|{spec.slug}|{area.code}")
    if spec.scaled:
        start = spec.level * area.weight
    else:
        start = spec.level * math.exp(RATE_SPREAD[area.area_type] * rng.gauss(0.0, 1.0))
        if spec.unit == "percent":
            start = min(max(start, 1.0), 96.0)
    share_1 = rng.uniform(0.08, 0.45)
    level_1 = _improve(start, share_1, spec)
    level_2 = _improve(level_1, rng.uniform(-0.15, 0.3), spec)
    share_3 = rng.uniform(-0.1, 0.3)
    level_3 = _improve(level_2, share_3, spec)
    knots_x = tuple(_ordinal(d) for d in (BASELINE_1, due_1, BASELINE_2, LAST_END))
    knots_y = (start, level_1, level_2, level_3)

    original = renewed = None
    if _has_target(spec, area):
        baseline = _round(start, spec)
        reach = rng.uniform(0.55, 1.35)  # how much of the required change the path achieves
        goal = _round(_improve(start, share_1 / reach, spec), spec)
        original = _target(spec, baseline, BASELINE_1, goal, due_1, rng.random() < 0.35, "1998")
        if spec.renewed:
            baseline_2 = _round(level_2, spec)
            along = (_ordinal(LAST_END) - knots_x[2]) / (_ordinal(due_2) - knots_x[2])
            ratio = rng.uniform(0.4, 2.0)  # the 2024 figure's share of the planned progress
            ambition = max(share_3, 0.05) / (ratio * along) if share_3 > 0.02 else 0.2
            goal_2 = _round(_improve(level_2, min(ambition, 0.9), spec), spec)
            renewed = _target(spec, baseline_2, BASELINE_2, goal_2, due_2, False, "2019")
    return SeriesModel(knots_x, knots_y, original, renewed)


def _target(
    spec: MeasureSpec,
    baseline: float,
    baseline_date: date,
    goal: float,
    due: date,
    as_change: bool,
    year: str,
) -> Target | None:
    """A target in the better direction, or None when the baseline leaves no room (a zero)."""
    unit = 0.1 if spec.unit == "percent" else 1.0
    if spec.direction == "down" and goal >= baseline:
        goal = baseline - unit
    if spec.direction == "up" and goal <= baseline:
        goal = baseline + unit
    low, high = _bounds(spec)
    # No target of zero: jwmetrics.assess.progress.share_beyond divides by the target value, so an
    # Achieved zero target raises ZeroDivisionError (reported; remove this guard once fixed).
    if not low < goal <= high or baseline == 0:
        return None
    recorded = "1998-04-01" if year == "1998" else "2019-04-01"
    return Target(baseline, baseline_date, goal, due, as_change, recorded)


def _month_text(day: date) -> str:
    return day.strftime("%B %Y")


def _target_row(spec: MeasureSpec, area: AreaInfo, target: Target) -> dict[str, str]:
    """One row of a targets CSV in the format of ``data/targets.csv``."""
    change = ""
    value = _text(target.value, spec)
    if target.as_change:
        percent = round((target.value - target.baseline) / target.baseline * 100)
        if percent != 0:
            change, value = f"{percent}%", ""
    due = _month_text(target.due)
    goal = f"a change of {change}" if change else value
    return {
        "measure": spec.slug,
        "area_code": area.code,
        "baseline_value": _text(target.baseline, spec),
        "baseline_period": _month_text(target.baseline_date),
        "target_value": value,
        "target_change": change,
        "target_date": due,
        "wording": f"synthetic benchmark target: {goal} by {due}",
        "value_qualifier": "exact",
        "milestones": "",
        "source": SOURCE,
        "recorded_at": target.recorded_at,
    }


def catalogue_rows(
    areas: Sequence[AreaInfo],
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """The rows of the measures CSV and of the two targets CSVs (original, renewed)."""
    measures = [
        {
            "initiative": spec.initiative,
            "slug": spec.slug,
            "name": spec.full_name,
            "unit": spec.unit,
            "direction": spec.direction,
            "kind": spec.kind,
            "description": spec.description,
            "results_expected": "",
            "too_early_note": "",
            "source": SOURCE,
        }
        for spec in MEASURES
    ]
    original, renewed = [], []
    for spec in MEASURES:
        for area in areas:
            model = series_model(spec, area)
            if model.original is not None:
                original.append(_target_row(spec, area, model.original))
            if model.renewed is not None:
                renewed.append(_target_row(spec, area, model.renewed))
    return measures, original, renewed


def _csv_text(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def catalogue_files(areas: Sequence[AreaInfo]) -> dict[str, str]:
    """File name -> CSV text of the synthetic catalogue (what ``--write-catalogue`` writes)."""
    measures, original, renewed = catalogue_rows(areas)
    return {
        MEASURES_FILE: _csv_text(MEASURE_COLUMNS, measures),
        TARGET_FILES[0]: _csv_text(TARGET_COLUMNS, original),
        TARGET_FILES[1]: _csv_text(TARGET_COLUMNS, renewed),
    }


def write_catalogue(folder: Path = CATALOGUE_DIR) -> list[Path]:
    """Write the synthetic catalogue CSVs into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in catalogue_files(read_areas()).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# Which series to generate
# --------------------------------------------------------------------------------------------

SeriesKey = tuple[int, int]  # index into MEASURES, index into the area list


def choose_series(areas: Sequence[AreaInfo], observations: int) -> list[SeriesKey]:
    """The series to generate so that about ``observations`` figures are recorded.

    Every series covers all 108 quarters. At full size every measure has every area. Scaled
    down, each measure gets England first, then local authorities and regions alternately
    (two authorities per region), taken round-robin over the measures with local targets
    first, so even a small run has local figures judged against local targets.
    """
    per_series = len(QUARTERS) * (1 + REVISION_SHARE)
    wanted = max(len(MEASURES), round(observations / per_series))
    if wanted >= len(MEASURES) * len(areas):
        return [(m, a) for m in range(len(MEASURES)) for a in range(len(areas))]
    england = [i for i, a in enumerate(areas) if a.area_type == "country"]
    regions = [i for i, a in enumerate(areas) if a.area_type == "region"]
    locals_ = [i for i, a in enumerate(areas) if a.area_type == "local authority"]
    scope_order = {"local": 0, "regions": 1, "england": 2}
    measure_order = sorted(range(len(MEASURES)), key=lambda m: scope_order[MEASURES[m].scope])
    priorities: dict[int, list[int]] = {}
    for m in measure_order:
        rng = random.Random(f"choose|{MEASURES[m].slug}")
        la, rg = rng.sample(locals_, len(locals_)), rng.sample(regions, len(regions))
        order = list(england)
        while la or rg:
            order.extend(la[:2])
            del la[:2]
            order.extend(rg[:1])
            del rg[:1]
        priorities[m] = order
    chosen: list[SeriesKey] = []
    rank = 0
    while len(chosen) < wanted:
        for m in measure_order:
            if len(chosen) < wanted and rank < len(priorities[m]):
                chosen.append((m, priorities[m][rank]))
        rank += 1
    return sorted(chosen)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

PERIOD_ENDS = np.array(
    [_ordinal(date(y, 3 * q, 30 if q in (2, 3) else 31)) for y, q in QUARTERS], dtype=float
)
PERIOD_TEXT = tuple(f"{y} Q{q}" for y, q in QUARTERS)


@dataclass
class Series:
    """The generated figures of one series: values (NaN where a marker stands) and markers."""

    spec: MeasureSpec
    area: AreaInfo
    values: np.ndarray
    markers: list[str]


def generate_series(spec: MeasureSpec, area: AreaInfo, key: SeriesKey, seed: int) -> Series:
    """The 108 quarterly figures of one series: path x season + noise, rounded, some markers."""
    model = series_model(spec, area)
    rng = np.random.default_rng([seed, key[0], key[1]])
    path = np.interp(PERIOD_ENDS, model.knots_x, model.knots_y)
    quarter = np.arange(len(QUARTERS)) % 4
    path = path * (1.0 + spec.seasonal * np.cos(2 * np.pi * quarter / 4))
    if spec.scaled and path.max() < POISSON_BELOW:
        values = rng.poisson(path).astype(float)
    else:
        values = path * (1.0 + NOISE[area.area_type] * rng.standard_normal(len(path)))
    low, high = _bounds(spec)
    values = np.clip(values, low, high)
    values = np.round(values, 1) if spec.unit == "percent" else np.round(values)
    draws = rng.random(len(path))
    markers = [""] * len(path)
    missing = NOT_AVAILABLE_SHARE[area.area_type]
    for i, draw in enumerate(draws):
        if draw < missing:
            markers[i] = ".."
        elif area.area_type == "local authority" and draw < missing + SUPPRESSED_SHARE:
            markers[i] = "x"
        if markers[i]:
            values[i] = np.nan
    return Series(spec, area, values, markers)


def _value_text(series: Series, i: int) -> str:
    return series.markers[i] or _text(float(series.values[i]), series.spec)


def series_rows(series: Series, indices: Iterable[int] | None = None) -> list[tuple[str, ...]]:
    """Return-file rows of one series (all quarters, or the ``indices`` of :data:`QUARTERS`).

    The newest year's figures are marked provisional, as a partner would send them.
    """
    chosen = range(len(QUARTERS)) if indices is None else indices
    return [
        (
            series.spec.initiative,
            series.spec.slug,
            series.area.code,
            PERIOD_TEXT[i],
            _value_text(series, i),
            "provisional" if QUARTERS[i][0] == PROVISIONAL_YEAR else "final",
            NOTE,
        )
        for i in chosen
    ]


def revise(series: Series, i: int, rng: np.random.Generator) -> float:
    """A revised value: a few per cent off the first one, always a different published figure."""
    old = float(series.values[i])
    step = 0.1 if series.spec.unit == "percent" else 1.0
    low, high = _bounds(series.spec)
    new = min(max(_round(old * (1.0 + rng.normal(0.0, 0.04)), series.spec), low), high)
    if new == old:
        new = old + step if old + step <= high else old - step
    return new


# --------------------------------------------------------------------------------------------
# Returns and the import
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnTiming:
    """What one return did and how long it took."""

    file_name: str
    rows: int
    new: int
    revised: int
    unchanged: int
    warnings: int
    check_seconds: float
    commit_seconds: float

    @property
    def seconds(self) -> float:
        """Check plus commit."""
        return self.check_seconds + self.commit_seconds

    @property
    def rows_per_second(self) -> float:
        """Rows of the file per second of check plus commit."""
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class GenerationReport:
    """The outcome of :func:`generate`: counts and timings."""

    series: int = 0
    catalogue_seconds: float = 0.0
    generate_seconds: float = 0.0
    returns: list[ReturnTiming] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def new(self) -> int:
        """Figures recorded for the first time."""
        return sum(r.new for r in self.returns)

    @property
    def revised(self) -> int:
        """Revisions recorded (each a new observation row beside the old one)."""
        return sum(r.revised for r in self.returns)

    @property
    def observations(self) -> int:
        """Observation rows written: new plus revised."""
        return self.new + self.revised

    @property
    def import_seconds(self) -> float:
        """Time spent in check_return plus commit_return."""
        return sum(r.seconds for r in self.returns)


def return_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """A return file in the format of ``docs/returns.md`` (UTF-8 CSV)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RETURN_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def import_return(db: Database, path: Path, partner: str) -> ReturnTiming:
    """Check and commit one return file through the one import path; time both steps."""
    data = path.read_bytes()
    started = time.perf_counter()
    check = check_return(db, data, path.name, partner=partner)
    checked = time.perf_counter()
    if check.errors:
        shown = "\n".join(str(p) for p in check.errors[:10])
        raise RuntimeError(f"{path.name}: {len(check.errors)} error(s):\n{shown}")
    outcome = commit_return(db, check, uploaded_by=UPLOADED_BY, confirm_warnings=True)
    done = time.perf_counter()
    counts = outcome.counts
    return ReturnTiming(
        path.name,
        counts["read"],
        counts["new"],
        counts["revised"],
        counts["unchanged"],
        len(check.warnings),
        checked - started,
        done - checked,
    )


def original_returns(
    all_series: Sequence[Series], block_years: int = BLOCK_YEARS
) -> list[tuple[str, str, list[tuple[str, ...]]]]:
    """(file name, partner, rows) of the original returns: per initiative per few years."""
    files = []
    for first in range(FIRST_YEAR, LAST_YEAR + 1, block_years):
        last = min(first + block_years - 1, LAST_YEAR)
        indices = [i for i, (y, _) in enumerate(QUARTERS) if first <= y <= last]
        for initiative in INITIATIVES:
            rows = [
                row
                for s in all_series
                if s.spec.initiative == initiative
                for row in series_rows(s, indices)
            ]
            if rows:
                name = f"synthetic-{initiative}-{first}-{last}.csv"
                files.append((name, f"Synthetic benchmark partner ({initiative})", rows))
    return files


def revision_returns(
    all_series: Sequence[Series], seed: int, share: float = REVISION_SHARE
) -> list[tuple[str, str, list[tuple[str, ...]]]]:
    """(file name, partner, rows) of one revision return per initiative: ``share`` of values."""
    files = []
    for number, initiative in enumerate(INITIATIVES):
        rng = np.random.default_rng([seed, 10_000 + number])
        mine = [s for s in all_series if s.spec.initiative == initiative]
        cells = [(s, i) for s in mine for i in range(len(QUARTERS)) if not s.markers[i]]
        if not cells:
            continue
        count = max(1, round(len(cells) * share))
        picked = sorted(rng.choice(len(cells), size=min(count, len(cells)), replace=False))
        rows = []
        for index in picked:
            s, i = cells[index]
            rows.append(
                (
                    initiative,
                    s.spec.slug,
                    s.area.code,
                    PERIOD_TEXT[i],
                    _text(revise(s, i, rng), s.spec),
                    "final",
                    REVISION_NOTE,
                )
            )
        name = f"synthetic-revisions-{initiative}.csv"
        files.append((name, f"Synthetic benchmark partner ({initiative})", rows))
    return files


def synthetic_measures_loaded(db: Database) -> bool:
    """True when the database already holds the synthetic measures."""
    from sqlalchemy import func, select

    from jwmetrics.db.models import Measure

    with db.session() as session:
        query = select(func.count()).where(Measure.slug.like(f"{SLUG_PREFIX}%"))
        return bool(session.scalar(query))


def load_catalogue(
    db: Database, areas: Sequence[AreaInfo], chosen: Sequence[SeriesKey], workdir: Path
) -> None:
    """Add the synthetic measures and the targets of the chosen series via the catalogue path.

    At full size the committed CSVs are loaded as they are; scaled down, copies holding only
    the targets of the chosen series are written to ``workdir`` and loaded instead.
    """
    load_catalogue_file(db, CATALOGUE_DIR / MEASURES_FILE)
    keys = {(MEASURES[m].slug, areas[a].code) for m, a in chosen}
    full = len(chosen) == len(MEASURES) * len(areas)
    for name in TARGET_FILES:
        path = CATALOGUE_DIR / name
        if not full:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = [r for r in csv.DictReader(handle) if (r["measure"], r["area_code"]) in keys]
            path = workdir / name
            path.write_text(_csv_text(TARGET_COLUMNS, rows), encoding="utf-8")
        load_catalogue_file(db, path)


def generate(
    db: Database,
    observations: int = 1_000_000,
    seed: int = 1,
    workdir: Path | None = None,
    log: Callable[[str], None] = print,
    block_years: int = BLOCK_YEARS,
) -> GenerationReport:
    """Add the synthetic catalogue and about ``observations`` figures to ``db``; see the module.

    ``workdir`` keeps the return files (a temporary folder when None). Refuses a database that
    already holds the synthetic measures.
    """
    if synthetic_measures_loaded(db):
        raise RuntimeError("the database already holds the synthetic measures; use a fresh one")
    report = GenerationReport()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jwmetrics-synthetic-") as tmp:
        folder = Path(workdir) if workdir is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        areas = read_areas()
        chosen = choose_series(areas, observations)
        report.series = len(chosen)
        log(f"{len(chosen):,} series x {len(QUARTERS)} quarters ({FIRST_YEAR}-{LAST_YEAR})")

        step = time.perf_counter()
        load_catalogue(db, areas, chosen, folder)
        report.catalogue_seconds = time.perf_counter() - step
        log(f"catalogue (measures and targets) loaded in {report.catalogue_seconds:.1f} s")

        step = time.perf_counter()
        all_series = [generate_series(MEASURES[m], areas[a], (m, a), seed) for m, a in chosen]
        batches = original_returns(all_series, block_years) + revision_returns(all_series, seed)
        paths = []
        for name, partner, rows in batches:
            if len(rows) > 200_000:
                raise RuntimeError(f"{name} would have {len(rows):,} rows, over the limit")
            path = folder / name
            path.write_bytes(return_csv(rows))
            paths.append((path, partner))
        report.generate_seconds = time.perf_counter() - step
        log(f"{len(paths)} return files written in {report.generate_seconds:.1f} s")

        for path, partner in paths:
            timing = import_return(db, path, partner)
            report.returns.append(timing)
            log(
                f"  {timing.file_name}: {timing.rows:,} rows ({timing.new:,} new, "
                f"{timing.revised:,} revised, {timing.warnings:,} warnings) in "
                f"{timing.seconds:.2f} s = {timing.rows_per_second:,.0f} rows/s "
                f"(check {timing.check_seconds:.2f} s, commit {timing.commit_seconds:.2f} s)"
            )
    report.seconds = time.perf_counter() - started
    rate = report.observations / report.import_seconds if report.import_seconds else 0.0
    log(
        f"{report.observations:,} observations recorded ({report.new:,} new, "
        f"{report.revised:,} revisions) from {len(report.returns)} returns; import "
        f"{report.import_seconds:.1f} s = {rate:,.0f} rows/s; total {report.seconds:.1f} s"
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate into ``--database-url``, or ``--write-catalogue``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL of the database to fill")
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-files", type=Path, help="write the return files here")
    parser.add_argument(
        "--write-catalogue",
        action="store_true",
        help=f"rewrite the CSVs in {CATALOGUE_DIR.relative_to(REPO_ROOT)} and stop",
    )
    args = parser.parse_args(argv)
    if args.write_catalogue:
        for path in write_catalogue():
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        return 0
    if not args.database_url:
        parser.error("--database-url is required (never the default database)")
    db = open_seeded(args.database_url)
    try:
        generate(db, args.observations, args.seed, args.keep_files)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
