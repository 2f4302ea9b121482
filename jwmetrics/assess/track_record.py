"""Track record: the calls the dashboard would have made, checked against what happened.

For every target whose outcome is known (Achieved or Missed on the figure for the target
period), the series is rebuilt as it was known on each earlier publication day and judged
again with the same rules. Every word is scored: for each status word, how often the target
it was said of was then met (:meth:`TrackRecord.by_word`), and the chance each call gave,
by band, against how often the target was met (:meth:`TrackRecord.calibration`). Each
target counts once, whatever its frequency: a monthly series with a hundred calls weighs no
more than an annual one with five. A decisive call (Green or Achieved, Red or Missed) was
right when the outcome bore it out; Amber is a hedge. While a verdict was Awaiting, the call
shown beside it is the one counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from jwmetrics.assess.portfolio import chosen_measures, judge_series
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure, Target
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.figures import versions_of_targeted
from jwmetrics.store.known import KnownAt
from jwmetrics.store.targets import targets_in_force
from jwmetrics.store.versions import current_on

HOPEFUL = frozenset({"Green", "Achieved"})
GLOOMY = frozenset({"Red", "Missed"})


@dataclass(frozen=True)
class Call:
    """What the dashboard would have shown on one publication day."""

    as_of: date
    status: str  # the status shown (Awaiting included)
    call: str  # the call counted: the status, or the call kept beside Awaiting
    right: bool | None  # None for a hedge (Amber) or no call (Grey)
    probability_met: float | None = None  # the chance the call gave


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
    target_id: int | None = None


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

    def by_word(self) -> dict[str, WordScore]:
        """For each word called, over the targets it was said of (each target once): how
        many targets, and the share of them that were then met."""
        said: dict[str, list[bool]] = {}
        for target in self.targets:
            for word in dict.fromkeys(c.call for c in target.calls):
                said.setdefault(word, []).append(target.outcome == "Achieved")
        return {
            word: WordScore(len(met), sum(met) / len(met)) for word, met in sorted(said.items())
        }

    def calibration(self) -> list[Band]:
        """The chance the calls gave, by band of :data:`BANDS`, against the share of targets
        met; each target's calls in a band weigh one target in all."""
        rows: list[Band] = []
        for low, high in BANDS:
            weight = predicted = met = 0.0
            targets = 0
            for target in self.targets:
                inside = [
                    c.probability_met
                    for c in target.calls
                    if c.probability_met is not None and in_band(c.probability_met, low, high)
                ]
                if not inside:
                    continue
                targets += 1
                weight += 1
                predicted += sum(inside) / len(inside)
                met += target.outcome == "Achieved"
            if targets:
                rows.append(Band(low, high, targets, predicted / weight, met / weight))
        return rows

    def as_record(self) -> dict[str, object]:
        """JSON-ready: the shares, the counts, the scores by word and by band, and each
        target with its calls."""
        return {
            "share_right": self.share_right,
            "share_hedged": self.share_hedged,
            "decisive_calls": self.decisive_calls,
            "right_calls": self.right_calls,
            "hedged_calls": self.hedged_calls,
            "by_word": {word: asdict(score) for word, score in self.by_word().items()},
            "calibration": [asdict(band) for band in self.calibration()],
            "targets": [_json(asdict(t)) for t in self.targets],
        }


BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0))
"""Bands of the chance: the first is Red's (0.2 or less), the last Green's (0.8 or more)."""


def in_band(chance: float, low: float, high: float) -> bool:
    """Bands include their upper end, the first its lower end too (0 to 0.2, then above)."""
    return (low < chance <= high) or (low == 0.0 and chance == 0.0)


@dataclass(frozen=True)
class WordScore:
    """One status word's record: the targets it was said of, and the share then met."""

    targets: int
    share_met: float


@dataclass(frozen=True)
class Band:
    """Calls whose chance fell in ``low``..``high``: how many targets, the mean chance
    given, and the share of those targets then met (calibrated when the two agree)."""

    low: float
    high: float
    targets: int
    mean_chance: float
    share_met: float


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
        in_force = targets_in_force(session, known, list(measures))
        every = versions_of_targeted(session, known, list(measures))
        for (measure_id, code), targets in in_force.items():
            measure, area = measures[measure_id], session.get(Area, code)
            versions = every.get((measure_id, code), [])
            for target in targets:
                record = _record(measure, area, target, versions, today)
                if record is not None:
                    records.append(record)
    return TrackRecord(tuple(records))


def _record(
    measure: Measure,
    area: Area | None,
    target: Target,
    versions: list[ObservationView],
    today: date,
) -> TargetRecord | None:
    """The record of one target, or None while its outcome is unknown."""
    outcome = judge_series(measure, target, current_on(versions, today), today)
    evidence = outcome.evidence
    if str(outcome.status) not in ("Achieved", "Missed") or evidence is None:
        return None
    assert evidence.target_figure is not None  # a verdict rests on it
    known_on = evidence.target_figure.published_on
    set_on = target.recorded_at.date()
    days = sorted({v.published_on for v in versions if set_on <= v.published_on < known_on})
    calls = [_call_on(measure, target, versions, d, str(outcome.status)) for d in days]
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
        target_id=target.id,
    )


def _call_on(
    measure: Measure, target: Target, versions: list[ObservationView], day: date, outcome: str
) -> Call:
    """The call the dashboard would have made on ``day``, and whether it proved right."""
    judgement = judge_series(measure, target, current_on(versions, day), day)
    status = str(judgement.status)
    call = str(judgement.trend_status) if judgement.trend_status is not None else status
    chance = judgement.evidence.chance if judgement.evidence is not None else None
    return Call(day, status, call, call_was_right(call, outcome), chance)
