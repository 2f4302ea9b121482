"""The status rules, case by case, on small synthetic series (not the report's figures)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jwmetrics.observations import ObservationView
from jwmetrics.periods import Period, month, parse_period
from jwmetrics.progress import ResolvedTarget, forecast, gap_to_target, progress_share
from jwmetrics.status import MeasureFacts, Status, StatusRules, judge

DOWN = MeasureFacts(unit="people", direction="down")
UP = MeasureFacts(unit="percent", direction="up")
CUT = ResolvedTarget(
    value=600.0,
    baseline_value=1800.0,
    baseline_date=date(2000, 1, 31),
    target_date=date(2004, 1, 31),
    direction="down",
)


def view(period: Period | str, value: float | None, qualifier: str = "exact") -> ObservationView:
    period = parse_period(period) if isinstance(period, str) else period
    return ObservationView(
        id=0, measure_id=1, area_code="E92000001", period=period, value=value,
        qualifier=qualifier, marker=None if value is not None else "..", data_status="final",
        partner="", note="", source="synthetic", return_id=None, row_number=None,
        recorded_at=datetime(2005, 1, 1),
    )  # fmt: skip


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


def test_ahead_of_trajectory_is_green() -> None:
    # Halfway in time (January 2002), the trajectory is at 1,200; 1,000 is better.
    result = judge(
        [view("January 2000", 1800), view("January 2002", 1000)], CUT, DOWN, date(2002, 2, 1)
    )
    assert result.status is Status.GREEN
    assert result.trajectory == pytest.approx(1200, abs=2)
    assert result.reason.startswith("On track: 1,000 in January 2002 is below the trajectory value")


def test_slightly_behind_is_amber_within_tolerance() -> None:
    # 10% of the required change (1,200) is 120: 1,300 is 100 behind 1,200.
    series = [view("January 2000", 1800), view("January 2001", 1750), view("January 2002", 1300)]
    result = judge(series, CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.AMBER
    assert "above the trajectory value" in result.reason


def test_far_behind_with_a_bad_trend_is_red() -> None:
    series = [view("January 2000", 1800), view("January 2001", 1790), view("January 2002", 1780)]
    result = judge(series, CUT, DOWN, date(2002, 2, 1))
    assert result.status is Status.RED
    assert "does not reach the target of 600" in result.reason
    assert result.forecast is not None and result.forecast.low is not None


def test_tolerance_can_be_set_per_measure() -> None:
    series = [view("January 2000", 1800), view("January 2001", 1790), view("January 2002", 1500)]
    strict = judge(series, CUT, DOWN, date(2002, 2, 1))
    lenient = judge(
        series, CUT, DOWN, date(2002, 2, 1), StatusRules.for_measure({"amber_tolerance": 0.5})
    )
    assert (strict.status, lenient.status) == (Status.RED, Status.AMBER)


def test_target_met_early_is_achieved() -> None:
    result = judge(
        [view("January 2000", 1800), view("June 2002", 590)], CUT, DOWN, date(2002, 7, 1)
    )
    assert result.status is Status.ACHIEVED


def test_date_passed_not_met_is_missed() -> None:
    result = judge(
        [view("January 2000", 1800), view("June 2003", 900)], CUT, DOWN, date(2004, 3, 1)
    )
    assert result.status is Status.MISSED
    assert "was due by 31 January 2004" in result.reason


def test_up_direction_uses_above_and_below() -> None:
    target = ResolvedTarget(80.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "up")
    result = judge([view("2000", 40), view("2002", 50)], target, UP, date(2003, 1, 1))
    assert result.status is Status.RED
    assert "10 percentage points below the trajectory value of 60%" in result.reason


def test_no_baseline_single_figure_is_amber_with_reason() -> None:
    target = ResolvedTarget(200 / 3, None, None, date(2002, 3, 31), "up")
    result = judge([view("31/03/2001", 50, "over")], target, UP, date(2001, 12, 7))
    assert result.status is Status.AMBER
    assert "only one figure and no baseline" in result.reason


def test_no_baseline_trend_reaching_target_is_green() -> None:
    target = ResolvedTarget(70.0, None, None, date(2003, 3, 31), "up")
    series = [view("31/03/2000", 40), view("31/03/2001", 50), view("31/03/2002", 60)]
    assert judge(series, target, UP, date(2002, 6, 1)).status is Status.GREEN


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


def test_progress_and_gap() -> None:
    assert progress_share(CUT, 1200) == pytest.approx(0.5)
    assert gap_to_target(CUT, 1200) == pytest.approx(600)
    assert gap_to_target(CUT, 500) == 0


def test_forecast_interval_needs_three_points() -> None:
    two = forecast([(date(2000, 1, 1), 10.0), (date(2001, 1, 1), 20.0)], date(2002, 1, 1))
    assert two is not None and two.low is None and two.value == pytest.approx(30, abs=0.1)
    three = [(date(2000, 1, 1), 10.0), (date(2001, 1, 1), 21.0), (date(2002, 1, 1), 29.0)]
    result = forecast(three, date(2003, 1, 1))
    assert result is not None and result.low < result.value < result.high
    assert forecast([(date(2000, 1, 1), 1.0)], date(2001, 1, 1)) is None


def test_month_helper_matches_parser() -> None:
    assert month(2001, 6) == parse_period("June 2001")


def test_a_target_of_zero_met_is_achieved_without_a_share() -> None:
    zero = ResolvedTarget(0.0, 40.0, date(2000, 12, 31), date(2004, 12, 31), "down")
    result = judge([view("2000", 40), view("2002", 0)], zero, DOWN, date(2003, 1, 1))
    assert result.status is Status.ACHIEVED
    assert result.reason == "Achieved: 0 in 2002 meets the target of 0 by December 2004."
