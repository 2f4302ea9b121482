"""SPC arithmetic and rules (pure): limits, the four rules, segments, icons and warnings.

Cases marked "NHSRplotthedots" reproduce tests of that R package (nhs-r-community, commit
050b07d), citing the file; the other series are synthetic, made up to hit each case.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from jwmetrics.spc.rules import beyond_limits, rule_side, shift, trend, two_of_three
from jwmetrics.spc.xmr import (
    PROVISIONAL,
    TOO_FEW,
    SpcPoint,
    SpcSegment,
    assurance,
    mean_moving_range,
    segment_stats,
    spc,
)


def points(values: list[float], start_year: int = 2000) -> list[SpcPoint]:
    """A synthetic yearly series with the given values."""
    return [
        SpcPoint(str(start_year + i), date(start_year + i, 12, 31), v) for i, v in enumerate(values)
    ]


# set.seed(123); rnorm(20) in R, as used by tests/testthat/test-ptd_spc_standard.R
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


# --- limits -------------------------------------------------------------------------------


def test_limits_on_a_hand_worked_example() -> None:
    # synthetic: mean 12; moving ranges 2, 1, 4, 3 so mR-bar 2.5; limits 12 ± 2.66 × 2.5
    segment = segment_stats(points([10, 12, 11, 15, 12]), 0, 5)
    assert segment.mean == pytest.approx(12)
    assert segment.mr_bar == pytest.approx(2.5)
    assert (segment.lower_limit, segment.upper_limit) == pytest.approx((5.35, 18.65))
    assert segment.sigma == pytest.approx(2.5 / 1.128, rel=1e-3)
    assert segment.sigma_line(3) == pytest.approx((5.35, 18.65))
    assert segment.sigma_line(2) == pytest.approx(
        (12 - 2 * 2.66 / 3 * 2.5, 12 + 2 * 2.66 / 3 * 2.5)
    )


def test_outlying_moving_ranges_are_screened_out() -> None:
    # synthetic: ranges 1, 1, 1, 1, 20, 20, 1 -> first mR-bar 45/7; 20 >= 3.267 × 6.43 is kept
    assert mean_moving_range([1, 2, 1, 2, 1]) == pytest.approx(1)
    # ranges 1,1,1,1,1,1,1,1,1,30: first mR-bar 3.9, 30 >= 12.7 so it is dropped
    values = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 32]
    assert mean_moving_range(values) == pytest.approx(1)
    assert mean_moving_range(values, screen_outliers=False) == pytest.approx(3.9)
    assert mean_moving_range([5, 5, 5]) == 0  # flat: nothing left to screen, all kept


def test_limits_match_nhsrplotthedots_snapshots() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_spc_standard.R "it returns expected values",
    # values from tests/testthat/_snaps/ptd_spc_standard.md (r1, r2, r3)
    r1 = spc(points(RNORM_123), "up")
    assert (r1.mean, r1.lower_limit, r1.upper_limit) == pytest.approx(
        (0.1416238, -3.01138, 3.294627), abs=1e-6
    )
    changed = list(RNORM_123)
    changed[14] = 10
    r2 = spc(points(changed), "up")
    assert (r2.mean, r2.lower_limit, r2.upper_limit) == pytest.approx(
        (0.6694159, -2.383666, 3.722497), abs=1e-6
    )
    r3 = spc(points(changed), "up", screen_outliers=False)
    assert (r3.lower_limit, r3.upper_limit) == pytest.approx((-4.596625, 5.935457), abs=1e-6)
    # NHSRplotthedots tests/testthat/_snaps/ptd_spc.md: all 20 points common cause
    assert not any(p.special_cause for p in r1.points) and r1.variation == "common cause"


# --- the four rules -----------------------------------------------------------------------


def test_beyond_limits_is_strict() -> None:
    assert beyond_limits([0, 3, 3.01, -3, -3.5], -3, 3) == [2, 4]


def test_shift_needs_seven_on_one_side() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean
    # and ptd_part_of_seven_trend: relative-to-mean signs, here as values about a mean of 0
    assert shift([], 0) == []
    assert shift([1] * 6, 0) == []
    assert shift([1] * 6 + [-1], 0) == []
    assert shift([1] * 8 + [-1], 0) == list(range(8))
    assert shift([-1] * 8 + [1], 0) == list(range(8))


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    # synthetic: NHSRplotthedots compares sign(y - mean), and 0 matches neither side
    assert shift([1, 1, 1, 0, 1, 1, 1, 1], 0) == []
    assert shift([1, 1, 1, 1, 1, 1, 0, 1], 0) == []


def test_trend_counts_seven_points() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_trend
    assert trend([]) == []
    assert trend(list(range(1, 7))) == []
    assert trend([1, 2, 3, 3, 4, 5, 6]) == []  # an equal neighbour breaks the trend
    assert trend(list(range(1, 8))) == list(range(7))
    assert trend([2, *range(1, 8), 3]) == list(range(1, 8))
    assert trend(list(range(7, 0, -1))) == list(range(7))
    assert trend([2, *range(7, 0, -1), 3]) == list(range(1, 8))


def close_values(flags: list[int], sides: list[int]) -> list[float]:
    """Values for a mean of 0, two sigma at ±2 and limits at ±3: 2.5 when flagged, else 1."""
    return [side * (2.5 if flag else 1) for flag, side in zip(flags, sides, strict=True)]


def check_two_of_three(flags: list[int], sides: list[int]) -> list[int]:
    return two_of_three(close_values(flags, sides), 0, -2, 2, -3, 3)


def test_two_of_three_flags_only_the_points_beyond_two_sigma() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R, ptd_two_in_three and
    # ptd_part_of_two_in_three (only the close points of a qualifying window are flagged)
    assert check_two_of_three([1, 0, 1], [1, 1, 1]) == [0, 2]
    assert check_two_of_three([0, 1, 1], [1, 1, 1]) == [1, 2]
    assert check_two_of_three([1, 1, 0], [1, 1, 1]) == [0, 1]
    assert check_two_of_three([0, 0, 1, 0, 1, 0, 0], [1] * 7) == [2, 4]
    assert check_two_of_three([0, 0, 1, 1, 0, 0, 0], [1] * 7) == [2, 3]
    assert check_two_of_three([1, 0, 0, 1], [1] * 4) == []
    assert check_two_of_three([1, 0, 0, 1, 1], [1] * 5) == [3, 4]


def test_two_of_three_needs_all_three_on_one_side() -> None:
    # NHSRplotthedots test-ptd_calculate_point_type.R "... opposite sides of the mean"
    assert check_two_of_three([1, 0, 1], [1, -1, 1]) == []
    assert check_two_of_three([0, 1, 1], [1, -1, 1]) == []
    assert check_two_of_three([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1]) == []
    assert check_two_of_three([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1]) == []


def test_a_point_beyond_a_limit_does_not_count_for_two_of_three() -> None:
    # synthetic: close_to_limits excludes outside_limits in R/ptd_spc_standard.R
    assert two_of_three([3.5, 2.5, 1], 0, -2, 2, -3, 3) == []


def test_opposite_close_points_are_common_cause() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_spc_standard.R "it only reports special cause
    # for 2of3 points close to limits when they are on the same side of the mean"
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    result = spc(points(values), "up")
    assert [p.special_cause for p in result.points[-2:]] == [False, False]


def test_trend_side_follows_the_direction_of_travel() -> None:
    # synthetic: a peak shared by a rising and a falling trend takes the next step (falling)
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    flags = {i: ["trend"] for i in trend(values)}
    assert [rule_side("trend", values, i, 4, flags) for i in (0, 5, 6, 7, 12)] == [1, 1, -1, -1, -1]


# --- whole charts -------------------------------------------------------------------------


def test_points_carry_rules_and_signal_relative_to_direction() -> None:
    # synthetic: 12 figures wobbling about the mean, then one far above the limits
    values = [8, 13, 9, 14, 8, 13, 9, 14, 8, 13, 9, 14, 40]
    up, down = spc(points(values), "up"), spc(points(values), "down")
    assert up.points[-1].rules == ("beyond_limits",) and up.points[-1].special_cause
    assert (up.points[-1].signal, down.points[-1].signal) == ("improving", "concerning")
    assert (up.variation, down.variation) == ("special cause improving", "special cause concerning")
    assert not any(p.special_cause for p in up.points[:-1])


def test_several_rules_are_all_listed_in_order() -> None:
    # synthetic: seven low points, then seven rising to far above the upper limit
    values = [5, 5.5, 5, 5.5, 5, 5.5, 5, 6, 7, 8, 9, 10, 11, 40]
    result = spc(points(values), "down")
    assert result.points[-1].rules == ("beyond_limits", "trend")
    assert result.points[-1].signal == "concerning"
    assert result.points[0].rules == ("beyond_limits", "shift")
    assert result.points[0].signal == "improving"
    # a rising trend below the mean: the trend (tested before the shift) names the side
    assert result.points[10].rules == ("trend", "shift")
    assert result.points[10].signal == "concerning"


def test_common_cause_variation() -> None:
    result = spc(points(RNORM_123), "down")
    assert result.variation == "common cause"


def test_change_points_make_segments_with_their_own_limits() -> None:
    # synthetic: twelve figures about 10, then twelve about 20, a change point at 2012
    values = [10, 11] * 6 + [20, 21] * 6
    result = spc(points(values), "up", change_points=[date(2012, 1, 1)])
    first, second = result.segments
    assert (first.start, first.stop, second.start, second.stop) == (0, 12, 12, 24)
    assert (first.first_period, first.last_period, second.first_period) == ("2000", "2011", "2012")
    assert (first.mean, second.mean) == pytest.approx((10.5, 20.5))
    assert result.mean == pytest.approx(20.5)
    assert result.upper_limit == pytest.approx(20.5 + 2.66 * 1)
    assert not any(p.special_cause for p in result.points)  # each half is steady
    assert [p.segment for p in result.points] == [0] * 12 + [1] * 12
    without = spc(points(values), "up")  # one segment: both halves shift
    assert all("shift" in p.rules for p in without.points)


def test_a_change_point_starts_at_the_first_figure_ending_on_or_after_it() -> None:
    values = [10, 11] * 6 + [20, 21] * 6
    on_end = spc(points(values), "up", change_points=[date(2011, 12, 31)])
    assert on_end.segments[1].start == 11
    assert spc(points(values), "up", change_points=[date(1990, 1, 1)]).segments[0].stop == 24


def test_a_change_point_leaving_too_short_a_segment_is_ignored_with_a_note() -> None:
    values = [10, 11] * 7
    result = spc(points(values), "up", change_points=[date(2012, 6, 1)])
    assert len(result.segments) == 1
    assert "change point 2012-06-01 ignored" in (result.warning or "")


def test_assurance_as_nhsrplotthedots() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R: limits (1, 3),
    # (5, 7), (1, 5) against a target of 4
    def seg(lower: float, upper: float) -> SpcSegment:
        return SpcSegment(0, 3, "a", "c", (lower + upper) / 2, 1, 1, lower, upper)

    limits = [seg(1, 3), seg(5, 7), seg(1, 5)]
    assert [assurance(s, 4, "up") for s in limits] == [
        "consistently fails", "consistently passes", "hit and miss",
    ]  # fmt: skip
    assert [assurance(s, 4, "down") for s in limits] == [
        "consistently passes", "consistently fails", "hit and miss",
    ]  # fmt: skip
    assert assurance(seg(1, 3), None, "up") is None
    assert assurance(seg(4, 6), 4, "up") == "hit and miss"  # on a limit is not beyond it


def test_assurance_uses_the_latest_segment() -> None:
    values = [10, 11] * 6 + [20, 21] * 6
    result = spc(points(values), "up", target=15, change_points=[date(2012, 1, 1)])
    assert result.assurance == "consistently passes"
    assert spc(points(values), "up").assurance is None


def test_fewer_than_three_figures_is_a_result_not_an_error() -> None:
    result = spc(points([1, 2]), "up", target=3)
    assert not result.charted and result.warning == TOO_FEW
    assert TOO_FEW == "too few figures for an SPC chart (3 needed)"
    record = result.as_record()
    assert (record["mean"], record["variation"], record["assurance"]) == (None, None, None)
    assert [p["period"] for p in record["points"]] == ["2000", "2001"]
    assert spc([], "down").points == []


def test_limits_from_fewer_than_twelve_points_are_provisional() -> None:
    eleven = spc(points([10, 11] * 5 + [10]), "up")
    assert eleven.warning and eleven.warning.startswith(PROVISIONAL)
    assert "2000 to 2010: 11" in eleven.warning
    assert spc(points([10, 11] * 6), "up").warning is None
    assert spc(points([10, 11, 12]), "up").charted


def test_unsorted_input_is_put_in_period_order() -> None:
    series = points([10, 12, 11, 15, 12])
    result = spc(list(reversed(series)), "up")
    assert [p.value for p in result.points] == [10, 12, 11, 15, 12]


def test_bad_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        spc(points([1, 2, 3]), "sideways")


def test_as_record_is_json_ready_with_the_documented_fields() -> None:
    values = [8, 13, 9, 14, 8, 13, 9, 14, 8, 13, 9, 14, 40]
    record = json.loads(json.dumps(spc(points(values), "up", target=12).as_record()))
    assert {"mean", "lower_limit", "upper_limit", "points", "variation", "assurance"} <= set(record)
    assert record["points"][-1] == {
        "period": "2012", "period_end": "2012-12-31", "value": 40, "special_cause": True,
        "rules": ["beyond_limits"], "signal": "improving",
    }  # fmt: skip
    assert record["assurance"] == "hit and miss" and record["warning"] is None
    assert record["segments"][0]["points"] == 13


# --- exact arithmetic, screening, the natural range, the summary ---------------------------


@pytest.mark.parametrize("value", [61.2, 99.7, 0.1, 33.3, 7.7, 12.34, 0.0, 1850.0, 4.1e-5])
@pytest.mark.parametrize("length", [3, 12, 13, 24, 30, 36])
def test_a_constant_series_has_no_special_cause(value: float, length: int) -> None:
    """A flat series is the very picture of common cause: NHSRplotthedots (R's accurate
    ``mean``) flags nothing. A plain float sum made 61.2 × 30 average 61.20000000000003, so
    every point lay below the mean and beyond a zero-width limit."""
    result = spc(points([value] * length), "up", target=value + 1)
    assert result.mean == value
    assert (result.lower_limit, result.upper_limit) == (value, value)
    assert result.special_causes == 0
    assert [p.rules for p in result.points] == [()] * length
    assert result.variation == "common cause"
    assert "None of the" in result.summary


def test_every_constant_one_decimal_series_is_common_cause() -> None:
    """The reviewer's sweep: 0.1 to 99.9 in steps of 0.1, 12, 24 and 36 points; 2,322 of
    these 2,997 series used to be charted as special cause throughout."""
    flagged = [
        (tenths, length)
        for tenths in range(1, 1000)
        for length in (12, 24, 36)
        if spc(points([tenths / 10] * length), "down").special_causes
    ]
    assert flagged == []


def test_a_point_on_the_mean_in_decimals_breaks_a_shift() -> None:
    # synthetic: mean of 0.1, 0.2, 0.3 ... is 0.2 exactly; in floats 0.1 + 0.2 + 0.3 is
    # 0.6000000000000001, so the 0.2s sat above the mean and made a run of seven
    values = [0.1, 0.3] + [0.2] * 7 + [0.3, 0.1]
    result = spc(points(values), "up", screen_outliers=False)
    assert result.mean == 0.2
    assert result.special_causes == 0
    assert shift([0.1, 0.2, 0.3, 0.2, 0.1, 0.2, 0.3], 0.2) == []


def test_moving_ranges_are_exact_decimals() -> None:
    segment = segment_stats(points([61.2, 61.3, 61.2, 61.3]), 0, 4)
    assert segment.mr_bar == 0.1
    assert segment.mean == 61.25


@pytest.mark.parametrize(
    "values",
    [
        [0] * 11 + [1],  # a small local count, one event in twelve periods
        [5, 5, 5, 5, 5, 6],
        [2, 2, 2, 2, 2, 2, 2, 2, 9, 2, 2, 2],
        [0, 0, 0, 3, 0, 0, 0, 0],
    ],
)
def test_screening_never_leaves_a_process_of_no_width(values: list[float]) -> None:
    """When the only non-zero moving ranges are screened out, mR-bar would be 0 and the
    limits collapse onto the mean; then every range is kept instead."""
    assert mean_moving_range(values) > 0
    result = spc(points(values), "down")
    assert result.upper_limit is not None and result.lower_limit is not None
    assert result.upper_limit > result.lower_limit
    assert mean_moving_range(values) == mean_moving_range(values, screen_outliers=False)


def test_screening_still_drops_a_wild_range_when_others_remain() -> None:
    values = [10, 11, 10, 11, 10, 11, 10, 40, 10, 11, 10, 11]
    assert mean_moving_range(values) == pytest.approx(1)  # the two ranges of 29/30 screened


def test_limits_are_shown_within_the_natural_range_and_the_cut_is_noted() -> None:
    # the Rough Sleepers Unit count with two returned figures: lower limit about -270 people
    result = spc(points([1850, 700, 560, 520]), "down", bounds=(0.0, None))
    assert result.lower_limit == pytest.approx(-271.8, abs=0.1)
    latest = result.latest
    assert latest is not None and latest.lower_shown == 0.0
    assert latest.upper_shown == latest.upper_limit
    assert result.limit_note is not None
    assert "-271.8" in result.limit_note and "shown at 0" in result.limit_note
    record = result.as_record()
    assert record["lower_limit_shown"] == 0.0 and record["limit_note"] == result.limit_note
    # a percentage near 100%: the upper limit is cut at 100
    share = spc(points([97, 99.5, 96, 99.8, 98, 99.9]), "up", bounds=(0.0, 100.0))
    assert share.latest is not None and share.latest.upper_shown == 100.0
    assert "above 100" in (share.limit_note or "")
    # within the range nothing is cut or noted
    inside = spc(points([50, 52, 51, 53]), "up", bounds=(0.0, 100.0))
    assert inside.limit_note is None


def test_the_summary_agrees_with_the_points_flagged() -> None:
    """The snapshot for England, 2010-2022: the latest point is common cause but 9 of 13
    points are special causes; the words must say both."""
    values = [1768, 2181, 2309, 2414, 2744, 3569, 4134, 4751, 4677, 4266, 2688, 2443, 3069]
    result = spc(points(values, 2010), "down")
    assert result.variation == "common cause"
    assert result.special_causes == 9
    assert result.summary == (
        "Latest point (2022): common cause. 9 of 13 points are special causes "
        "(8 concerning, 1 improving), the latest 2018."
    )
    assert result.as_record()["special_causes"] == 9
