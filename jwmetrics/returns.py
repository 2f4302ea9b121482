"""Partners' returns: check a file, preview what it changes, commit it whole, withdraw it.

The flow is the same for the upload page and ``python -m jwmetrics import``:

1. :func:`check_return` reads the file (:mod:`jwmetrics.tabular`), resolves every row
   against the catalogue, and collects every problem at once: errors block the commit,
   warnings ask for confirmation. It also works out, row by row, whether the value is
   new, a revision of a stored one, or unchanged. Nothing is written.
2. :func:`commit_return` writes the return record and the new and revised observations
   in one transaction: it lands whole or not at all. Unchanged rows are not written again.
3. :func:`withdraw_return` marks a return withdrawn; the values it replaced count again.

The format is documented in ``docs/returns.md``.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from sqlalchemy import ColumnElement, Connection, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jwmetrics.db import Database
from jwmetrics.evidence import NEARBY_MONTHS, months_before
from jwmetrics.models import Area, Initiative, Measure, Observation, Return
from jwmetrics.periods import Period, PeriodError, PeriodKind, parse_period
from jwmetrics.problems import Problem, did_you_mean
from jwmetrics.store.figure import BOUND_QUALIFIERS
from jwmetrics.store.known import KnownAt
from jwmetrics.store.targets import current_targets
from jwmetrics.store.versions import current_versions
from jwmetrics.store.writes import record_inserted, record_withdrawn
from jwmetrics.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED,
    ArchiveLimits,
    RawRow,
    RawTable,
    read_table,
    shorten,
)
from jwmetrics.values import ValueParseError, parse_qualifier, parse_status, parse_value

MAX_BYTES_ENV = "JWMETRICS_MAX_UPLOAD_BYTES"
MAX_ROWS_ENV = "JWMETRICS_MAX_RETURN_ROWS"
MAX_UNCOMPRESSED_ENV = "JWMETRICS_MAX_UNCOMPRESSED_BYTES"
MAX_RATIO_ENV = "JWMETRICS_MAX_COMPRESSION_RATIO"
MAX_PARTNER_CHARS = 200  # a partner's name, on the form or in a row's partner column
MAX_PROBLEMS = 1_000  # problems listed one by one; beyond that one line says how many more
CHANGE_WARNING_SHARE = 0.5  # warn when a value moves more than 50% from the previous period
COUNT_UNITS = frozenset({"people", "places", "GBP", "count", "number"})

Key = tuple[int, str, date, date]  # measure id, area code, period start, period end


@dataclass(frozen=True)
class Limits:
    """Largest file, most rows and how far a workbook may unpack (environment overrides)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_ratio: float = DEFAULT_MAX_RATIO

    @classmethod
    def from_environment(cls) -> Limits:
        """Limits from ``JWMETRICS_MAX_UPLOAD_BYTES``, ``JWMETRICS_MAX_RETURN_ROWS``,
        ``JWMETRICS_MAX_UNCOMPRESSED_BYTES`` and ``JWMETRICS_MAX_COMPRESSION_RATIO``."""
        env = os.environ
        return cls(
            max_bytes=int(env.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES)),
            max_rows=int(env.get(MAX_ROWS_ENV, DEFAULT_MAX_ROWS)),
            max_uncompressed=int(env.get(MAX_UNCOMPRESSED_ENV, DEFAULT_MAX_UNCOMPRESSED)),
            max_ratio=float(env.get(MAX_RATIO_ENV, DEFAULT_MAX_RATIO)),
        )

    @property
    def archive(self) -> ArchiveLimits:
        """The limits on a workbook's archive."""
        return ArchiveLimits(self.max_uncompressed, self.max_ratio)


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """One checked row of a return, ready to record."""

    row_number: int
    measure_id: int
    measure_slug: str
    area_code: str
    period: Period
    value: float | None
    qualifier: str
    marker: str | None
    data_status: str
    partner: str
    note: str

    @property
    def key(self) -> Key:
        """What identifies the figure: measure, area and period."""
        return (self.measure_id, self.area_code, self.period.start, self.period.end)


