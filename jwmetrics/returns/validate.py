"""Step 2, check: every cell of every row against the catalogue, a column at a time.

Each column is judged by distinct text (:mod:`jwmetrics.returns.cells`) and the verdicts
are spread over the rows with dictionary look-ups, so the cost per row is a few C-level
operations. Rows with a problem are then visited one by one, in file order, to list their
problems in the order a partner reads them: measure, area, period, value, qualifier,
status, partner, then the timing warnings and repeated rows. A row with an error is left
out of the checked rows; a repeated one is read once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar, cast

from jwmetrics.periods import Period
from jwmetrics.returns.cells import CellJudge, Finding, Findings, error, warning
from jwmetrics.returns.listing import Listing
from jwmetrics.returns.lookups import Catalogue
from jwmetrics.returns.model import Key, ReturnRows
from jwmetrics.tabular import RawTable

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
U = TypeVar("U")


@dataclass
class Judged(Generic[K, T]):
    """One column (or combination of columns) judged: each row's key, the verdict by key,
    and the problems of the rows that have any."""

    keys: Sequence[K]
    by_key: dict[K, T]
    findings: dict[int, Findings] = field(default_factory=dict)  # by row position

    def column(self, convert: Callable[[T], U]) -> list[U]:
        """``convert`` of each row's verdict, converting each distinct verdict once."""
        converted = {key: convert(verdict) for key, verdict in self.by_key.items()}
        return list(map(converted.__getitem__, self.keys))

    def refused(self) -> set[int]:
        """Positions of the rows whose verdict is None (each has an error among its findings)."""
        return {i for i in self.findings if self.by_key[self.keys[i]] is None}


def judge(keys: Sequence[K], verdict: Callable[[K], tuple[T, Findings]]) -> Judged[K, T]:
    """Judge each distinct key once (in order of first appearance) and note which rows have
    problems."""
    verdicts = {key: verdict(key) for key in dict.fromkeys(keys)}
    by_key = {key: found for key, (found, _) in verdicts.items()}
    bad = {key: findings for key, (_, findings) in verdicts.items() if findings}
    findings = {i: bad[key] for i, key in enumerate(keys) if key in bad} if bad else {}
    return Judged(keys, by_key, findings)


def check_rows(
    table: RawTable, catalogue: Catalogue, today: date, partner: str, listing: Listing
) -> ReturnRows:
    """The rows of ``table`` that can be recorded; every problem goes to ``listing``."""
    cells = CellJudge(catalogue, partner)
    column = table.column
    measures = judge(list(zip(column("measure"), column("initiative"), strict=True)), cells.measure)
    areas = judge(list(zip(column("area_code"), column("area_name"), strict=True)), cells.area)
    periods = judge(column("period"), cells.period)
    units = measures.column(lambda ref: ref.unit if ref is not None else None)
    figures = judge(
        list(zip(column("value"), units, column("qualifier"), strict=True)), cells.value
    )
    statuses = judge(column("status"), cells.status)
    partners = judge(column("partner"), cells.row_partner)
    refused = measures.refused() | areas.refused() | periods.refused() | figures.refused()
    too_long = partners.refused() - refused  # only said of a row that is otherwise fine
    rows = ReturnRows(
        table.row_numbers,
        measures.column(lambda ref: ref.id if ref is not None else 0),
        measures.column(lambda ref: ref.slug if ref is not None else ""),
        areas.column(lambda code: code or ""),
        cast(list[Period], periods.column(lambda period: period)),  # None only in refused rows
        figures.column(lambda figure: figure[0] if figure is not None else None),
        figures.column(lambda figure: figure[1] if figure is not None else ""),
        figures.column(lambda figure: figure[2] if figure is not None else None),
        statuses.column(lambda status: status),
        partners.column(lambda name: name or ""),
        list(map(str.strip, column("note"))),
    )
    dropped = refused | too_long
    positions = [i for i in range(len(rows)) if i not in dropped] if dropped else range(len(rows))
    if dropped:
        rows = rows.select([i not in dropped for i in range(len(rows))])
    timing = _timing_warnings(rows, positions, periods, catalogue, today)
    rows, repeats = _drop_repeats(rows, positions)
    problem_rows = set(too_long).union(timing, repeats)
    for judged in (measures, areas, periods, figures, statuses):
        problem_rows.update(judged.findings)
    texts: dict[str, Sequence[str]] = {}  # the columns problems quote cells from
    for position in sorted(problem_rows):
        row_findings = [
            *measures.findings.get(position, ()),
            *areas.findings.get(position, ()),
            *periods.findings.get(position, ()),
            *figures.findings.get(position, ()),
            *statuses.findings.get(position, ()),
        ]
        if position not in refused:
            if position in too_long:
                row_findings += partners.findings[position]
            else:
                row_findings += timing.get(position, [])
                row_findings += repeats.get(position, ())
        _list(listing, table, texts, position, row_findings)
    return rows


