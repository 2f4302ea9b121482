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

from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.briefing.change_record import KINDS, ChangeCount, ChangePage, ChangeRecord
from jwmetrics.briefing.commentary import comment_history
from jwmetrics.briefing.figure_changes import (
    FigureCursor,
    count_figure_changes,
    iter_figure_changes,
)
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Target
from jwmetrics.periods import format_month
from jwmetrics.store.known import KnownAt, end_of_day
from jwmetrics.store.lookup import ENGLAND, find_initiative
from jwmetrics.store.targets import current_targets
from jwmetrics.text import value

__all__ = ["KINDS", "ChangeCount", "ChangePage", "ChangeRecord", "changes_between"]

PAGE = 50
"""Changes shown at a time: the panel's page and the pack's newest of each kind."""


def changes_between(
    db: Database,
    since: date,
    as_of: date,
    initiative: str | None = None,
    recorded_by: datetime | None = None,
) -> list[ChangeRecord]:
    """Every change between ``since`` and ``as_of`` (later than ``since``), for one
    initiative (id or name) or all; statuses first, then figures (newest first), then
    targets, then commentary: the CLI's full listing. Pages use :func:`change_page`.

    ``recorded_by`` reads the database as it stood then (a briefing pack rebuilt exactly);
    default now.
    """
    moment = recorded_by or datetime.now()  # one moment for every kind
    return [
        record
        for kind in KINDS
        for _, record in iter_changes(db, kind, since, as_of, initiative, moment)
    ]


def iter_changes(
    db: Database,
    kind: str,
    since: date,
    as_of: date,
    initiative: str | None = None,
    recorded_by: datetime | None = None,
    after: tuple[str, int] | None = None,
    headline: bool = False,
) -> Iterator[tuple[tuple[str, int], ChangeRecord]]:
    """The changes of one kind in listing order, each with the token of its position
    (pass one back as ``after`` to go on just past it). Figures are read a batch at a time
    (:mod:`jwmetrics.briefing.figure_changes`); the other kinds are bounded by the
    catalogue (series, targets, commentary), not by the figures, and are worked out whole.
    """
    _check_days(since, as_of)
    moment = recorded_by or datetime.now()
    if kind == "figure":
        with db.session() as session:
            measures, scoped = _scope(session, initiative)
            walk = iter_figure_changes(
                session,
                measures,
                KnownAt(since, moment),
                KnownAt(as_of, moment),
                FigureCursor.of(after),
                scoped,
            )
            for cursor, record in walk:
                yield cursor.token(), record
        return
    start = 0 if after is None else after[1] + 1
    whole = _whole(db, kind, since, as_of, initiative, moment, headline)
    for offset, record in enumerate(whole):
        if offset >= start:
            yield ("", offset), record


def change_page(
    db: Database,
    kind: str,
    since: date,
    as_of: date,
    initiative: str | None = None,
    after: tuple[str, int] | None = None,
    limit: int | None = None,
    recorded_by: datetime | None = None,
    headline: bool = False,
) -> ChangePage:
    """Up to ``limit`` (default :data:`PAGE`) changes of one kind, just after ``after``
    (None: from the newest)."""
    limit = PAGE if limit is None else limit
    walk = iter_changes(db, kind, since, as_of, initiative, recorded_by, after, headline)
    taken = list(islice(walk, limit + 1))
    more = len(taken) > limit
    records = [record for _, record in taken[:limit]]
    return ChangePage(kind, records, taken[limit - 1][0] if more else None)


def change_counts(
    db: Database,
    since: date,
    as_of: date,
    initiative: str | None = None,
    recorded_by: datetime | None = None,
    headline: bool = False,
) -> list[ChangeCount]:
    """How many changes of each kind (figures counted up to a cap: see
    :class:`~jwmetrics.briefing.change_record.ChangeCount`), in :data:`KINDS` order."""
    _check_days(since, as_of)
    moment = recorded_by or datetime.now()
    counts = []
    for kind in KINDS:
        if kind == "figure":
            with db.session() as session:
                measures, scoped = _scope(session, initiative)
                known = KnownAt(since, moment), KnownAt(as_of, moment)
                counts.append(count_figure_changes(session, measures, *known, scoped=scoped))
        else:
            counts.append(
                ChangeCount(kind, len(_whole(db, kind, since, as_of, initiative, moment, headline)))
            )
    return counts


def _check_days(since: date, as_of: date) -> None:
    """Refuse a window that is empty or backwards."""
    if as_of <= since:
        raise ValueError(f"--as-of {as_of:%d/%m/%Y} must be after --since {since:%d/%m/%Y}")


def _scope(session: Session, initiative: str | None) -> tuple[dict[int, Measure], bool]:
    """The measures in scope by id, and whether that is fewer than every measure."""
    slug = find_initiative(session, initiative).slug if initiative else None
    return _measures(session, slug), slug is not None


def _whole(
    db: Database,
    kind: str,
    since: date,
    as_of: date,
    initiative: str | None,
    moment: datetime,
    headline: bool = False,
) -> list[ChangeRecord]:
    """Every change of a kind other than figures, worked out whole; ``headline``: statuses
    of the England series only (what the overview and the pack show), so that two status
    tables cost the same however many local series the store holds."""
    with db.session() as session:
        slug = find_initiative(session, initiative).slug if initiative else None
        if kind == "target":
            return _target_changes(session, _measures(session, slug), since, as_of, moment)
    if kind == "status":
        areas = [ENGLAND] if headline else None
        before = status_table(db, since, slug, areas, recorded_by=moment)
        after = status_table(db, as_of, slug, areas, recorded_by=moment)
        return status_changes(before, after, since, as_of)
    if kind == "comment":
        return comment_changes(db, slug, end_of_day(since), min(end_of_day(as_of), moment))
    raise ValueError(f"unknown kind of change {kind!r}: one of {', '.join(KINDS)}")


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
                before=None if old is None else target_words(old, measure.unit),
                after=target_words(target, measure.unit),
                when=target.recorded_at.date(),
                source=target.source,
            )
        )
    return records


def target_words(target: Target, unit: str = "") -> str:
    """A target as a change lists it: its own wording, and the value (in its ``unit``, as
    the app writes values: "66.7%", "£600") and date it sets: "(617 by April 2002)", or
    "(82,000, no date)" when the report gives none; never "None"."""
    parts = [target.wording.strip()]
    if target.target_value is not None:
        amount = value(target.target_value, unit)
        if target.target_date_text:
            parts.append(f"({amount} by {target.target_date_text})")
        elif target.target_date is not None:
            parts.append(f"({amount} by {format_month(target.target_date)})")
        else:
            parts.append(f"({amount}, no date)")
    return " ".join(part for part in parts if part)
