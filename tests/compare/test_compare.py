"""Comparing areas fairly on the real snapshot, on SQLite and PostgreSQL: England's rate as
the benchmark, each area's rate from its count and population, verdicts against the exact
funnel limits, and the areas with no population listed with the reason. Also the command."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from db_backends import BACKENDS, backend_url

from jwmetrics import distributions as dist
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.cli.main import main
from jwmetrics.compare import funnel
from jwmetrics.compare.areas import compare_areas
from jwmetrics.compare.denominators import SNAPSHOT_FILE
from jwmetrics.compare.types import Comparison
from jwmetrics.db.engine import Database
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import parse_period
from jwmetrics.problems import InputError
from jwmetrics.store.known import KnownAt

PUBLISHED = date(2023, 2, 28)
Y2019 = parse_period("2019")


def _source() -> dict[tuple[str, str], dict[str, str]]:
    """The snapshot table itself, read independently of jwmetrics: (code, year) -> row."""
    with SNAPSHOT_FILE.open(encoding="utf-8") as handle:
        return {(r["area_code"], r["year"]): r for r in csv.DictReader(handle)}


SOURCE = _source()


@pytest.fixture(scope="module", params=BACKENDS)
def snapshot_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A seeded database with the snapshot loaded (published 28 February 2023), per backend."""
    url = backend_url(request.param, tmp_path_factory.mktemp("snapshot"))
    database = open_seeded(url)
    load_snapshot(database, published_on=PUBLISHED)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def local_2019(snapshot_db: Database) -> Comparison:
    return compare_areas(snapshot_db, "rough-sleeping-snapshot", Y2019)


def test_englands_rate_is_its_count_over_its_population(local_2019: Comparison) -> None:
    england = SOURCE[("E92000001", "2019")]
    expected = int(england["people_sleeping_rough"]) / int(england["population_mid_year"]) * 1e5
    benchmark = local_2019.benchmark
    assert benchmark is not None and benchmark.basis == "England"
    assert benchmark.rate == pytest.approx(expected, rel=1e-12)
    assert round(expected, 2) == 7.58
    assert {row.benchmark_rate for row in local_2019.rows} == {benchmark.rate}
    assert local_2019.unit == "per 100,000 residents"
    assert local_2019.within_name == "every local authority in England"


def test_each_rate_is_computed_from_the_count_and_the_population(local_2019: Comparison) -> None:
    assert len(local_2019.rows) == 309 and len(local_2019.rated) == 309
    for row in local_2019.rows:
        source = SOURCE[(row.area_code, "2019")]
        assert row.value == int(source["people_sleeping_rough"])
        assert row.denominator == int(source["population_mid_year"])
        assert row.rate == pytest.approx(row.value / row.denominator * 1e5)
    rates = [row.rate for row in local_2019.rated]
    assert rates == sorted(rates, reverse=True)  # ranked: highest first


def test_verdicts_follow_the_rate_against_the_exact_limits(local_2019: Comparison) -> None:
    assert local_2019.benchmark is not None
    england = local_2019.benchmark.rate
    for row in local_2019.rated:
        assert row.rate is not None and row.denominator is not None
        limits = funnel.exact_limits(funnel.POISSON, england, row.denominator, 100_000)
        assert (row.lower_95, row.upper_95, row.lower_998, row.upper_998) == (
            limits.lower_95,
            limits.upper_95,
            limits.lower_998,
            limits.upper_998,
        )
        assert row.verdict_plain == funnel.verdict(row.rate, limits)
        # over-dispersed, so the verdict in use is the adjusted one
        assert row.verdict == row.verdict_adjusted and row.verdict_basis == funnel.ADJUSTED
    by_name = {row.area_name: row for row in local_2019.rows}
    westminster = by_name["Westminster"]  # 333 of 261,317 residents: 127 per 100,000
    assert westminster.rate is not None and westminster.upper_998 is not None
    assert westminster.rate > westminster.upper_998 and westminster.verdict == "above 99.8%"
    within = [row for row in local_2019.rated if row.verdict_plain == "within"]
    assert within and all(
        (row.lower_95 or 0) <= (row.rate or 0) <= (row.upper_95 or 0) for row in within
    )
    own = westminster.ci_lower_95, westminster.ci_upper_95
    assert own[0] is not None and own[1] is not None and own[0] < westminster.rate < own[1]
    assert westminster.difference == pytest.approx(westminster.rate - england)


