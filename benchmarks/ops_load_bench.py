"""Election-day load: many field officers POST TPS status reports to the API of a real server on PostgreSQL.

Builds a fresh PostgreSQL database (``--db``) with a generated area (synthetic), plans and publishes it, gives
``--clients`` field officers (each tied to the commander of one post) an API token, starts Granian as
``siaga serve --workers`` does (siaga.serving), and drives ``POST /api/v1/tps/{code}/status`` with wrk (Debian package) from
``--connections`` concurrent connections, each request with an Idempotency-Key unique in the run, for
``--duration`` s. Prints sustained reports/s and latency percentiles, counts the answers by status (201 stored,
200 replayed: none expected), checks that the database holds a row for every 201 (by the run's key prefix), and,
in the same run, peers: the same server answering the login page (Django's whole stack for one request), the
same reports served by gunicorn (gthread), the server Siaga used before, when it is installed (``pip install -e
'.[bench]'``; ``--no-gunicorn`` skips it), and the database alone inserting the same rows one transaction each (the
storage ceiling). Target (issue 5): >= 1,000 reports/s sustained, p99 < 300 ms.

The warm-up matters: each worker process parses the current plan once (about 1 s of CPU for 20,000 TPS) and fills
its token and TPS caches, as a server does in its first minute on voting day.

    .venv/bin/python benchmarks/ops_load_bench.py [--tps 20000] [--clients 400] [--connections 64]
        [--duration 30] [--workers 4] [--threads 4] [--warmup 10]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._server import Server  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/"


def recreate_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG + name


def prepare(tps: int, clients: int) -> list[tuple[str, str]]:
    """Load, plan and publish a generated area; return (token, TPS code) pairs for the field officers."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from siaga.accounts.models import Profile
    from siaga.accounts.services import token_create, user_create
    from siaga.dataio.scenario_load import scenario_load
    from siaga.deployments.services import plan_create, plan_publish
    from siaga.forces.models import Personnel
    from siaga.risk.services import catalogue_sync
    from siaga.scenarios import generate_scenario

    catalogue_sync()
    t0 = time.perf_counter()
    _, operation = scenario_load(scenario=generate_scenario(tps=tps, seed=1), actor="bench")
    plan = plan_create(operation=operation, actor="bench")
    plan_publish(plan=plan, actor="bench")
    print(f"prepared (synthetic) {tps:,} TPS, plan v{plan.version} published in {time.perf_counter() - t0:.1f} s")
    posts = [p for p in plan.document["posts"] if p.get("commander")][:clients]
    people = {p.code: p for p in Personnel.objects.filter(code__in=[p["commander"] for p in posts])}
    pairs = []
    for i, post in enumerate(posts):
        person = people[post["commander"]]
        user, _ = user_create(username=f"petugas-{i:04d}", role="field_officer", actor="bench", unit=person.unit)
        Profile.objects.filter(user=user).update(personnel=person)
        _, raw = token_create(user=user, actor="bench")
        pairs.extend((raw, code) for code in post["tps"])
    print(f"{len(posts):,} field officers with tokens, {len(pairs):,} TPS between them")
    return pairs


def run_wrk(url: str, connections: int, duration: int, script: Path | None, env: dict) -> dict[str, float]:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, url], env={**os.environ, **env}, capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = float(sum(int(x) for x in errors.groups())) if errors else 0.0
    totals = re.search(r"^SIAGA requests=.*$", out, re.M)
    for key, value in re.findall(r"(\w+)=(\d+)", totals.group(0) if totals else ""):
        result[key] = float(value)
    for key, value in re.findall(r"SIAGA (p[\w.]+)_us=(\d+)", out):
        result[key] = float(value) / 1000.0  # ms
    for label, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        result.setdefault(f"p{label}", float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit])
    return result


