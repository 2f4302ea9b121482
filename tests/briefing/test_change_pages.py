"""Changes a page at a time: counts by kind, newest first, "show more" without gaps or
duplicates, the same records as the full listing (both backends), on the kept-table path
and on the ranked path of an earlier moment."""

from __future__ import annotations

from datetime import date, datetime

from jwmetrics.briefing import figure_changes
from jwmetrics.briefing.changes import change_counts, change_page, changes_between
from jwmetrics.briefing.figure_changes import COUNT_CAP, count_figure_changes
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure
from jwmetrics.returns import check_return, commit_return
from jwmetrics.store.known import KnownAt

HEADER = "initiative,measure,area_code,period,value,note\n"
ROW = "rough-sleepers-unit,rough-sleepers-count,{area},{period},{value},synthetic\n"
AREAS = ("E92000001", "E12000007", "E12000001")
PERIODS = ("June 2002", "June 2003", "June 2004")
SINCE = date(2001, 12, 7)


def commit(db: Database, rows: list[tuple[str, str, int]], published_on: date) -> None:
    """Commit rows (area, period, value) of the rough sleepers count, published that day."""
    text = "".join(ROW.format(area=a, period=p, value=v) for a, p, v in rows)
    check = check_return(
        db, (HEADER + text).encode(), f"r{published_on}.csv", published_on=published_on
    )
    assert not check.errors, check.errors
    commit_return(db, check, confirm_warnings=True, uploaded_by="uploader")


def nine_figures_then_revisions(db: Database) -> None:
    """Nine new figures on 1 March 2005; on 1 April two revised, one republished unchanged."""
    commit(db, [(a, p, 500 + 10 * i) for i, (a, p) in enumerate(_keys())], date(2005, 3, 1))
    commit(
        db,
        [(AREAS[0], PERIODS[0], 499), (AREAS[1], PERIODS[1], 1), (AREAS[2], PERIODS[2], 580)],
        date(2005, 4, 1),
    )


def _keys() -> list[tuple[str, str]]:
    return [(a, p) for a in AREAS for p in PERIODS]


def all_pages(db: Database, kind: str, as_of: date, limit: int, **kw: object) -> list[list]:
    """Every page of one kind, following ``next_after`` to the end."""
    pages, after = [], None
    while True:
        page = change_page(db, kind, SINCE, as_of, "rough-sleepers-unit", after, limit, **kw)  # type: ignore[arg-type]
        pages.append(page.records)
        if page.next_after is None:
            return pages
        after = page.next_after


def test_figure_pages_are_the_full_listing_newest_first_without_gaps(db: Database) -> None:
    nine_figures_then_revisions(db)
    as_of = date(2005, 5, 1)
    full = [
        c for c in changes_between(db, SINCE, as_of, "rough-sleepers-unit") if c.kind == "figure"
    ]
    # The nine new figures count once each, as their April value where revised; the one
    # sent again unchanged on 1 April (580) keeps its March publication.
    assert len(full) == 9
    april = [(c.area_code, c.period, c.before, c.after) for c in full if c.when == date(2005, 4, 1)]
    assert sorted(april) == sorted(
        [
            (AREAS[0], PERIODS[0], None, 499.0),
            (AREAS[1], PERIODS[1], None, 1.0),
        ]
    )
    assert [c.when for c in full] == sorted((c.when for c in full), reverse=True)  # newest first
    pages = all_pages(db, "figure", as_of, limit=2)
    assert [len(p) for p in pages] == [2, 2, 2, 2, 1]
    assert [c for p in pages for c in p] == full  # same records, same order: no gap, no repeat
    counts = {
        c.kind: (c.count, c.capped) for c in change_counts(db, SINCE, as_of, "rough-sleepers-unit")
    }
    assert counts["figure"] == (9, False)
    assert counts["status"][0] == len(
        [
            c
            for c in changes_between(db, SINCE, as_of)
            if c.kind == "status" and c.initiative == "rough-sleepers-unit"
        ]
    )


def test_a_window_after_the_first_day_lists_revisions_and_skips_unchanged(db: Database) -> None:
    nine_figures_then_revisions(db)
    since, as_of = date(2005, 3, 15), date(2005, 5, 1)
    pages = []
    after = None
    while True:
        page = change_page(db, "figure", since, as_of, None, after, 1)
        pages.extend(page.records)
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted((c.area_code, c.period, c.before, c.after) for c in pages) == sorted(
        [(AREAS[0], PERIODS[0], 500.0, 499.0), (AREAS[1], PERIODS[1], 540.0, 1.0)]
    )  # 580 was published again unchanged: not a change
    counts = {c.kind: c.count for c in change_counts(db, since, as_of)}
    assert counts["figure"] == 2


def test_the_ranked_path_of_an_earlier_day_pages_the_same_way(db: Database) -> None:
    """Before the April return the kept table does not serve: the versions are ranked."""
    nine_figures_then_revisions(db)
    as_of = date(2005, 3, 20)  # the April figures are not known yet
    full = [c for c in changes_between(db, SINCE, as_of) if c.kind == "figure"]
    assert sorted((c.area_code, c.period, c.after) for c in full) == sorted(
        (a, p, 500.0 + 10 * i) for i, (a, p) in enumerate(_keys())
    )
    pages = all_pages(db, "figure", as_of, limit=4)
    assert [c for p in pages for c in p] == full


def test_the_figure_count_stops_at_its_cap(db: Database) -> None:
    nine_figures_then_revisions(db)
    with db.session() as session:
        measures = {m.id: m for m in session.query(Measure)}
        known = KnownAt(SINCE, datetime.now()), KnownAt(date(2005, 5, 1), datetime.now())
        capped = count_figure_changes(session, measures, *known, scoped=False, cap=4)
        whole = count_figure_changes(session, measures, *known, scoped=False)
    assert (capped.count, capped.capped, capped.text) == (4, True, "4+")
    assert (whole.count, whole.capped) == (9, False) and COUNT_CAP > 9


def test_batches_smaller_than_the_window_give_the_same_listing(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    nine_figures_then_revisions(db)
    as_of = date(2005, 5, 1)
    whole = [c for c in changes_between(db, SINCE, as_of) if c.kind == "figure"]
    monkeypatch.setattr(figure_changes, "BATCH", 2)  # several SQL batches per page
    assert [c for c in changes_between(db, SINCE, as_of) if c.kind == "figure"] == whole
    assert [c for p in all_pages(db, "figure", as_of, limit=3) for c in p] == whole
