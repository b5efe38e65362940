#!/usr/bin/env bash
# The whole suite: everything on SQLite, then the database tests again on PostgreSQL.
# PostgreSQL is used when CI is set (then it is required) or when a server answers on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export SIAGA_DATA_DIR="${SIAGA_DATA_DIR:-$(mktemp -d)}"

echo "== lint (ruff) =="
$BIN/ruff check .

echo "== layers (import-linter: entry points -> apps -> pure library, no cycles between apps) =="
$BIN/lint-imports

echo "== tests on SQLite =="
env -u DATABASE_URL $BIN/pytest -q -m "not postgres" "$@"

PG_URL="${SIAGA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if $BIN/python scripts/pg_ready.py "$PG_URL"; then
  echo "== database tests on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" $BIN/pytest -q -m "django_db or postgres" "$@"
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is required in CI but does not answer at $PG_URL" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at $PG_URL: database tests ran on SQLite only (CI requires PostgreSQL) =="
fi