def db_peer(url: str, rows: int) -> float:
    """Rows/s for the same INSERTs (report + event) straight into PostgreSQL, one commit each, one connection."""
    import psycopg

    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("CREATE TEMP TABLE peer_report (id bigserial primary key, tps text, status text, at timestamptz,"
                     " user_id int, client_id text, UNIQUE (user_id, client_id))")
        conn.execute("CREATE TEMP TABLE peer_event (id bigserial primary key, kind text, payload jsonb)")
        conn.commit()
        t0 = time.perf_counter()
        for i in range(rows):
            conn.execute("INSERT INTO peer_report (tps, status, at, user_id, client_id) VALUES (%s, %s, now(), %s, %s)",
                         (f"T{i % 1000}", "opened", i % 400, f"k{i}"))
            conn.execute("INSERT INTO peer_event (kind, payload) VALUES ('tps.status', %s)", ('{"tps": "x"}',))
            conn.commit()
        return rows / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tps", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before the measured run")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the gunicorn peer")
    parser.add_argument("--db", default="siaga_bench_ops")
    parser.add_argument("--reuse", type=Path, metavar="PAIRS",
                        help="skip building: reuse --db as a previous run left it and that run's pairs.txt")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="siaga-ops-bench-"))
    url = PG + args.db if args.reuse else recreate_database(args.db)
    env = {"DATABASE_URL": url, "SIAGA_DATA_DIR": str(tmp), "SIAGA_ENV": "production",
           "SIAGA_SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "SIAGA_LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "siaga.settings"}
    os.environ.update(env)
    if args.reuse:
        import django

        django.setup()
        pairs_file = args.reuse
        pairs = [tuple(line.split()) for line in pairs_file.read_text().splitlines() if line.strip()]
    else:
        pairs = prepare(args.tps, args.clients)
        pairs_file = tmp / "pairs.txt"
        pairs_file.write_text("".join(f"{token} {code}\n" for token, code in pairs))
        print(f"pairs in {pairs_file} (for --reuse)")

    from django.db import connection

    from siaga.operations.models import StatusReport

    connection.close()
    script = Path(__file__).with_name("ops_load.lua")
    run = f"bench{int(time.time())}"

    def drive(kind: str) -> tuple[dict, dict]:
        """Warm up, measure the reports, then the login page, on one fresh server of this kind."""
        server = Server(env=env, workers=args.workers, threads=args.threads, log=tmp / f"{kind}.log", kind=kind).start()
        try:
            run_wrk(server.url, 8, args.warmup, script, {"SIAGA_PAIRS": str(pairs_file), "SIAGA_RUN": f"{run}{kind}w"})
            load = run_wrk(server.url, args.connections, args.duration, script,
                           {"SIAGA_PAIRS": str(pairs_file), "SIAGA_RUN": f"{run}{kind}"})
            login = run_wrk(server.url + "/login/", args.connections, 10, None, {})
        finally:
            server.stop()
        return load, login

    load, login = drive("granian")
    stored = StatusReport.objects.filter(client_id__startswith=f"{run}granian-").count()
    peer_gunicorn = None
    if not args.no_gunicorn and importlib.util.find_spec("gunicorn"):
        peer_gunicorn = drive("gunicorn")[0]
    peer_db = db_peer(env["DATABASE_URL"], 5000)
    created, replayed, other = load.get("created", 0), load.get("replayed", 0), load.get("other", 0)
    print(f"server: Granian {args.workers} workers x {args.threads} threads (siaga.serving); warm-up {args.warmup} s; "
          f"wrk 2 threads, {args.connections} connections, {args.duration} s; {len(pairs):,} (token, TPS) pairs; "
          "2 cores shared by server, wrk and DB")
    print(f"{'':<48} {'per s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'max ms':>8}")

    def row(label: str, result: dict) -> None:
        tail = (f" {result['p99.9']:>9.1f} {result['pmax']:>8.1f}" if "pmax" in result else "")
        print(f"{label:<48} {result['rps']:>9,.0f} {result.get('p50', 0):>8.1f} {result.get('p99', 0):>8.1f}{tail}")

    row("Siaga: POST /api/v1/tps/{code}/status", load)
    row("peer: same server, GET /login/ (Django stack)", login)
    if peer_gunicorn:
        row(f"peer: same reports, gunicorn {args.workers}x{args.threads} gthread", peer_gunicorn)
    else:
        print("peer: gunicorn not run (--no-gunicorn, or not installed: pip install -e '.[bench]')")
    print(f"{'peer: PostgreSQL alone, same 2 INSERTs+commit':<48} {peer_db:>9,.0f}")
    print(f"responses: {load['requests']:,.0f}: 201 stored {created:,.0f}, 200 replayed {replayed:,.0f}, other "
          f"{other:,.0f}; socket errors {load['socket_errors']:,.0f}; rows with this run's keys: {stored:,} (a report "
          "in flight at the end may be stored unanswered)")
    rate_ok = "met" if load["rps"] >= 1000 else "MISSED"
    p99_ok = "met" if load["p99"] < 300 else "MISSED"
    print(f"target >= 1,000 reports/s: {rate_ok} ({load['rps']:,.0f}); p99 < 300 ms: {p99_ok} ({load['p99']:.0f} ms)")
    if stored < created:
        sys.exit(f"LOST REPORTS: {created - stored:,.0f} answered 201 but not stored")
    if replayed:
        sys.exit(f"{replayed:,.0f} replays: the load script sent a key twice (every key should be new)")


if __name__ == "__main__":
    main()
