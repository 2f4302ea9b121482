"""Data quality beside a status: what the status rests on, when that is weak, and when to grey it.

A status is only as good as the figure under it. :func:`with_quality` adds notes to a
:class:`~jwmetrics.assess.status.Judgement` when it rests on

* an **old** figure: more than ``note_after_months`` (default 12) whole months from the end
  of its period to the day judged ("based on a figure 14 months old");
* a **provisional** figure (its ``data_status``);
* a series whose **return is overdue** in the returns schedule ("the return for 2002 Q3 is
  overdue", :mod:`jwmetrics.returns.schedule`);
* a figure **not approved in time**: a return for the series still awaiting approval (its
  figures do not count yet), or the judged figure's return approved only after its due date.

Per measure (``measure.status_rules``), two rules show a Green, Amber or Red call as Grey
instead, with a reason that says why and what the call would have been:
``grey_after_months`` (default 24; 0 never) and ``grey_when_overdue`` (default 0; 1 greys a
call while a return for a period after the judged figure is overdue). Verdicts once the
target date has passed (Achieved, Missed, Awaiting) and Achieved before it are never greyed:
they rest on the figure for the target period, or on a target met, which age cannot undo.
The rules and their defaults are explained in ``docs/status.md``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from jwmetrics.assess import reasons
from jwmetrics.assess.status import Judgement, StatusRules
from jwmetrics.assess.words import Status
from jwmetrics.periods import Period, format_date
from jwmetrics.returns.schedule import OVERDUE, OwedFigure
from jwmetrics.store.figure import ObservationView

GREYABLE = frozenset({Status.GREEN, Status.AMBER, Status.RED})
"""The calls a data quality rule may grey: the ones that say where performance is heading."""

LISTED_PERIODS = 3  # name this many overdue periods, then "and N more"


def months_old(period_end: date, day: date) -> int:
    """Whole calendar months from a period's end to ``day`` (0 when not yet past it).

    A month-end to a month-end is a whole month: 31 December 2022 to 28 February 2023 is 2.
    """
    months = (day.year - period_end.year) * 12 + day.month - period_end.month
    last_day = calendar.monthrange(day.year, day.month)[1]
    if day.day < period_end.day and day.day != last_day:
        months -= 1
    return max(months, 0)


def rests_on(judgement: Judgement, views: Sequence[ObservationView]) -> ObservationView | None:
    """The figure a status rests on: the target period's for a verdict, else the judged one,
    else (No target) the latest with a value; None without any."""
    evidence = judgement.evidence
    if evidence is not None:
        return evidence.target_figure or evidence.judged
    if judgement.status is Status.NO_TARGET:
        valued = [v for v in views if v.value is not None]
        return valued[-1] if valued else None
    return None


def is_verdict(judgement: Judgement) -> bool:
    """True for a verdict on the target period's figure, once the target date has passed."""
    evidence = judgement.evidence
    return evidence is not None and evidence.due and evidence.target_figure is not None


def _periods(figures: Sequence[OwedFigure]) -> str:
    """ "2023", "2023 and 2024", "2023, 2024 and 2025", "2019, 2020, 2021 and 4 more"."""
    labels = [f.period.label for f in sorted(figures, key=lambda f: f.period)]
    if len(labels) > LISTED_PERIODS:
        shown = labels[:LISTED_PERIODS]
        return f"{', '.join(shown)} and {len(labels) - LISTED_PERIODS} more"
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _returns(figures: Sequence[OwedFigure], one: str, many: str) -> str:
    """ "the return for 2023 is …" or "the returns for 2023 and 2024 are …"."""
    if len(figures) == 1:
        return f"the return for {_periods(figures)} {one}"
    return f"the returns for {_periods(figures)} {many}"


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def notes(
    judgement: Judgement,
    figure: ObservationView | None,
    day: date,
    rules: StatusRules,
    owed: Sequence[OwedFigure],
) -> list[str]:
    """The data quality notes of one status, worst news first; empty when all is well."""
    found = []
    if figure is not None:
        provisional = " provisional" if figure.data_status == "provisional" else ""
        months = months_old(figure.period.end, day)
        if months > rules.note_after_months and not is_verdict(judgement):
            unit = "month" if months == 1 else "months"
            found.append(f"based on a{provisional} figure {months} {unit} old")
        elif provisional:
            found.append(f"based on a provisional figure ({figure.period.label})")
    overdue = [f for f in owed if f.state == OVERDUE]
    if overdue:
        found.append(_returns(overdue, "is overdue", "are overdue"))
    waiting = [f for f in owed if f.awaiting_approval]
    if waiting:
        found.append(
            _returns(
                waiting,
                "is awaiting approval, so its figure does not count yet",
                "are awaiting approval, so their figures do not count yet",
            )
        )
    if figure is not None:
        for owed_figure in owed:
            if owed_figure.approved_late and _within(figure.period, owed_figure.period):
                found.append(
                    f"the figure for {owed_figure.period.label} was approved after its due "
                    f"date ({format_date(owed_figure.due)})"
                )
    return found


def grey_reason(
    judgement: Judgement,
    figure: ObservationView | None,
    day: date,
    rules: StatusRules,
    owed: Sequence[OwedFigure],
) -> str | None:
    """Why a data quality rule greys this status, or None when none does."""
    if judgement.status not in GREYABLE or figure is None:
        return None
    months = months_old(figure.period.end, day)
    if rules.grey_after_months > 0 and months > rules.grey_after_months:
        return (
            f"the figure it rests on, for {figure.period.label}, is {months} months old, "
            f"more than the {rules.grey_after_months} months allowed for this measure"
        )
    newer = [f for f in owed if f.state == OVERDUE and f.period.end > figure.period.end]
    if rules.grey_when_overdue and newer:
        first = min(newer, key=lambda f: f.period)
        return (
            f"the return for {first.period.label} is overdue (due {format_date(first.due)}), "
            "and this measure is not judged without its newest returns"
        )
    return None


def with_quality(
    judgement: Judgement,
    views: Sequence[ObservationView],
    day: date,
    rules: StatusRules,
    owed: Sequence[OwedFigure] = (),
) -> Judgement:
    """``judgement`` with its data quality notes, shown as Grey when a rule says so.

    ``owed`` is what the returns schedule expects of this series by ``day``
    (:func:`jwmetrics.returns.schedule.series_owed`); empty when no schedule covers it.
    """
    figure = rests_on(judgement, views)
    found = tuple(notes(judgement, figure, day, rules, owed))
    why = grey_reason(judgement, figure, day, rules, owed)
    if why is None:
        return replace(judgement, quality=found)
    reason = reasons.greyed(why, str(judgement.status), judgement.reason)
    return replace(judgement, status=Status.GREY, reason=reason, trend_status=None, quality=found)