def test_plain_verdicts_are_the_exact_test_at_every_count(local_2019: Comparison) -> None:
    """An area is above the plain 95% limit exactly when P(R >= O) < 0.025 at England's
    rate, and below it exactly when P(R <= O) < 0.025 (likewise 0.001 for 99.8%): no
    interpolation flags a small area that chance alone puts there one time in ten."""
    assert local_2019.benchmark is not None
    england = local_2019.benchmark.rate
    for row in local_2019.rated:
        assert row.value is not None and row.denominator is not None
        count, mean = round(row.value), england / 1e5 * row.denominator
        above = 1 - dist.poisson_cdf(count - 1, mean)  # P(R >= O)
        below = dist.poisson_cdf(count, mean)  # P(R <= O)
        expected = (
            "above 99.8%" if above < 0.001 else "above 95%" if above < 0.025
            else "below 99.8%" if below < 0.001 else "below 95%" if below < 0.025
            else "within"
        )  # fmt: skip
        assert row.verdict_plain == expected, row.area_name
    plain = {row.area_name: row.verdict_plain for row in local_2019.rated}
    # Spiegelhalter's interpolated limits called these "above 95%": P = 0.033, 0.033, 0.044
    for name in ("Kensington and Chelsea", "South Lakeland", "Surrey Heath"):
        assert plain[name] == "within"


def test_over_dispersion_decides_the_verdict_in_use(local_2019: Comparison) -> None:
    """phi 5.73: 309 x 5.73 = 1,769 far exceeds 350, the 95% point of chi-squared on 308
    degrees of freedom, so the adjusted verdict is in use: 15 areas above the 99.8% limit
    (named in the headline) where the plain limits put 39 above it and 44 below."""
    spread = local_2019.dispersion
    assert spread is not None and spread.over_dispersed
    assert spread.phi == pytest.approx(5.73, abs=0.005)
    assert funnel.chi_square_critical(308) == pytest.approx(349.93, abs=0.01)
    assert local_2019.verdict_basis == funnel.ADJUSTED
    in_use = Counter(row.verdict for row in local_2019.rated)
    plain = Counter(row.verdict_plain for row in local_2019.rated)
    assert (in_use["above 99.8%"], in_use["above 95%"], in_use["within"]) == (15, 18, 276)
    assert (plain["above 99.8%"], plain["below 99.8%"]) == (39, 44)
    assert sum(v != "within" for v in plain.elements()) == 151
    assert local_2019.headline.startswith("Allowing for over-dispersion, 15 areas lie above")
    for row in local_2019.rated:
        if row.verdict == "above 99.8%":
            assert row.area_name in local_2019.headline
        # the adjusted limits are never inside the plain ones: nothing flagged only by them
        order = ["below 99.8%", "below 95%", "within", "above 95%", "above 99.8%"]
        assert abs(order.index(row.verdict) - 2) <= abs(order.index(row.verdict_plain) - 2)


def test_the_summary_counts_the_areas_outside_each_limit(local_2019: Comparison) -> None:
    verdicts = Counter(row.verdict_plain for row in local_2019.rated)
    above_95 = verdicts["above 95%"] + verdicts["above 99.8%"]
    below_95 = verdicts["below 95%"] + verdicts["below 99.8%"]
    text = local_2019.summary_text
    assert (
        f"outside the 95% limits: {above_95 + below_95} ({above_95} above, {below_95} below)"
        in (text.lower())
    )
    outside_998 = verdicts["above 99.8%"] + verdicts["below 99.8%"]
    assert f"outside the 99.8% limits: {outside_998} (" in text
    assert "Chance alone would put at most about 15 outside the 95% limits" in text
    assert local_2019.dispersion is not None and local_2019.dispersion.over_dispersed
    assert "so the verdict in use allows for it" in text
    assert text.startswith("309 areas of 309") and local_2019.headline in text


