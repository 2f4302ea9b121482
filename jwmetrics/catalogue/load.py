"""The catalogue: client groups, initiatives, partners, areas, measures, targets and spend.

The report's figures live as reviewable CSV files in ``data/`` (documented in
``data/README.md``). :func:`load_report_figures` seeds an empty database from them, as
known on the report's publication date. :func:`load_catalogue_file` adds to the catalogue
later from a CSV in the same format (a new measure, partner or spend line, or a revised
target, which is added beside the old one, never over it), and the returns schedule
(``data/returns_schedule.csv``: which partner owes which measure, how often, when due).
Every file is checked whole before anything is written; a load is an administrator's
(``Action.CATALOGUE``) and is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

from jwmetrics.assess.status import StatusRules
from jwmetrics.catalogue.balancing import add_balancing
from jwmetrics.catalogue.schedule import add_schedule
from jwmetrics.db.engine import Database
from jwmetrics.db.models import (
    Area,
    ClientGroup,
    Initiative,
    Measure,
    Partner,
    Spend,
    Target,
)
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.passport.fields import FILE_COLUMNS as PASSPORT_COLUMNS
from jwmetrics.passport.fields import add_passport
from jwmetrics.periods import PeriodError, parse_date, parse_period
from jwmetrics.problems import InputError, Problem
from jwmetrics.tabular.csv_rows import (
    CsvRow,
    Loader,
    parse_fraction,
    read_csv_rows,
    row_recorded_at,
)

DIRECTIONS = ("up", "down")
MEASURE_KINDS = ("outcome", "output", "input", "satisfaction", "cost")
QUALIFIERS = ("exact", "over", "under", "around")


def _add_client_group(loader: Loader, row: CsvRow) -> None:
    loader.add(
        ClientGroup(
            slug=row.get("slug"),
            name=row.get("name"),
            description=row.get("description"),
            source=row.get("source"),
        )
    )


def _add_area(loader: Loader, row: CsvRow) -> None:
    loader.add(
        Area(
            code=row.get("area_code"),
            name=row.get("area_name"),
            area_type=row.get("area_type"),
            parent_code=row.get("parent_code") or None,
        )
    )


def _add_initiative(loader: Loader, row: CsvRow) -> None:
    loader.require(row, "client_group", loader.known(ClientGroup, "slug"))
    fields = [c.name for c in Initiative.__table__.columns if c.name != "client_group_slug"]
    values = {name: row.get(name) for name in fields}
    loader.add_if_clean(row, Initiative(client_group_slug=row.get("client_group"), **values))


def _add_partner(loader: Loader, row: CsvRow) -> None:
    loader.require(row, "initiative", loader.known(Initiative, "slug"))
    loader.add_if_clean(
        row,
        Partner(
            initiative_slug=row.get("initiative"),
            name=row.get("name"),
            kind=row.get("kind"),
            role=row.get("role"),
            source=row.get("source"),
            recorded_at=loader.recorded_at,
        ),
    )


def _add_measure(loader: Loader, row: CsvRow) -> None:
    loader.require(row, "initiative", loader.known(Initiative, "slug"))
    if row.get("slug") in loader.known(Measure, "slug"):
        loader.problems.append(row.problem("slug", "a measure with this id exists already"))
    loader.one_of(row, "direction", DIRECTIONS)
    loader.one_of(row, "kind", MEASURE_KINDS)
    names = ("slug", "name", "unit", "direction", "kind", "description")
    extra = ("results_expected", "too_early_note", "source")
    loader.add_if_clean(
        row,
        Measure(
            initiative_slug=row.get("initiative"),
            recorded_at=loader.recorded_at,
            status_rules=_status_rules(loader, row),
            **{name: row.get(name) for name in names + extra},
        ),
    )


def _status_rules(loader: Loader, row: CsvRow) -> dict[str, float] | None:
    """Per-measure thresholds, written as JSON: {"amber_tolerance": 0.2, "trend_points": 8}.

    A threshold whose default is whole (months, points, the 0/1 switch) must be whole and
    not negative; ``grey_when_overdue`` is 0 or 1.
    """
    text = row.get("status_rules")
    if not text:
        return None
    defaults = {f.name: f.default for f in fields(StatusRules)}
    try:
        rules = json.loads(text)
        if not isinstance(rules, dict) or not set(rules) <= set(defaults):
            raise ValueError
        chosen = {key: float(value) for key, value in rules.items()}
    except (ValueError, TypeError):
        message = f"expected a JSON object with some of {', '.join(sorted(defaults))}"
        loader.problems.append(row.problem("status_rules", message))
        return None
    for key, value in chosen.items():
        whole = isinstance(defaults[key], int)
        if whole and not (value >= 0 and value.is_integer()):
            message = f"{key} must be a whole number, 0 or more"
            loader.problems.append(row.problem("status_rules", message))
        elif key == "grey_when_overdue" and value not in (0, 1):
            loader.problems.append(row.problem("status_rules", f"{key} must be 0 or 1"))
    return chosen


def _add_target(loader: Loader, row: CsvRow) -> None:
    measure = loader.require(row, "measure", loader.known(Measure, "slug"))
    loader.require(row, "area_code", loader.known(Area, "code"))
    baseline = loader.number(row, "baseline_value")
    value = loader.number(row, "target_value")
    change = _target_change(loader, row)
    baseline_date, target_date = (
        loader.date(row, "baseline_period"),
        loader.date(row, "target_date"),
    )
    if value is None and change is None:
        loader.problems.append(row.problem("target_value", "give a target_value or target_change"))
    if value is not None and baseline is not None and value == baseline:
        loader.problems.append(row.problem("target_value", "the target equals the baseline"))
    if baseline_date and target_date and target_date <= baseline_date:  # type: ignore[operator]
        message = "the target date must be after the baseline period"
        loader.problems.append(row.problem("target_date", message))
    qualifier = (
        loader.one_of(row, "value_qualifier", QUALIFIERS) if row.get("value_qualifier") else ""
    )
    if not isinstance(measure, Measure):
        return
    loader.add_if_clean(
        row,
        Target(
            measure_id=measure.id,
            area_code=row.get("area_code"),
            baseline_value=baseline,
            baseline_period=row.get("baseline_period"),
            baseline_date=baseline_date,
            target_value=value,
            target_change=change,
            target_date_text=row.get("target_date"),
            target_date=target_date,
            wording=row.get("wording"),
            value_qualifier=qualifier or "exact",
            milestones=_checked_milestones(
                loader,
                row,
                _milestones(loader, row),
                (baseline_date, target_date),
                (baseline, _target_value(value, change, baseline)),
            ),
            source=row.get("source"),
            recorded_at=row_recorded_at(loader, row),
        ),
    )


def _target_change(loader: Loader, row: CsvRow) -> float | None:
    text = row.get("target_change")
    if not text:
        return None
    try:
        change = parse_fraction(text)
    except (ValueError, ZeroDivisionError):
        loader.problems.append(
            row.problem("target_change", "expected a fraction such as -2/3 or -10%")
        )
        return None
    if change == 0:
        loader.problems.append(row.problem("target_change", "a change of zero is no target"))
    return change


def _milestones(loader: Loader, row: CsvRow) -> list[list[str | float]] | None:
    """Trajectory milestones written "March 2000=1200; March 2001=900"."""
    text = row.get("milestones")
    if not text:
        return None
    milestones: list[list[str | float]] = []
    for part in text.split(";"):
        when, _, value = part.partition("=")
        try:
            milestones.append([parse_date(when).isoformat(), float(value.replace(",", ""))])
        except (PeriodError, ValueError):
            message = "expected milestones such as 'March 2000=1200; March 2001=900'"
            loader.problems.append(row.problem("milestones", message))
            return None
    return milestones


def _target_value(
    value: float | None, change: float | None, baseline: float | None
) -> float | None:
    """The target as a value: as given, or the baseline changed by ``change``."""
    if value is not None or change is None or baseline is None:
        return value
    return baseline * (1 + change)


def _checked_milestones(
    loader: Loader,
    row: CsvRow,
    milestones: list[list[str | float]] | None,
    dates: tuple[object, object],
    values: tuple[float | None, float | None],
) -> list[list[str | float]] | None:
    """The milestones if they make a plan: in date order, each after the baseline period and
    before the target date, each value between the baseline and the target; else a problem
    naming the first one that does not (and no milestones)."""
    if not milestones:
        return milestones
    days = [str(when) for when, _ in milestones]
    if days != sorted(days) or len(set(days)) != len(days):
        loader.problems.append(row.problem("milestones", "expected milestones in date order"))
        return None
    start, end = (d.isoformat() if isinstance(d, date) else "" for d in dates)
    bounds = sorted(v for v in values if v is not None) if None not in values else []
    for when, amount in milestones:
        inside = (not start or str(when) > start) and (not end or str(when) < end)
        if bounds:
            inside = inside and bounds[0] <= float(amount) <= bounds[-1]
        if not inside:
            expected = f"a date after {start or 'the baseline'} and before {end or 'the target'}"
            if bounds:
                expected += f", and a value from {bounds[0]:g} to {bounds[-1]:g}"
            message = (
                f"the milestone {when}={float(amount):g} is outside the plan: expected {expected}"
            )
            loader.problems.append(row.problem("milestones", message))
            return None
    return milestones


def _add_spend(loader: Loader, row: CsvRow) -> None:
    loader.require(row, "initiative", loader.known(Initiative, "slug"))
    amount = loader.number(row, "amount_gbp", required=True)
    loader.one_of(row, "basis", ("total", "per_year"))
    loader.one_of(row, "plan_or_actual", ("stated", "planned", "actual"))
    start = end = None
    if row.get("period"):
        try:
            period = parse_period(row.get("period"))
            start, end = period.start, period.end
        except PeriodError as exc:
            loader.problems.append(row.problem("period", str(exc)))
    loader.add_if_clean(
        row,
        Spend(
            initiative_slug=row.get("initiative"),
            period=row.get("period"),
            period_start=start,
            period_end=end,
            amount_gbp=amount or 0.0,
            basis=row.get("basis"),
            plan_or_actual=row.get("plan_or_actual"),
            wording=row.get("wording"),
            source=row.get("source"),
            recorded_at=loader.recorded_at,
        ),
    )


# Each catalogue file kind: the columns that identify it, and how to add one row.
KINDS: dict[str, tuple[frozenset[str], Callable[[Loader, CsvRow], None]]] = {
    "client_groups": (frozenset({"slug", "name", "description"}), _add_client_group),
    "areas": (frozenset({"area_code", "area_name", "area_type", "parent_code"}), _add_area),
    "initiatives": (frozenset({"slug", "client_group", "purpose"}), _add_initiative),
    "partners": (frozenset({"initiative", "name", "kind", "role"}), _add_partner),
    "measures": (frozenset({"initiative", "slug", "unit", "direction"}), _add_measure),
    "targets": (frozenset({"measure", "area_code", "target_value", "target_date"}), _add_target),
    "spend": (frozenset({"initiative", "amount_gbp", "basis"}), _add_spend),
    "returns_schedule": (
        frozenset({"partner", "measure", "areas", "frequency", "due_days"}),
        add_schedule,
    ),
    "balancing_measures": (
        frozenset({"measure", "balancing_measure", "threshold"}),
        add_balancing,
    ),
    "passports": (PASSPORT_COLUMNS, add_passport),
}


def detect_kind(path: Path, header: list[str]) -> str:
    """Which catalogue file ``header`` belongs to; :class:`InputError` if none fits."""
    fitting = [kind for kind, (columns, _) in KINDS.items() if columns <= set(header)]
    if fitting:  # the kind identified by the most columns: measures files also have "name"
        return max(fitting, key=lambda kind: len(KINDS[kind][0]))
    expected = "; ".join(f"{kind}: {', '.join(sorted(cols))}" for kind, (cols, _) in KINDS.items())
    raise InputError(
        [Problem(path.name, 1, None, None, f"unknown kind of file; expected columns of {expected}")]
    )


def load_rows(loader: Loader, path: Path, kind: str) -> int:
    header, rows = read_csv_rows(path)
    columns, add = KINDS[kind]
    missing = sorted(columns - set(header))
    if missing:
        loader.problems.append(
            Problem(path.name, 1, None, None, f"missing columns: {', '.join(missing)}")
        )
        return 0
    for row in rows:
        add(loader, row)
    return len(rows)


# The column naming each row of a kind, for the audit log's "what was added".
ROW_NAMES = {
    "client_groups": "slug", "areas": "area_code", "initiatives": "slug", "partners": "name",
    "measures": "slug", "targets": "measure", "spend": "initiative",
    "returns_schedule": "measure", "balancing_measures": "balancing_measure",
    "passports": "measure",
}  # fmt: skip
NAMED_IN_AUDIT = 10  # rows named in the audit detail; the rest are counted


def load_catalogue_file(
    db: Database,
    path: Path,
    recorded_at: datetime | None = None,
    *,
    by: str = "",
    actor: Actor = LOCAL_USER,
) -> tuple[str, int]:
    """Add the rows of one catalogue CSV in one transaction; return (kind, rows added).

    Raises :class:`InputError` listing every problem; nothing is written then.
    :class:`~jwmetrics.governance.roles.PermissionDenied` unless ``actor`` may change the
    catalogue. The load and what it added are an audit event (by ``by``, default the
    actor's name) in the same transaction.
    """
    authorise(db, actor, Action.CATALOGUE)
    header, rows = read_csv_rows(path)
    kind = detect_kind(path, header)
    with db.session() as session, session.begin():
        authorise(session, actor, Action.CATALOGUE)  # again, as stored inside the write
        loader = Loader(session, recorded_at or datetime.now().replace(microsecond=0))
        count = load_rows(loader, path, kind)
        session.flush()
        if loader.problems:
            session.rollback()
            raise InputError(loader.problems)
        audit.append(session, by or actor.name, "catalogue", path.name, _added(kind, rows))
    return kind, count


def _added(kind: str, rows: list[CsvRow]) -> str:
    """The audit log's words for a load: how many rows of which kind, naming the first."""
    names = list(dict.fromkeys(row.get(ROW_NAMES[kind]) for row in rows))
    shown = ", ".join(names[:NAMED_IN_AUDIT])
    more = f" and {len(names) - NAMED_IN_AUDIT} more" if len(names) > NAMED_IN_AUDIT else ""
    return f"added {len(rows)} {kind.replace('_', ' ')} row(s): {shown}{more}"