@dataclass(frozen=True)
class Change:
    """What one row does to the stored figures: new, revised (old -> new) or unchanged."""

    kind: str
    row: ReturnRow
    old_value: float | None = None
    old_qualifier: str = ""
    old_marker: str | None = None
    old_status: str = ""


@dataclass
class ReturnCheck:
    """The result of checking a file: its rows, every problem, and what it would change."""

    file_name: str
    sha256: str
    partner: str
    table: RawTable
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    already_imported: int | None = None  # id of a live return with the same content
    published_on: date = field(default_factory=date.today)  # when its figures became public

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the commit."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the user must confirm before the commit."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def counts(self) -> dict[str, int]:
        """Rows read, and changes by kind."""
        counts = {"read": len(self.table.rows), "new": 0, "revised": 0, "unchanged": 0}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        """True when committing would record at least one figure."""
        return any(c.kind != "unchanged" for c in self.changes)


@dataclass(frozen=True, slots=True)
class MeasureRef:
    """What checking a row needs of a measure, as plain values (no ORM attribute cost)."""

    id: int
    slug: str
    initiative_slug: str
    unit: str


@dataclass(frozen=True)
class Catalogue:
    """Lookups a return is checked against, read once per check."""

    measures: dict[str, MeasureRef]  # by slug and by lower-case name
    initiatives: dict[str, str]  # slug and lower-case name -> slug
    areas: dict[str, str]  # code -> name
    baselines: dict[tuple[int, str], date]

    @classmethod
    def load(cls, session: Session) -> Catalogue:
        """Every measure, initiative, area and target baseline date."""
        measures: dict[str, MeasureRef] = {}
        for measure in session.scalars(select(Measure)):
            ref = MeasureRef(measure.id, measure.slug, measure.initiative_slug, measure.unit)
            measures[measure.slug] = ref
            measures[measure.name.lower()] = ref
        initiatives: dict[str, str] = {}
        for initiative in session.scalars(select(Initiative)):
            initiatives[initiative.slug] = initiative.slug
            initiatives[initiative.name.lower()] = initiative.slug
        areas = {code: name for code, name in session.execute(select(Area.code, Area.name))}
        baselines = {
            key: target.baseline_date
            for key, target in current_targets(session, KnownAt.on(date.max)).items()
            if target.baseline_date is not None
        }  # the targets in force now, not every target ever recorded
        return cls(measures, initiatives, areas, baselines)


@lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    """Periods repeat down a return: parse each spelling once."""
    return parse_period(text)


# Values and statuses repeat too; the parsers are pure, so their results can be reused.
_value = lru_cache(maxsize=65536)(parse_value)
_status = lru_cache(maxsize=64)(parse_status)


