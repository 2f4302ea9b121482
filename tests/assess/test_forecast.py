"""Forecasts: the natural range, minimum evidence, a never-zero interval, the fit window."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from jwmetrics.assess.forecast import Scale, forecast, from_scale, scale_for, to_scale


def yearly(values: list[float], start: int = 2000) -> list[tuple[date, float]]:
    """Synthetic figures, one a year on 31 March."""
    return [(date(start + i, 3, 31), value) for i, value in enumerate(values)]


def test_scales_by_unit() -> None:
    assert scale_for("people") is Scale.LOG
    assert scale_for("GBP") is Scale.LOG
    assert scale_for("households") is Scale.LOG
    assert scale_for("percent") is Scale.LOGIT
    assert scale_for("ratio") is Scale.LINEAR


@pytest.mark.parametrize("scale", list(Scale))
@pytest.mark.parametrize("value", [0.0, 0.5, 12.0, 55.4, 99.9, 100.0])
def test_scales_round_trip(scale: Scale, value: float) -> None:
    assert from_scale(to_scale(value, scale), scale) == pytest.approx(value)


def test_fewer_than_two_figures_give_no_forecast() -> None:
    assert forecast(yearly([10.0]), date(2003, 3, 31), "people") is None
    assert forecast([(date(2000, 1, 1), 1.0)] * 3, date(2001, 1, 1), "people") is None


def test_two_to_four_figures_give_the_run_rate_with_an_interval() -> None:
    result = forecast(yearly([100.0, 80.0, 64.0, 51.2]), date(2005, 3, 31), "people")
    assert result is not None and result.method == "run rate"
    assert result.low is not None and result.high is not None
    assert result.low < result.value < result.high
    assert result.points == 4
    assert result.value == pytest.approx(100 * 0.8**5, rel=0.02)  # constant 20% a year


def test_the_run_rate_chance_weighs_the_gap_against_the_rates_achieved() -> None:
    """Falling 20% a year, every year: a target 40% below the latest figure a year on is
    unlikely, one at the latest figure's level likely."""
    result = forecast(yearly([100.0, 80.0, 64.0, 51.2]), date(2004, 3, 31), "people")
    assert result is not None
    far, near = result.chance(51.2 * 0.6, "down"), result.chance(51.2, "down")
    assert far is not None and near is not None
    assert far < 0.2 < 0.8 < near


def test_the_trend_model_with_five_figures_or_more() -> None:
    result = forecast(yearly([100.0, 82.0, 63.0, 52.0, 40.0]), date(2006, 3, 31), "people")
    assert result is not None and result.method == "trend model"


def test_no_chance_is_read_beyond_the_horizon() -> None:
    result = forecast(yearly([100.0, 82.0, 63.0, 52.0, 40.0]), date(2012, 3, 31), "people")
    assert result is not None and result.beyond_horizon
    assert result.chance(10.0, "down") is None


def test_five_figures_give_an_interval_around_the_forecast() -> None:
    result = forecast(yearly([100.0, 82.0, 63.0, 52.0, 40.0]), date(2006, 3, 31), "people")
    assert result is not None and result.low is not None and result.high is not None
    assert result.low < result.value < result.high


def test_a_falling_count_is_never_forecast_below_zero() -> None:
    # A straight line through these would reach -400 by 2010.
    result = forecast(yearly([500.0, 400.0, 300.0, 200.0, 100.0]), date(2010, 3, 31), "people")
    assert result is not None and result.low is not None
    assert 0 <= result.low < result.value < result.high  # type: ignore[operator]


def test_a_rising_share_is_never_forecast_above_100() -> None:
    result = forecast(yearly([40.0, 55.0, 70.0, 82.0, 91.0]), date(2010, 3, 31), "percent")
    assert result is not None and result.high is not None
    assert result.low < result.high <= 100  # type: ignore[operator]
    assert result.low <= result.value <= result.high  # type: ignore[operator]


def test_points_on_a_line_still_get_an_interval_of_some_width() -> None:
    exact = forecast(yearly([100.0, 90.0, 80.0, 70.0, 60.0]), date(2006, 3, 31), "ratio")
    assert exact is not None and exact.low is not None and exact.high is not None
    assert exact.high - exact.low > 0
    logged = forecast(yearly([100.0, 50.0, 25.0, 12.5, 6.25]), date(2006, 3, 31), "people")
    assert logged is not None and logged.high - logged.low > 0  # type: ignore[operator]


def test_the_path_is_drawn_from_the_first_fitted_figure_to_the_forecast_date() -> None:
    result = forecast(yearly([100.0, 80.0, 64.0]), date(2004, 3, 31), "people")
    assert result is not None
    path = result.path()
    assert path[0][0] == date(2000, 3, 31) and path[-1][0] == date(2004, 3, 31)
    assert path[-1][1] == pytest.approx(result.value)
    assert all(later < earlier for (_, earlier), (_, later) in pairwise(path))
