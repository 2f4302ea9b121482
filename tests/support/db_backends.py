"""The database backends every database test runs on, and how to get an empty one of each.

A module of its own (not conftest.py) so that test modules can import it by a name no
other folder's conftest shadows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

POSTGRES_ENV = "JWMETRICS_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def reset_postgres(url: str) -> None:
    """Drop every table by recreating the public schema, so each test starts empty."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def worker_postgres_url(url: str) -> str:
    """The PostgreSQL database of this pytest-xdist worker on the server ``url`` names.

    Under ``pytest -n N`` each worker (``PYTEST_XDIST_WORKER``: gw0, gw1, ...) gets a
    database of its own on the same cluster, created here the first time, because every
    test resets the public schema of the database it uses; without xdist it is ``url``.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if exists is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def backend_url(backend: str, folder: Path) -> str:
    """A URL for an empty database of ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'test.sqlite'}"
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests")
        pytest.skip(f"set {POSTGRES_ENV} to run against PostgreSQL (make test does)")
    url = worker_postgres_url(url)
    reset_postgres(url)
    return url
