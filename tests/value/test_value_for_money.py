"""Value for money: spreading spend to financial years, the cost-per-outcome arithmetic
against the report's own figures (paragraph 18), as known on, bounds, the deflator path
(with a synthetic, test-only deflator file) and the ``value-for-money`` command.

Database tests run once on SQLite and once on PostgreSQL (the ``db`` and ``db_url``
fixtures of conftest.py).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Spend
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import financial_year, parse_period
from jwmetrics.present.value_tables import cost_words
from jwmetrics.problems import InputError
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.writes import ObservationInput, add_observations
from jwmetrics.value import spend as value_spend
from jwmetrics.value.for_money import ValueRecord, value_for_money
from jwmetrics.value.records import MeasureFacts, Prices, measure_records
from jwmetrics.value.spend import dated_lines, read_deflators, spend_between, spend_by_year

ENGLAND = "E92000001"
SYNTHETIC_DEFLATOR = Path(__file__).resolve().parent / "synthetic_gdp_deflators.csv"
"""A made-up deflator (index 90, 92, 96, 100 for 1998-99 to 2001-02): labelled synthetic in
its ``source`` column, kept in tests/ and never in data/."""
HEAD = {"slug": "synthetic", "name": "Synthetic initiative", "form": "Formal partnership"}
RSU_DAYS = 1096  # 1 April 1999 to 31 March 2002, 1999-00 a leap year of 366 days


def spend(period: str, amount: float, basis: str = "per_year", plan: str = "stated") -> Spend:
    """A spend line not in any database (synthetic)."""
    span = parse_period(period)
    return Spend(
        initiative_slug="synthetic",
        period=period,
        period_start=span.start,
        period_end=span.end,
        amount_gbp=amount,
        basis=basis,
        plan_or_actual=plan,
        wording="synthetic",
        source="synthetic test line",
        recorded_at=datetime(2001, 12, 7),
    )


def figure(period: str, value: float | None, qualifier: str = "exact") -> ObservationView:
    """A figure not in any database (synthetic)."""
    return ObservationView(
        id=1,
        measure_id=1,
        area_code=ENGLAND,
        period=parse_period(period),
        value=value,
        qualifier=qualifier,
        marker=None,
        data_status="final",
        partner="",
        note="",
        source="synthetic test figure",
        return_id=None,
        row_number=None,
        published_on=date(2001, 12, 7),
        recorded_at=datetime(2001, 12, 7),
    )


def facts(
    *figures: ObservationView,
    direction: str = "up",
    baseline: tuple[float, date | None, str] | None = None,
) -> MeasureFacts:
    return MeasureFacts(
        "synthetic-measure", "Synthetic", "places", direction, "", list(figures), baseline
    )


def by_year(records: list[ValueRecord]) -> dict[str | None, ValueRecord]:
    return {r.year: r for r in records}


def rsu_record(db: Database, year: str, **options: object) -> ValueRecord:
    report = value_for_money(db, "rough-sleepers-unit", **options)  # type: ignore[arg-type]
    return by_year(report.initiatives[0].records)[year]


# Spreading spend to financial years -----------------------------------------------------------


def test_a_total_is_spread_pro_rata_by_days() -> None:
    rsu = spend("1999-04-01/2002-03-31", 200e6, basis="total")
    years = spend_by_year([rsu])
    assert [y.label for y in years] == ["1999-00", "2000-01", "2001-02"]
    assert years[financial_year(1999)].amount_gbp == pytest.approx(200e6 * 366 / RSU_DAYS)
    assert years[financial_year(2000)].amount_gbp == pytest.approx(200e6 * 365 / RSU_DAYS)
    assert sum(p.amount_gbp for p in years.values()) == pytest.approx(200e6)


def test_a_years_amount_counts_on_the_days_of_its_period() -> None:
    """£365m a year from October 2000 to September 2001: 182 days in 2000-01, 183 after."""
    line = spend("2000-10-01/2001-09-30", 365e6)
    years = spend_by_year([line])
    assert years[financial_year(2000)].amount_gbp == pytest.approx(182e6)
    assert years[financial_year(2001)].amount_gbp == pytest.approx(183e6)
    assert years[financial_year(2001)].days == 183


def test_lines_of_the_same_period_are_replaced_and_undated_ones_kept_apart() -> None:
    plan = spend("2003-04", 650e6, plan="planned")
    outturn = spend("2003-04", 640e6, plan="actual")
    undated = Spend(amount_gbp=160e6, basis="per_year", plan_or_actual="stated")
    dated, apart = dated_lines([plan, undated, outturn])
    assert dated == [outturn] and apart == [undated]
    (piece,) = spend_by_year(dated).values()
    assert (piece.amount_gbp, piece.planned) == (640e6, False)


def test_spend_between_says_how_many_days_a_line_covers() -> None:
    """The Rough Sleepers Unit's £200m starts in April 1999: of the 1,096 days after the June
    1998 count up to the June 2001 one, it covers 822 (exactly three quarters)."""
    rsu = spend("1999-04-01/2002-03-31", 200e6, basis="total")
    span = spend_between([rsu], date(1998, 7, 1), date(2001, 6, 30))
    assert (span.covered_days, span.days, span.coverage) == (822, 1096, 0.75)
    assert sum(p.amount_gbp for p in span.pieces) == pytest.approx(150e6)
    before = spend_between([rsu], date(1998, 7, 1), date(1999, 3, 31))
    assert (before.covered_days, before.pieces) == (0, [])


# The report's own figures (paragraph 18) ------------------------------------------------------


def test_rough_sleeping_cost_per_person_against_the_reports_figures(db: Database) -> None:
    """The report: about £120,000 per person fewer sleeping rough before the Unit (1998 to
    1999) and about £70,000 with it (1999 to 2001), in real terms (paragraph 18, footnote 6).

    From the spend lines: the count fell by 1,150, from 1,850 (June 1998) to 700 (June
    2001). The only spend line is the Unit's £200m over April 1999 to March 2002 (Figure 4),
    spread evenly by days; £150m of it falls in the 1,096 days between the two counts
    (it covers 822 of them). £150m / 1,150 = £130,435 per person fewer: 1.86 times the
    report's £70,000. All three years' £200m over the same fall would be £173,913.

    Why it differs: (1) the report divides "the expenditure on rough sleeping over these
    years", which it does not state; for the spend lines to give £70,000 the count would have
    had to fall by 2,143 people, more than the 1,850 counted in 1998, so the report's spend
    must be narrower than the Unit's whole budget spread evenly (or not spent evenly);
    (2) the report splits the fall at 1999, a count it does not give, so here one span runs
    across both its periods, and the £120,000 before the Unit cannot be computed at all (no
    spend line before April 1999); (3) the report's costs are in real terms and these are
    nominal (no deflator is shipped), but prices would have to have nearly halved for that
    to close the gap. Footnote 6's caveat holds for both: a fall in the count is not the
    number of people housed.
    """
    record = rsu_record(db, "2001-02")
    assert (record.outcome, record.change, record.change_since) == (700, -1150, "June 1998")
    assert record.change_spend == pytest.approx(150e6)
    assert record.spend_coverage == 0.75
    assert record.cost_per_unit_change == pytest.approx(130_434.78, abs=0.01)
    assert record.cost_per_unit_change / 70_000 == pytest.approx(1.86, abs=0.005)
    assert pytest.approx(173_913.04, abs=0.01) == 200e6 / 1150
    assert pytest.approx(2142.9, abs=0.1) == 150e6 / 70_000 and 150e6 / 70_000 > 1850
    assert "822 of the 1,096 days" in record.note
    assert record.cost_per_unit is None and "less is better" in (record.why or "")
    first = rsu_record(db, "1998-99")  # before the Unit: the £120,000 has no spend line here
    assert (first.spend, first.cost_per_unit_change) == (None, None)
    references = value_for_money(db, "rough-sleepers-unit").initiatives[0].references
    assert [(r.value, r.qualifier, r.period.label) for r in references] == [
        (120_000, "around", "1998 to 1999"),
        (70_000, "around", "1999 to 2001"),
    ]


def test_childcare_place_cost_against_the_reports_figure(db: Database) -> None:
    """The report: £650 per childcare place under the partnerships, against £640 per out of
    school place before (paragraph 18). From the spend lines: £300m in 2000-01 over the
    140,000 places created by March 2001 is £2,143 a place, 3.3 times £650: the £300m pays
    for early education (the nursery places of 3 and 4 year olds) as well as childcare
    (Figure 4), and the 140,000 places were created over the partnerships' life, not in one
    year; the report does not say how its £650 is counted."""
    report = value_for_money(db, "eydcp")
    records = [r for r in report.initiatives[0].records if r.measure == "new-childcare-places"]
    record = by_year(records)["2000-01"]
    assert record.cost_per_unit == pytest.approx(2142.86, abs=0.01)
    assert record.cost_per_unit / 650 == pytest.approx(3.3, abs=0.05)
    assert record.change == 140_000 and record.change_since == "the baseline"
    assert record.cost_per_unit_change is None and "baseline has no date" in (record.why or "")
    assert [r.value for r in report.initiatives[0].references] == [650, 640]


def test_a_bound_is_not_divided(db: Database) -> None:
    """ "Over half of 3 year olds" (over 50%) is a bound, not a value."""
    report = value_for_money(db, "eydcp")
    (bound, planned) = [
        r for r in report.initiatives[0].records if r.measure == "nursery-places-3-year-olds"
    ]
    assert (bound.outcome, bound.outcome_qualifier, bound.cost_per_unit) == (50, "over", None)
    assert "bound (over 50%)" in (bound.why or "")
    assert (planned.year, planned.spend, planned.spend_status) == ("2003-04", 650e6, "planned")
    assert planned.why == "No figure of this measure in 2003-04."


def test_spend_stated_without_a_year_is_paired_with_no_figure(db: Database) -> None:
    (record,) = value_for_money(db, "business-link").initiatives[0].records
    assert (record.year, record.spend, record.cost_per_unit) == (None, 160e6, None)
    assert "without saying which year" in (record.why or "")


# The arithmetic's edges (synthetic figures) ---------------------------------------------------


def test_costs_per_unit_and_per_unit_of_change() -> None:
    lines = [spend("2000-01", 365e6), spend("2001-02", 730e6)]
    records = by_year(
        measure_records(
            HEAD, facts(figure("2001-03-31", 1000), figure("2002-03-31", 3000)), lines, Prices()
        )
    )
    assert records["2000-01"].cost_per_unit == pytest.approx(365_000)
    later = records["2001-02"]
    assert later.cost_per_unit == pytest.approx(730e6 / 3000)
    assert (later.change, later.change_since) == (2000, "31 March 2001")
    assert later.change_spend == pytest.approx(730e6) and later.spend_coverage == 1
    assert later.cost_per_unit_change == pytest.approx(365_000)
    assert later.why is None and later.note == ""


def test_zero_a_standstill_and_the_wrong_way_are_not_divided() -> None:
    lines = [spend("2000-01", 1e6), spend("2001-02", 1e6), spend("2002-03", 1e6)]
    series = facts(figure("2001-03-31", 0), figure("2002-03-31", 10), figure("2003-03-31", 10))
    records = by_year(measure_records(HEAD, series, lines, Prices()))
    assert records["2000-01"].cost_per_unit is None
    assert "the figure is zero" in (records["2000-01"].why or "")
    assert records["2002-03"].cost_per_unit_change is None
    assert "no change since 31 March 2002" in (records["2002-03"].why or "")
    worse = measure_records(
        HEAD, facts(figure("2001-03-31", 20), figure("2002-03-31", 10)), lines, Prices()
    )
    assert worse[1].change == -10 and worse[1].cost_per_unit_change is None
    assert "moved the wrong way" in (worse[1].why or "")


def test_no_spend_over_the_change_and_no_figure_that_year() -> None:
    records = by_year(
        measure_records(
            HEAD,
            facts(figure("1998-03-31", 5), figure("1999-03-31", 9)),
            [spend("2000-01", 1e6)],
            Prices(),
        )
    )
    assert records["1998-99"].cost_per_unit_change is None
    assert "no spend line covers the days from 1 April 1998" in (records["1998-99"].why or "")
    assert "no spend line covers 1998-99" in (records["1998-99"].why or "")
    assert records["2000-01"].why == "No figure of this measure in 2000-01."


def test_a_dated_baseline_starts_the_change() -> None:
    series = facts(figure("2001-03-31", 300), baseline=(100, date(2000, 3, 31), "March 2000"))
    (record,) = measure_records(HEAD, series, [spend("2000-01", 10e6)], Prices())
    assert (record.change, record.change_since) == (200, "the baseline (March 2000)")
    assert record.cost_per_unit_change == pytest.approx(50_000)
    assert (record.change_start, record.change_end) == (date(2000, 4, 1), date(2001, 3, 31))


# As known on ----------------------------------------------------------------------------------


def test_nothing_of_the_report_is_known_before_it_was_published(db: Database) -> None:
    assert value_for_money(db, as_of=date(2001, 12, 6)).records() == []
    assert value_for_money(db, as_of=date(2001, 12, 7)).records() != []


def test_a_later_figure_counts_from_its_publication(db: Database) -> None:
    """A synthetic June 2002 count of 550, published 1 September 2002: 150 fewer than June
    2001 over days the Unit's spend covers only to March 2002 (274 of 365: £50m)."""
    with db.session() as session, session.begin():
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
        item = ObservationInput(
            measure_id=measure_id,
            area_code=ENGLAND,
            period=parse_period("June 2002"),
            value=550,
            source="synthetic test figure",
            published_on=date(2002, 9, 1),
        )
        add_observations(session, [item], recorded_at=datetime(2002, 9, 1))
    before = value_for_money(db, "rough-sleepers-unit", as_of=date(2002, 8, 31))
    assert "2002-03" not in {r.year for r in before.initiatives[0].records}
    record = rsu_record(db, "2002-03", as_of=date(2002, 9, 1))
    assert (record.outcome, record.change, record.spend) == (550, -150, None)
    assert record.change_spend == pytest.approx(50e6)
    assert record.cost_per_unit_change == pytest.approx(50e6 / 150)


