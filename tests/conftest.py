"""Shared fixtures: a fresh, seeded database on SQLite and, when a server is given, PostgreSQL.

Tests that take ``db`` run once per backend. PostgreSQL runs when
``JWMETRICS_TEST_POSTGRES_URL`` names a server (``make test`` starts a throwaway cluster
and sets it); without it those runs are skipped, except under CI, where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from db_backends import BACKENDS, backend_url

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database, once per backend."""
    return backend_url(request.param, tmp_path)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated database seeded with the report's figures, fresh for each test."""
    database = open_seeded(db_url)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One seeded SQLite database shared by a module's read-only tests (faster)."""
    folder = tmp_path_factory.mktemp("seeded")
    database = open_seeded(f"sqlite:///{folder / 'seeded.sqlite'}")
    yield database
    database.engine.dispose()


APP_TESTS = Path(__file__).resolve().parent / "app"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under ``tests/app/`` with ``app``, so the fast lane
    (``-m "not app and not browser"``) can leave the AppTests out."""
    for item in items:
        if APP_TESTS in item.path.parents:
            item.add_marker(pytest.mark.app)
