"""Import benchmark: a generated 100k-TPS area imported into SQLite and PostgreSQL.

Prints, per database, rows per second of Siaga's validated import (read + validate + upsert of TPS,
units, personnel, indicators) and, from the same run, a peer: the raw bulk load of the same TPS rows
(PostgreSQL COPY, SQLite executemany into a bare table) — the floor any importer pays.
Target (design.md): 100k TPS in under 30 s on PostgreSQL.

    .venv/bin/python benchmarks/import_bench.py [--tps 100000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("SIAGA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def generate(directory: Path, tps: int) -> dict:
    from siaga.formats import write_dataset
    from siaga.scenarios import generate_scenario

    started = time.perf_counter()
    scenario = generate_scenario(tps=tps, seed=1)
    write_dataset(scenario.dataset, directory)
    d = scenario.dataset
    return {"tps": len(d.tps), "units": len(d.units), "personnel": len(d.personnel),
            "indicators": len(d.indicators), "generate_s": time.perf_counter() - started}


def child(directory: Path) -> None:
    """Run inside a fresh process with DATABASE_URL set: migrate, then time the import."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from siaga.risk.services import catalogue_sync

    catalogue_sync()
    from siaga.dataio.importer import import_dataset
    from siaga.dataio.selectors import known_refs
    from siaga.formats import read_dataset

    t0 = time.perf_counter()
    dataset = read_dataset(directory, known=known_refs()).dataset
    t1 = time.perf_counter()
    import_dataset(dataset=dataset, actor="bench", source=str(directory))
    t2 = time.perf_counter()
    import_dataset(dataset=dataset, actor="bench", source=str(directory))  # re-import: nothing changes
    t3 = time.perf_counter()
    rows = len(dataset.tps) + len(dataset.units) + len(dataset.personnel) + len(dataset.indicators)
    print(json.dumps({"read_s": t1 - t0, "import_s": t2 - t1, "reimport_s": t3 - t2, "rows": rows,
                      "tps": len(dataset.tps), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_child(directory: Path, url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, SIAGA_DATA_DIR=str(directory / "var"))
    out = subprocess.run([sys.executable, __file__, "--child", str(directory)], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def peer_sqlite(directory: Path, _url: str) -> float:
    rows = _tps_rows(directory)
    db = sqlite3.connect(directory / "peer.sqlite3")
    db.execute("create table tps (code text primary key, village text, number int, voters int, lat real, lon real)")
    t0 = time.perf_counter()
    with db:
        db.executemany("insert into tps values (?,?,?,?,?,?)", rows)
    return time.perf_counter() - t0


def peer_postgres(directory: Path, url: str) -> float:
    import psycopg

    rows = _tps_rows(directory)
    with psycopg.connect(url) as conn:
        conn.execute("create temporary table tps (code text primary key, village text, number int, voters int,"
                     " lat float8, lon float8)")
        t0 = time.perf_counter()
        with conn.cursor().copy("copy tps from stdin") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - t0


def _tps_rows(directory: Path) -> list[tuple]:
    import csv

    with open(directory / "tps.csv", encoding="utf-8") as f:
        return [(r["tps_id"], r["village_code"], int(r["number"]), int(r["voters"]), float(r["lat"]), float(r["lon"]))
                for r in csv.DictReader(f)]


def fresh_postgres_db(name: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'drop database if exists "{name}"')
            conn.execute(f'create database "{name}"')
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable ({exc}); skipping it", file=sys.stderr)
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tps", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="siaga-bench-") as tmp:
        bench_dir = Path(tmp)
        info = generate(bench_dir, args.tps)
        print(f"generated (synthetic): {info['tps']:,} TPS, {info['units']:,} units, {info['personnel']:,} personnel, "
              f"{info['indicators']:,} indicator values in {info['generate_s']:.1f} s")
        targets = [("sqlite", f"sqlite:///{bench_dir / 'siaga.sqlite3'}", peer_sqlite)]
        if not args.skip_postgres:
            url = fresh_postgres_db("siaga_import_bench")
            if url:
                targets.append(("postgresql", url, peer_postgres))
        print(f"{'database':<11} {'read+validate s':>15} {'import s':>9} {'TPS/s':>9} {'rows/s':>9} "
              f"{'re-import s':>11} {'peer raw TPS load s':>20} {'ratio':>6}")
        for name, url, peer in targets:
            r = run_child(bench_dir, url)
            total = r["read_s"] + r["import_s"]
            peer_s = peer(bench_dir, url.replace("postgres://", "postgresql://", 1))
            print(f"{name:<11} {r['read_s']:>15.2f} {r['import_s']:>9.2f} {r['tps'] / total:>9,.0f} "
                  f"{r['rows'] / total:>9,.0f} {r['reimport_s']:>11.2f} {peer_s:>20.2f} {total / peer_s:>6.1f}")
            if name == "postgresql":
                verdict = "meets" if total < 30 else "MISSES"
                print(f"target: {info['tps']:,} TPS (with their roster) in < 30 s on PostgreSQL: {total:.1f} s, {verdict}")


if __name__ == "__main__":
    main()
