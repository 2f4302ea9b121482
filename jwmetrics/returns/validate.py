"""Step 2, check: every cell of every row against the catalogue, a column at a time.

Each column is judged by distinct text (:mod:`jwmetrics.returns.cells`) and the verdicts
are spread over the rows by array indexing (:mod:`jwmetrics.returns.factor`), so no Python
code runs per row unless the row has a problem. Rows with a problem are then visited one
by one, in file order, to list their problems in the order a partner reads them: measure,
area, period, value, qualifier, status, partner, then the timing warnings and repeated
rows. A row with an error is left out of the checked rows; a repeated one is read once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jwmetrics.periods import Period
from jwmetrics.returns.cells import CellJudge, Figure, Finding, Findings, error, warning
from jwmetrics.returns.factor import Codes, Factor, Judged, L, T, combine, factor, judge
from jwmetrics.returns.listing import Listing
from jwmetrics.returns.lookups import Catalogue, MeasureRef
from jwmetrics.returns.model import Key, ReturnRows
from jwmetrics.tabular import RawTable


@dataclass
class Verdicts:
    """Every column of a file judged (each distinct text, or combination of texts, once)."""

    measures: Judged[tuple[Any, ...], MeasureRef | None]
    areas: Judged[tuple[Any, ...], str | None]
    periods: Judged[str, Period | None]
    figures: Judged[tuple[Any, ...], Figure | None]
    statuses: Judged[str, str]
    partners: Judged[str, str | None]

    def refused(self) -> set[int]:
        """Rows with an error that keeps them out: measure, area, period or value."""
        judged = (self.measures, self.areas, self.periods, self.figures)
        return set().union(*(j.refused() for j in judged))

    def cell_findings(self, position: int) -> list[Finding]:
        """A row's problems with its cells, in the order a partner reads the row."""
        judged = (self.measures, self.areas, self.periods, self.figures, self.statuses)
        return [finding for j in judged for finding in j.findings.get(position, ())]

    def rows_with_findings(self) -> set[int]:
        """The positions of the rows with any problem in their cells."""
        judged = (self.measures, self.areas, self.periods, self.figures, self.statuses)
        return set().union(*(j.findings for j in judged))


def check_rows(
    table: RawTable, catalogue: Catalogue, today: date, partner: str, listing: Listing
) -> ReturnRows:
    """The rows of ``table`` that can be recorded; every problem goes to ``listing``."""
    verdicts = judge_columns(table, CellJudge(catalogue, partner))
    refused = verdicts.refused()
    too_long = verdicts.partners.refused() - refused  # said only of an otherwise fine row
    dropped = refused | too_long
    keep = _keep(table.row_count, dropped)
    rows = _checked(table, verdicts, keep)
    positions = range(table.row_count) if keep is None else np.flatnonzero(keep).tolist()
    row_warnings = _timing_warnings(rows, positions, verdicts.periods, catalogue, today, dropped)
    rows, repeats = _drop_repeats(rows, positions, verdicts, keep)
    later: dict[int, list[Finding]] = {p: list(f) for p, f in repeats.items()}
    for position, found in row_warnings.items():
        later[position] = found + later.get(position, [])
    for position in too_long:
        later[position] = list(verdicts.partners.findings[position])
    quoted: dict[str, Sequence[str]] = {}  # the columns problems quote cells from
    for position in sorted(verdicts.rows_with_findings().union(later)):
        found = verdicts.cell_findings(position)
        if position not in refused:  # a refused row is not checked further
            found += later.get(position, [])
        _list(listing, table, quoted, position, found)
    return rows


def judge_columns(table: RawTable, cells: CellJudge) -> Verdicts:
    """Judge each column of ``table`` (and the columns read together) by distinct text."""
    texts = {name: _texts(table, name) for name in _COLUMNS}
    measures = judge(combine(texts["measure"], texts["initiative"]), cells.measure)
    units = factor(measures.column(lambda ref: ref.unit if ref is not None else None))
    return Verdicts(
        measures=measures,
        areas=judge(combine(texts["area_code"], texts["area_name"]), cells.area),
        periods=judge(texts["period"], cells.period),
        figures=judge(combine(texts["value"], units, texts["qualifier"]), cells.value),
        statuses=judge(texts["status"], cells.status),
        partners=judge(texts["partner"], cells.row_partner),
    )


