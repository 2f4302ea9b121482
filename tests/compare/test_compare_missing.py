"""Comparing areas when figures are missing or are shares, on SQLite and PostgreSQL.

A ".." (not available) is never a zero: the area is listed as "no figure" with the reason and
counts in no total. Without England's figure the benchmark is the areas' pooled rate, said
so. A percentage is compared by the number it is a share of (binomial limits, Wilson
intervals), and without one every area is listed with why.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.compare import funnel
from jwmetrics.compare.areas import compare_areas
from jwmetrics.compare.intervals import wilson
from jwmetrics.db.engine import Database
from jwmetrics.periods import parse_period
from jwmetrics.returns import check_return, commit_return

Y2019 = parse_period("2019")
LONDON = "E12000007"


def _commit(db: Database, lines: list[str], published: date) -> None:
    header = "initiative,measure,area_code,period,value,note\n"
    data = (header + "\n".join(lines) + "\n").encode("utf-8")
    check = check_return(db, data, "test.csv", partner="test", published_on=published)
    assert not check.errors, check.errors
    commit_return(db, check, uploaded_by="test", confirm_warnings=True)


def test_a_not_available_figure_is_listed_and_never_counted_as_zero(db: Database) -> None:
    load_snapshot(db, published_on=date(2023, 2, 28))
    before = compare_areas(db, "rough-sleeping-snapshot", Y2019, within=LONDON)
    _commit(
        db,
        [
            "rough-sleepers-unit,rough-sleeping-snapshot,E09000033,2019,..,withdrawn for checking",
            "rough-sleepers-unit,rough-sleeping-snapshot,E92000001,2019,..,",
        ],
        date(2023, 3, 1),
    )
    after = compare_areas(db, "rough-sleeping-snapshot", Y2019, within=LONDON)
    westminster = next(row for row in after.rows if row.area_code == "E09000033")
    assert (westminster.verdict, westminster.value, westminster.rate) == ("no figure", None, None)
    assert westminster.why == "not available (..) in the source: withdrawn for checking"
    assert westminster.denominator == 261_317  # the population is known; the count is not
    assert len(after.rated) == 32 and after.rows[-1] is westminster
    # England's own figure is ".." too, so the benchmark is pooled over the 32 with a rate:
    # Westminster's population is not in it, as it would be were ".." read as 0.
    others = [row for row in before.rated if row.area_code != "E09000033"]
    assert after.benchmark is not None and "pooled" in after.benchmark.basis
    assert after.benchmark.value == sum(row.value or 0 for row in others)
    assert after.benchmark.denominator == sum(row.denominator or 0 for row in others)
    assert "not available (..) in the source: withdrawn for checking (1)" in after.summary_text
    # As known before the revision, Westminster and England's figures count as they were.
    from jwmetrics.store.known import KnownAt

    then = compare_areas(
        db, "rough-sleeping-snapshot", Y2019, known=KnownAt.on(date(2023, 2, 28)), within=LONDON
    )
    assert then.benchmark is not None and then.benchmark.basis == "England"
    assert [row.as_record() for row in then.rows] == [row.as_record() for row in before.rows]


SHARE_MEASURES = (
    "initiative,slug,name,unit,direction,kind,description,results_expected,too_early_note,"
    "source\n"
    "eydcp,test-share-placed,Share of children placed (synthetic),percent,up,outcome,"
    "Synthetic test measure.,,,test\n"
    "eydcp,test-children,Children eligible (synthetic),people,up,output,"
    "Synthetic test measure.,,,test\n"
)
SHARES = {  # area: (per cent placed, children eligible); synthetic figures
    "E09000033": (50.0, 200),
    "E09000007": (80.0, 150),
    "E09000001": (70.0, 10),
    "E09000019": (20.0, 400),
    "E09000002": (55.0, 200),
}


def test_a_percentage_is_compared_by_the_number_it_is_a_share_of(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "measures.csv"
    path.write_text(SHARE_MEASURES, encoding="utf-8")
    load_catalogue_file(db, path)
    lines = []
    for code, (share, children) in SHARES.items():
        lines.append(f"eydcp,test-share-placed,{code},2019,{share}%,synthetic")
        lines.append(f"eydcp,test-children,{code},2019,{children},synthetic")
    lines.append("eydcp,test-share-placed,E92000001,2019,45%,synthetic")
    _commit(db, lines, date(2023, 3, 1))

    shares = compare_areas(
        db, "test-share-placed", Y2019, within=LONDON, denominator_measure="test-children"
    )
    assert shares.kind == funnel.BINOMIAL and shares.unit == "%"
    assert shares.benchmark is not None and shares.benchmark.rate == 45.0
    assert len(shares.rated) == 5 and len(shares.unrated) == 28
    for row in shares.rated:
        share, children = SHARES[row.area_code]
        assert (row.rate, row.denominator) == (share, children)
        limits = funnel.exact_limits(funnel.BINOMIAL, 45.0, children, 100.0)
        assert (row.lower_95, row.upper_998) == (limits.lower_95, limits.upper_998)
        assert row.verdict_plain == funnel.verdict(share, limits)
        own = wilson(share / 100 * children, children)
        assert row.ci_lower_95 == pytest.approx(own.lower * 100)
        assert row.interval_method == "Wilson"
    verdicts = {row.area_code: row.verdict_plain for row in shares.rated}
    assert verdicts["E09000007"] == "above 99.8%"  # 80% of 150 against 45%
    assert verdicts["E09000019"] == "below 99.8%"  # 20% of 400
    assert verdicts["E09000002"] == "above 95%"  # 55% of 200
    assert verdicts["E09000001"] == "within"  # 70% of only 10: a small area's noise is wide
    assert verdicts["E09000033"] == "within"  # 50% of 200
    assert {row.why for row in shares.unrated} == {"no figure for 2019"}

    without = compare_areas(db, "test-share-placed", Y2019, within=LONDON)
    assert without.rated == [] and without.benchmark is not None  # England 45%
    having = [row for row in without.rows if row.area_code in SHARES]
    assert {row.why for row in having} == {
        "a percentage is compared by the number it is a share of, and none is recorded "
        "(name a denominator measure)"
    }