class _RowChecker:
    """Turns raw rows into :class:`ReturnRow` objects, collecting problems as it goes."""

    def __init__(self, check: ReturnCheck, catalogue: Catalogue, today: date) -> None:
        self.check = check
        self.catalogue = catalogue
        self.today = today
        self.seen: dict[Key, ReturnRow] = {}
        self.resolved: dict[tuple[str, str], tuple[MeasureRef | None, str, str]] = {}
        self.hints: dict[tuple[str, str], str] = {}
        self.area_codes = list(catalogue.areas)
        self.unlisted = {"error": 0, "warning": 0}  # problems past MAX_PROBLEMS, by severity

    def hint(self, kind: str, text: str, choices: Callable[[], list[str]]) -> str:
        """The "did you mean" suffix for ``text``: worked out once per distinct text."""
        key = (kind, text)
        found = self.hints.get(key)
        if found is None:
            found = self.hints[key] = did_you_mean(text, choices())
        return found

    def problem(self, row: RawRow, column: str | None, message: str, warning: bool = False) -> None:
        severity = "warning" if warning else "error"
        if len(self.check.problems) >= MAX_PROBLEMS:
            self.unlisted[severity] += 1
            return
        value = row.cells.get(column, "") if column else None
        self.check.problems.append(
            Problem(self.check.file_name, row.row_number, column, value, message, severity)
        )

    def summarise_unlisted(self) -> None:
        """One problem saying how many more there were than are listed."""
        more = sum(self.unlisted.values())
        if not more:
            return
        message = (
            f"{more:,} more problem(s) not listed ({self.unlisted['error']:,} error(s), "
            f"{self.unlisted['warning']:,} warning(s)): only the first {MAX_PROBLEMS:,} are "
            "shown; fix these and check the file again"
        )
        severity = "error" if self.unlisted["error"] else "warning"
        self.check.problems.append(
            Problem(self.check.file_name, None, None, None, message, severity)
        )

    def measure(self, row: RawRow) -> MeasureRef | None:
        """The row's measure; each (measure, initiative) spelling is resolved once per file."""
        key = (row.cells.get("measure", ""), row.cells.get("initiative", ""))
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = self._resolve_measure(row)
        measure, column, message = found
        if measure is None:
            self.problem(row, column, message)
        return measure

    def _resolve_measure(self, row: RawRow) -> tuple[MeasureRef | None, str, str]:
        """(measure, "", "") or (None, column, what is wrong)."""
        text = row.cells.get("measure", "").strip()
        measure = self.catalogue.measures.get(text) or self.catalogue.measures.get(text.lower())
        if measure is None:
            slugs = lambda: sorted({m.slug for m in self.catalogue.measures.values()})  # noqa: E731
            return None, "measure", f"unknown measure{self.hint('measure', text, slugs)}"
        initiative_text = row.cells.get("initiative", "").strip()
        initiative = self.catalogue.initiatives.get(
            initiative_text
        ) or self.catalogue.initiatives.get(initiative_text.lower())
        if initiative is None:
            names = lambda: sorted(set(self.catalogue.initiatives.values()))  # noqa: E731
            hint = self.hint("initiative", initiative_text, names)
            return None, "initiative", f"unknown initiative{hint}"
        if initiative != measure.initiative_slug:
            message = f"measure {measure.slug!r} belongs to initiative {measure.initiative_slug!r}"
            return None, "measure", message
        return measure, "", ""

    def area(self, row: RawRow) -> str | None:
        code = row.cells.get("area_code", "").strip().upper()
        if code not in self.catalogue.areas:
            hint = self.hint("area", code, lambda: self.area_codes)
            self.problem(
                row, "area_code", f"unknown area code; expected an ONS code such as E92000001{hint}"
            )
            return None
        name = row.cells.get("area_name", "").strip()
        if name and name.lower() != self.catalogue.areas[code].lower():
            message = f"area name does not match {code}, which is {self.catalogue.areas[code]!r}"
            self.problem(row, "area_name", message, warning=True)
        return code

    def period(self, row: RawRow) -> Period | None:
        try:
            return _period(row.cells.get("period", "").strip())
        except PeriodError as exc:
            self.problem(row, "period", str(exc))
            return None

    def value(self, row: RawRow, unit: str | None) -> tuple[float | None, str, str | None] | None:
        text = row.cells.get("value", "")
        try:
            parsed = _value(text)
        except ValueParseError as exc:
            self.problem(row, "value", str(exc))
            return None
        value = parsed.value
        hint = parsed.unit_hint
        if unit is not None and hint is not None and hint != _hint_for(unit):
            written = {"percent": "a percentage", "GBP": "an amount in pounds"}[hint]
            self.problem(row, "value", f"{written}, but this measure is in {unit}")
            return None
        if value is not None and unit is not None and not _possible(value, unit):
            expected = "0 to 100 per cent" if unit == "percent" else "a count of zero or more"
            self.problem(row, "value", f"impossible value for this measure; expected {expected}")
            return None
        qualifier = parsed.qualifier
        column = row.cells.get("qualifier", "").strip()
        if column:
            try:
                qualifier = parse_qualifier(column)
            except ValueParseError as exc:
                self.problem(row, "qualifier", str(exc))
            if parsed.qualifier not in ("exact", qualifier):
                message = f"says {qualifier!r} but the value says {parsed.qualifier!r}"
                self.problem(row, "qualifier", message)
        return value, qualifier, parsed.marker

    def status(self, row: RawRow) -> str:
        try:
            return _status(row.cells.get("status", ""))
        except ValueParseError as exc:
            self.problem(row, "status", str(exc))
            return "final"

    def row(self, raw: RawRow) -> ReturnRow | None:
        measure = self.measure(raw)
        area = self.area(raw)
        period = self.period(raw)
        parsed = self.value(raw, measure.unit if measure else None)
        status = self.status(raw)
        if measure is None or area is None or period is None or parsed is None:
            return None
        value, qualifier, marker = parsed
        partner = raw.cells.get("partner", "").strip()
        if len(partner) > MAX_PARTNER_CHARS:
            message = (
                f"the partner's name is {len(partner):,} characters long, over the limit of "
                f"{MAX_PARTNER_CHARS}"
            )
            self.problem(raw, "partner", message)
            return None
        row = ReturnRow(
            row_number=raw.row_number,
            measure_id=measure.id,
            measure_slug=measure.slug,
            area_code=area,
            period=period,
            value=value,
            qualifier=qualifier,
            marker=marker,
            data_status=status,
            partner=partner or self.check.partner,
            note=raw.cells.get("note", "").strip(),
        )
        self.timing_warnings(raw, row)
        return self.deduplicate(raw, row)

    def timing_warnings(self, raw: RawRow, row: ReturnRow) -> None:
        if row.period.start > self.today:
            self.problem(raw, "period", "the period is in the future", warning=True)
        baseline = self.catalogue.baselines.get((row.measure_id, row.area_code))
        if baseline is not None and row.period.end < baseline:
            message = f"the period ends before the target's baseline ({baseline:%d/%m/%Y})"
            self.problem(raw, "period", message, warning=True)

    def deduplicate(self, raw: RawRow, row: ReturnRow) -> ReturnRow | None:
        first = self.seen.get(row.key)
        if first is None:
            self.seen[row.key] = row
            return row
        if (first.value, first.qualifier, first.marker) == (row.value, row.qualifier, row.marker):
            message = f"repeats row {first.row_number} with the same value; it is read once"
            self.problem(raw, None, message, warning=True)
        else:
            message = (
                f"the same measure, area and period as row {first.row_number} "
                "with a different value"
            )
            self.problem(raw, "value", message)
        return None


