"""Charts: assert on the figures' data (traces, values, labels), not on pictures."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime

import plotly.graph_objects as go
import pytest

from jwmetrics.assess.detail import SeriesDetail, series_detail
from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.assess.words import Status
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database
from jwmetrics.periods import month, parse_period
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.status import STYLES, badge
from jwmetrics.present.summary_chart import status_summary_figure
from jwmetrics.present.trend_chart import trend_figure
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.writes import ObservationInput, add_observations

TREND_NAMES = {
    "Actual", "Baseline", "Target", "Trajectory", "Milestones", "Forecast", "Forecast interval"
}  # fmt: skip


@pytest.fixture(scope="module")
def chart_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A seeded SQLite database shared by this module's read-only tests."""
    folder = tmp_path_factory.mktemp("charts")
    database = open_seeded(f"sqlite:///{folder}/t.sqlite")
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def rough_sleepers(chart_db: Database) -> SeriesDetail:
    """The rough sleepers count in England: two figures, a target and a trajectory."""
    return series_detail(chart_db, "rough-sleepers-count")


@pytest.fixture(scope="module")
def declining(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeriesDetail]:
    """The rough sleepers count with five synthetic half-yearly figures added before the
    report's June 2001 one: enough for a forecast and its interval."""
    folder = tmp_path_factory.mktemp("declining")
    database = open_seeded(f"sqlite:///{folder}/t.sqlite")
    synthetic = [("December 1998", 1700), ("June 1999", 1560), ("December 1999", 1330),
                 ("June 2000", 1180), ("December 2000", 930)]  # fmt: skip
    with database.session() as session, session.begin():
        measure = find_measure(session, "rough-sleepers-count")
        add_observations(
            session,
            [
                ObservationInput(measure.id, "E92000001", parse_period(p), float(v), "synthetic")
                for p, v in synthetic
            ],
            datetime(2001, 12, 7),
        )
    yield series_detail(database, "rough-sleepers-count")
    database.engine.dispose()


@pytest.fixture(scope="module")
def rows(chart_db: Database) -> list[Assessment]:
    """The whole status table."""
    return status_table(chart_db)


def labels(figure: go.Figure) -> dict[str, list[str]]:
    """The words placed beside each kind of mark (annotations named "label: <trace>")."""
    found: dict[str, list[str]] = {}
    for note in figure.layout.annotations:
        if (note.name or "").startswith("label: "):
            found.setdefault(note.name.removeprefix("label: "), []).append(note.text)
    return found


def trace(figure: go.Figure, name: str) -> go.Scatter:
    """The one trace called ``name``."""
    found = [t for t in figure.data if t.name == name]
    assert len(found) == 1, f"expected one {name!r} trace, got {[t.name for t in figure.data]}"
    return found[0]


def test_actual_trace_has_figures_at_period_end_dates(rough_sleepers: SeriesDetail) -> None:
    actual = trace(trend_figure(rough_sleepers), "Actual")
    assert list(actual.y) == [1850, 700]
    assert list(actual.x) == [date(1998, 6, 30), date(2001, 6, 30)]
    assert actual.mode == "markers"  # two figures are points, not a line


def test_three_figures_or_more_are_a_line(declining: SeriesDetail) -> None:
    actual = trace(trend_figure(declining), "Actual")
    assert "lines" in actual.mode and "markers" in actual.mode


def test_bounds_are_open_arrows_with_their_words(rough_sleepers: SeriesDetail) -> None:
    """ "Over 50%" is drawn as an open arrow up, said "over" in the hover, and keyed."""
    first, last = rough_sleepers.observations
    over = dataclasses.replace(last, qualifier="over")
    under = dataclasses.replace(first, qualifier="under")
    figure = trend_figure(dataclasses.replace(rough_sleepers, observations=[under, over]))
    actual = trace(figure, "Actual")
    assert list(actual.marker.symbol) == ["triangle-down-open", "triangle-up-open"]
    assert "over 700 people" in actual.hovertext[1]
    assert "under 1,850 people" in actual.hovertext[0]
    assert labels(figure)["Actual"] == ["Latest over 700 people"]
    keys = [t.name for t in figure.data if t.name.startswith(("“Over”", "“Under”"))]
    assert len(keys) == 2
    for key in (t for t in figure.data if t.name in keys):
        assert list(key.x) == [None] and list(key.y) == [None]  # legend only, nothing drawn


