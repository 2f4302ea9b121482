"""``python -m jwmetrics value-for-money``: spend per unit of outcome, by year.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_value_commands` and lists :func:`cmd_value_for_money` in its ``COMMANDS``. One
record per initiative, measure and financial year (``initiative``, ``measure``, ``year``,
``spend``, ``outcome``, ``cost_per_unit``, ``basis``, ``change``, ``cost_per_unit_change``,
``why`` and more, see :class:`jwmetrics.value.for_money.ValueRecord`); the text groups them
by initiative and measure, with the report's own cost figures as reference points.
"""

from __future__ import annotations

import argparse
from itertools import groupby
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.cli.args import FORMATS, emit
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import format_date
from jwmetrics.value.for_money import (
    CAVEAT,
    NOMINAL,
    InitiativeValue,
    ValueRecord,
    ValueReport,
    change_word,
    unit_word,
)


def add_value_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``value-for-money`` to the command line."""
    value = commands.add_parser(
        "value-for-money",
        help="spend per unit of outcome and per unit of change, by initiative, measure and year",
    )
    value.add_argument("initiative", nargs="?", help="only this initiative (id or name)")
    value.add_argument(
        "--format", choices=FORMATS[:2], default="text", help="output format (default text)"
    )


def record_line(record: ValueRecord) -> str:
    """ "2001-02: spend £66.6m; figure 700 (June 2001); change -1,150 since June 1998: …"."""
    parts = []
    if record.spend is None:
        parts.append("no spend stated")
    else:
        planned = " (planned)" if record.spend_status == "planned" else ""
        parts.append(f"spend {fmt.money(record.spend)}{planned}")
    if record.outcome is None:
        parts.append("no figure")
    else:
        figure = fmt.value(record.outcome, record.unit, record.outcome_qualifier)
        parts.append(f"figure {figure} ({record.outcome_period})")
    per = unit_word(record.unit)
    if record.cost_per_unit is not None:
        parts.append(f"{fmt.money(record.cost_per_unit)} per {per}")
    if record.change is not None:
        change = fmt.difference(record.change, record.unit)
        words = f"change {'+' if record.change > 0 else ''}{change} since {record.change_since}"
        if record.cost_per_unit_change is not None and record.change_spend is not None:
            words += (
                f": {fmt.money(record.cost_per_unit_change)} per "
                f"{change_word(record.unit, record.change)} "
                f"({fmt.money(record.change_spend)} over the change)"
            )
        parts.append(words)
    return f"{record.year or 'no year stated'}: " + "; ".join(parts)


def initiative_lines(item: InitiativeValue) -> list[str]:
    """An initiative's heading, its measures' records, and the report's cost figures."""
    lines = [f"{item.name} ({item.joint_working_form})"]
    for _, group in groupby(item.records, key=lambda r: r.measure):
        records = list(group)
        lines.append(f"  {records[0].measure_name or 'No outcome or output measure'}")
        for record in records:
            lines.append(f"    {record_line(record)}")
            lines += [f"      {line}" for line in (record.note, record.why) if line]
            if record.basis != NOMINAL:
                lines.append(f"      In {record.basis}.")
    by_measure = groupby(item.references, key=lambda r: r.name)
    for name, references in by_measure:
        stated = "; ".join(r.text for r in references)
        lines.append(f"  The report's figure: {name}: {stated}")
    return lines


def value_text(report: ValueReport, out: TextIO) -> None:
    """The heading and basis, every initiative, then the caveat."""
    prices = (
        "nominal pounds (no deflator in data/gdp_deflators.csv)"
        if report.basis == NOMINAL
        else f"{report.basis} where the deflator covers the year ({report.deflator_source})"
    )
    print(f"Value for money as known on {format_date(report.as_of)}, in {prices}", file=out)
    for item in report.initiatives:
        for line in initiative_lines(item):
            print(line, file=out)
    print(CAVEAT, file=out)


def cmd_value_for_money(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print value for money as text or JSON (one record per initiative, measure and year)."""
    report = metrics.value_for_money(args.initiative)
    emit(report.records(), args.format, out, text=lambda o: value_text(report, o))
    return 0
