"""The returns package along its seams.

- the layout: no module over 400 lines, no import cycle, each step imports only the steps
  before it (read -> check -> diff -> commit -> store -> history), every old name still there;
- the one change type, and checked rows and changes held as columns;
- each distinct text of a file parsed once;
- the diff in SQL against the file's own keys gives the changes a comparison with every
  stored figure of the file's series gives (the old way), on both backends.
"""

from __future__ import annotations

import ast
import pickle
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from returns_support import VALID
from sqlalchemy import select
from sqlalchemy.orm import Session

import jwmetrics.returns.cells as cells
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Return
from jwmetrics.periods import month, parse_period
from jwmetrics.returns import (
    Change,
    Changes,
    Limits,
    RecordedChange,
    ReturnCheck,
    ReturnRow,
    ReturnRows,
    StoredFigure,
    check_return,
    commit_return,
    insert_rows,
    return_changes,
    stored_current,
    withdraw_return,
)
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_versions
from jwmetrics.tabular import RawTable

LIBRARY = Path(__file__).resolve().parents[2] / "jwmetrics"
HEADER = "initiative,measure,area_code,period,value,status,qualifier"
RS = "rough-sleepers-unit,rough-sleepers-count"
ENGLAND, LONDON, CAMDEN = "E92000001", "E12000007", "E09000007"

# --- layout -------------------------------------------------------------------------------

# Each module of jwmetrics.returns, by step; a module may import only from its own step or
# an earlier one (0: the types and lookups every step shares).
STEPS = {
    "model": 0, "lookups": 0, "listing": 0, "cells": 0, "factor": 0, "cell_value": 0,
    "read": 1, "validate": 2, "diff": 3, "warn": 3, "check": 3,
    "write": 4, "commit": 4, "approval": 4, "history": 5, "schedule": 6,
}  # fmt: skip


def package_modules(package: str) -> dict[str, Path]:
    """The modules of ``jwmetrics.<package>`` by short name (``__init__`` left out)."""
    folder = LIBRARY / package
    return {path.stem: path for path in sorted(folder.glob("*.py")) if path.stem != "__init__"}


def imported_siblings(package: str, path: Path) -> set[str]:
    """The modules of the same package that ``path`` imports."""
    siblings = set(package_modules(package))
    prefix = f"jwmetrics.{package}"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(prefix + "."):
                found.add(node.module.removeprefix(prefix + ".").split(".")[0])
            elif node.module == prefix:
                found.update(alias.name for alias in node.names if alias.name in siblings)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(prefix + "."):
                    found.add(alias.name.removeprefix(prefix + ".").split(".")[0])
    return found


@pytest.mark.parametrize("package", ["returns", "tabular"])
def test_no_module_is_over_400_lines(package: str) -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in package_modules(package).items()
    }
    assert {name: size for name, size in sizes.items() if size > 400} == {}