def test_missing_markers_are_never_drawn_as_values(rough_sleepers: SeriesDetail) -> None:
    """ ".." and "x" are gaps: no y value, no label; only a note at the foot of the axis."""
    first, last = rough_sleepers.observations
    gaps = [
        dataclasses.replace(first, period=month(1999, 6), value=None, marker=".."),
        dataclasses.replace(first, period=month(2000, 6), value=None, marker="x"),
    ]
    detail = dataclasses.replace(rough_sleepers, observations=[first, *gaps, last])
    figure = trend_figure(detail)
    actual = trace(figure, "Actual")
    assert list(actual.y) == [1850, None, None, 700]
    assert labels(figure)["Actual"] == ["Latest 700 people"]  # the gaps get no label
    drawn = [y for t in figure.data for y in (t.y or ()) if y is not None]
    assert 0 not in drawn  # a missing figure is never drawn as zero
    notes = {a.text: a for a in figure.layout.annotations}
    assert {"..", "x"} <= set(notes)
    assert all(notes[m].yref == "paper" for m in ("..", "x"))


def test_labels_face_inwards_and_the_axis_ends_near_the_last_figure(
    rough_sleepers: SeriesDetail,
) -> None:
    figure = trend_figure(rough_sleepers)
    _first, last = figure.layout.xaxis.range
    notes = {n.name: n for n in figure.layout.annotations if n.name}
    assert notes["label: Target"].xanchor == "right"  # the last date: its label faces left
    assert notes["label: Baseline"].xanchor == "left"  # the first: right
    drawn_last = date(2002, 4, 30)
    assert (last - drawn_last).days < 0.1 * (drawn_last - date(1998, 6, 30)).days
    assert all(t.cliponaxis is False for t in figure.data if t.name in ("Actual", "Target"))


def test_end_labels_never_share_a_spot(rough_sleepers: SeriesDetail) -> None:
    """The latest figure, the target and the forecast crowd the target date: their labels are
    placed apart (each moved off its point gets a leader line), never on one another."""
    first, _ = rough_sleepers.observations
    crowded = [
        first,
        dataclasses.replace(first, period=month(2001, 6), value=700.0),
        dataclasses.replace(first, period=month(2001, 12), value=600.0),
        dataclasses.replace(first, period=month(2002, 4), value=610.0),
    ]
    figure = trend_figure(dataclasses.replace(rough_sleepers, observations=crowded))
    placed = [n for n in figure.layout.annotations if (n.name or "").startswith("label: ")]
    assert {"label: Actual", "label: Target", "label: Baseline"} <= {n.name for n in placed}
    ends = [n for n in placed if n.x == date(2002, 4, 30)]
    offsets = [n.ay if n.showarrow else -n.yshift for n in ends]
    assert all(abs(a - b) >= 20 for i, a in enumerate(offsets) for b in offsets[i + 1 :])
    assert all(n.bgcolor for n in placed)  # a line behind a label does not cross its words


def test_one_figure_gets_a_sensible_axis(rough_sleepers: SeriesDetail) -> None:
    """One figure: at least three years shown, ticks on whole years or months, British."""
    first, _ = rough_sleepers.observations
    detail = dataclasses.replace(rough_sleepers, observations=[first], target=None)
    axis = trend_figure(detail).layout.xaxis
    low, high = axis.range
    assert (high - low).days >= 3 * 365
    assert axis.ticktext and all(t.isdigit() or " " in t for t in axis.ticktext)
    assert axis.tickangle == 0


def test_provisional_figures_are_explained_in_the_legend(rough_sleepers: SeriesDetail) -> None:
    first, last = rough_sleepers.observations
    provisional = dataclasses.replace(last, data_status="provisional")
    figure = trend_figure(dataclasses.replace(rough_sleepers, observations=[first, provisional]))
    assert any("provisional" in t.name.lower() for t in figure.data)


def test_forecast_is_not_the_colour_of_missed() -> None:
    from jwmetrics.present.chart_style import FORECAST_COLOUR

    assert FORECAST_COLOUR.lower() != STYLES[Status.MISSED].colour.lower()


def test_every_chart_carries_its_source(
    rough_sleepers: SeriesDetail, rows: list[Assessment]
) -> None:
    """A source note at the foot of the figure itself, so the PNG export carries it too."""
    for figure in (trend_figure(rough_sleepers), status_summary_figure(rows)):
        notes = [a for a in figure.layout.annotations if a.text.startswith("Source:")]
        assert len(notes) == 1
        assert notes[0].yref == "paper" and notes[0].yshift < 0
    note = next(a for a in trend_figure(rough_sleepers).layout.annotations if a.name == "source")
    assert "NAO" in note.text


def test_actual_hover_gives_british_value_period_and_source(rough_sleepers: SeriesDetail) -> None:
    hover = trace(trend_figure(rough_sleepers), "Actual").hovertext
    assert "1,850 people" in hover[0] and "June 1998" in hover[0]
    assert "Source: NAO" in hover[1] and "June 2001" in hover[1]


