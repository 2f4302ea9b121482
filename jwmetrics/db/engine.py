"""Database connection, migrations and first-run seeding.

The URL comes from ``JWMETRICS_DATABASE_URL``; without it an SQLite file
``data/jwmetrics.sqlite`` beside the package is used (WAL journal, foreign keys on).
:func:`open_database` migrates the schema to the newest version and seeds the report's
figures the first time, so every entry point (app, CLI, tests) can simply call it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

URL_ENV = "JWMETRICS_DATABASE_URL"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # jwmetrics/
DATA_DIR = PACKAGE_DIR.parent / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "jwmetrics.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be opened or migrated; the message says why, without secrets."""


@dataclass
class Database:
    """An engine plus a session factory; the one handle the library passes around."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def description(self) -> str:
        """Where the data lives, safe to show: the SQLite file, or the server without password."""
        return describe_url(str(self.engine.url))

    def session(self) -> Session:
        """A new session; use it as a context manager."""
        return self.sessions()


def database_url(url: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The URL to use: the argument, else ``JWMETRICS_DATABASE_URL``, else the SQLite file."""
    env = os.environ if environ is None else environ
    chosen = url or env.get(URL_ENV, "").strip()
    return chosen or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def describe_url(url: str) -> str:
    """A human description of a database URL with any password hidden."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "an unreadable database URL"
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database or ':memory:'}"
    host = parsed.host or "local socket"
    port = f":{parsed.port}" if parsed.port else ""
    backend = {"postgresql": "PostgreSQL"}.get(parsed.get_backend_name(), parsed.get_backend_name())
    return f"{backend} database {parsed.database} on {host}{port}"


_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def without_secrets(text: str, url: str) -> str:
    """``text`` (an error message) with the password of ``url`` and of any URL in it hidden."""
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        password = None
    if password:
        text = text.replace(str(password), "***")
    return _PASSWORD_IN_URL.sub(r"\1***@", text)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside a writer; foreign keys are off in SQLite unless asked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas above."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        reason = without_secrets(str(exc), url)
        raise DatabaseError(f"{URL_ENV} is not a database URL: {reason}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        reason = without_secrets(str(exc), url)
        raise DatabaseError(f"cannot use {describe_url(url)}: {reason}") from None


HEAD_REVISION = "0018"  # the newest file in migrations/versions (a test keeps them in step)


def schema_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision, or None for an empty database."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic ``upgrade head``).

    A schema already at the newest revision is left alone without loading Alembic, which
    saves a fifth of a second on every start of the app or a command.
    """
    if schema_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


STARTUP_LOCK_KEY = 0x6A776D6574726963  # "jwmetric": the advisory lock every process shares


@contextmanager
def process_lock(engine: Engine, key: int, suffix: str) -> Iterator[None]:
    """Hold a lock that one process at a time may hold, over every process on the database.

    PostgreSQL: a session-level ``pg_advisory_lock`` on ``key``, on a connection of its own
    (a process that dies releases it with its session). SQLite: an exclusive ``flock`` on a
    file beside the database (``NAME.sqlite`` + ``suffix``); an in-memory database needs
    none. The others wait here.
    """
    if engine.url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    path = engine.url.database
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}{suffix}", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's start-up lock: one process at a time migrates and seeds.

    :func:`process_lock` on a fixed key (SQLite: ``NAME.sqlite.lock``). Any number of
    processes may start at once: the others wait here, then find the work done.
    """
    with process_lock(engine, STARTUP_LOCK_KEY, ".lock"):
        yield


BUSY_SIGNS = ("database is locked", "database table is locked", "could not obtain lock",
              "too many connections", "QueuePool limit")  # fmt: skip


def is_busy_error(exc: BaseException) -> bool:
    """True for errors that mean "busy, try again", not "broken": locks, full pools."""
    text = str(exc)
    return any(sign in text for sign in BUSY_SIGNS)


def open_database(url: str | None = None) -> Database:
    """Connect and migrate; seeding the report's figures is a separate step
    (:func:`jwmetrics.catalogue.seed.open_seeded`).

    Raises :class:`DatabaseError` with a readable reason when the server cannot be reached.
    """
    chosen = database_url(url)
    engine = make_engine(chosen)
    db = Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    try:
        with startup_lock(engine):
            migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        reason = without_secrets(reason, chosen)
        raise DatabaseError(f"cannot open {describe_url(chosen)}: {reason}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = without_secrets(str(exc), chosen)
        raise DatabaseError(f"cannot prepare {describe_url(chosen)}: {reason}") from None
    return db
