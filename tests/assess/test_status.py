"""The status rules, case by case, on small synthetic series (not the report's figures)."""

from __future__ import annotations

import math
import random
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwmetrics.assess.evidence import interval_months
from jwmetrics.assess.forecast import forecast
from jwmetrics.assess.progress import ResolvedTarget, gap_to_target, progress_share
from jwmetrics.assess.status import MeasureFacts, StatusRules, band, judge
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


# --- Green, Amber, Red: bands of the chance of meeting the target -------------------------


def test_the_bands_are_the_chance() -> None:
    rules = StatusRules()
    assert band(0.8, rules) is Status.GREEN and band(0.79, rules) is Status.AMBER
    assert band(0.2, rules) is Status.RED and band(0.21, rules) is Status.AMBER
    assert band(None, rules) is Status.AMBER
    strict = StatusRules.for_measure({"green_at": 0.9})
    assert band(0.85, strict) is Status.AMBER


def test_one_figure_has_no_chance_and_is_amber_saying_why() -> None:
    """No stored baseline figure and one figure since: no rate of change to go on."""
    result = judge([view("January 2002", 1000)], CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.AMBER
    assert result.probability_met is None
    assert result.trajectory is not None
    assert "1,000 in January 2002 is below the trajectory value" in result.reason
    assert "too few figures to say how likely the target is (1 exact figure" in result.reason


def test_the_plan_is_straight_on_the_log_scale_for_a_count() -> None:
    """Halfway in time a count on course to fall from 1,800 to 600 by the same share each
    year is at the geometric mean, 1,039, not the arithmetic one, 1,200."""
    result = judge([view("January 2000", 1800), view("January 2002", 1039)], CUT, DOWN,
                   date(2002, 2, 1))  # fmt: skip
    assert result.trajectory == pytest.approx(1039.2, abs=1)


def test_an_overwhelming_gap_on_a_short_record_is_decisive() -> None:
    """The run-rate rule: 70% above an 80% target... here a share already at 95% against a
    target of 80% two years out, never falling more than a point a year: Green on 4 figures."""
    target = ResolvedTarget(80.0, 50.0, date(2000, 12, 31), date(2005, 12, 31), "up")
    series = [view("2001", 94), view("2002", 95), view("2003", 94.5), view("2004", 95.2)]
    result = judge(series, target, UP, date(2005, 1, 15))
    assert result.forecast is not None and result.forecast.method == "run rate"
    assert result.probability_met is not None and result.probability_met >= 0.8
    assert result.status is Status.GREEN
    assert "met early, to be confirmed" in result.reason


def test_a_record_that_cannot_close_the_gap_is_red() -> None:
    series = monthly((2001, 6), [1799, 1795, 1790, 1788, 1785, 1781, 1779, 1776])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.RED
    assert result.probability_met is not None and result.probability_met <= 0.2
    assert result.forecast is not None and result.forecast.low is not None
    assert result.forecast.low > 600  # even the better end of the interval misses
    assert "a chance of less than 1 in 20" in result.reason


def test_a_noisy_series_near_its_path_is_amber_with_the_chance_in_words() -> None:
    series = monthly((2001, 6), [1500, 1150, 1450, 1050, 1400, 950])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2002, 1, 1))
    assert result.status is Status.AMBER
    assert result.probability_met is not None and 0.2 < result.probability_met < 0.8
    assert "a chance of about" in result.reason


def test_a_forecast_interval_is_said_at_one_precision_and_never_in_millions() -> None:
    """Its ends share one precision (no "91.8 to 2,540") and a top beyond ten times the
    latest figure is said in words: two figures three years before the target give a run
    rate whose interval reaches 182,039,462 people."""
    series = monthly((2001, 1), [1500, 1400, 1300, 1000, 1100, 900])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2001, 6, 1))
    assert "(95% interval 92 to 2,540)" in result.reason, result.reason
    wide = [view("January 2000", 1800), view("January 2001", 700)]
    reason = judge(wide, CUT, DOWN, date(2001, 6, 1)).reason
    assert "(95% interval 0 to more than 10 times the latest figure)" in reason, reason