def test_a_spend_line_counts_from_when_it_was_recorded(db: Database, tmp_path: Path) -> None:
    """A synthetic 1998-99 line, added now, fills the days before the Unit's £200m."""
    path = tmp_path / "spend.csv"
    path.write_text(
        "initiative,period,amount_gbp,basis,plan_or_actual,wording,source\n"
        'rough-sleepers-unit,1998-99,36500000,per_year,actual,"synthetic",synthetic test line\n'
    )
    Metrics(db).add_catalogue(path)
    then = rsu_record(db, "2001-02", as_of=date(2001, 12, 7))
    assert then.spend_coverage == 0.75
    now = rsu_record(db, "2001-02")
    assert now.spend_coverage == 1 and now.note == ""
    assert now.change_spend == pytest.approx(150e6 + 36.5e6 * 274 / 365)


# Real terms ------------------------------------------------------------------------------------


def test_no_deflator_is_shipped_so_amounts_are_nominal(db: Database) -> None:
    assert not value_spend.DEFLATOR_PATH.exists()
    report = value_for_money(db)
    assert report.basis == "nominal" and {r["basis"] for r in report.records()} == {"nominal"}


def test_real_terms_with_a_synthetic_deflator(db: Database) -> None:
    report = value_for_money(db, deflator_path=SYNTHETIC_DEFLATOR)
    assert report.basis == "real, 2001-02 prices" and "SYNTHETIC" in report.deflator_source
    record = rsu_record(db, "2001-02", deflator_path=SYNTHETIC_DEFLATOR)
    day = 200e6 / RSU_DAYS
    assert record.basis == "real, 2001-02 prices"
    assert record.change_spend == pytest.approx(day * (366 * 100 / 92 + 365 * 100 / 96 + 91))
    assert rsu_record(db, "1999-00", deflator_path=SYNTHETIC_DEFLATOR).spend == pytest.approx(
        day * 366 * 100 / 92
    )
    eydcp = [r for r in report.records() if r["initiative"] == "eydcp"]
    assert {r["year"]: r["basis"] for r in eydcp} == {  # no index for 2003-04
        "2000-01": "real, 2001-02 prices",
        "2003-04": "nominal",
    }