def _hint_for(unit: str) -> str | None:
    """The unit a value's own sign (% or £) must match for a measure in ``unit``."""
    return {"percent": "percent", "GBP": "GBP"}.get(unit)


def _possible(value: float, unit: str) -> bool:
    """False for values a measure cannot take: negative counts, percentages outside 0-100."""
    if not math.isfinite(value):
        return False
    if unit == "percent":
        return 0 <= value <= 100
    return value >= 0 if unit in COUNT_UNITS else True


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of a file's bytes: the identity of its content."""
    return hashlib.sha256(data).hexdigest()


def check_return(
    db: Database,
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    partner: str = "",
    limits: Limits | None = None,
    today: date | None = None,
    published_on: date | None = None,
) -> ReturnCheck:
    """Read and check a return; list every problem and every change. Writes nothing.

    ``published_on`` is the day the return's figures became public (default: today; a
    day in the future is an error). The changes are worked out against what was known on
    that day, so a return of old, already published figures slots into the history.
    """
    limits = limits or Limits.from_environment()
    today = today or date.today()
    table = read_table(
        data,
        file_name,
        sheet,
        max_bytes=limits.max_bytes,
        max_rows=limits.max_rows,
        archive=limits.archive,
    )
    check = ReturnCheck(
        file_name=file_name,
        sha256=sha256_of(data),
        partner=partner,
        table=table,
        published_on=published_on or today,
    )
    if check.published_on > today:
        message = (
            f"published on {check.published_on:%d/%m/%Y} is in the future; expected a day on "
            f"or before today ({today:%d/%m/%Y})"
        )
        check.problems.append(
            Problem(file_name, None, "published_on", check.published_on.isoformat(), message)
        )
    if len(partner) > MAX_PARTNER_CHARS:
        message = (
            f"the partner's name is {len(partner):,} characters long, over the limit of "
            f"{MAX_PARTNER_CHARS}"
        )
        check.problems.append(Problem(file_name, None, "partner", shorten(partner), message))
    check.problems.extend(table.problems[:MAX_PROBLEMS])
    if len(table.problems) > MAX_PROBLEMS:
        more = len(table.problems) - MAX_PROBLEMS
        message = f"{more:,} more problem(s) in the file's layout not listed"
        check.problems.append(Problem(file_name, None, None, None, message))
    if any(problem.row is None for problem in table.errors) or (check.errors and not table.rows):
        return check  # the file as a whole is unreadable; row-level checks would only mislead
    with db.session() as session:
        catalogue = Catalogue.load(session)
        checker = _RowChecker(check, catalogue, today)
        check.rows = [row for raw in table.rows if (row := checker.row(raw)) is not None]
        checker.summarise_unlisted()
        if check.errors:
            return check
        check.already_imported = _live_return_with(session, check.sha256)
        check.changes = _diff(session, check.rows, KnownAt.on(check.published_on))
        _bound_warnings(session, check)
    _change_warnings(check)
    if len(check.problems) > MAX_PROBLEMS + 2:  # warnings about changes can be many too
        more = len(check.problems) - MAX_PROBLEMS
        del check.problems[MAX_PROBLEMS:]
        message = f"{more:,} more warning(s) not listed: only the first {MAX_PROBLEMS:,} are shown"
        check.problems.append(Problem(file_name, None, None, None, message, "warning"))
    check.problems.sort(key=lambda p: (p.row or 0, p.severity != "error"))
    return check


