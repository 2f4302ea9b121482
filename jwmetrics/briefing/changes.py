"""What changed between two days: statuses, figures, targets (and, once written, commentary).

Our store keeps every version with the day it became public, so the dashboard can say
exactly what changed between a briefing on ``since`` and one on ``as_of``, and why:

- **status**: every measure and area whose status differs, with both statuses and reasons;
- **figure**: every figure published (new) or revised in between, the value current on
  ``since`` beside the one current on ``as_of``, and the return or paragraph it came from;
- **target**: every target set or revised in between, with the one it replaced;
- **comment**: every version of commentary written in between, beside the one before it.

Both days are "as known on" days (:class:`~jwmetrics.store.known.KnownAt`): a figure counts
on a day when it was published by then. A change is in the window when it became known
after the end of ``since`` and by the end of ``as_of``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.briefing.commentary import comment_history
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Target
from jwmetrics.store.figure import ObservationView, view_of
from jwmetrics.store.known import KnownAt, end_of_day
from jwmetrics.store.lookup import find_initiative
from jwmetrics.store.targets import current_targets
from jwmetrics.store.versions import current_figures

KINDS = ("status", "figure", "target", "comment")
"""The kinds of change, in the order they are listed."""


@dataclass(frozen=True)
class ChangeRecord:
    """One change between two days.

    ``before`` and ``after`` are what stood on each day (None: nothing then): a status word,
    a figure's value (a number, or its marker such as ``..``), a target in words. ``when``
    is the day the change became known; ``source`` where it came from.
    """

    kind: str
    initiative: str
    measure: str
    area_code: str
    before: float | str | None
    after: float | str | None
    when: date | None
    source: str
    period: str = ""  # a figure's period
    before_reason: str = ""  # a status's reason on the first day
    after_reason: str = ""  # and on the second

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates, for JSON and CSV output."""
        record = asdict(self)
        record["when"] = None if self.when is None else self.when.isoformat()
        return record


def changes_between(
    db: Database,
    since: date,
    as_of: date,
    initiative: str | None = None,
    recorded_by: datetime | None = None,
) -> list[ChangeRecord]:
    """Every change between ``since`` and ``as_of`` (later than ``since``), for one
    initiative (id or name) or all; statuses first, then figures, then targets.

    ``recorded_by`` reads the database as it stood then (a briefing pack rebuilt exactly);
    default now.
    """
    if as_of <= since:
        raise ValueError(f"--as-of {as_of:%d/%m/%Y} must be after --since {since:%d/%m/%Y}")
    moment = recorded_by or datetime.now()
    with db.session() as session:
        slug = find_initiative(session, initiative).slug if initiative else None
        measures = _measures(session, slug)
        figures = _figure_changes(session, measures, KnownAt(since, moment), KnownAt(as_of, moment))
        targets = _target_changes(session, measures, since, as_of, moment)
    before = status_table(db, since, slug, recorded_by=moment)
    after = status_table(db, as_of, slug, recorded_by=moment)
    notes = comment_changes(db, slug, end_of_day(since), min(end_of_day(as_of), moment))
    return status_changes(before, after, since, as_of) + figures + targets + notes


def comment_changes(
    db: Database, initiative: str | None, after: datetime, until: datetime
) -> list[ChangeRecord]:
    """Each version of commentary written in the window, beside the version before it."""
    history = comment_history(db)  # read once: the window's versions and those before them
    everything = {(c.measure, c.area_code, c.period, c.version): c for c in history}
    records = []
    for comment in history:
        if not after < comment.written_at <= until:
            continue
        if initiative is not None and comment.initiative != initiative:
            continue
        earlier = everything.get(
            (comment.measure, comment.area_code, comment.period, comment.version - 1)
        )
        records.append(
            ChangeRecord(
                kind="comment",
                initiative=comment.initiative,
                measure=comment.measure,
                area_code=comment.area_code,
                before=None if earlier is None else earlier.text,
                after=comment.text,
                when=comment.written_at.date(),
                source=f"commentary by {comment.author}",
                period=comment.period,
            )
        )
    return records


