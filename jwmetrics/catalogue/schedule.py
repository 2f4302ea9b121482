"""The returns schedule as a catalogue file: which partner owes which measure, for which
areas, how often, and how many days after the period it is due (``data/returns_schedule.csv``).

One row is checked by :func:`add_schedule` as the catalogue loader
(:mod:`jwmetrics.catalogue.load`) reads it; every problem names its row and column.
"""

from __future__ import annotations

from jwmetrics.db.models import Area, Measure, Partner, ReturnSchedule
from jwmetrics.periods import Period, PeriodError
from jwmetrics.returns.schedule import FREQUENCIES, owed_period
from jwmetrics.store.lookup import ALL_LOCAL_AUTHORITIES
from jwmetrics.tabular.csv_rows import CsvRow, Loader, row_recorded_at

MAX_DUE_DAYS = 3660  # ten years: anything longer is a typing slip
SOURCE_CHARS = 300  # the width of return_schedule.source


def add_schedule(loader: Loader, row: CsvRow) -> None:
    """One obligation of the returns schedule: a partner owes a measure for some areas."""
    measure = loader.require(row, "measure", loader.known(Measure, "slug"))
    if isinstance(measure, Measure):
        _schedule_partner(loader, row, measure)
    areas = row.get("areas")
    if areas != ALL_LOCAL_AUTHORITIES and areas not in loader.known(Area, "code"):
        hint = loader.hint("areas", areas, loader.known(Area, "code"))
        message = f"expected an ONS area code or {ALL_LOCAL_AUTHORITIES}{hint}"
        loader.problems.append(row.problem("areas", message))
    frequency = loader.one_of(row, "frequency", FREQUENCIES)
    due_days = _due_days(loader, row)
    first = _owed_period(loader, row, "first_period", frequency)
    last = _owed_period(loader, row, "last_period", frequency) if row.get("last_period") else None
    if first is not None and last is not None and last.end < first.start:
        message = "the last period owed must not be before the first"
        loader.problems.append(row.problem("last_period", message))
    source = row.get("source")
    if not source or len(source) > SOURCE_CHARS:
        message = f"say where the obligation comes from, in at most {SOURCE_CHARS} characters"
        loader.problems.append(row.problem("source", message))
    if not isinstance(measure, Measure) or first is None or due_days is None:
        return
    loader.add_if_clean(
        row,
        ReturnSchedule(
            partner=row.get("partner"),
            measure_id=measure.id,
            areas=areas,
            frequency=frequency,
            due_days=due_days,
            first_period_start=first.start,
            last_period_end=last.end if last is not None else None,
            source=source,
            recorded_at=row_recorded_at(loader, row),
        ),
    )


def _schedule_partner(loader: Loader, row: CsvRow, measure: Measure) -> None:
    """The partner must be one of the measure's initiative (by its catalogue name)."""
    partners = [p for p in loader.known(Partner, "id").values() if isinstance(p, Partner)]
    names = sorted(p.name for p in partners if p.initiative_slug == measure.initiative_slug)
    if row.get("partner") not in names:
        hint = loader.hint(f"partner of {measure.initiative_slug}", row.get("partner"), names)
        message = f"not a partner of {measure.initiative_slug}{hint}"
        loader.problems.append(row.problem("partner", message))


def _due_days(loader: Loader, row: CsvRow) -> int | None:
    """Days after the period's end that its figure is due: a whole number, 0 to 3660."""
    text = row.get("due_days")
    if text.isdigit() and int(text) <= MAX_DUE_DAYS:
        return int(text)
    message = f"expected a whole number of days after the period ends, 0 to {MAX_DUE_DAYS}"
    loader.problems.append(row.problem("due_days", message))
    return None


def _owed_period(loader: Loader, row: CsvRow, column: str, frequency: str) -> Period | None:
    """A first or last period owed: one period of the schedule's frequency."""
    try:
        return owed_period(row.get(column), frequency)
    except PeriodError as exc:
        loader.problems.append(row.problem(column, str(exc)))
        return None