def test_a_malformed_deflator_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "gdp_deflators.csv"
    path.write_text(
        "financial_year,index,base_year,source\n2000-01,95,2001-02,x\nJune 2001,-3,2001-02,x\n"
    )
    with pytest.raises(InputError) as refused:
        read_deflators(path)
    message = str(refused.value)
    assert "row 3, column 'financial_year': 'June 2001'" in message
    assert "row 3, column 'index': '-3' — expected a positive number" in message
    assert "no row gives the index of the base year 2001-02" in message
    path.write_text("year,index\n2001-02,100\n")
    with pytest.raises(InputError, match="missing column"):
        read_deflators(path)
    assert read_deflators(tmp_path / "absent.csv") is None


# The command line ----------------------------------------------------------------------------


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_json_has_one_record_per_initiative_measure_and_year(db_url: str) -> None:
    code, out, _ = run(db_url, "value-for-money", "--format", "json")
    records = json.loads(out)
    assert code == 0
    documented = {
        "initiative", "measure", "year", "spend", "outcome", "cost_per_unit", "basis",
        "change", "cost_per_unit_change", "why",
    }  # fmt: skip
    assert all(documented <= set(r) for r in records)
    keys = [(r["initiative"], r["measure"], r["year"]) for r in records]
    assert len(keys) == len(set(keys)) == 15
    assert {r["initiative"] for r in records} == {
        "rough-sleepers-unit", "eydcp", "sure-start", "business-link",
        "british-trade-international",
    }  # fmt: skip
    rsu = next(r for r in records if r["year"] == "2001-02")
    assert rsu["cost_per_unit_change"] == pytest.approx(130_434.78, abs=0.01)
    assert (rsu["change_start"], rsu["change_end"]) == ("1998-07-01", "2001-06-30")
    assert all(r["why"] for r in records if r["cost_per_unit"] is None)
    one = json.loads(run(db_url, "value-for-money", "Sure Start", "--format", "json")[1])
    assert {r["initiative"] for r in one} == {"sure-start"}