def _list(
    listing: Listing,
    table: RawTable,
    texts: dict[str, Sequence[str]],
    position: int,
    findings: list[Finding],
) -> None:
    """List a row's problems, each with the text of the cell it is about."""
    number = table.row_numbers[position]
    for column, message, severity in findings:
        value = None
        if column:
            if column not in texts:
                texts[column] = table.column(column)
            value = texts[column][position]
        listing.add(number, column, value, message, severity)


def _timing_warnings(
    rows: ReturnRows,
    positions: Sequence[int],
    periods: Judged[str, Period | None],
    catalogue: Catalogue,
    today: date,
) -> dict[int, list[Finding]]:
    """Warnings, by row position, for periods in the future or before the target's baseline."""
    found: dict[int, list[Finding]] = {}
    future = {
        text
        for text, period in periods.by_key.items()
        if period is not None and period.start > today
    }
    if future:
        keys = periods.keys
        for position in positions:
            if keys[position] in future:
                found.setdefault(position, []).append(
                    warning("period", "the period is in the future")
                )
    measure_ids, area_codes = set(rows.measure_ids), set(rows.area_codes)
    baselines = {
        series: day
        for series, day in catalogue.baselines.items()
        if series[0] in measure_ids and series[1] in area_codes
    }
    if baselines:
        series_periods = zip(rows.measure_ids, rows.area_codes, rows.periods, strict=True)
        for position, (measure_id, area_code, period) in zip(
            positions, series_periods, strict=True
        ):
            baseline = baselines.get((measure_id, area_code))
            if baseline is not None and period.end < baseline:
                message = f"the period ends before the target's baseline ({baseline:%d/%m/%Y})"
                found.setdefault(position, []).append(warning("period", message))
    return found


def _drop_repeats(
    rows: ReturnRows, positions: Sequence[int]
) -> tuple[ReturnRows, dict[int, Findings]]:
    """The rows without repeats of an earlier row's key, and the problem of each repeat.

    The same value again is a warning (the row is read once); a different one an error.
    """
    keys = rows.keys
    if len(set(keys)) == len(keys):
        return rows, {}
    first: dict[Key, int] = {}
    keep = [True] * len(keys)
    repeats: dict[int, Findings] = {}
    for index, key in enumerate(keys):
        earlier = first.setdefault(key, index)
        if earlier == index:
            continue
        keep[index] = False
        number = rows.row_numbers[earlier]
        if _figure(rows, earlier) == _figure(rows, index):
            message = f"repeats row {number} with the same value; it is read once"
            repeats[positions[index]] = (warning(None, message),)
        else:
            message = f"the same measure, area and period as row {number} with a different value"
            repeats[positions[index]] = (error("value", message),)
    return rows.select(keep), repeats


def _figure(rows: ReturnRows, index: int) -> tuple[object, ...]:
    """What a row says about its figure: value, qualifier and marker."""
    return (rows.values[index], rows.qualifiers[index], rows.markers[index])