def test_the_headline_names_each_outlier_whole(snapshot_db: Database) -> None:
    """Official names with a comma ("Bristol, City of") are not split into two by the list:
    the names are then separated by semicolons."""
    compared = compare_areas(snapshot_db, "rough-sleeping-snapshot", parse_period("2021"))
    named = [row.area_name for row in compared.rated if row.verdict == "above 99.8%"][:20]
    assert "Bristol, City of" in named, "the 2021 outliers include a name with a comma"
    assert "; ".join(named) in compared.headline


def test_region_rates_and_the_east_of_england(snapshot_db: Database) -> None:
    regions = compare_areas(snapshot_db, "rough-sleeping-snapshot", Y2019, within="England")
    assert len(regions.rows) == 9 and regions.within_name == "the regions of England"
    east = next(row for row in regions.rows if row.area_name == "East of England")
    assert east.rate == pytest.approx(458 / 6_236_072 * 1e5)
    assert "sum of its 45 local authorities" in east.denominator_basis
    london = compare_areas(snapshot_db, "rough-sleeping-snapshot", Y2019, within="E12000007")
    assert len(london.rows) == 33
    camden = next(row for row in london.rows if row.area_name == "Camden")
    assert camden.region_name == "London"
    assert camden.region_rate == pytest.approx(1136 / 8_961_989 * 1e5)


def test_a_year_with_no_population_lists_every_area_with_why(snapshot_db: Database) -> None:
    latest = compare_areas(snapshot_db, "rough-sleeping-snapshot", parse_period("2022"))
    assert latest.rated == [] and len(latest.unrated) == 309
    assert {row.why for row in latest.rows} == {"no population for 2022 in the source"}
    assert {row.verdict for row in latest.rows} == {"no figure"}
    westminster = next(row for row in latest.rows if row.area_code == "E09000033")
    assert westminster.value == int(SOURCE[("E09000033", "2022")]["people_sleeping_rough"])
    assert "no population for 2022 in the source (309)" in latest.summary_text


def test_without_a_period_the_newest_comparable_one_is_used(snapshot_db: Database) -> None:
    newest = compare_areas(snapshot_db, "rough-sleeping-snapshot")
    assert newest.period.label == "2021"
    assert "Newer figures (2022) have no denominator" in newest.note
    periods = Metrics(snapshot_db).comparable_periods("rough-sleeping-snapshot")
    assert [p.label for p in periods[:2]] == ["2022", "2021"] and len(periods) == 13


def test_the_rate_measure_is_compared_from_its_count(
    snapshot_db: Database, local_2019: Comparison
) -> None:
    by_rate = compare_areas(snapshot_db, "rough-sleeping-rate", Y2019)
    assert by_rate.measure == "rough-sleeping-snapshot"
    assert [r.as_record() for r in by_rate.rows] == [r.as_record() for r in local_2019.rows]
    assert "not from the rounded rate" in by_rate.note


def test_figures_not_yet_published_are_not_compared(snapshot_db: Database) -> None:
    with pytest.raises(InputError, match="has no figures to compare"):
        compare_areas(snapshot_db, "rough-sleeping-snapshot", known=KnownAt.on(date(2023, 1, 1)))
    with pytest.raises(InputError, match="no figures of rough-sleeping-snapshot for 2030"):
        compare_areas(snapshot_db, "rough-sleeping-snapshot", parse_period("2030"))
    with pytest.raises(InputError, match="money"):
        compare_areas(snapshot_db, "childcare-place-cost")


