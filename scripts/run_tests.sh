#!/usr/bin/env bash
# Lint and type-check, then run the whole pytest suite against SQLite and a throwaway PostgreSQL 15 cluster.
# Usage: scripts/run_tests.sh PYTHON [pytest args...]. Called by `make test`.
set -euo pipefail

PY="${1:?usage: run_tests.sh PYTHON [pytest args]}"
shift
cd "$(dirname "${BASH_SOURCE[0]}")/.."

"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" -m mypy  # strict on jwmetrics/ (pyproject.toml, [tool.mypy])

PG_DIR="$(mktemp -d /tmp/jwmetrics-pg.XXXXXX)"
rmdir "$PG_DIR"  # pg_cluster.sh creates it with the right owner
cleanup() { bash scripts/pg_cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT

JWMETRICS_TEST_POSTGRES_URL="$(bash scripts/pg_cluster.sh start "$PG_DIR")"
export JWMETRICS_TEST_POSTGRES_URL

"$PY" -m pytest "$@"