def test_being_behind_the_plan_is_said_in_the_series_own_noise() -> None:
    series = monthly((2001, 6), [1520, 1480, 1510, 1470, 1500, 1460])
    result = judge([view("January 2000", 1800), *series], CUT, DOWN, date(2002, 1, 1))
    assert "beyond its usual variation (two sigma" in result.reason


def test_up_direction_uses_above_and_below() -> None:
    target = ResolvedTarget(80.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "up")
    result = judge([view("2000", 40), view("2002", 50)], target, UP, date(2003, 1, 1))
    assert "percentage points below the trajectory value of" in result.reason


def test_milestones_bend_the_trajectory_and_shape_the_forecast() -> None:
    bent = ResolvedTarget(
        600.0, 1800.0, date(2000, 1, 31), date(2004, 1, 31), "down",
        milestones=((date(2002, 1, 31), 1700.0),),
    )  # fmt: skip
    series = [view("January 2000", 1800), view("January 2001", 1760), view("January 2002", 1650)]
    result = judge(series, bent, DOWN, date(2002, 2, 1))
    assert result.trajectory == pytest.approx(1700)
    assert result.forecast is not None and result.forecast.method == "plan"
    assert "the milestone path value of 1,700" in result.reason


def test_a_seasonal_series_with_no_trend_is_amber_in_february_and_in_august() -> None:
    """Three years of monthly figures swinging 20% either side of 1,000 with no trend (high
    in January, low in July, at 1,000 in April and October), against a target of 1,000 by
    April 2006: judged after a February low or an August high, the chance stays near even
    (a line through the last eight figures called such a series Red in February and
    Achieved in August)."""
    level = [1000 * (1 + 0.2 * math.cos(2 * math.pi * (m - 1) / 12)) for m in range(1, 13)]
    target = ResolvedTarget(1000.0, None, None, date(2006, 4, 30), "down")
    for last_month in (2, 8):
        series = monthly((2001, 1), [level[m % 12] for m in range(36 + last_month)])
        result = judge(series, target, DOWN, date(2004, last_month + 1, 5))
        assert result.forecast is not None and result.forecast.seasonal
        assert result.probability_met is not None
        assert 0.3 < result.probability_met < 0.7, (last_month, result.reason)
        assert result.status is Status.AMBER


def test_an_autocorrelated_series_interval_covers_the_outcome() -> None:
    """AR(1) noise (rho 0.7) around a falling line, 200 synthetic series: the 95% interval
    holds the figure 12 months on in at least 90% of them (least squares that ignores the
    autocorrelation covers about 70%)."""

    rng = random.Random(7)
    covered = 0
    for _ in range(200):
        error, values = 0.0, []
        for t in range(36):
            error = 0.7 * error + rng.gauss(0, 0.05)
            values.append(1000 * math.exp(-0.01 * t + error))
        points = [(v.period.end, float(v.value or 0)) for v in monthly((2001, 1), values)]
        fitted = forecast(points[:24], points[35][0], "people", season=None)
        assert fitted is not None and fitted.low is not None and fitted.high is not None
        covered += fitted.low <= points[35][1] <= fitted.high
    assert covered >= 180


# --- Achieved, Missed and Awaiting -------------------------------------------------------


def test_met_before_the_target_date_is_not_achieved_but_met_early() -> None:
    result = judge(
        [view("January 2000", 1800), view("June 2002", 590)], CUT, DOWN, date(2002, 7, 1)
    )
    assert result.status is not Status.ACHIEVED
    assert "met early, to be confirmed by the figure for the target period" in result.reason


def test_after_the_target_date_without_its_figure_is_awaiting_saying_how_overdue() -> None:
    series = [view("January 2000", 1800), view("June 2003", 700)]
    result = judge(series, CUT, DOWN, date(2004, 3, 1))
    assert result.status is Status.AWAITING
    assert result.trend_status is not None
    assert result.reason.startswith(
        "Awaiting: due January 2004, 1 month ago; the figure for that period is not yet published."
    )


def test_missed_on_the_figure_for_the_target_period() -> None:
    series = [view("January 2000", 1800), view("June 2003", 900), view("January 2004", 650)]
    result = judge(series, CUT, DOWN, date(2004, 3, 1))
    assert result.status is Status.MISSED
    assert result.probability_met == 0.0
    assert result.reason == (
        "Missed: the target of 600 was due by 31 January 2004; the figure for the target "
        "period, 650 in January 2004, is above it."
    )