def _live_return_with(session: Session, sha256: str) -> int | None:
    """The id of a committed, not withdrawn, return with this content, if any."""
    query = select(Return.id).where(
        Return.sha256 == sha256, Return.outcome == "committed", Return.withdrawn_at.is_(None)
    )
    return session.scalar(query.limit(1))


def stored_current(
    session: Session, rows: Iterable[ReturnRow], known: KnownAt | None = None
) -> dict[Key, Observation]:
    """The stored version current at ``known`` (default: now) of every period the rows touch.

    One query.
    """
    rows = list(rows)
    if not rows:
        return {}
    measure_ids = sorted({r.measure_id for r in rows})
    areas = sorted({r.area_code for r in rows})
    period_ends = sorted({r.period.end for r in rows})
    conditions: list[ColumnElement[bool]] = [
        Observation.measure_id.in_(measure_ids),
        Observation.area_code.in_(areas),
    ]
    if len(period_ends) <= 500:  # only the file's periods, not every stored one of its series
        conditions.append(Observation.period_end.in_(period_ends))
    else:
        conditions.append(Observation.period_end >= period_ends[0])
    inner = current_versions(known or KnownAt.on(date.max), *conditions).subquery()
    query = select(Observation).join(inner, Observation.id == inner.c.id)
    query = query.where(inner.c.version_rank == 1)
    stored = {}
    for obs in session.scalars(query):
        stored[(obs.measure_id, obs.area_code, obs.period_start, obs.period_end)] = obs
    return stored


def _diff(session: Session, rows: list[ReturnRow], known: KnownAt) -> list[Change]:
    stored = stored_current(session, rows, known)
    changes = []
    for row in rows:
        old = stored.get(row.key)
        if old is None:
            changes.append(Change("new", row))
            continue
        same = (old.value, old.qualifier, old.marker, old.data_status) == (
            row.value,
            row.qualifier,
            row.marker,
            row.data_status,
        )
        kind = "unchanged" if same else "revised"
        changes.append(Change(kind, row, old.value, old.qualifier, old.marker, old.data_status))
    return changes


