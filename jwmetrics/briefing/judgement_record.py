"""The track record of judgement beside the rule's: which was borne out, call by call.

The rule's track record (:mod:`jwmetrics.assess.track_record`) replays every settled target
(Achieved or Missed known) as known on each earlier publication day. This module sets beside
each of those calls the delivery confidence rating in force on the same day
(:mod:`jwmetrics.briefing.ratings`) and scores it against the same outcome, so a team
learns whether its judgement adds to the rule or not.

A rating is read as a call on the rule's terms (:data:`JUDGED_CALLS`): Green and
Amber/Green expect the target met (hopeful, like the rule's Green), Amber/Red and Red
expect it missed (gloomy, like the rule's Red), and Amber is a hedge, right or wrong never,
as the rule's Amber is. The rating in force on a day is the newest made as at that day or
before, as :func:`~jwmetrics.briefing.ratings.judged_on` chooses it for every page: its
``as_of`` day plays the part a figure's publication day plays for the rule. A rating written
later and dated back counts from its day, as a figure published earlier and imported later
does; each call says whether its rating was recorded after the day
(:attr:`JudgedCall.recorded_later`: written with hindsight), and ``as_recorded`` counts only
ratings recorded by the end of each day.

This module takes the rule's record as it is and leaves it unchanged; it lives here, above
``assess``, because it reads ratings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from jwmetrics.assess.track_record import TargetRecord, TrackRecord, call_was_right
from jwmetrics.briefing.ratings import Rating
from jwmetrics.store.known import end_of_day

JUDGED_CALLS = {
    "Green": "Green",
    "Amber/Green": "Green",
    "Amber": "Amber",
    "Amber/Red": "Red",
    "Red": "Red",
}
"""The call a rating makes, in the rule's words: hopeful (Green), a hedge (Amber) or gloomy
(Red). ``docs/status.md`` explains the mapping."""

CALL_FIELDS = (
    "measure", "area_code", "target_id", "outcome", "outcome_known_on", "as_of", "status",
    "call", "right", "probability_met", "judged_rating", "judged_call", "judged_right",
    "judged_on", "judged_by", "judged_recorded_later",
)  # fmt: skip
"""The fields of :meth:`JudgementRecord.call_rows`: one row per call, rule and judgement."""


@dataclass(frozen=True)
class JudgedCall:
    """One publication day of a settled target: the rule's call and the judgement's."""

    as_of: date
    rule_call: str  # the call the rule counted (Green, Amber, Red, Achieved, Missed, Grey)
    rule_right: bool | None  # None for a hedge or no call
    rating: str | None  # the rating in force that day, or None with none
    judged_call: str | None  # the rating as a call: Green, Amber or Red (JUDGED_CALLS)
    judged_right: bool | None  # None for Amber or no rating
    rated_on: date | None = None  # the day the rating was made as at
    rated_by: str | None = None
    recorded_later: bool = False  # the rating was recorded after this day (hindsight)

    @property
    def both_decisive(self) -> bool:
        """Both the rule and the judgement said met or missed, so both can be scored."""
        return self.rule_right is not None and self.judged_right is not None


@dataclass(frozen=True)
class JudgedTarget:
    """One settled target's calls, rule and judgement side by side."""

    target: TargetRecord
    calls: tuple[JudgedCall, ...]