def test_a_verdict_as_soon_as_the_target_period_figure_is_out() -> None:
    """Results "for 2002" published in September 2002 settle a target "by 2002" then,
    before the period's calendar end."""
    target = ResolvedTarget(80.0, 70.0, date(1998, 12, 31), date(2002, 12, 31), "up")
    series = [
        view("1999", 71, published=date(1999, 9, 20)),
        view("2000", 75, published=date(2000, 9, 20)),
        view("2001", 75, published=date(2001, 9, 20)),
        view("2002", 75, published=date(2002, 9, 20)),
    ]
    result = judge(series, target, UP, date(2002, 10, 1))
    assert result.status is Status.MISSED
    assert result.reason.startswith("Missed: the target of 80% is due by 31 December 2002;")


def test_a_month_end_target_date_takes_the_figure_for_its_own_quarter() -> None:
    """Target 30 June 2003: the figure for the quarter to 30 June, not the one to 31 March
    (30 June less three months is 31 March, the end of the quarter before)."""
    target = ResolvedTarget(600.0, 1800.0, date(2000, 3, 31), date(2003, 6, 30), "down")
    series = [
        view(quarter(2003, 1), 550, published=date(2003, 5, 1)),
        view(quarter(2003, 2), 650, published=date(2003, 8, 1)),
    ]
    result = judge(series, target, DOWN, date(2003, 9, 1))
    assert result.status is Status.MISSED
    assert "650 in April to June 2003" in result.reason or "650 in" in result.reason


def test_a_later_figure_does_not_decide_when_the_target_period_has_one() -> None:
    series = [view("January 2000", 1800), view("January 2004", 650), view("June 2004", 550)]
    result = judge(series, CUT, DOWN, date(2004, 8, 1))
    assert result.status is Status.MISSED
    assert result.reason.endswith("It was met late: 550 in June 2004 meets it.")


def test_met_then_slipped_is_achieved_and_says_so() -> None:
    series = [view("January 2000", 1800), view("January 2004", 590), view("June 2004", 640)]
    result = judge(series, CUT, DOWN, date(2004, 8, 1))
    assert result.status is Status.ACHIEVED
    assert result.probability_met == 1.0
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
    assert "A newer figure, over 50% in March 2002, is a bound, not a value" in result.reason


def test_an_around_figure_is_used_and_said_to_be_approximate() -> None:
    series = [view("January 2000", 1800), view("January 2002", 1000, "around")]
    result = judge(series, CUT, DOWN, date(2002, 2, 1))
    assert "around 1,000 in January 2002" in result.reason


# --- Arithmetic --------------------------------------------------------------------------


def test_progress_and_gap() -> None:
    assert progress_share(CUT, 1200) == pytest.approx(0.5)
    assert gap_to_target(CUT, 1200) == pytest.approx(600)
    assert gap_to_target(CUT, 500) == 0


def test_a_target_of_zero_met_is_achieved_without_a_share() -> None:
    zero = ResolvedTarget(0.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "down")
    result = judge([view("2000", 40), view("2002", 0)], zero, DOWN, date(2005, 3, 1))
    assert result.status is Status.AWAITING  # 2002's 0 is not the figure for 2004
    result = judge([view("2000", 40), view("2004", 0)], zero, DOWN, date(2005, 3, 1))
    assert result.status is Status.ACHIEVED
    assert result.reason == (
        "Achieved: the target of 0 was due by 31 December 2004; the figure for the target "
        "period, 0 in 2004, meets it."
    )


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
    chance = result.probability_met
    if result.status is Status.RED:
        assert chance is not None and chance <= 0.2
        assert result.forecast is not None and result.forecast.low is not None
    if result.status is Status.GREEN:
        assert chance is not None and chance >= 0.8
    if result.status is Status.AMBER and chance is not None and not result.reason.count("bound"):
        assert 0.2 < chance < 0.8
    if chance is not None and result.status in (Status.GREEN, Status.AMBER, Status.RED):
        assert "a chance of" in reason
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
