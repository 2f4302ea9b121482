"""The status rules, case by case, on small synthetic series (not the report's figures)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwmetrics.assess.evidence import Outlook, interval_months
from jwmetrics.assess.progress import ResolvedTarget, gap_to_target, progress_share
from jwmetrics.assess.status import MeasureFacts, StatusRules, judge
from jwmetrics.assess.words import Status
from jwmetrics.periods import Period, month, parse_period, quarter
from jwmetrics.store.figure import ObservationView

DOWN = MeasureFacts(unit="people", direction="down")
UP = MeasureFacts(unit="percent", direction="up")
CUT = ResolvedTarget(
    value=600.0,
    baseline_value=1800.0,
    baseline_date=date(2000, 1, 31),
    target_date=date(2004, 1, 31),
    direction="down",
)


def view(
    period: Period | str,
    value: float | None,
    qualifier: str = "exact",
    published: date | None = None,
) -> ObservationView:
    """A synthetic figure."""
    period = parse_period(period) if isinstance(period, str) else period
    return ObservationView(
        id=0, measure_id=1, area_code="E92000001", period=period, value=value,
        qualifier=qualifier, marker=None if value is not None else "..", data_status="final",
        partner="", note="", source="synthetic", return_id=None, row_number=None,
        published_on=published or period.end, recorded_at=datetime(2005, 1, 1),
    )  # fmt: skip


def monthly(start: tuple[int, int], values: list[float]) -> list[ObservationView]:
    """Synthetic figures for consecutive months from ``start`` (year, month)."""
    year, first = start
    views = []
    for offset, value in enumerate(values):
        index = year * 12 + first - 1 + offset
        views.append(view(month(index // 12, index % 12 + 1), value))
    return views


# --- Grey and No target ----------------------------------------------------------------


def test_no_figures_is_grey() -> None:
    assert judge([], CUT, DOWN, date(2001, 1, 1)).status is Status.GREY


def test_only_the_baseline_is_grey_and_says_so() -> None:
    result = judge([view("January 2000", 1800)], CUT, DOWN, date(2001, 1, 1))
    assert result.status is Status.GREY
    assert "only the baseline (1,800 in January 2000)" in result.reason


def test_too_early_quotes_the_note_and_expected_date() -> None:
    facts = MeasureFacts("percent", "up", results_expected="2004", too_early_note="Too soon.")
    result = judge([], None, facts, date(2001, 12, 7))
    assert (result.status, result.reason) == (
        Status.GREY,
        "Too early to measure. Too soon. Results expected 2004.",
    )


def test_figures_without_target() -> None:
    result = judge([view("1997", 75)], None, UP, date(2001, 12, 7))
    assert result.status is Status.NO_TARGET
    assert "75% in 1997" in result.reason


# --- Green, Amber, Red against the trajectory --------------------------------------------


def test_ahead_of_trajectory_is_green() -> None:
    # Halfway in time (January 2002), the trajectory is at 1,200; 1,000 is better.
    result = judge(
        [view("January 2000", 1800), view("January 2002", 1000)], CUT, DOWN, date(2002, 2, 1)
    )
    assert result.status is Status.GREEN
    assert result.trajectory == pytest.approx(1200, abs=2)
    assert result.reason.startswith("On track: 1,000 in January 2002 is below the trajectory value")
    assert "too few figures to forecast against the target of 600" in result.reason


def test_slightly_behind_is_amber_within_tolerance() -> None:
    # 10% of the required change (1,200) is 120: 1,300 is 100 behind 1,200.
    series = [view("January 2000", 1800), view("January 2001", 1750), view("January 2002", 1300)]
    result = judge(series, CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.AMBER
    assert "above the trajectory value" in result.reason
    assert "within the tolerance of 120" in result.reason


def test_far_behind_with_too_few_figures_for_an_interval_is_amber_not_red() -> None:
    series = monthly((2001, 8), [1795, 1790, 1785, 1780])  # 4 figures: a line, no interval
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2001, 12, 1))
    assert result.status is Status.AMBER
    assert result.forecast is not None and result.forecast.low is None
    assert "more than the tolerance" in result.reason
    assert "too few figures for a forecast interval (4; 5 needed)" in result.reason


def test_far_behind_with_an_interval_that_misses_is_red() -> None:
    series = monthly((2001, 6), [1799, 1795, 1790, 1788, 1785, 1781])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2002, 1, 1))
    assert result.status is Status.RED
    assert result.evidence is not None and result.evidence.outlook is Outlook.UNLIKELY
    assert result.forecast is not None and result.forecast.low is not None
    assert result.forecast.low > 600  # even the better end of the interval misses
    assert "even the better end of its 95% interval" in result.reason


def test_behind_but_interval_straddling_the_target_is_amber_and_says_so() -> None:
    # Noisy figures falling fast enough that the target is inside the interval.
    series = monthly((2001, 6), [1500, 1150, 1450, 1050, 1400, 950])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2002, 1, 1))
    assert result.evidence is not None and result.evidence.outlook is Outlook.STRADDLES
    assert result.status is Status.AMBER
    assert "straddles the target" in result.reason


def test_tolerance_can_be_set_per_measure() -> None:
    series = [view("January 2000", 1800), view("January 2001", 1790), view("January 2002", 1500)]
    strict = judge(series, CUT, DOWN, date(2002, 2, 1))
    lenient = judge(
        series, CUT, DOWN, date(2002, 2, 1), StatusRules.for_measure({"amber_tolerance": 0.5})
    )
    assert "more than the tolerance" in strict.reason
    assert "within the tolerance" in lenient.reason


def test_up_direction_uses_above_and_below() -> None:
    target = ResolvedTarget(80.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "up")
    result = judge([view("2000", 40), view("2002", 50)], target, UP, date(2003, 1, 1))
    assert "10 percentage points below the trajectory value of 60%" in result.reason


def test_milestones_bend_the_trajectory() -> None:
    bent = ResolvedTarget(
        600.0, 1800.0, date(2000, 1, 31), date(2004, 1, 31), "down",
        milestones=((date(2002, 1, 31), 1700.0),),
    )  # fmt: skip
    result = judge(
        [view("January 2000", 1800), view("January 2002", 1650)], bent, DOWN, date(2002, 2, 1)
    )
    assert result.trajectory == pytest.approx(1700)
    assert result.status is Status.GREEN
    assert "the milestone path value of 1,700" in result.reason


# --- Achieved, Missed and Awaiting -------------------------------------------------------


def test_target_met_early_is_achieved() -> None:
    result = judge(
        [view("January 2000", 1800), view("June 2002", 590)], CUT, DOWN, date(2002, 7, 1)
    )
    assert result.status is Status.ACHIEVED


def test_after_the_target_date_without_its_figure_is_awaiting_with_the_trend_call() -> None:
    series = [view("January 2000", 1800), view("June 2003", 700)]
    result = judge(series, CUT, DOWN, date(2004, 3, 1))
    assert result.status is Status.AWAITING
    assert result.trend_status is Status.GREEN
    assert result.reason.startswith(
        "Awaiting: due January 2004; the figure for that period is not yet published. "
        "The trend call meanwhile is Green (on track): 700 in June 2003"
    )


def test_missed_on_the_figure_for_the_target_period() -> None:
    series = [view("January 2000", 1800), view("June 2003", 900), view("January 2004", 650)]
    result = judge(series, CUT, DOWN, date(2004, 3, 1))
    assert result.status is Status.MISSED
    assert result.reason == (
        "Missed: the target of 600 was due by 31 January 2004; the figure for the target "
        "period, 650 in January 2004, is above it."
    )


def test_a_later_figure_does_not_decide_when_the_target_period_has_one() -> None:
    series = [view("January 2000", 1800), view("January 2004", 650), view("June 2004", 550)]
    result = judge(series, CUT, DOWN, date(2004, 8, 1))
    assert result.status is Status.MISSED
    assert result.reason.endswith("It was met late: 550 in June 2004 meets it.")


def test_met_then_slipped_is_achieved_and_says_so() -> None:
    series = [view("January 2000", 1800), view("January 2004", 590), view("June 2004", 640)]
    result = judge(series, CUT, DOWN, date(2004, 8, 1))
    assert result.status is Status.ACHIEVED
    assert result.reason.endswith("It has since slipped: 640 in June 2004 no longer meets it.")


def test_no_figure_for_the_target_period_is_judged_on_the_first_after_it() -> None:
    series = [view("January 2000", 1800), view("June 2003", 700), view("March 2004", 580)]
    result = judge(series, CUT, DOWN, date(2004, 5, 1))
    assert result.status is Status.ACHIEVED
    assert "no figure for the target period was published; the first after it" in result.reason


def test_reporting_interval_from_period_kind_or_gaps() -> None:
    assert interval_months([view(quarter(2001, 1), 1)]) == 3
    assert interval_months([view("2001-02", 1)]) == 12
    days = [view("31/03/2000", 1), view("31/03/2001", 1), view("31/03/2002", 1)]
    assert interval_months(days) == 12
    assert interval_months([view("31/03/2000", 1)]) == 12


# --- Bounds and approximate figures ------------------------------------------------------


NURSERY = ResolvedTarget(200 / 3, None, None, date(2002, 3, 31), "up")


def test_an_over_figure_alone_is_amber_and_never_fitted() -> None:
    result = judge([view("31/03/2001", 50, "over")], NURSERY, UP, date(2001, 12, 7))
    assert result.status is Status.AMBER
    assert result.forecast is None
    assert "over 50% at 31 March 2001, is a bound that does not show" in result.reason


def test_an_over_figure_that_settles_the_target_is_achieved() -> None:
    result = judge([view("31/03/2002", 70, "over")], NURSERY, UP, date(2002, 6, 1))
    assert result.status is Status.ACHIEVED


def test_an_under_figure_that_rules_out_the_target_is_missed() -> None:
    result = judge([view("31/03/2002", 60, "under")], NURSERY, UP, date(2002, 6, 1))
    assert result.status is Status.MISSED


def test_a_bound_that_cannot_settle_the_verdict_is_amber_not_missed() -> None:
    result = judge([view("31/03/2002", 50, "over")], NURSERY, UP, date(2002, 6, 1))
    assert result.status is Status.AMBER
    assert "is a bound that does not show whether the target was met" in result.reason


def test_a_newer_bound_does_not_displace_a_nearby_exact_figure() -> None:
    rollout = ResolvedTarget(90.0, 0.0, date(2000, 3, 31), date(2004, 3, 31), "up")
    series = [view("March 2001", 30), view("December 2001", 55.4), view("March 2002", 50, "over")]
    result = judge(series, rollout, UP, date(2002, 5, 1))
    evidence = result.evidence
    assert evidence is not None and evidence.judged.value == 55.4
    assert evidence.newer_bound is not None and evidence.newer_bound.value == 50
    assert result.status is Status.GREEN
    assert "A newer figure, over 50% in March 2002, is a bound, not a value" in result.reason


def test_an_around_figure_is_used_and_said_to_be_approximate() -> None:
    series = [view("January 2000", 1800), view("January 2002", 1000, "around")]
    result = judge(series, CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.GREEN
    assert "around 1,000 in January 2002" in result.reason


# --- Arithmetic --------------------------------------------------------------------------


def test_progress_and_gap() -> None:
    assert progress_share(CUT, 1200) == pytest.approx(0.5)
    assert gap_to_target(CUT, 1200) == pytest.approx(600)
    assert gap_to_target(CUT, 500) == 0


def test_a_target_of_zero_met_is_achieved_without_a_share() -> None:
    zero = ResolvedTarget(0.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "down")
    result = judge([view("2000", 40), view("2002", 0)], zero, DOWN, date(2003, 1, 1))
    assert result.status is Status.ACHIEVED
    assert result.reason == "Achieved: 0 in 2002 meets the target of 0 by December 2004."


# --- No reason contradicts its status ----------------------------------------------------

OPENINGS = {
    Status.ACHIEVED: "Achieved:",
    Status.GREEN: "On track:",
    Status.AMBER: "At risk:",
    Status.RED: "Off track:",
    Status.MISSED: "Missed:",
    Status.AWAITING: "Awaiting:",
}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(min_value=0, max_value=3000), min_size=1, max_size=14),
    months_after=st.integers(min_value=0, max_value=60),
    up=st.booleans(),
)
def test_no_reason_contradicts_its_status(values: list[float], months_after: int, up: bool) -> None:
    """Synthetic series of any shape: the words always agree with the status."""
    if up:
        target = ResolvedTarget(2400.0, 100.0, date(2000, 1, 31), date(2003, 1, 31), "up")
        facts = MeasureFacts("people", "up")
    else:
        target = CUT
        facts = DOWN
    series = monthly((2000, 2), values)
    index = 2000 * 12 + months_after
    day = date(index // 12, index % 12 + 1, 1)
    series = [v for v in series if v.period.end < day]
    result = judge(series, target, facts, day)
    if result.status in OPENINGS:
        assert result.reason.startswith(OPENINGS[result.status])
    reason = result.reason
    if result.status is Status.RED:
        assert "reaches" not in reason and "straddles" not in reason
        assert result.forecast is not None and result.forecast.low is not None
    if result.status is Status.GREEN:
        assert "does not reach" not in reason and "falls short" not in reason
    if result.forecast is not None:
        assert result.forecast.value >= 0
        if result.forecast.low is not None:
            assert 0 <= result.forecast.low < result.forecast.high  # type: ignore[operator]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=14),
    months_after=st.integers(min_value=0, max_value=60),
)
def test_percentage_forecasts_stay_within_0_and_100(values: list[float], months_after: int) -> None:
    """Synthetic shares of any shape: forecasts and intervals never leave 0-100%."""
    target = ResolvedTarget(90.0, 0.0, date(2000, 1, 31), date(2006, 1, 31), "up")
    series = monthly((2000, 2), values)
    index = 2000 * 12 + months_after
    day = date(index // 12, index % 12 + 1, 1)
    result = judge([v for v in series if v.period.end < day], target, UP, day)
    if result.status in OPENINGS:
        assert result.reason.startswith(OPENINGS[result.status])
    trend = result.forecast
    if trend is not None:
        assert 0 <= trend.value <= 100
        if trend.low is not None:
            assert 0 <= trend.low < trend.high <= 100  # type: ignore[operator]
