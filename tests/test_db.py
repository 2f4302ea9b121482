"""Opening databases: URLs, descriptions without secrets, busy detection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from jwmetrics.db import DatabaseError, database_url, describe_url, is_busy_error, open_database


def test_default_url_is_the_sqlite_file_under_data() -> None:
    assert database_url(environ={}).endswith("/data/jwmetrics.sqlite")
    assert database_url(environ={"JWMETRICS_DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_description_hides_the_password() -> None:
    text_ = describe_url("postgresql+psycopg://ana:hunter2@db.example:5432/jw")
    assert text_ == "PostgreSQL database jw on db.example:5432"


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="is not a database URL"):
        open_database("not a url")


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'w.sqlite'}")
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

    from jwmetrics.db import HEAD_REVISION, MIGRATIONS_DIR, schema_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
    db = open_database(f"sqlite:///{tmp_path / 'm.sqlite'}")
    assert schema_revision(db.engine) == HEAD_REVISION
    db.engine.dispose()
