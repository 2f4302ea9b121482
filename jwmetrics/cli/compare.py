"""``python -m jwmetrics compare``: every area of one measure compared fairly with England.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_compare_command` and lists :func:`cmd_compare` in its ``COMMANDS``. One record per
area (see :data:`FIELDS`), highest rate first, then the areas with no rate and why; the text
output ends with the comparison in words. Exit 1 on an unknown measure or area, or a period
with no figures.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from jwmetrics.cli.args import FORMATS, any_day, emit, period_arg
from jwmetrics.compare.summary import number, rate_text
from jwmetrics.compare.types import ComparedArea, Comparison
from jwmetrics.metrics.face import Metrics

FIELDS = [
    "area_code",
    "area_name",
    "value",
    "denominator",
    "rate",
    "benchmark_rate",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "verdict",
    "why",
    "unit",
    "period",
    "denominator_basis",
    "region_code",
    "region_name",
    "region_rate",
    "ci_lower_95",
    "ci_upper_95",
    "ci_lower_998",
    "ci_upper_998",
    "interval_method",
    "difference",
    "difference_lower_95",
    "difference_upper_95",
    "verdict_adjusted",
    "verdict_plain",
    "verdict_basis",
]
"""Every record's fields, in order: the first eleven always, then the reason and the rest.
``verdict`` is the verdict in use: ``verdict_adjusted`` when the areas are over-dispersed
(``verdict_basis`` "allowing for over-dispersion"), else ``verdict_plain``."""


def add_compare_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``compare`` to the command line."""
    compare = commands.add_parser(
        "compare",
        help="compare every area with England fairly: rates, funnel-plot limits and verdicts",
    )
    compare.add_argument("measure", help="measure id or name (a count, or a percentage)")
    compare.add_argument(
        "--period", type=period_arg, help="the period to compare (default: the newest comparable)"
    )
    compare.add_argument(
        "--as-of", type=any_day, metavar="DATE", help="use the data known on DATE (default today)"
    )
    compare.add_argument(
        "--within",
        help="compare the areas under this one: England (its regions), a region (its local "
        "authorities) or local-authorities (every one); default the finest level with figures",
    )
    compare.add_argument(
        "--denominator",
        metavar="MEASURE",
        help="for a percentage: the measure whose figures give the number it is a share of",
    )
    compare.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default text)"
    )


def records(comparison: Comparison) -> list[dict[str, Any]]:
    """One plain record per area, with the fields of :data:`FIELDS`."""
    shared = {"unit": comparison.unit, "period": comparison.period.label}
    found = []
    for row in comparison.rows:
        record = {**row.as_record(), **shared}
        found.append({name: record.get(name) for name in FIELDS})
    return found


def _text_line(row: ComparedArea, unit: str) -> str:
    name = f"{row.area_name} ({row.area_code})"
    if row.rate is None:
        return f"  {name:<44} no figure: {row.why}"
    figures = f"{number(row.value or 0, 0)} / {number(row.denominator or 0, 0)}"
    limits = (
        f"95% {number(row.lower_95 or 0, 2)} to {number(row.upper_95 or 0, 2)}; 99.8% "
        f"{number(row.lower_998 or 0, 2)} to {number(row.upper_998 or 0, 2)}"
    )
    shown = rate_text(row.rate, unit)
    plain = f"; plain limits: {row.verdict_plain}" if row.verdict_plain != row.verdict else ""
    return (
        f"  {name:<44} {shown:>30}  {figures:>18}  {row.verdict:<12} (plain limits {limits}{plain})"
    )


def comparison_text(comparison: Comparison, out: TextIO) -> None:
    """The heading, one line per area, then the comparison in words."""
    benchmark = comparison.benchmark
    against = (
        "no benchmark"
        if benchmark is None
        else f"{benchmark.basis} {rate_text(benchmark.rate, comparison.unit)}"
    )
    print(
        f"{comparison.measure_name}: {comparison.within_name}, {comparison.period.label}, "
        f"as known on {comparison.as_of.isoformat()} (against {against}); verdicts "
        f"{comparison.verdict_basis}",
        file=out,
    )
    for row in comparison.rows:
        print(_text_line(row, comparison.unit), file=out)
    print(comparison.summary_text, file=out)


def cmd_compare(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the comparison as text, JSON or CSV."""
    comparison = metrics.comparison(
        args.measure,
        period=args.period,
        as_of=args.as_of,
        within=args.within,
        denominator_measure=args.denominator,
    )
    emit(
        records(comparison),
        args.format,
        out,
        text=lambda o: comparison_text(comparison, o),
        fields=FIELDS,
    )
    return 0
