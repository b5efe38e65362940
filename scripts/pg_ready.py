"""Exit 0 when a PostgreSQL server answers at the given URL (used by scripts/test.sh)."""

import sys

import psycopg

url = sys.argv[1]
try:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3) as conn:
        conn.execute("select 1")
except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
