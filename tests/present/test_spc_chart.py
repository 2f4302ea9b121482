"""The XmR figure: traces, stepped limits, special-cause markers, target, words (synthetic)."""

from __future__ import annotations

from datetime import date

from jwmetrics.present.spc_chart import (
    CONCERNING_NAME,
    CONCERNING_SYMBOL,
    IMPROVING_NAME,
    IMPROVING_SYMBOL,
    spc_figure,
)
from jwmetrics.spc.xmr import SpcPoint, spc


def points(values: list[float]) -> list[SpcPoint]:
    """A synthetic yearly series from 2000."""
    return [SpcPoint(str(2000 + i), date(2000 + i, 12, 31), v) for i, v in enumerate(values)]


def traces(figure):  # type: ignore[no-untyped-def]
    return {trace.name: trace for trace in figure.data}


def test_values_mean_and_dashed_limits() -> None:
    values = [8, 13, 9, 14, 8, 13, 9, 14, 8, 13, 9, 14, 40]  # synthetic
    result = spc(points(values), "up")
    figure = spc_figure(result, "people", "Synthetic — England")
    found = traces(figure)
    assert list(found["Value"].y) == values
    assert found["Value"].mode == "lines+markers"
    assert list(found["Mean"].y) == [result.mean, result.mean]
    assert list(found["Upper process limit"].y) == [result.upper_limit] * 2
    assert found["Upper process limit"].line.dash == "dash"
    assert found["Lower process limit"].line.dash == "dash"
    assert "Target" not in found and CONCERNING_NAME not in found
    assert figure.layout.title.text == "Synthetic — England"
    assert "Latest point (2012): special cause improving" in figure.layout.title.subtitle.text
    assert figure.layout.yaxis.title.text == "Number of people"


def test_special_causes_differ_by_shape_and_colour() -> None:
    values = [8, 13, 9, 14, 8, 13, 9, 14, 8, 13, 9, 14, 40, -20]  # synthetic
    found = traces(spc_figure(spc(points(values), "up"), "people", "t"))
    improving, concerning = found[IMPROVING_NAME], found[CONCERNING_NAME]
    assert list(improving.y) == [40] and list(concerning.y) == [-20]
    assert improving.marker.symbol == IMPROVING_SYMBOL != CONCERNING_SYMBOL
    assert concerning.marker.symbol == CONCERNING_SYMBOL
    assert improving.marker.color != concerning.marker.color
    assert found["Value"].marker.symbol == "circle"
    assert "beyond a process limit" in improving.hovertext[0]


def test_limits_step_at_each_change_point_and_the_target_is_drawn() -> None:
    values = [10, 11] * 6 + [20, 21] * 6  # synthetic
    result = spc(points(values), "up", target=15, change_points=[date(2012, 1, 1)])
    figure = spc_figure(result, "percent", "t")
    found = traces(figure)
    assert list(found["Mean"].y) == [10.5, 10.5, None, 20.5, 20.5]
    assert list(found["Mean"].x) == [
        date(2000, 12, 31), date(2011, 12, 31), None, date(2012, 12, 31), date(2023, 12, 31),
    ]  # fmt: skip
    assert list(found["Target"].y) == [15, 15]
    assert "Assurance: consistently passes" in figure.layout.title.subtitle.text


def test_the_warning_is_shown_in_words() -> None:
    figure = spc_figure(spc(points([10, 11, 12, 11]), "down"), "people", "t")
    assert "Limits from fewer than 12 points are provisional" in figure.layout.title.subtitle.text
    few = spc_figure(spc(points([10]), "down"), "people", "t")
    assert "Too few figures for an SPC chart" in few.layout.title.subtitle.text
    assert [t.name for t in few.data] == ["Value"]
    assert list(spc_figure(spc([], "down"), "people", "t").data) == []


def test_the_subtitle_is_html_not_escaped_text() -> None:
    """The subtitle's line breaks and italics are markup, never shown as raw "<br><i>" (the
    initiative page showed them literally), and its words agree with the points flagged."""
    values = [1768, 2181, 2309, 2414, 2744, 3569, 4134, 4751, 4677, 4266, 2688, 2443, 3069]
    result = spc(points(values), "down", bounds=(0.0, None))
    subtitle = spc_figure(result, "people", "t").layout.title.subtitle.text
    assert "&lt;" not in subtitle and "&gt;" not in subtitle
    assert "9 of 13 points are special causes" in subtitle.replace("<br>", " ")  # wrapped
    few = spc_figure(spc(points([1850, 700, 560, 520]), "down", bounds=(0.0, None)), "people", "t")
    text = few.layout.title.subtitle.text
    assert "<br><i>" in text and "&lt;br&gt;" not in text
    assert "shown at 0" in text and "provisional" in text
    for line in text.split("<br>"):
        assert len(line.replace("<i>", "").replace("</i>", "")) <= 80


def test_limits_are_drawn_within_the_natural_range() -> None:
    result = spc(points([1850, 700, 560, 520]), "down", bounds=(0.0, None))
    found = traces(spc_figure(result, "people", "t"))
    assert result.lower_limit is not None and result.lower_limit < -200
    assert list(found["Lower process limit"].y) == [0.0, 0.0]