def test_trace_names_are_the_documented_ones(
    rough_sleepers: SeriesDetail, declining: SeriesDetail
) -> None:
    names = [t.name for t in trend_figure(rough_sleepers).data]
    assert names[:4] == ["Actual", "Baseline", "Target", "Trajectory"]
    assert set(names) <= TREND_NAMES  # two figures (the baseline's and one): a run rate
    no_forecast = dataclasses.replace(rough_sleepers.assessment, forecast_value=None)
    names = [t.name for t in trend_figure(
        dataclasses.replace(rough_sleepers, assessment=no_forecast)
    ).data]  # fmt: skip
    assert names == ["Actual", "Baseline", "Target", "Trajectory"]  # no forecast, none drawn
    names = [t.name for t in trend_figure(declining).data]
    assert set(names) <= TREND_NAMES
    assert names == ["Actual", "Baseline", "Target", "Trajectory", "Forecast", "Forecast interval"]


def test_trajectory_runs_from_baseline_to_target(rough_sleepers: SeriesDetail) -> None:
    trajectory = trace(trend_figure(rough_sleepers), "Trajectory")
    assert trajectory.y[0] == pytest.approx(1850)
    assert trajectory.y[-1] == pytest.approx(616.67, abs=0.01)
    assert (trajectory.x[0], trajectory.x[-1]) == (date(1998, 6, 30), date(2002, 4, 30))
    assert list(trajectory.y) == sorted(trajectory.y, reverse=True)
    # Straight on the log scale: the same share each step, so the mid-point is the
    # geometric mean of 1,850 and 617 (1,068), drawn as a curve below the straight line.
    middle = trajectory.y[len(trajectory.y) // 2]
    assert middle == pytest.approx((1850 * 616.67) ** 0.5, rel=0.05)
    assert trajectory.line.dash == "dash"


def test_baseline_and_target_markers(rough_sleepers: SeriesDetail) -> None:
    figure = trend_figure(rough_sleepers)
    baseline, target = trace(figure, "Baseline"), trace(figure, "Target")
    assert list(baseline.y) == [1850] and list(baseline.x) == [date(1998, 6, 30)]
    assert target.y[0] == pytest.approx(616.67, abs=0.01)
    assert list(target.x) == [date(2002, 4, 30)]
    assert target.marker.symbol == "star"
    assert "two thirds" in target.hovertext[0]  # the report's wording
    assert labels(figure)["Target"] == ["Target 617 people"]  # in words, not colour alone


def test_forecast_curve_runs_from_first_fitted_figure_to_target_date(
    declining: SeriesDetail,
) -> None:
    forecast = trace(trend_figure(declining), "Forecast")
    assessment = declining.assessment
    assert forecast.x[0] == date(1998, 6, 30) and forecast.x[-1] == date(2002, 4, 30)
    assert forecast.y[-1] == pytest.approx(assessment.forecast_value)
    assert all(value > 0 for value in forecast.y)  # a count forecast never goes below zero
    assert forecast.line.dash == "dot"
    assert "log scale" in forecast.hovertext[-1]


def test_one_figure_after_the_baseline_gives_the_run_rate(rough_sleepers: SeriesDetail) -> None:
    """The baseline's own figure and one since: one rate of change, so a forecast with a
    wide interval and a hedged chance."""
    assert rough_sleepers.trend is not None and rough_sleepers.trend.method == "run rate"
    assert "the rate of change of 2 figures" in rough_sleepers.assessment.reason


def test_forecast_interval_spans_low_to_high(declining: SeriesDetail) -> None:
    interval = trace(trend_figure(declining), "Forecast interval")
    assessment = declining.assessment
    assert list(interval.y) == [assessment.forecast_low, assessment.forecast_high]
    assert 0 < assessment.forecast_low < assessment.forecast_value < assessment.forecast_high
    assert list(interval.x) == [date(2002, 4, 30)] * 2


def test_milestones_are_drawn(rough_sleepers: SeriesDetail) -> None:
    target = dataclasses.replace(rough_sleepers.target, milestones=((date(2000, 4, 30), 1500.0),))
    figure = trend_figure(dataclasses.replace(rough_sleepers, target=target))
    milestones = trace(figure, "Milestones")
    assert list(milestones.x) == [date(2000, 4, 30)] and list(milestones.y) == [1500.0]
    assert labels(figure)["Milestones"] == ["Milestone 1,500 people"]


def test_layout_titles_and_legend(rough_sleepers: SeriesDetail) -> None:
    layout = trend_figure(rough_sleepers).layout
    assert layout.title.text == "People counted sleeping rough in England — England"
    assert "people" in layout.yaxis.title.text
    axis = next(a for a in layout.annotations if a.name == "x axis title")
    assert axis.text == "Period end date" and axis.yshift < 0  # placed under the dates
    assert layout.yaxis.range[0] == 0  # counts start at zero
    assert layout.legend.orientation == "h" and layout.legend.y < 0
    assert layout.legend.entrywidthmode == "fraction"  # fixed columns: rows known, so the
    note = next(a for a in layout.annotations if a.name == "source")  # note sits under them
    assert note.yshift < -(layout.margin.b / 2)
    assert "▲ Amber" in layout.title.subtitle.text  # the status in symbol and word


def test_missing_values_are_gaps_noted_on_the_chart(rough_sleepers: SeriesDetail) -> None:
    first, last = rough_sleepers.observations
    gap = dataclasses.replace(first, period=month(2000, 6), value=None, marker="..")
    figure = trend_figure(dataclasses.replace(rough_sleepers, observations=[first, gap, last]))
    actual = trace(figure, "Actual")
    assert list(actual.y) == [1850, None, 700]
    assert actual.connectgaps is False
    assert "not available (..)" in actual.hovertext[1]
    notes = [a for a in figure.layout.annotations if a.text == ".."]
    assert len(notes) == 1 and notes[0].x == date(2000, 6, 30)
    assert "not available" in notes[0].hovertext


def test_provisional_figures_are_marked(rough_sleepers: SeriesDetail) -> None:
    first, last = rough_sleepers.observations
    provisional = dataclasses.replace(last, data_status="provisional")
    figure = trend_figure(dataclasses.replace(rough_sleepers, observations=[first, provisional]))
    actual = trace(figure, "Actual")
    assert list(actual.marker.symbol) == ["circle", "circle-open"]
    assert "provisional" in actual.hovertext[1]


def test_no_figures_gives_a_note_not_a_blank_chart(chart_db: Database) -> None:
    detail = series_detail(chart_db, "mothers-smoking-in-pregnancy")
    figure = trend_figure(detail)
    assert not any(t.name == "Actual" for t in figure.data)
    assert len(figure.data) == 0
    note = figure.layout.annotations[0]
    assert note.text.startswith("No figures yet")
    assert "Too early to measure" in note.text
    assert (note.x, note.y) == (0.5, 0.5)
    assert figure.layout.title.text == "Mothers who smoke during pregnancy — England"


def test_every_seeded_series_draws(chart_db: Database, rows: list[Assessment]) -> None:
    for row in rows:
        figure = trend_figure(series_detail(chart_db, row.measure, row.area_code))
        assert figure.data or figure.layout.annotations[0].text.startswith("No figures yet")


def test_status_summary_counts_match_rows(rows: list[Assessment]) -> None:
    figure = status_summary_figure(rows)
    expected = Counter((row.initiative_name, row.status) for row in rows)
    labels = {badge(status): status for status in STYLES}
    drawn: Counter[tuple[str, str]] = Counter()
    for bar in figure.data:
        assert bar.orientation == "h"
        status = labels[bar.name]
        assert bar.marker.color == STYLES[status].colour
        for initiative, count, text in zip(bar.y, bar.x, bar.text, strict=True):
            drawn[(initiative, str(status))] += count
            assert text == (str(count) if count else "")
    assert +drawn == expected


def test_status_summary_order_and_labels(rows: list[Assessment]) -> None:
    figure = status_summary_figure(rows)
    order = [str(s) for s in Status]
    names = [bar.name for bar in figure.data]
    statuses = [next(s for s in Status if badge(s) == n) for n in names]
    assert [order.index(str(s)) for s in statuses] == sorted(order.index(str(s)) for s in statuses)
    assert "▲ Amber" in names
    assert figure.layout.barmode == "stack"
    assert figure.layout.title.text == "Status of measures by initiative"
    assert figure.layout.xaxis.title.text == "Number of measures"
    assert list(figure.data[0].y) == list(dict.fromkeys(r.initiative_name for r in rows))


def test_status_summary_without_rows_says_so() -> None:
    figure = status_summary_figure([])
    assert len(figure.data) == 0
    assert figure.layout.annotations[0].text == "No measures to show"


def test_chart_config_downloads_png() -> None:
    assert CHART_CONFIG["displaylogo"] is False
    assert CHART_CONFIG["toImageButtonOptions"]["format"] == "png"
    assert CHART_CONFIG["toImageButtonOptions"]["filename"] == "jwmetrics-chart"


def test_figures_serialise(rough_sleepers: SeriesDetail, rows: list[Assessment]) -> None:
    """The figures must survive JSON, as st.plotly_chart sends them to the browser."""
    assert '"Actual"' in trend_figure(rough_sleepers).to_json()
    assert "Status of measures" in status_summary_figure(rows).to_json()


def test_titles_from_catalogue_text_cannot_plant_links(rough_sleepers: SeriesDetail) -> None:
    hostile = dataclasses.replace(rough_sleepers, measure_name='<a href="http://example.com">x</a>')
    title = trend_figure(hostile).layout.title.text
    assert "<a" not in title and "&lt;a href" in title
