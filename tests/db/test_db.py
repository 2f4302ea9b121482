"""Opening databases: URLs, descriptions without secrets, busy detection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from jwmetrics.catalogue.seed import is_seeded, open_seeded, seed_if_empty
from jwmetrics.db.engine import (
    DatabaseError,
    database_url,
    describe_url,
    is_busy_error,
    open_database,
)


def test_default_url_is_the_sqlite_file_under_data() -> None:
    assert database_url(environ={}).endswith("/data/jwmetrics.sqlite")
    assert database_url(environ={"JWMETRICS_DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_description_hides_the_password() -> None:
    text_ = describe_url("postgresql+psycopg://ana:hunter2@db.example:5432/jw")
    assert text_ == "PostgreSQL database jw on db.example:5432"


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="is not a database URL"):
        open_database("not a url")


def test_opening_does_not_seed_and_seeding_is_explicit(tmp_path: Path) -> None:
    """open_database only migrates; seeding is its own step, done once."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    db = open_database(url)
    try:
        assert not is_seeded(db)
        assert seed_if_empty(db) is True
        assert is_seeded(db)
        assert seed_if_empty(db) is False  # a second call loads nothing twice
    finally:
        db.engine.dispose()
    again = open_seeded(url)
    try:
        with again.session() as session:
            count = session.execute(text("SELECT count(*) FROM initiative")).scalar()
        assert count == 5  # the report's five initiatives, once
    finally:
        again.engine.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    db = open_seeded(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.engine.dispose()


def test_a_locked_sqlite_database_is_recognised_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    with pytest.raises(OperationalError) as caught, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    holder.rollback()
    holder.close()
    engine.dispose()
    assert is_busy_error(caught.value)
    assert not is_busy_error(OperationalError("SELECT", {}, Exception("no such table: t")))


def test_head_revision_constant_matches_the_migrations(tmp_path: Path) -> None:
    """db.HEAD_REVISION lets start-up skip Alembic; it must name the newest migration."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from jwmetrics.db.engine import HEAD_REVISION, MIGRATIONS_DIR, schema_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
    db = open_seeded(f"sqlite:///{tmp_path / 'm.sqlite'}")
    assert schema_revision(db.engine) == HEAD_REVISION
    db.engine.dispose()


SCHEMA_0003_ROWS = [
    "INSERT INTO client_group (slug, name, description, source) VALUES ('g', 'G', '', 's')",
    "INSERT INTO initiative (slug, name, client_group_slug, purpose, joint_working_form, "
    "lead_departments, key_features, performance_measurement, satisfaction_assessment, "
    "impact, source) VALUES ('i', 'I', 'g', '', '', '', '', '', '', '', 's')",
    "INSERT INTO measure (id, slug, initiative_slug, name, unit, direction, kind, "
    "description, results_expected, too_early_note, source, recorded_at) VALUES (1, 'm', "
    "'i', 'M', 'people', 'down', 'outcome', '', '', '', 's', '2002-02-03 04:05:06')",
    "INSERT INTO area (code, name, area_type) VALUES ('E92000001', 'England', 'country')",
    "INSERT INTO data_return (id, file_name, sha256, partner, uploaded_by, uploaded_at, "
    "rows_read, rows_new, rows_revised, rows_unchanged, outcome, withdrawn_by) VALUES "
    "(1, 'r.csv', 'x', '', '', '2003-04-05 06:07:08', 1, 1, 0, 0, 'committed', '')",
    "INSERT INTO observation (measure_id, area_code, period_start, period_end, period_kind, "
    "value, qualifier, data_status, partner, note, source, return_id, recorded_at) VALUES "
    "(1, 'E92000001', '2002-01-01', '2002-03-31', 'quarter', 5, 'exact', 'final', '', '', "
    "'s', 1, '2003-04-05 06:07:08')",
]
"""A synthetic figure in a database at schema 0003, from before publication dates."""


def test_migration_0004_gives_old_figures_the_day_they_were_recorded(db_url: str) -> None:
    """Each old figure is published the day it was recorded, each return the day it was
    uploaded."""
    from alembic import command
    from alembic.config import Config

    from jwmetrics.db.engine import MIGRATIONS_DIR, make_engine, migrate

    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    with engine.begin() as connection:
        for statement in SCHEMA_0003_ROWS:
            connection.execute(text(statement))
    migrate(engine)
    with engine.connect() as connection:
        published = connection.execute(text("SELECT published_on FROM observation")).scalar()
        returned = connection.execute(text("SELECT published_on FROM data_return")).scalar()
    engine.dispose()
    assert str(published) == "2003-04-05" and str(returned) == "2003-04-05"


def test_migration_0013_indexes_the_current_values_of_a_database_at_0012(db_url: str) -> None:
    """A seeded database at 0012 upgrades to the two new indexes (the old one gone), and
    its figure changes and periods are read through them."""
    from datetime import date

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from jwmetrics.briefing.changes import change_page
    from jwmetrics.catalogue.seed import open_seeded
    from jwmetrics.db.engine import MIGRATIONS_DIR

    seeded = open_seeded(db_url)  # at head, with the report's figures
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with seeded.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    names = {i["name"] for i in inspect(seeded.engine).get_indexes("current_value")}
    assert "ix_current_value_published" in names and "ix_current_value_newest" not in names
    seeded.engine.dispose()
    db = open_seeded(db_url)  # migrates to head again, the figures kept
    names = {i["name"] for i in inspect(db.engine).get_indexes("current_value")}
    assert {"ix_current_value_newest", "ix_current_value_measure_period"} <= names
    assert "ix_current_value_published" not in names
    page = change_page(db, "figure", date(2001, 6, 1), date(2001, 12, 7), limit=3)
    assert len(page.records) == 3 and page.next_after is not None
    db.engine.dispose()