def _texts(table: RawTable, name: str) -> Factor[str]:
    """Column ``name`` as codes; a column the file does not have is "" in every row."""
    if table.has_column(name):
        return factor(table.column(name))
    return Factor([""], np.zeros(table.row_count, dtype=np.intp))


def _checked(table: RawTable, verdicts: Verdicts, keep: NDArray[np.bool_] | None) -> ReturnRows:
    """The kept rows as columns, each column spread from its verdicts."""
    measures, figures = verdicts.measures, verdicts.figures
    return ReturnRows._of_columns(
        _select(column, keep)
        for column in (
            table.row_numbers,
            measures.column(lambda ref: ref.id if ref is not None else 0),
            measures.column(lambda ref: ref.slug if ref is not None else ""),
            verdicts.areas.column(lambda code: code or ""),
            verdicts.periods.column(lambda period: period),  # None only in rows not kept
            figures.column(lambda figure: figure[0] if figure is not None else None),
            figures.column(lambda figure: figure[1] if figure is not None else ""),
            figures.column(lambda figure: figure[2] if figure is not None else None),
            verdicts.statuses.column(lambda status: status),
            verdicts.partners.column(lambda name: name or ""),
            list(map(str.strip, table.column("note"))),
        )
    )


_COLUMNS = (
    "measure", "initiative", "area_code", "area_name", "period", "value", "qualifier",
    "status", "partner",
)  # fmt: skip


def _keep(count: int, dropped: set[int]) -> NDArray[np.bool_] | None:
    """Which rows stay (None: all of them)."""
    if not dropped:
        return None
    keep = np.ones(count, dtype=bool)
    keep[sorted(dropped)] = False
    return keep


def _select(column: Sequence[object], keep: NDArray[np.bool_] | None) -> list[object]:
    """The entries of ``column`` for the rows kept."""
    if keep is None:
        return list(column)
    return list(compress(column, keep.tolist()))


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
    dropped: set[int],
) -> dict[int, list[Finding]]:
    """Warnings, by row position, for periods in the future or before the target's baseline."""
    found: dict[int, list[Finding]] = {}
    future = periods.where(lambda period: period is not None and period.start > today)
    for position in future:
        if position not in dropped:
            found.setdefault(position, []).append(warning("period", "the period is in the future"))
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
    rows: ReturnRows, positions: Sequence[int], verdicts: Verdicts, keep: NDArray[np.bool_] | None
) -> tuple[ReturnRows, dict[int, Findings]]:
    """The rows without repeats of an earlier row's key, and the problem of each repeat.

    The same value again is a warning (the row is read once); a different one an error.
    Whether any key repeats is found on codes; only then are the rows walked one by one.
    """
    codes = [
        _key_codes(verdicts.measures, lambda ref: None if ref is None else ref.id),
        _key_codes(verdicts.areas, lambda code: code),
        _key_codes(verdicts.periods, lambda p: None if p is None else (p.start, p.end)),
    ]
    keys = np.ravel_multi_index(tuple(c for c, _ in codes), tuple(size for _, size in codes))
    if keep is not None:
        keys = keys[keep]
    if len(np.unique(keys)) == len(keys):
        return rows, {}
    first: dict[Key, int] = {}
    kept = [True] * len(rows)
    repeats: dict[int, Findings] = {}
    for index, key in enumerate(rows.keys):
        earlier = first.setdefault(key, index)
        if earlier == index:
            continue
        kept[index] = False
        number = rows.row_numbers[earlier]
        if _figure(rows, earlier) == _figure(rows, index):
            message = f"repeats row {number} with the same value; it is read once"
            repeats[positions[index]] = (warning(None, message),)
        else:
            message = f"the same measure, area and period as row {number} with a different value"
            repeats[positions[index]] = (error("value", message),)
    return rows.select(kept), repeats


def _key_codes(judged: Judged[L, T], part: Callable[[T], Hashable]) -> tuple[Codes, int]:
    """Each row's code for one part of its key (levels meaning the same share a code)."""
    meaning = factor([part(verdict) for verdict in judged.verdicts])
    return meaning.codes[judged.factor.codes], max(len(meaning.levels), 1)


def _figure(rows: ReturnRows, index: int) -> tuple[object, ...]:
    """What a row says about its figure: value, qualifier and marker."""
    return (rows.values[index], rows.qualifiers[index], rows.markers[index])