def test_cli_text(db_url: str) -> None:
    code, out, _ = run(db_url, "value-for-money", "rough-sleepers-unit")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].endswith("in nominal pounds (no deflator in data/gdp_deflators.csv)")
    assert lines[1] == "Rough Sleepers Unit (Formal partnership)"
    assert (
        "    2001-02: spend £66.6m; figure 700 (June 2001); change -1,150 since June 1998: "
        "£130,435 per person fewer (£150m over the change)"
    ) in lines
    assert (
        "  The report's figure: Average cost of reducing the number of people counted "
        "sleeping rough by one: around £120,000 (1998 to 1999); around £70,000 (1999 to 2001)"
    ) in lines
    assert lines[-1].startswith("Costs of different outcomes are not comparable in money")


def test_cli_real_terms_when_data_has_a_deflator(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(value_spend, "DEFLATOR_PATH", SYNTHETIC_DEFLATOR)
    records = json.loads(run(db_url, "value-for-money", "eydcp", "--format", "json")[1])
    assert {r["basis"] for r in records} == {"real, 2001-02 prices", "nominal"}
    code, out, _ = run(db_url, "value-for-money", "eydcp")
    assert code == 0 and "in real, 2001-02 prices where the deflator covers" in out


def test_cli_problems_and_usage(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(db_url, "value-for-money", "Rough Sleepers")
    assert (code, out) == (1, "") and "unknown initiative" in err
    with pytest.raises(SystemExit) as usage:
        run(db_url, "value-for-money", "--format", "csv")
    assert usage.value.code == 2
    broken = tmp_path / "gdp_deflators.csv"
    broken.write_text("financial_year,index,base_year,source\n2001-02,abc,2001-02,x\n")
    monkeypatch.setattr(value_spend, "DEFLATOR_PATH", broken)
    code, out, err = run(db_url, "value-for-money")
    assert (code, out) == (1, "") and "row 2, column 'index'" in err


def test_balancing_measures_are_watched_not_bought(db: Database) -> None:
    """Spend is never divided by a balancing measure (people returning to the streets,
    hostel places): it is what could get worse, not what the money buys."""
    from jwmetrics.value.for_money import value_for_money as report_of

    report = report_of(db, "rough-sleepers-unit", date(2002, 6, 1))
    measures = {r.measure for item in report.initiatives for r in item.records}
    assert "rough-sleepers-count" in measures
    assert not {"rough-sleepers-returning", "rough-sleepers-hostel-places"} & measures


# Every cost in words, per extra unit, with its caveat ------------------------------------------


def test_each_cost_is_worded_per_extra_unit_with_its_caveat(db: Database) -> None:
    """The cards' words: a cost of change per person fewer with its caveat; 140,000 places
    created since a baseline of none is £2,143 per extra place, caveat one year's spend; a
    share's level is never priced ("£3,000,000 per percentage point" said nothing)."""
    report = value_for_money(db)
    latest = {
        r.measure: r for item in report.initiatives for r in item.records if r.outcome is not None
    }
    rough = cost_words(latest["rough-sleepers-count"])
    assert rough.startswith("£130,435 per person fewer (July 1998 to June 2001); caveat: ")
    assert "spend lines cover 822 of the 1,096 days" in rough
    places = cost_words(latest["new-childcare-places"])
    assert places == (
        "£2,143 per extra place (2000-01); caveat: 2000-01's spend divided by the 140,000 "
        "places created since the baseline, as the spend over the whole change is not known"
    )
    share = cost_words(latest["nursery-places-4-year-olds"])
    assert latest["nursery-places-4-year-olds"].cost_per_unit == pytest.approx(3e6)
    assert "£" not in share and share.startswith("no cost worked out: a share is not a count")


def test_a_count_that_is_not_a_change_says_it_is_not_the_cost_of_one_more() -> None:
    lines = [spend("2000-01", 365e6)]
    (record,) = measure_records(HEAD, facts(figure("2001-03-31", 1000)), lines, Prices())
    assert cost_words(record).startswith(
        "£365,000 spent per place counted in 2000-01; caveat: the year's spend divided by the "
        "figure, not the cost of an extra place"
    )