def _bound_warnings(session: Session, check: ReturnCheck) -> None:
    """Warn when an "over"/"under" figure would be the newest of its series, just after an
    exact one for a nearby period.

    A bound never displaces a nearby exact figure as the one a status is judged on
    (``docs/status.md``); the uploader is told so before committing.
    """
    bounds = [r for r in check.rows if r.qualifier in BOUND_QUALIFIERS and r.value is not None]
    if not bounds:
        return
    exact: dict[tuple[int, str], list[tuple[date, str, float]]] = {}
    newest: dict[tuple[int, str], date] = {}
    for row in check.rows:
        newest[row.key[:2]] = max(newest.get(row.key[:2], row.period.end), row.period.end)
        if row.qualifier not in BOUND_QUALIFIERS and row.value is not None:
            exact.setdefault(row.key[:2], []).append((row.period.end, row.period.label, row.value))
    known = KnownAt.on(check.published_on)
    for key in {r.key[:2] for r in bounds}:
        stored = current_versions(
            known, Observation.measure_id == key[0], Observation.area_code == key[1]
        ).subquery()
        query = select(Observation).join(stored, Observation.id == stored.c.id)
        for obs in session.scalars(query.where(stored.c.version_rank == 1)):
            newest[key] = max(newest.get(key, obs.period_end), obs.period_end)
            if obs.qualifier not in BOUND_QUALIFIERS and obs.value is not None:
                label = Period(obs.period_start, obs.period_end, PeriodKind(obs.period_kind)).label
                exact.setdefault(key, []).append((obs.period_end, label, obs.value))
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
            check.problems.append(
                Problem(
                    check.file_name, row.row_number, "value", _text(row.value), message, "warning"
                )
            )


def _change_warnings(check: ReturnCheck) -> None:
    """Warn about revisions of final figures and big moves from the previous period."""
    for change in check.changes:
        if (
            change.kind == "revised"
            and change.old_status == "final"
            and change.old_value != change.row.value
        ):
            message = f"revises a value marked final (was {_text(change.old_value)})"
            check.problems.append(
                Problem(
                    check.file_name,
                    change.row.row_number,
                    "value",
                    _text(change.row.value),
                    message,
                    "warning",
                )
            )
    by_series: dict[tuple[int, str], list[ReturnRow]] = {}
    for row in check.rows:
        by_series.setdefault((row.measure_id, row.area_code), []).append(row)
    for series_rows in by_series.values():
        ordered = sorted(series_rows, key=lambda r: r.period.end)
        for before, after in pairwise(ordered):
            if before.value and after.value is not None:
                share = abs(after.value - before.value) / abs(before.value)
                if share > CHANGE_WARNING_SHARE:
                    message = (
                        f"changes by {share:.0%} from the previous period in this file "
                        f"({_text(before.value)} in {before.period.label})"
                    )
                    check.problems.append(
                        Problem(
                            check.file_name,
                            after.row_number,
                            "value",
                            _text(after.value),
                            message,
                            "warning",
                        )
                    )


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ReturnRefused(RuntimeError):
    """The return was not committed; the message says why. Nothing was written."""


@dataclass(frozen=True)
class CommitOutcome:
    """What a commit did."""

    return_id: int | None
    message: str
    counts: dict[str, int]


