#!/usr/bin/env bash
# Lint and type-check, then run the whole pytest suite against SQLite and a throwaway PostgreSQL 15
# cluster, then the team smoke test (scripts/team_smoke.py: two app processes behind nginx).
# Usage: scripts/run_tests.sh PYTHON [pytest args...]. Called by `make test`.
# The smoke test runs after the whole suite (no pytest args), not after a subset. Without nginx
# it is skipped with the reason, except under CI (env var CI set), where that is a failure.
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

# Two worker processes (pytest-xdist; each has its own PostgreSQL database: see
# tests/support/db_backends.py), a test file to a worker so its fixtures are built once.
# JWMETRICS_TEST_WORKERS=0 runs in this process.
"$PY" -m pytest -n "${JWMETRICS_TEST_WORKERS:-2}" --dist loadfile --durations=15 "$@"

# The team smoke test (under 3 minutes): two app processes, nginx with deploy/nginx.conf, a
# browser. It starts its own PostgreSQL, so the suite's cluster is stopped first.
if [[ $# -gt 0 ]]; then
    exit 0  # a subset was asked for
fi
cleanup
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [[ -x "$NGINX" ]]; then
    "$PY" scripts/team_smoke.py
elif [[ -n "${CI:-}" && "${CI,,}" != "0" && "${CI,,}" != "false" && "${CI,,}" != "no" ]]; then
    echo "run_tests.sh: nginx not found, and CI is set: the team smoke test cannot run" \
        "(scripts/install_system_deps.sh installs it)" >&2
    exit 1
else
    echo "run_tests.sh: team smoke test skipped: nginx not found" \
        "(scripts/install_system_deps.sh installs it with apt-get)" >&2
fi