@pytest.mark.parametrize("package", ["returns", "tabular"])
def test_no_import_cycle(package: str) -> None:
    graph = {
        name: imported_siblings(package, path) for name, path in package_modules(package).items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name not in done:
            for other in sorted(graph[name]):
                visit(other, (*trail, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def test_each_step_imports_only_earlier_steps() -> None:
    modules = package_modules("returns")
    assert set(modules) == set(STEPS)
    backwards = {
        (name, other)
        for name, path in modules.items()
        for other in imported_siblings("returns", path)
        if STEPS[other] > STEPS[name]
    }
    assert backwards == set()


def test_every_name_the_callers_use_is_still_there() -> None:
    import jwmetrics.returns as returns
    import jwmetrics.tabular as tabular

    for name in (
        "check_return", "commit_return", "withdraw_return", "returns_log", "return_changes",
        "return_observation_count", "Limits", "ReturnCheck", "ReturnRow", "Change",
        "RecordedChange", "CommitOutcome", "ReturnRefused", "sha256_of", "STALE_MESSAGE",
        "IMPORTED_MESSAGE", "insert_rows", "stored_current", "Catalogue", "MeasureRef",
        "INSERT_COLUMNS", "MAX_PROBLEMS", "MAX_PARTNER_CHARS", "COMMIT_LOCK_KEY", "Key",
    ):  # fmt: skip
        assert getattr(returns, name) is not None, name
    for name in (
        "read_table", "RawTable", "RawRow", "TableProblem", "ArchiveLimits", "archive_problem",
        "shorten", "RETURN_COLUMNS", "REQUIRED_COLUMNS", "OPTIONAL_COLUMNS", "DEFAULT_MAX_BYTES",
        "DEFAULT_MAX_ROWS", "DEFAULT_MAX_UNCOMPRESSED", "DEFAULT_MAX_RATIO", "MAX_CELL_CHARS",
        "MAX_COLUMNS",
    ):  # fmt: skip
        assert getattr(tabular, name) is not None, name
    assert RecordedChange is Change


# --- the one change type; rows and changes as columns ---------------------------------------


def a_row(number: int, value: float | None, period: str = "June 2001", **kw: Any) -> ReturnRow:
    """A checked row of the rough sleepers count (measure id 1) for England."""
    fields: dict[str, Any] = dict(
        row_number=number, measure_id=1, measure_slug="rough-sleepers-count", area_code=ENGLAND,
        period=parse_period(period), value=value, qualifier="exact", marker=None,
        data_status="final", partner="", note="",
    )  # fmt: skip
    fields.update(kw)
    return ReturnRow(**fields)


def test_rows_as_columns_read_back_as_rows() -> None:
    rows = [a_row(2, 700.0), a_row(3, None, "July 2001", marker=".."), a_row(4, 5.0, "2002")]
    block = ReturnRows.of(rows)
    assert ReturnRows.of(block) is block
    assert len(block) == 3 and list(block) == rows and block[1] == rows[1] and block[-1] == rows[2]
    assert list(block[1:]) == rows[1:]
    assert block.keys == [row.key for row in rows]
    assert list(block.select([True, False, True])) == [rows[0], rows[2]]
    assert list(ReturnRows.of([])) == []


def test_changes_say_new_revised_or_unchanged_from_the_stored_figures() -> None:
    rows = ReturnRows.of([a_row(2, 650.0), a_row(3, 40.0), a_row(4, 5.0, "2002")])
    stored = {
        0: StoredFigure(700.0, "exact", None, "final"),
        2: StoredFigure(5.0, "exact", None, "final"),
    }
    changes = Changes(rows, stored)
    assert [c.kind for c in changes] == ["revised", "new", "unchanged"]
    assert changes[0] == Change("revised", rows[0], 700.0, "exact", None, "final")
    assert changes[1] == Change("new", rows[1])
    assert changes.counts == {"new": 1, "revised": 1, "unchanged": 1}
    assert list(changes.to_record()) == [rows[0], rows[1]]
    assert Changes.of(list(changes)).same_as(changes)
    assert not changes.same_as(Changes(rows, {0: stored[0]}))
    check = ReturnCheck(
        "r.csv", "0" * 64, "", RawTable("r.csv"), rows=list(rows), changes=list(changes)
    )
    assert check.counts == {"read": 0, "new": 1, "revised": 1, "unchanged": 1}
    assert check.has_changes


def test_a_check_holds_columns_and_a_change_pickles(seeded_db: Database) -> None:
    data = f"{HEADER}\n{RS},{ENGLAND},June 2002,532,,\n{RS},{ENGLAND},June 2001,650,,\n".encode()
    check = check_return(seeded_db, data, "r.csv", limits=Limits())
    assert isinstance(check.rows, ReturnRows) and isinstance(check.changes, Changes)
    assert [c.kind for c in check.changes] == ["new", "revised"]
    assert check.changes[1].old_value == 700 and check.changes[1].row.value == 650
    assert pickle.loads(pickle.dumps(list(check.changes))) == list(check.changes)


# --- each distinct text once ------------------------------------------------------------------


def test_each_distinct_text_is_parsed_once(
    seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[tuple[str, str]] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(text: str, *args: Any) -> Any:
            calls[(name, text)] += 1
            return real(text, *args)

        return counted

    for name in ("parse_value", "parse_period", "parse_status", "parse_qualifier", "did_you_mean"):
        monkeypatch.setattr(cells, name, counting(name, getattr(cells, name)))
    periods = [f"{year}-06" for year in range(1995, 2002)]
    lines = [HEADER]
    for n in range(700):
        measure = [RS, "eydcp,nursery-places-3-year-olds"][n % 2]  # a count and a percentage
        area = [ENGLAND, LONDON, "X0000001", "X0000002"][n % 4]
        value = ["50", "40", "over 30", "1,850"][n % 4]
        status = ["", "provisional"][n % 2]
        qualifier = ["", "over"][n % 2 if value == "over 30" else 0]
        lines.append(f'{measure},{area},{periods[n % 7]},"{value}",{status},{qualifier}')
    check_return(seeded_db, "\n".join(lines).encode(), "r.csv", limits=Limits())
    assert calls, "the parsers were not reached"
    assert {key: count for key, count in calls.items() if count > 1} == {}
    parsed = {text for (name, text) in calls if name == "parse_value"}
    assert parsed == {"50", "40", "over 30", "1,850"}  # "50" meets two units: parsed once
    assert {text for (name, text) in calls if name == "parse_period"} == set(periods)
    assert {text for (name, text) in calls if name == "did_you_mean"} == {"X0000001", "X0000002"}


# --- the diff in SQL against the file's own keys ----------------------------------------------


def full_comparison(session: Session, rows: ReturnRows, known: KnownAt) -> list[tuple[object, ...]]:
    """The changes worked out the old way: every current figure of the rows' measures and
    areas read back, matched to the rows in Python."""
    inner = current_versions(
        known,
        Observation.measure_id.in_(set(rows.measure_ids)),
        Observation.area_code.in_(set(rows.area_codes)),
    ).subquery()
    query = select(Observation).join(inner, Observation.id == inner.c.id)
    stored = {
        (o.measure_id, o.area_code, o.period_start, o.period_end): o
        for o in session.scalars(query.where(inner.c.version_rank == 1))
    }
    changes = []
    for row in rows:
        old = stored.get(row.key)
        if old is None:
            changes.append(("new", row.key, None, "", None, ""))
            continue
        same = (old.value, old.qualifier, old.marker, old.data_status) == (
            row.value, row.qualifier, row.marker, row.data_status,
        )  # fmt: skip
        kind = "unchanged" if same else "revised"
        changes.append((kind, row.key, old.value, old.qualifier, old.marker, old.data_status))
    return changes


def as_tuples(changes: Changes) -> list[tuple[object, ...]]:
    """What each change says, as the old ``_change_key`` said it."""
    return [
        (c.kind, c.row.key, c.old_value, c.old_qualifier, c.old_marker, c.old_status)
        for c in changes
    ]


def same_as_full_comparison(db: Database, check: ReturnCheck) -> None:
    """The check's changes equal the full comparison's, and only the file's keys were read."""
    assert not check.errors, check.errors[:3]
    known = KnownAt.on(check.published_on)
    rows = ReturnRows.of(check.rows)
    with db.session() as session:
        assert as_tuples(Changes.of(check.changes)) == full_comparison(session, rows, known)
        assert set(stored_current(session, rows, known)) <= set(rows.keys)


def test_the_sql_diff_matches_a_full_comparison(db: Database) -> None:
    """Revisions, markers, qualifiers, statuses, later publications and a withdrawal."""

    def check(text: str, name: str, **kwargs: Any) -> ReturnCheck:
        found = check_return(db, text.encode(), name, limits=Limits(), **kwargs)
        same_as_full_comparison(db, found)
        return found

    first = check(
        f"{HEADER}\n{RS},{ENGLAND},June 2002,532,,\n{RS},{LONDON},June 2002,120,provisional,\n"
        f"{RS},{CAMDEN},June 2002,..,,\n{RS},{CAMDEN},July 2002,over 10,,\n",
        "first.csv",
    )
    commit_return(db, first, confirm_warnings=True)
    second = check(
        f"{HEADER}\n{RS},{ENGLAND},June 2002,532,,\n{RS},{LONDON},June 2002,120,,\n"
        f"{RS},{CAMDEN},June 2002,7,,\n{RS},{CAMDEN},July 2002,10,,over\n"
        f"{RS},{CAMDEN},August 2002,12,,\n{RS},{ENGLAND},June 2001,650,,\n",
        "second.csv",
    )
    assert [c.kind for c in second.changes] == [
        "unchanged", "revised", "revised", "unchanged", "new", "revised",
    ]  # fmt: skip
    outcome = commit_return(db, second, confirm_warnings=True)
    assert outcome.return_id is not None
    early = check(
        f"{HEADER}\n{RS},{LONDON},June 2002,121,,\n", "early.csv", published_on=date(2002, 9, 1)
    )
    assert early.published_on < date.today()
    withdraw_return(db, outcome.return_id)
    check(
        f"{HEADER}\n{RS},{ENGLAND},June 2001,650,,\n{RS},{CAMDEN},June 2002,7,,\n",
        "after-withdrawal.csv",
    )


def test_the_sql_diff_matches_a_full_comparison_on_the_valid_corpus(db: Database) -> None:
    """Each valid file of the corpus checked, committed, then checked again with new values."""
    for path in sorted(VALID.iterdir()):
        if path.suffix not in (".csv", ".tsv", ".txt", ".xlsx"):
            continue
        found = check_return(db, path.read_bytes(), path.name, limits=Limits())
        same_as_full_comparison(db, found)
        commit_return(db, found, confirm_warnings=True)
        again = check_return(db, path.read_bytes(), path.name + ".again", limits=Limits())
        same_as_full_comparison(db, again)
        assert again.counts["new"] == again.counts["revised"] == 0


def test_insert_rows_takes_rows_or_columns(db: Database) -> None:
    with db.session() as session:
        measure = session.scalar(select(Measure.id).where(Measure.slug == "rough-sleepers-count"))
    assert measure is not None
    rows = [
        a_row(2, 10.0, "2030", measure_id=measure, partner="p", note="synthetic"),
        a_row(3, None, "2031", measure_id=measure, marker="x", data_status="provisional"),
    ]
    now, published = datetime(2026, 12, 2, 9, 30), date(2026, 12, 1)
    with db.session() as session, session.begin():
        record = Return(
            file_name="r.csv", sha256="f" * 64, partner="", uploaded_by="", uploaded_at=now,
            rows_read=2, rows_new=2, rows_revised=0, rows_unchanged=0, outcome="committed",
            published_on=published,
        )  # fmt: skip
        session.add(record)
        session.flush()
        insert_rows(session, record.id, "as-list.csv", rows, now, published)
        insert_rows(session, record.id, "as-columns.csv", ReturnRows.of(rows), now, published)
    with db.session() as session:
        stored = session.scalars(select(Observation).where(Observation.return_id == record.id))
        written: dict[str, list[tuple[object, ...]]] = {}
        for obs in stored:
            written.setdefault(obs.source, []).append(
                (obs.row_number, obs.measure_id, obs.area_code, obs.period_start, obs.period_end,
                 obs.period_kind, obs.value, obs.qualifier, obs.marker, obs.data_status,
                 obs.partner, obs.note, obs.published_on, obs.recorded_at)
            )  # fmt: skip
    listed = sorted(written[f"return {record.id} (as-list.csv)"], key=str)
    assert listed == sorted(written[f"return {record.id} (as-columns.csv)"], key=str)
    assert listed[0][5] == "year" and listed[0][12] == published and listed[0][13] == now
    assert len(listed) == 2


def test_return_changes_are_the_checks_change_type(db: Database) -> None:
    data = f"{HEADER}\n{RS},{ENGLAND},June 2001,650,,\n".encode()
    check = check_return(db, data, "r.csv", limits=Limits())
    outcome = commit_return(db, check, confirm_warnings=True)
    assert outcome.return_id is not None
    [before] = list(check.changes)
    [after] = return_changes(db, outcome.return_id)
    assert isinstance(after, Change) and after == before
    assert after.row.period == month(2001, 6)


def test_on_sqlite_the_key_join_searches_the_index(seeded_db: Database) -> None:
    """The file's keys drive the join: each is looked up in an index, never a table scan."""
    from sqlalchemy import event

    statements: list[tuple[str, Any]] = []

    def grab(_c: Any, _cursor: Any, statement: str, params: Any, _x: Any, _many: bool) -> None:
        if "json_each" in statement:
            statements.append((statement, params))

    event.listen(seeded_db.engine, "before_cursor_execute", grab)
    try:
        data = f"{HEADER}\n{RS},{ENGLAND},June 2001,650,,\n{RS},{ENGLAND},June 2011,1,,\n"
        check_return(seeded_db, data.encode(), "r.csv", limits=Limits())
    finally:
        event.remove(seeded_db.engine, "before_cursor_execute", grab)
    [(statement, params)] = statements
    raw = seeded_db.engine.raw_connection()
    try:
        plan = [row[3] for row in raw.cursor().execute(f"EXPLAIN QUERY PLAN {statement}", params)]
    finally:
        raw.close()
    assert any(step.startswith("SEARCH observation USING INDEX") for step in plan), plan
    assert not any(step.startswith("SCAN observation") for step in plan), plan


def test_a_file_whose_pairs_hold_nothing_though_their_cross_does(db: Database) -> None:
    """A stored series pairs one row's measure with another row's area (the count in
    Camden), but the file's own pairs (the count in London, the cost in Camden) hold
    nothing: every row is new. This crashed the PostgreSQL key table with no keys."""
    stored = f"{HEADER}\n{RS},{CAMDEN},June 2002,7,,\n"
    commit_return(db, check_return(db, stored.encode(), "stored.csv"), confirm_warnings=True)
    cost = "rough-sleepers-unit,rough-sleeping-cost-per-person"
    text = f"{HEADER}\n{RS},{LONDON},June 2003,50,,\n{cost},{CAMDEN},2003,90000,,\n"
    found = check_return(db, text.encode(), "crossed.csv", limits=Limits())
    assert not found.errors, found.errors
    assert [c.kind for c in found.changes] == ["new", "new"]
    same_as_full_comparison(db, found)
