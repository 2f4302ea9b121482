"""Track record: the calls the dashboard would have made, checked against what happened.

For every target whose date has passed and whose outcome is known (Achieved or Missed on
the figure for the target period), the series is rebuilt as it was known on each earlier
publication day and judged again with the same rules. A decisive call (Green or Achieved,
Red or Missed) was right when the outcome bore it out; Amber is a hedge. While a verdict
was Awaiting, the trend call shown beside it is the one counted. The shares tell an
analyst how far to trust today's calls, and how often the rules hedge.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from jwmetrics.assess.portfolio import chosen_measures, judge_series, series_day
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure, Target
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.figures import versions_of_targeted
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_on

HOPEFUL = frozenset({"Green", "Achieved"})
GLOOMY = frozenset({"Red", "Missed"})


@dataclass(frozen=True)
class Call:
    """What the dashboard would have shown on one publication day."""

    as_of: date
    status: str  # the status shown (Awaiting included)
    call: str  # the call counted: the status, or the trend call beside Awaiting
    right: bool | None  # None for a hedge (Amber) or no call (Grey)


@dataclass(frozen=True)
class TargetRecord:
    """One target with a known outcome and the calls made before it was known."""

    initiative: str
    measure: str
    measure_name: str
    area_code: str
    area_name: str
    target_value: float | None
    target_date: date | None
    outcome: str  # Achieved or Missed
    outcome_known_on: date  # when the figure the verdict rests on was published
    calls: tuple[Call, ...]


@dataclass(frozen=True)
class TrackRecord:
    """Every target's record and the shares over all their calls."""

    targets: tuple[TargetRecord, ...]

    @property
    def decisive_calls(self) -> int:
        """Green, Achieved, Red or Missed calls."""
        return sum(c.right is not None for t in self.targets for c in t.calls)

    @property
    def right_calls(self) -> int:
        """Decisive calls the outcome bore out."""
        return sum(c.right is True for t in self.targets for c in t.calls)

    @property
    def hedged_calls(self) -> int:
        """Amber calls."""
        return sum(c.call == "Amber" for t in self.targets for c in t.calls)

    @property
    def share_right(self) -> float | None:
        """Right calls as a share of decisive ones; None with none."""
        return self.right_calls / self.decisive_calls if self.decisive_calls else None

    @property
    def share_hedged(self) -> float | None:
        """Amber calls as a share of all calls made (decisive or Amber); None with none."""
        made = self.decisive_calls + self.hedged_calls
        return self.hedged_calls / made if made else None

    def as_record(self) -> dict[str, object]:
        """JSON-ready: the shares, the counts, and each target with its calls."""
        return {
            "share_right": self.share_right,
            "share_hedged": self.share_hedged,
            "decisive_calls": self.decisive_calls,
            "right_calls": self.right_calls,
            "hedged_calls": self.hedged_calls,
            "targets": [_json(asdict(t)) for t in self.targets],
        }


def _json(value: object) -> object:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def call_was_right(call: str, outcome: str) -> bool | None:
    """True or False for a decisive call, None for a hedge or no call."""
    if call in HOPEFUL:
        return outcome == "Achieved"
    if call in GLOOMY:
        return outcome == "Missed"
    return None


def track_record(
    db: Database, initiative: str | None = None, today: date | None = None
) -> TrackRecord:
    """The track record of every target (of ``initiative``) whose outcome is known."""
    today = today or date.today()
    known = KnownAt.on(today)
    records = []
    with db.session() as session:
        measures = {m.id: m for m in chosen_measures(session, initiative, None)}
        query = select(Target).where(Target.measure_id.in_(list(measures)))
        targets: dict[tuple[int, str], list[Target]] = {}
        for target in session.scalars(query.order_by(Target.recorded_at, Target.id)):
            targets.setdefault((target.measure_id, target.area_code), []).append(target)
        every = versions_of_targeted(session, known, list(measures))
        for (measure_id, code), history in targets.items():
            measure = measures[measure_id]
            versions = every.get((measure_id, code), [])
            record = _record(measure, session.get(Area, code), history, versions, today)
            if record is not None:
                records.append(record)
    return TrackRecord(tuple(records))


def _record(
    measure: Measure,
    area: Area | None,
    history: list[Target],
    versions: list[ObservationView],
    today: date,
) -> TargetRecord | None:
    """The record of one series' current target, or None while its outcome is unknown."""
    target = history[-1]
    views = current_on(versions, today)
    day = series_day((v.published_on for v in views), target, measure, today)
    outcome = judge_series(measure, target, views, day)
    evidence = outcome.evidence
    if str(outcome.status) not in ("Achieved", "Missed") or evidence is None:
        return None
    if not evidence.due or evidence.target_figure is None:
        return None  # met early, with the target date still to come: no verdict yet
    known_on = evidence.target_figure.published_on
    set_on = target.recorded_at.date()
    days = sorted({v.published_on for v in versions if set_on <= v.published_on < known_on})
    calls = [_call_on(measure, history, versions, d, str(outcome.status)) for d in days]
    return TargetRecord(
        initiative=measure.initiative_slug,
        measure=measure.slug,
        measure_name=measure.name,
        area_code=target.area_code,
        area_name=area.name if area else target.area_code,
        target_value=evidence.goal,
        target_date=target.target_date,
        outcome=str(outcome.status),
        outcome_known_on=known_on,
        calls=tuple(calls),
    )


def _call_on(
    measure: Measure,
    history: list[Target],
    versions: list[ObservationView],
    day: date,
    outcome: str,
) -> Call:
    """The call the dashboard would have made on ``day``, and whether it proved right."""
    in_force = [t for t in history if t.recorded_at.date() <= day]
    judgement = judge_series(measure, in_force[-1], current_on(versions, day), day)
    status = str(judgement.status)
    call = str(judgement.trend_status) if judgement.trend_status is not None else status
    return Call(day, status, call, call_was_right(call, outcome))
