"""A database brought to an earlier migration, for tests of what a later one does to rows
stored before it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from jwmetrics.db.engine import MIGRATIONS_DIR, make_engine


def engine_at(db_url: str, revision: str) -> Engine:
    """An engine on ``db_url`` with the schema upgraded only as far as ``revision``; the
    caller adds rows, then runs :func:`jwmetrics.db.engine.migrate` and disposes of it."""
    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine
