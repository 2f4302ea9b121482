"""Warnings that need the whole file or the stored figures, worked out after the diff.

- a revision of a figure marked final;
- a value more than :data:`CHANGE_WARNING_SHARE` away from the previous period's value of
  the same series in the file (found with one sort of the whole file, by array);
- an "over"/"under" bound that would be the newest figure of its series, just after an
  exact figure for a nearby period (the exact one stays the figure a status is judged on).
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from jwmetrics.db.models import Observation
from jwmetrics.periods import NEARBY_MONTHS, Period, PeriodKind, months_before
from jwmetrics.problems import Problem
from jwmetrics.returns.model import Changes, ReturnCheck, ReturnRows
from jwmetrics.store.figure import BOUND_QUALIFIERS
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_figures

CHANGE_WARNING_SHARE = 0.5  # warn when a value moves more than 50% from the previous period

Series = tuple[int, str]  # measure id, area code
_END = attrgetter("end")


def change_warnings(check: ReturnCheck) -> None:
    """Warn about revisions of final figures and big moves from the previous period."""
    _final_revisions(check)
    _big_moves(check)


def _final_revisions(check: ReturnCheck) -> None:
    """A warning for each revision of a figure marked final."""
    changes = Changes.of(check.changes)
    for position, old in changes.stored.items():
        row = changes.rows[position]
        if changes.kind(position) == "revised" and old.status == "final" and old.value != row.value:
            message = f"revises a value marked final (was {_text(old.value)})"
            check.problems.append(_warning(check, row.row_number, row.value, message))


def _big_moves(check: ReturnCheck) -> None:
    """A warning for each value more than half again away from the one before it.

    "Before" is the previous period (by end date, then file order) of the same series in
    the file. The rows are sorted once by series (in order of first appearance), end date
    and position; candidates are found on arrays and each is confirmed in plain floats.
    """
    rows = ReturnRows.of(check.rows)
    if len(rows) < 2:
        return
    rank = _series_rank(rows)
    order = _series_order(rows, rank)
    values = np.array(rows.values, dtype=float)[order]
    ranks = rank[order]
    same_series = ranks[1:] == ranks[:-1]
    before, after = values[:-1], values[1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = np.abs(after - before) / np.abs(before) > CHANGE_WARNING_SHARE
    candidates = np.flatnonzero(same_series & moved & (before != 0) & ~np.isnan(after))
    for index in candidates.tolist():
        first, second = rows[int(order[index])], rows[int(order[index + 1])]
        if not first.value or second.value is None:
            continue
        share = abs(second.value - first.value) / abs(first.value)
        if share > CHANGE_WARNING_SHARE:
            message = (
                f"changes by {share:.0%} from the previous period in this file "
                f"({_text(first.value)} in {first.period.label})"
            )
            check.problems.append(_warning(check, second.row_number, second.value, message))


def _series_rank(rows: ReturnRows) -> NDArray[np.int64]:
    """Each row's series, numbered in order of first appearance in the file."""
    areas = {code: index for index, code in enumerate(dict.fromkeys(rows.area_codes))}
    area_numbers = np.fromiter(map(areas.__getitem__, rows.area_codes), np.int64, len(rows))
    measures = np.fromiter(rows.measure_ids, np.int64, len(rows))
    _, first, inverse = np.unique(
        measures * len(areas) + area_numbers, return_index=True, return_inverse=True
    )
    rank: NDArray[np.int64] = np.empty(len(first), np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    ranks: NDArray[np.int64] = rank[inverse.reshape(-1)]
    return ranks


def _series_order(rows: ReturnRows, rank: NDArray[np.int64]) -> NDArray[np.intp]:
    """Positions sorted by series (``rank``), period end, then file order."""
    ends = np.fromiter(map(date.toordinal, map(_END, rows.periods)), np.int64, len(rows))
    return np.lexsort((np.arange(len(rows)), ends, rank))


def bound_warnings(session: Session, check: ReturnCheck) -> None:
    """Warn when an "over"/"under" figure would be the newest of its series, just after an
    exact one for a nearby period.

    A bound never displaces a nearby exact figure as the one a status is judged on
    (``docs/status.md``); the uploader is told so before committing.
    """
    rows = ReturnRows.of(check.rows)
    if not BOUND_QUALIFIERS.intersection(rows.qualifiers):
        return
    bounds = [r for r in rows if r.qualifier in BOUND_QUALIFIERS and r.value is not None]
    if not bounds:
        return
    series = {r.key[:2] for r in bounds}
    exact: dict[Series, list[tuple[date, str, float]]] = {}
    newest: dict[Series, date] = {}
    for row in rows:
        key = row.key[:2]
        if key in series:
            newest[key] = max(newest.get(key, row.period.end), row.period.end)
            if row.qualifier not in BOUND_QUALIFIERS and row.value is not None:
                exact.setdefault(key, []).append((row.period.end, row.period.label, row.value))
    _stored_exact(session, check, series, exact, newest)
    for row in bounds:
        if row.period.end < newest[row.key[:2]]:
            continue  # a later figure is the newest: this bound is never the latest
        near = months_before(row.period.end, NEARBY_MONTHS)
        earlier = [e for e in exact.get(row.key[:2], []) if near <= e[0] < row.period.end]
        if earlier:
            _, label, value = max(earlier)
            message = (
                f"{row.qualifier} {_text(row.value)} is a bound, not a value: the exact "
                f"{_text(value)} for {label} stays the figure the status is judged on"
            )
            check.problems.append(_warning(check, row.row_number, row.value, message))


def _stored_exact(
    session: Session,
    check: ReturnCheck,
    series: set[Series],
    exact: dict[Series, list[tuple[date, str, float]]],
    newest: dict[Series, date],
) -> None:
    """Add the stored current figures of ``series`` to the newest periods and exact values."""
    known = KnownAt.on(check.published_on)
    for key in series:
        query = current_figures(
            session,
            known,
            Observation.measure_id == key[0],
            Observation.area_code == key[1],
            ranked=True,
        )
        for obs in session.scalars(query):
            newest[key] = max(newest.get(key, obs.period_end), obs.period_end)
            if obs.qualifier not in BOUND_QUALIFIERS and obs.value is not None:
                label = Period(obs.period_start, obs.period_end, PeriodKind(obs.period_kind)).label
                exact.setdefault(key, []).append((obs.period_end, label, obs.value))


def _warning(check: ReturnCheck, row: int | None, value: float | None, message: str) -> Problem:
    """A warning on the value of a row."""
    return Problem(check.file_name, row, "value", _text(value), message, "warning")


def _text(value: float | None) -> str:
    """A figure in a message: "1850", "55.4"; "" for none."""
    return "" if value is None else f"{value:g}"
