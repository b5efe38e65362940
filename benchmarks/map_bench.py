"""Map data benchmark: the vulnerability map's data requests on a generated 60k-TPS area.

Loads a synthetic area into a fresh database (SQLite by default, or DATABASE_URL), plans it, and
requests /peta/data.json as the map does (whole area at low zoom, then a street-level box), as an
admin who sees everything. Prints time and payload (raw and gzip) per request and, in the same
run, the peer: the naive payload of every TPS as a GeoJSON FeatureCollection.
Target (issue 4): first map data under 1 s, payload under 2 MB compressed.

    .venv/bin/python benchmarks/map_bench.py [--tps 60000] [--no-plan]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tps", type=int, default=60_000)
    parser.add_argument("--no-plan", action="store_true", help="Skip planning (map falls back to manual categories).")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="siaga-map-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/siaga.sqlite3")
    os.environ["SIAGA_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    from django.test import Client

    from siaga.accounts.services import user_create
    from siaga.dataio.scenario_load import scenario_load
    from siaga.deployments.services import plan_create
    from siaga.regions.models import TPS
    from siaga.risk.services import catalogue_sync
    from siaga.scenarios import generate_scenario

    catalogue_sync()
    t0 = time.perf_counter()
    scenario = generate_scenario(tps=args.tps, seed=1)
    _, operation = scenario_load(scenario=scenario, actor="bench")
    print(f"loaded (synthetic) {args.tps:,} TPS in {time.perf_counter() - t0:.1f} s")
    if not args.no_plan:
        t0 = time.perf_counter()
        plan_create(operation=operation, actor="bench")
        print(f"planned in {time.perf_counter() - t0:.1f} s")
    user, _ = user_create(username="bench-admin", role="admin", actor="bench", password="bench-password-123")
    client = Client()
    client.force_login(user)

    coords = list(TPS.objects.order_by("code").values_list("lat", "lon"))
    lat = [c[0] for c in coords]
    lon = [c[1] for c in coords]
    whole = f"{min(lat)},{min(lon)},{max(lat)},{max(lon)}"
    mid_lat, mid_lon = coords[len(coords) // 2]  # a real TPS, so the street box holds a village
    street = f"{mid_lat - 0.01},{mid_lon - 0.01},{mid_lat + 0.01},{mid_lon + 0.01}"
    requests = [("whole area, zoom 8 (first)", whole, 8), ("whole area, zoom 8 (again)", whole, 8),
                ("street box, zoom 15", street, 15)]
    print(f"{'request':<28} {'ms':>7} {'raw KB':>8} {'gzip KB':>8} {'points':>7} {'clusters':>8}")
    first_ms = first_gz = None
    for label, bbox, zoom in requests:
        t0 = time.perf_counter()
        response = client.get("/peta/data.json", {"bbox": bbox, "zoom": zoom}, HTTP_ACCEPT_ENCODING="gzip")
        ms = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200, response.status_code
        body = response.content
        raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
        gz = len(gzip.compress(raw)) if response.get("Content-Encoding") != "gzip" else len(body)
        data = json.loads(raw)
        print(f"{label:<28} {ms:>7.0f} {len(raw) / 1024:>8.0f} {gz / 1024:>8.0f} "
              f"{len(data.get('points', [])):>7,} {len(data.get('clusters', [])):>8,}")
        if first_ms is None:
            first_ms, first_gz = ms, gz
    rows = TPS.objects.values_list("code", "lat", "lon", "manual_category")
    naive = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lo, la]},
         "properties": {"id": code, "category": cat}} for code, la, lo, cat in rows]}).encode()
    print(f"{'peer: naive GeoJSON, all TPS':<28} {'':>7} {len(naive) / 1024:>8.0f} "
          f"{len(gzip.compress(naive)) / 1024:>8.0f} {len(rows):>7,}")
    ok_time = "met" if first_ms < 1000 else "MISSED"
    ok_size = "met" if first_gz < 2 * 1024 * 1024 else "MISSED"
    print(f"target first map data < 1 s: {ok_time} ({first_ms:.0f} ms); payload < 2 MB gzip: {ok_size} "
          f"({first_gz / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