def _run(db: Database, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    url = db.engine.url.render_as_string(hide_password=False)
    code = main(["--database-url", url, "compare", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_gives_one_csv_record_per_area(snapshot_db: Database) -> None:
    code, out, err = _run(
        snapshot_db, "rough-sleeping-snapshot", "--period", "2019", "--format", "csv"
    )
    assert (code, err) == (0, "")
    header = out.splitlines()[0].split(",")
    assert header[:11] == [
        "area_code", "area_name", "value", "denominator", "rate", "benchmark_rate",
        "lower_95", "upper_95", "lower_998", "upper_998", "verdict",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 309
    assert {row["benchmark_rate"] for row in rows} == {"7.579"}
    assert {row["unit"] for row in rows} == {"per 100,000 residents"}
    for row in rows:
        rate, upper_998 = float(row["rate"]), float(row["upper_998"])
        if row["verdict"] == "above 99.8%":
            assert rate > upper_998
        if row["verdict_plain"] == "within":
            assert float(row["lower_95"]) <= rate <= float(row["upper_95"])
        assert row["verdict_basis"] == "allowing for over-dispersion"
        assert row["verdict"] == row["verdict_adjusted"]
    assert rows[0]["area_name"] == "City of London" and rows[0]["verdict"] == "above 99.8%"


def test_the_command_as_json_and_text(snapshot_db: Database) -> None:
    code, out, _ = _run(
        snapshot_db, "rough-sleeping-snapshot", "--period", "2019", "--format", "json"
    )
    records = json.loads(out)
    assert code == 0 and len(records) == 309
    assert set(records[0]) >= {"area_code", "verdict", "why", "region_rate", "ci_lower_95"}
    assert {"verdict_plain", "verdict_adjusted", "verdict_basis"} <= set(records[0])
    assert all(isinstance(r["denominator"], float) for r in records if r["rate"] is not None)
    code, out, _ = _run(
        snapshot_db, "rough-sleeping-snapshot", "--within", "England", "--period", "2019"
    )
    assert code == 0
    assert out.startswith("People sleeping rough on a single autumn night (official snapshot): ")
    assert "East of England (E12000006)" in out and "outside the 99.8% limits" in out
    code, out, _ = _run(snapshot_db, "rough-sleeping-snapshot", "--period", "2022")
    assert code == 0 and "no figure: no population for 2022 in the source" in out


def test_the_command_exits_1_on_a_bad_measure_or_period(snapshot_db: Database) -> None:
    code, out, err = _run(snapshot_db, "rough-sleeping-snapshto")
    assert (code, out) == (1, "") and "unknown measure" in err
    code, _, err = _run(snapshot_db, "rough-sleeping-snapshot", "--period", "2030")
    assert code == 1 and "periods with figures: 2022, 2021" in err
    with pytest.raises(SystemExit) as caught:
        _run(snapshot_db, "rough-sleeping-snapshot", "--period", "the year 2019")
    assert caught.value.code == 2


def test_the_figures_are_drawn(local_2019: Comparison, tmp_path: Path) -> None:
    from jwmetrics.present.compare_charts import funnel_figure, ranked_figure

    figure = funnel_figure(local_2019, show_adjusted=True)
    points = [trace for trace in figure.data if trace.customdata is not None]
    codes = [item[0] for trace in points for item in trace.customdata]
    assert sorted(codes) == sorted(row.area_code for row in local_2019.rated)
    westminster = next(
        text for trace in points for text in trace.hovertext if "Westminster" in text
    )
    assert "Verdict: above 99.8%" in westminster and "127.43 per 100,000 residents" in westminster
    names = {trace.name for trace in figure.data}
    assert {"England", "95% limits", "99.8% limits", "Within the limits"} <= names
    assert "95% limits allowing for over-dispersion" in names
    assert figure.layout.xaxis.type == "log"
    limit_95 = next(trace for trace in figure.data if trace.name == "95% limits")
    assert len(limit_95.x) == len(local_2019.limits) == 100
    ranked = ranked_figure(local_2019)
    order = list(ranked.layout.yaxis.categoryarray)
    # the first page: the highest 20, the verdict beside each name, highest at the top
    assert order[-1] == "City of London: 421.77 (above 99.8%)" and len(order) == 20
    assert ranked.layout.xaxis.range[1] < 100  # City of London's drawn at the edge
    city = next(t for t in ranked.data if "City of London: 421.77 (above 99.8%)" in t.y)
    assert "arrow-bar-right" in list(city.marker.symbol)
    assert all(trace.error_x.array is not None for trace in ranked.data)


def test_one_extreme_area_does_not_squash_the_funnel(local_2019: Comparison) -> None:
    """City of London (421.8 per 100,000) and Westminster (127.4) are drawn at the top edge
    with their rates written; the axis fits the bulk of the areas, and the log axis labels
    only 1, 2 and 5 times a power of ten."""
    from jwmetrics.present.compare_charts import funnel_figure, rate_ceiling

    ceiling = rate_ceiling(local_2019)
    assert ceiling is not None and 30 < ceiling < 60
    figure = funnel_figure(local_2019)
    assert figure.layout.yaxis.range[1] == pytest.approx(ceiling * 1.04)
    labels = [note.text for note in figure.layout.annotations]
    assert "City of London: 421.77 (off the scale)" in labels
    assert any(t.startswith("Westminster: 127.43") for t in labels)
    assert not any("Hillingdon" in t for t in labels)  # 34.5: on the scale
    points = [trace for trace in figure.data if trace.customdata is not None]
    drawn = max(y for trace in points for y in trace.y)
    assert drawn == pytest.approx(ceiling)
    ticks = list(figure.layout.xaxis.ticktext)
    assert ticks[:3] == ["2,000", "5,000", "10,000"] and len(ticks) <= 10
    # the points are marked by the verdict in use: 15 above the 99.8% limit
    above = next(t for t in points if t.name == "Above the 99.8% limit")
    assert len(above.x) == 15
    assert "allowing for over-dispersion" in figure.layout.title.subtitle.text


def test_the_ranked_areas_come_a_page_at_a_time(local_2019: Comparison) -> None:
    from jwmetrics.present.compare_charts import ranked_figure, ranked_pages

    pages = ranked_pages(local_2019)
    labels = list(pages)
    assert labels[0] == "Highest 20 rates (ranks 1 to 20)"
    assert labels[1] == "Lowest 20 rates (ranks 290 to 309)"
    assert labels[2] == "Ranks 21 to 40" and labels[-1] == "Ranks 281 to 289"
    assert sum(len(rows) for rows in pages.values()) == 309
    codes = [row.area_code for rows in pages.values() for row in rows]
    assert sorted(codes) == sorted(row.area_code for row in local_2019.rated)
    lowest = ranked_figure(local_2019, pages[labels[1]])
    assert 400 <= lowest.layout.height <= 900  # a screen, not 5,164 px
    bottom_row = lowest.layout.yaxis.categoryarray[0]
    assert bottom_row.startswith(local_2019.rated[-1].area_name)


def test_the_method_document_quotes_what_the_code_gives(local_2019: Comparison) -> None:
    doc = " ".join(
        (Path(__file__).resolve().parents[2] / "docs" / "compare.md").read_text().split()
    )
    outside = sum(row.verdict_plain != "within" for row in local_2019.rated)
    assert f"in 2019, {outside} of 309 local authorities lie outside the 95% limits (plain)" in doc
    limits = funnel.exact_limits(funnel.BINOMIAL, 50.0, 10, 100.0)
    assert f"between 10% and 20%, at {limits.lower_95:.2f}%" in doc
    assert f"likewise the upper at {limits.upper_95:.2f}%" in doc
    old = funnel.binomial_limits(50.0, 10)
    assert f"{old.lower_95:.2f}% and {old.upper_95:.2f}% in the example" in doc
    spread = local_2019.dispersion
    assert spread is not None
    assert f"phi is {spread.phi:.2f} and 309 × {spread.phi:.2f} = {309 * spread.phi:,.0f}" in doc