@dataclass(frozen=True)
class JudgementRecord:
    """The rule's track record and the judgement's, scored on the same days.

    The comparison counts calls (publication days) on which both were decisive; the
    judgement's own record also counts the days the rule hedged (Amber) but the judgement
    did not, where it can add most.
    """

    rule: TrackRecord
    targets: tuple[JudgedTarget, ...]

    def _calls(self) -> list[JudgedCall]:
        return [c for t in self.targets for c in t.calls]

    @property
    def rated_calls(self) -> int:
        """Calls with a rating in force on their day."""
        return sum(c.rating is not None for c in self._calls())

    @property
    def judged_decisive(self) -> int:
        """Calls on which the rating in force was hopeful or gloomy (not Amber)."""
        return sum(c.judged_right is not None for c in self._calls())

    @property
    def judged_right_calls(self) -> int:
        """Decisive ratings the outcome bore out."""
        return sum(c.judged_right is True for c in self._calls())

    @property
    def compared(self) -> int:
        """Calls on which both the rule and the judgement were decisive."""
        return sum(c.both_decisive for c in self._calls())

    @property
    def rule_right_compared(self) -> int:
        """Of the compared calls, those where the rule was right."""
        return sum(c.both_decisive and c.rule_right is True for c in self._calls())

    @property
    def judged_right_compared(self) -> int:
        """Of the compared calls, those where the judgement was right."""
        return sum(c.both_decisive and c.judged_right is True for c in self._calls())

    @property
    def disagreed(self) -> int:
        """Compared calls where one said met and the other missed (one of them was right)."""
        return sum(c.both_decisive and c.rule_right != c.judged_right for c in self._calls())

    @property
    def judgement_right_rule_wrong(self) -> int:
        """Disagreements the judgement won."""
        return sum(
            c.both_decisive and c.judged_right is True and c.rule_right is False
            for c in self._calls()
        )

    @property
    def rule_right_judgement_wrong(self) -> int:
        """Disagreements the rule won."""
        return sum(
            c.both_decisive and c.rule_right is True and c.judged_right is False
            for c in self._calls()
        )

    @property
    def judged_where_rule_hedged(self) -> int:
        """Calls where the rule said Amber and the judgement was decisive."""
        return sum(c.rule_call == "Amber" and c.judged_right is not None for c in self._calls())

    @property
    def judged_right_where_rule_hedged(self) -> int:
        """Of those, the ones the outcome bore out."""
        return sum(c.rule_call == "Amber" and c.judged_right is True for c in self._calls())

    @property
    def recorded_later(self) -> int:
        """Rated calls whose rating was recorded after their day (written with hindsight)."""
        return sum(c.rating is not None and c.recorded_later for c in self._calls())

    def summary(self) -> dict[str, int | float | None]:
        """The scores as one flat record (shares are None with nothing to share)."""
        return {
            "rated_calls": self.rated_calls,
            "judged_decisive_calls": self.judged_decisive,
            "judged_right_calls": self.judged_right_calls,
            "judged_share_right": _share(self.judged_right_calls, self.judged_decisive),
            "compared_calls": self.compared,
            "rule_right_compared": self.rule_right_compared,
            "judged_right_compared": self.judged_right_compared,
            "rule_share_right_compared": _share(self.rule_right_compared, self.compared),
            "judged_share_right_compared": _share(self.judged_right_compared, self.compared),
            "disagreed": self.disagreed,
            "judgement_right_rule_wrong": self.judgement_right_rule_wrong,
            "rule_right_judgement_wrong": self.rule_right_judgement_wrong,
            "judged_where_rule_hedged": self.judged_where_rule_hedged,
            "judged_right_where_rule_hedged": self.judged_right_where_rule_hedged,
            "recorded_later": self.recorded_later,
        }

    def as_record(self) -> dict[str, object]:
        """The rule's record exactly as :meth:`TrackRecord.as_record` gives it (every field
        kept), with ``judgement`` (the scores) added and each call given its ``judged_*``
        fields."""
        record = self.rule.as_record()
        record["judgement"] = self.summary()
        targets: list[dict[str, object]] = record["targets"]  # type: ignore[assignment]
        for target, mine in zip(targets, self.targets, strict=True):  # the same order
            calls: list[dict[str, object]] = target["calls"]  # type: ignore[assignment]
            for call, judged_call in zip(calls, mine.calls, strict=True):
                call.update(_judged_fields(judged_call))
        return record

    def call_rows(self) -> list[dict[str, object]]:
        """One flat record per call (:data:`CALL_FIELDS`): the target, the rule's call and
        the judgement's, for a spreadsheet."""
        rows: list[dict[str, object]] = []
        for judged in self.targets:
            target = judged.target
            head: dict[str, object] = {
                "measure": target.measure,
                "area_code": target.area_code,
                "target_id": target.target_id,
                "outcome": target.outcome,
                "outcome_known_on": target.outcome_known_on.isoformat(),
            }
            for call, pair in zip(target.calls, judged.calls, strict=True):
                rule = {
                    "as_of": call.as_of.isoformat(),
                    "status": call.status,
                    "call": call.call,
                    "right": call.right,
                    "probability_met": call.probability_met,
                }
                rows.append(head | rule | _judged_fields(pair))
        return rows


def _judged_fields(call: JudgedCall) -> dict[str, object]:
    """A call's judgement as JSON-ready fields, each named ``judged_*``."""
    fields = asdict(call)
    return {
        "judged_rating": fields["rating"],
        "judged_call": fields["judged_call"],
        "judged_right": fields["judged_right"],
        "judged_on": call.rated_on.isoformat() if call.rated_on else None,
        "judged_by": fields["rated_by"],
        "judged_recorded_later": call.recorded_later if call.rating is not None else None,
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def judgement_record(
    rule: TrackRecord, ratings: list[Rating], *, as_recorded: bool = False
) -> JudgementRecord:
    """Set the rating in force on each of ``rule``'s call days beside the rule's call.

    ``ratings`` is every rating (oldest first or not: they are ordered here as
    :func:`~jwmetrics.briefing.ratings.judged_on` orders them); ``as_recorded`` counts a
    rating on a day only if it had been recorded by the end of that day.
    """
    by_series: dict[tuple[str, str], list[Rating]] = {}
    for rating in sorted(ratings, key=lambda r: (r.as_of, r.rated_at, r.id)):
        by_series.setdefault((rating.measure, rating.area_code), []).append(rating)
    targets = []
    for target in rule.targets:
        mine = by_series.get((target.measure, target.area_code), [])
        calls = tuple(
            _judged(call.as_of, call.call, call.right, target.outcome, mine, as_recorded)
            for call in target.calls
        )
        targets.append(JudgedTarget(target, calls))
    return JudgementRecord(rule, tuple(targets))


def in_force(
    ratings: list[Rating], day: date, recorded_by: datetime | None = None
) -> Rating | None:
    """The newest of ``ratings`` (ordered by as-at day, then recording) made as at ``day``
    or before, and recorded by ``recorded_by`` when given; None with none."""
    chosen = None
    for rating in ratings:
        if rating.as_of > day:
            break
        if recorded_by is None or rating.rated_at <= recorded_by:
            chosen = rating
    return chosen


def _judged(
    day: date,
    rule_call: str,
    rule_right: bool | None,
    outcome: str,
    ratings: list[Rating],
    as_recorded: bool,
) -> JudgedCall:
    """One day's pair of calls."""
    rating = in_force(ratings, day, end_of_day(day) if as_recorded else None)
    if rating is None:
        return JudgedCall(day, rule_call, rule_right, None, None, None)
    call = JUDGED_CALLS[rating.rating]
    return JudgedCall(
        as_of=day,
        rule_call=rule_call,
        rule_right=rule_right,
        rating=rating.rating,
        judged_call=call,
        judged_right=call_was_right(call, outcome),
        rated_on=rating.as_of,
        rated_by=rating.rated_by,
        recorded_later=rating.rated_at > end_of_day(day),
    )