def commit_return(
    db: Database, check: ReturnCheck, *, uploaded_by: str = "", confirm_warnings: bool = False
) -> CommitOutcome:
    """Record the return and its new and revised figures in one transaction.

    Refused (:class:`ReturnRefused`) when the check found errors, or warnings that were not
    confirmed. A file already imported, or one that changes nothing, writes nothing.
    """
    if check.errors:
        raise ReturnRefused(
            f"{len(check.errors)} error(s) in {check.file_name}; nothing was written"
        )
    if check.warnings and not confirm_warnings:
        raise ReturnRefused(
            f"{len(check.warnings)} warning(s) to confirm first; nothing was written"
        )
    counts = check.counts
    if check.already_imported is not None:
        message = (
            f"{check.file_name} was already imported as return {check.already_imported}; "
            "nothing changed"
        )
        return CommitOutcome(check.already_imported, message, counts)
    if not check.has_changes:
        return CommitOutcome(
            None, f"every value in {check.file_name} is already stored; nothing changed", counts
        )
    now = datetime.now()
    try:
        with db.session() as session, session.begin():
            record = Return(
                file_name=check.file_name,
                sha256=check.sha256,
                partner=check.partner,
                uploaded_by=uploaded_by,
                uploaded_at=now,
                rows_read=counts["read"],
                rows_new=counts["new"],
                rows_revised=counts["revised"],
                rows_unchanged=counts["unchanged"],
                outcome="committed",
                published_on=check.published_on,
            )
            _refuse_if_stale(session, check)
            session.add(record)
            session.flush()
            insert_rows(
                session,
                record.id,
                check.file_name,
                [c.row for c in check.changes if c.kind != "unchanged"],
                now,
                check.published_on,
            )
            return_id = record.id
    except IntegrityError:
        raise ReturnRefused(IMPORTED_MESSAGE.format(file_name=check.file_name)) from None
    message = (
        f"return {return_id} committed: {counts['new']} new, {counts['revised']} revised, "
        f"{counts['unchanged']} unchanged"
    )
    return CommitOutcome(return_id, message, counts)


STALE_MESSAGE = "the stored figures changed since this file was checked; check it again"
IMPORTED_MESSAGE = "{file_name} was imported by someone else a moment ago; nothing was written"
COMMIT_LOCK_KEY = 0x6A776D  # "jwm": pg_advisory_xact_lock key serialising return commits


def _refuse_if_stale(session: Session, check: ReturnCheck) -> None:
    """Work the changes out again inside the commit's transaction; refuse if they differ.

    A check can be held for a while (the upload page keeps it); meanwhile another return
    may have recorded a newer value for the same figure. Committing the old check would
    then record its rows as "new" or revise a value it never saw. Nothing is written.
    On PostgreSQL commits take a transaction-level advisory lock first, so two cannot
    interleave between this read and their inserts; on SQLite the second writer waits for
    the first (or is told the database is busy) and then sees its figures.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # one commit at a time: no interleaving
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": COMMIT_LOCK_KEY})
    if _live_return_with(session, check.sha256) is not None:
        raise ReturnRefused(IMPORTED_MESSAGE.format(file_name=check.file_name))
    fresh = _diff(session, check.rows, KnownAt.on(check.published_on))
    if [_change_key(c) for c in fresh] != [_change_key(c) for c in check.changes]:
        raise ReturnRefused(STALE_MESSAGE)


def _change_key(change: Change) -> tuple[object, ...]:
    """What a change says about the stored figure it was worked out against."""
    return (
        change.kind,
        change.row.key,
        change.old_value,
        change.old_qualifier,
        change.old_marker,
        change.old_status,
    )


def insert_rows(
    session: Session,
    return_id: int,
    file_name: str,
    rows: list[ReturnRow],
    now: datetime,
    published_on: date,
) -> None:
    """Insert the observations of a return in one driver call: COPY, or one executemany.

    On SQLite dates go in as the ISO text SQLAlchemy itself stores, which spares the
    driver's per-value adapters (a third of the insert time for a large return).
    """
    source = f"return {return_id} ({file_name})"
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    day: Callable[[date], object] = date.isoformat if sqlite else _same
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    published = day(published_on)
    kinds: dict[PeriodKind, str] = {kind: str(kind) for kind in PeriodKind}
    params = [
        (
            row.measure_id,
            row.area_code,
            day(row.period.start),
            day(row.period.end),
            kinds[row.period.kind],
            row.value,
            row.qualifier,
            row.marker,
            row.data_status,
            row.partner,
            row.note,
            source,
            return_id,
            row.row_number,
            published,
            stamp,
        )
        for row in rows
    ]
    if not sqlite and connection.dialect.name == "postgresql":
        _copy_rows(connection, params)
    else:
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        values = ", ".join([marker] * 16)
        statement = f"INSERT INTO observation ({INSERT_COLUMNS}) VALUES ({values})"
        connection.exec_driver_sql(statement, params)
    record_inserted(session, Observation.return_id == return_id)


def _same(value: date) -> date:
    return value


INSERT_COLUMNS = (
    "measure_id, area_code, period_start, period_end, period_kind, value, qualifier, marker, "
    "data_status, partner, note, source, return_id, row_number, published_on, recorded_at"
)


def _copy_rows(connection: Connection, params: Sequence[tuple[object, ...]]) -> None:
    """PostgreSQL's COPY: many times faster than INSERTs for a large return, same transaction."""
    raw = connection.connection.dbapi_connection
    statement = f"COPY observation ({INSERT_COLUMNS}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in params:
            copy.write_row(row)