def status_changes(
    before: list[Assessment], after: list[Assessment], since: date, as_of: date
) -> list[ChangeRecord]:
    """The statuses that differ between two status tables, with both reasons.

    ``when`` is the day the newest figure behind the new status was published if that was
    in the window; else ``as_of`` (the status moved because time passed, a target date say).
    """
    earlier = {(a.measure, a.area_code, a.target_id): a for a in before}
    changed = []
    for new in after:  # each target of a series has its own status (and row)
        old = earlier.get((new.measure, new.area_code, new.target_id)) or earlier.get(
            (new.measure, new.area_code, None)  # the series before it had this target
        )
        if old is not None and old.status == new.status:
            continue
        fresh = new.published_on is not None and since < new.published_on <= as_of
        changed.append(
            ChangeRecord(
                kind="status",
                initiative=new.initiative,
                measure=new.measure,
                area_code=new.area_code,
                before=None if old is None else old.status,
                after=new.status,
                when=new.published_on if fresh else as_of,
                source=new.latest_source if fresh else f"the status rules on {as_of.isoformat()}",
                before_reason="" if old is None else old.reason,
                after_reason=new.reason,
            )
        )
    return changed


def _measures(session: Session, initiative: str | None) -> dict[int, Measure]:
    """The measures in scope by id."""
    query = select(Measure)
    if initiative is not None:
        query = query.where(Measure.initiative_slug == initiative)
    return {m.id: m for m in session.scalars(query)}


def _figure_changes(
    session: Session, measures: dict[int, Measure], since: KnownAt, as_of: KnownAt
) -> list[ChangeRecord]:
    """Each figure whose current version at ``as_of`` was published after ``since``'s day.

    Versions published after ``since`` are newer than any published by then, so the newest
    of them is the version current on ``as_of``; the one current on ``since`` is beside it.
    """
    later = _current(session, as_of, measures, Observation.published_on > since.day)
    if not later:
        return []
    keys = {(v.measure_id, v.area_code) for v in later}
    earlier = {
        (v.measure_id, v.area_code, v.period.start, v.period.end): v
        for v in _current(session, since, measures)
        if (v.measure_id, v.area_code) in keys
    }
    records = []
    for new in sorted(later, key=lambda v: (v.measure_id, v.area_code, v.period.end)):
        old = earlier.get((new.measure_id, new.area_code, new.period.start, new.period.end))
        if old is not None and _shown(old) == _shown(new) and old.qualifier == new.qualifier:
            continue  # published again unchanged
        measure = measures[new.measure_id]
        records.append(
            ChangeRecord(
                kind="figure",
                initiative=measure.initiative_slug,
                measure=measure.slug,
                area_code=new.area_code,
                before=None if old is None else _shown(old),
                after=_shown(new),
                when=new.published_on,
                source=new.source,
                period=new.period.label,
            )
        )
    return records


def _current(
    session: Session,
    known: KnownAt,
    measures: dict[int, Measure],
    *conditions: ColumnElement[bool],
) -> list[ObservationView]:
    """The current version of every period of the measures' series at ``known``."""
    query = current_figures(session, known, Observation.measure_id.in_(list(measures)), *conditions)
    return [view_of(row) for row in session.scalars(query)]


def _shown(view: ObservationView) -> float | str | None:
    """A figure as a change lists it: its value, or its marker when it has none."""
    return view.value if view.value is not None else view.marker


def _target_changes(
    session: Session, measures: dict[int, Measure], since: date, as_of: date, moment: datetime
) -> list[ChangeRecord]:
    """Each target set in the window (and by ``moment``), beside the one in force on
    ``since`` (if any)."""
    query = select(Target).where(
        Target.measure_id.in_(list(measures)),
        Target.recorded_at > end_of_day(since),
        Target.recorded_at <= min(end_of_day(as_of), moment),
    )
    added = list(session.scalars(query.order_by(Target.recorded_at, Target.id)))
    if not added:
        return []
    earlier = current_targets(session, KnownAt(since, moment), list(measures))
    records = []
    for target in added:
        measure = measures[target.measure_id]
        old = earlier.get((target.measure_id, target.area_code))
        records.append(
            ChangeRecord(
                kind="target",
                initiative=measure.initiative_slug,
                measure=measure.slug,
                area_code=target.area_code,
                before=None if old is None else target_words(old),
                after=target_words(target),
                when=target.recorded_at.date(),
                source=target.source,
            )
        )
    return records


def target_words(target: Target) -> str:
    """A target as a change lists it: its own wording, and the value and date it sets."""
    parts = [target.wording.strip()]
    if target.target_value is not None:
        parts.append(
            f"({target.target_value:,.6g} by {target.target_date_text or target.target_date})"
        )
    return " ".join(part for part in parts if part)
