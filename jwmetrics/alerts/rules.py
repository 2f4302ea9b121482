"""What is worth an alert about a series someone follows (issue 24), and what is not.

For each follow of an initiative (its measures in England) or of a measure in an area, each
rule compares what is known now with what it last alerted (:class:`~jwmetrics.alerts.state.
States`); the first look only records a baseline. It fires when:

- the status word changes (a status change; "a Red call" when the new word is Red, "a
  verdict" when it is Achieved or Missed), with both reasons and which direction is good;
- a figure already seen is revised by more than the series' noise: the SPC sigma of its
  segment (:mod:`jwmetrics.spc.xmr`); a series too short for a chart has no noise estimate,
  so any revision of it is reported, and says so;
- the newest point of the SPC chart is a special cause it had not alerted;
- an analyst writes commentary on the series.

Nothing fires for a new figure that leaves the status word as it was, or for a revision
inside the noise: ``docs/alerts.md`` says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from jwmetrics.alerts.links import series_link
from jwmetrics.alerts.outbox import Event
from jwmetrics.alerts.state import States
from jwmetrics.assess.portfolio import Assessment
from jwmetrics.periods import format_date
from jwmetrics.spc.types import SpcResult

GOOD_WAY = {"up": "higher is better", "down": "lower is better"}
RED_CALLS = ("Red",)
VERDICTS = ("Achieved", "Missed")


@dataclass(frozen=True)
class SeriesNews:
    """What is known now of one followed series: its status rows (one per target), its SPC
    chart, and the newest commentary (id, period, author, text) on it, if any."""

    rows: tuple[Assessment, ...]
    spc: SpcResult | None
    comment: tuple[int, str, str, str] | None


def direction_words(direction: str) -> str:
    """ "higher is better", "lower is better", or "no direction is better"."""
    return GOOD_WAY.get(direction, "no direction is set as better")


def series_events(watch_id: int, news: SeriesNews, states: States) -> list[Event]:
    """Every event one follow should hear about this series, updating its state."""
    events: list[Event] = []
    for row in news.rows:
        events.extend(_status_events(watch_id, row, states))
    if news.rows and news.spc is not None:
        events.extend(_figure_events(watch_id, news.rows[0], news.spc, states))
    if news.rows:
        events.extend(_comment_events(watch_id, news.rows[0], news.comment, states))
    return events


def _link(row: Assessment) -> str:
    return series_link(row.initiative, row.measure, row.area_code, row.as_of)


def _where(row: Assessment) -> str:
    """ "Nursery places in Leeds"; a measure named for its area is not named twice."""
    if row.area_name.lower() in row.measure_name.lower():
        return row.measure_name
    return f"{row.measure_name} in {row.area_name}"


def _status_events(watch_id: int, row: Assessment, states: States) -> Iterable[Event]:
    key = f"status:{row.measure}:{row.area_code}:{row.target_id or ''}"
    before = states.get(watch_id, key)
    now = {"status": row.status, "reason": row.reason, "as_of": row.as_of.isoformat()}
    states.put(watch_id, key, now if before is None or before["status"] != row.status else before)
    if before is None or before["status"] == row.status:
        return []  # a baseline, or the same word: nothing worth an alert
    kind = "verdict" if row.status in VERDICTS else "red" if row.status in RED_CALLS else "status"
    label = {"verdict": "Verdict", "red": "Red call", "status": "Status change"}[kind]
    good = direction_words(row.direction)
    why = (
        f"{_where(row)} changed from {before['status']} to {row.status} as known on "
        f"{format_date(row.as_of)} ({good})."
    )
    earlier = format_date(date.fromisoformat(before["as_of"]))
    lines = (
        f"Before ({before['status']}, as known on {earlier}): {before['reason']}",
        f"Now ({row.status}): {row.reason}",
        f"Direction: {good} for this measure.",
    )
    payload = {
        "initiative": row.initiative, "measure": row.measure, "area": row.area_code,
        "before": before["status"], "after": row.status, "reason_before": before["reason"],
        "reason_after": row.reason, "direction": row.direction, "as_of": row.as_of.isoformat(),
    }  # fmt: skip
    return [
        Event(
            f"{kind}:{row.measure}:{row.area_code}:{row.target_id or ''}:{before['status']}"
            f">{row.status}:{row.as_of.isoformat()}",
            kind,
            f"{label}: {_where(row)} is now {row.status} (was {before['status']})",
            why,
            _link(row),
            lines,
            payload,
        )
    ]


def _figure_events(watch_id: int, row: Assessment, spc: SpcResult, states: States) -> list[Event]:
    """Revisions beyond the noise, and a new special cause on the newest point."""
    events: list[Event] = []
    key = f"figures:{row.measure}:{row.area_code}"
    before = states.get(watch_id, key) or None  # {"values": {label: value}, "sigmas": ...}
    now = {p.period_label: p.value for p in spc.points}
    sigmas = {p.period_label: spc.segments[p.segment].sigma for p in spc.points if spc.segments}
    states.put(watch_id, key, {"values": now, "sigmas": sigmas})
    old_values: dict[str, float] = {} if before is None else before["values"]
    # The noise as it was when the figure was last seen: a big revision also narrows or
    # widens the limits, and the figure is judged against the chart it was part of.
    old_sigmas: dict[str, float] = {} if before is None else before["sigmas"]
    for label, value in now.items():
        old = old_values.get(label)
        if old is None or old == value:
            continue
        sigma = old_sigmas.get(label, sigmas.get(label))
        if sigma is not None and abs(value - old) <= sigma:
            continue  # inside the noise: not worth an alert
        noise = (
            f"more than the series' noise (SPC sigma {sigma:.3g})"
            if sigma is not None
            else "and the series is too short for SPC limits, so every revision is reported"
        )
        why = f"{_where(row)} for {label} was revised from {old:g} to {value:g}, {noise}."
        events.append(
            Event(
                f"revision:{row.measure}:{row.area_code}:{label}:{old!r}>{value!r}",
                "revision",
                f"Revised figure: {_where(row)}, {label}: {old:g} -> {value:g}",
                why,
                _link(row),
                (f"Direction: {direction_words(row.direction)} for this measure.",),
                {
                    "measure": row.measure,
                    "area": row.area_code,
                    "period": label,
                    "before": old,
                    "after": value,
                    "sigma": sigma,
                },
            )
        )
    events.extend(_special_cause(watch_id, row, spc, states))
    return events


def _special_cause(watch_id: int, row: Assessment, spc: SpcResult, states: States) -> list[Event]:
    if not spc.points:
        return []
    last = spc.points[-1]
    key = f"spc:{row.measure}:{row.area_code}"
    before = states.get(watch_id, key)
    flagged = last.period_label if last.special_cause else ""
    states.put(watch_id, key, flagged)
    if before is None or not flagged or before == flagged:
        return []
    side = last.signal or "unclear"
    why = (
        f"The SPC chart of {_where(row)} flags {last.period_label} ({last.value:g}) as a "
        f"special cause ({side}; rules: {', '.join(last.rules)})."
    )
    return [
        Event(
            f"special-cause:{row.measure}:{row.area_code}:{last.period_label}",
            "special-cause",
            f"Special cause: {_where(row)}, {last.period_label} ({side})",
            why,
            _link(row),
            (f"Direction: {direction_words(row.direction)} for this measure.",),
            {
                "measure": row.measure,
                "area": row.area_code,
                "period": last.period_label,
                "signal": last.signal,
                "rules": list(last.rules),
            },
        )
    ]


def _comment_events(
    watch_id: int, row: Assessment, comment: tuple[int, str, str, str] | None, states: States
) -> list[Event]:
    """New commentary since the last look (none yet counts as number 0)."""
    key = f"comment:{row.measure}:{row.area_code}"
    before = states.get(watch_id, key)
    states.put(watch_id, key, comment[0] if comment else 0)
    if comment is None or before is None or comment[0] <= int(before):
        return []
    comment_id, period, author, text = comment
    return [
        Event(
            f"commentary:{comment_id}",
            "commentary",
            f"Commentary: {_where(row)}, {period}",
            f"{author} wrote commentary on {_where(row)} for {period}.",
            _link(row),
            (text,),
            {"measure": row.measure, "area": row.area_code, "comment_id": comment_id},
        )
    ]