def withdraw_return(db: Database, return_id: int, *, by: str = "") -> str:
    """Withdraw a committed return: its figures stop counting and the ones it replaced return."""
    with db.session() as session, session.begin():
        record = session.get(Return, return_id)
        if record is None:
            raise ReturnRefused(f"there is no return {return_id}")
        if record.withdrawn_at is not None:
            raise ReturnRefused(
                f"return {return_id} was already withdrawn on {record.withdrawn_at:%d/%m/%Y}"
            )
        result = session.execute(  # conditional: of two withdrawals at once, one wins
            update(Return)
            .where(Return.id == return_id, Return.withdrawn_at.is_(None))
            .values(withdrawn_at=datetime.now(), withdrawn_by=by, outcome="withdrawn")
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ReturnRefused(
                f"return {return_id} was withdrawn by someone else a moment ago; nothing changed"
            )
        record_withdrawn(session, return_id)
    return f"return {return_id} withdrawn; the values it replaced count again"


def returns_log(db: Database) -> list[Return]:
    """Every return, newest first."""
    with db.session() as session:
        return list(session.scalars(select(Return).order_by(Return.id.desc())))


def return_observation_count(db: Database, return_id: int) -> int:
    """How many figures a return recorded."""
    with db.session() as session:
        query = (
            select(func.count()).select_from(Observation).where(Observation.return_id == return_id)
        )
        return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class RecordedChange:
    """One figure a committed return recorded, with the value it replaced (if any)."""

    row_number: int | None
    measure: str
    area_code: str
    period: str
    value: float | None
    old_value: float | None
    kind: str  # "new" or "revised"


def return_changes(db: Database, return_id: int) -> list[RecordedChange]:
    """What a return changed: each figure it recorded beside the value current just before."""
    with db.session() as session:
        record = session.get(Return, return_id)
        if record is None:
            raise ReturnRefused(f"there is no return {return_id}")
        query = (
            select(Observation)
            .where(Observation.return_id == return_id)
            .order_by(Observation.row_number)
        )
        recorded = list(session.scalars(query))
        slugs = {mid: slug for mid, slug in session.execute(select(Measure.id, Measure.slug))}
        before = _current_before(session, recorded, record.uploaded_at)
        changes = []
        for obs in recorded:
            old = before.get((obs.measure_id, obs.area_code, obs.period_start, obs.period_end))
            changes.append(
                RecordedChange(
                    row_number=obs.row_number,
                    measure=slugs[obs.measure_id],
                    area_code=obs.area_code,
                    period=Period(
                        obs.period_start, obs.period_end, PeriodKind(obs.period_kind)
                    ).label,
                    value=obs.value,
                    old_value=old.value if old is not None else None,
                    kind="revised" if old is not None else "new",
                )
            )
        return changes


def _current_before(
    session: Session, recorded: list[Observation], moment: datetime
) -> dict[Key, Observation]:
    """The versions that were current just before ``moment`` for the recorded keys."""
    if not recorded:
        return {}
    inner = current_versions(
        KnownAt.audit(moment - timedelta(microseconds=1)),
        Observation.measure_id.in_({o.measure_id for o in recorded}),
        Observation.area_code.in_({o.area_code for o in recorded}),
    ).subquery()
    query = (
        select(Observation)
        .join(inner, Observation.id == inner.c.id)
        .where(inner.c.version_rank == 1)
    )
    return {
        (o.measure_id, o.area_code, o.period_start, o.period_end): o for o in session.scalars(query)
    }
