"""Planning benchmark: `siaga plan` on generated synthetic areas, with peers from the same run.

Per size (default 839, 10,000 and 60,000 TPS; 820,000 with --national) the area is generated with
`siaga scenario generate DIR --tps N --seed S` (its plan.toml included), then `siaga plan --input DIR
--out OUT` runs in a fresh process of its own that reports its own peak RSS and where the time went
(sizes up to 10,000 TPS run --repeats times, the median wall is reported). Printed per size: wall
time, peak memory, posts, unmet, total travel km, max post radius.

Peers (see benchmarks/_peers.py), skipped with --skip-peers:
  1. k-means-constrained grouping of the same TPS into the same number of posts: time, compactness;
  2. a greedy by-hand Polri assignment to Siaga's posts: total travel and unmet;
  3. spopt's exact p-center on a reserve-siting instance from the smallest area: objective, time.
Targets (design.md): 839 TPS <= 3 s wall; 60k TPS <= 30 s; national 820k <= 5 min and <= 12 GB.

    .venv/bin/python benchmarks/plan_bench.py [--sizes 839,10000,60000] [--national] [--skip-peers]
        [--seed 1] [--repeats 3] [--workdir DIR] [--keep]   (--help for the peers' options)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIAGA = ROOT / ".venv" / "bin" / "siaga"
NATIONAL = 820_000
PEERS_MAX_TPS = 200_000  # above this the peers would load a >1 GB plan.json into this process
PCENTER_MAX_TPS = 5_000  # the p-center MILP is only tractable on a small area
REPEAT_MAX_TPS = 10_000  # sizes up to this run --repeats times (median reported); larger ones once
TARGETS = ((839, 3.0, None, "839 TPS, whole `siaga plan` <= 3 s wall"),
           (60_000, 30.0, None, "60k TPS (Polda scale) <= 30 s"),
           (NATIONAL, 300.0, 12.0, "national 820k TPS <= 5 min and <= 12 GB"))


# ---------------------------------------------------------------------------------------------
# The child: one `siaga plan` in its own process, timed by phase


def child_plan(directory: str, out: str, result: str) -> None:
    """Run the `siaga plan` command in this process (same entry point as .venv/bin/siaga), timing
    its phases by wrapping the functions it calls, then write phases and own peak RSS to ``result``."""
    started = time.perf_counter()
    import siaga.cli.plan as cli_plan
    import siaga.formats
    import siaga.planning.run as run
    import siaga.reports
    from siaga.cli.main import app

    phases: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    def solve_staged(problem, seed=None, progress=None, **kwargs):
        marks: list[tuple[str, float]] = []

        def hook(stage, fraction):
            if not marks or marks[-1][0] != stage:
                marks.append((stage, time.perf_counter()))
            if progress is not None:
                progress(stage, fraction)

        plan = original_solve(problem, seed=seed, progress=hook, **kwargs)
        marks.append(("end", time.perf_counter()))
        for (stage, t0), (_, t1) in zip(marks, marks[1:], strict=False):
            phases[stage] = phases.get(stage, 0.0) + t1 - t0
        return plan

    original_solve = run.solve
    siaga.formats.read_dataset = timed("read", siaga.formats.read_dataset)
    run.score_stations = timed("score", run.score_stations)
    run.build_problem = timed("build", run.build_problem)
    run.solve = solve_staged
    siaga.reports.write_reports = timed("reports", siaga.reports.write_reports)
    cli_plan.write_outputs = timed("write", cli_plan.write_outputs)
    sys.argv = ["siaga", "plan", "--input", directory, "--out", out]
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    phases["json"] = phases.pop("write", 0.0) - phases.get("reports", 0.0)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(result).write_text(json.dumps({"code": code, "phases": phases, "peak_kb": peak_kb,
                                        "inner_s": time.perf_counter() - started}))


# ---------------------------------------------------------------------------------------------
# The parent


def generate(directory: Path, tps: int, seed: int) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(SIAGA), "scenario", "generate", str(directory), "--tps", str(tps), "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t0


def run_plan(directory: Path, out: Path) -> dict:
    """Time one `siaga plan` in a fresh wrapper process; returns its phases, peak and wall."""
    result = out.with_suffix(".result.json")
    log = out.with_suffix(".stderr.txt")
    with open(log, "w") as err:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child-plan", str(directory), str(out), str(result)],
                              stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        wall = time.perf_counter() - t0
    if proc.returncode != 0 or not result.exists() or json.loads(result.read_text())["code"] != 0:
        sys.exit(f"siaga plan failed for {directory}:\n{log.read_text()[-3000:]}")
    info = json.loads(result.read_text())
    info["wall_s"] = wall
    return info


def plan_row(tps: int, gen_s: float, info: dict, plan: dict) -> dict:
    s = plan["summary"]
    walls = info["walls"]
    spread = f"{walls[0]:.1f}-{walls[-1]:.1f} ({len(walls)} runs)" if len(walls) > 1 else "1 run"
    return {"tps": tps, "personnel": plan["input"]["personnel"], "gen_s": gen_s, "wall_s": info["wall_s"],
            "spread": spread,
            "peak_gb": info["peak_kb"] / 1024 / 1024, "posts": s["posts"], "unmet": sum(s["unmet"].values()),
            "unmet_by": s["unmet"], "travel_km": s["travel_km_total"], "radius_km": s["max_post_radius_km"],
            "squads": s["reserve_squads"], "solve_s": s["runtime_s"], "phases": info["phases"]}


def table(title: str, head: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    print(f"\n{title}")
    print("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))


def ratio(a: float, b: float) -> str:
    """a / b, two decimals (two significant digits when below 0.1)."""
    if not b:
        return "-"
    r = a / b
    return f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="839,10000,60000", help="comma-separated TPS counts")
    ap.add_argument("--national", action="store_true", help=f"also run {NATIONAL:,} TPS")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--repeats", type=int, default=3,
                    help=f"runs of `siaga plan` per size up to {REPEAT_MAX_TPS:,} TPS (median wall reported)")
    ap.add_argument("--seed", type=int, default=1, help="scenario seed (also seeds the peers' samples)")
    ap.add_argument("--workdir", type=Path, help="keep areas and plans here (default: a temp dir, removed)")
    ap.add_argument("--keep", action="store_true", help="do not remove the temp dir")
    ap.add_argument("--kmeans-groups", type=int, default=1500,
                    help="k-means-constrained: most groups measured per size (a seeded sample beyond)")
    ap.add_argument("--pcenter-sites", type=int, default=50, help="p-center: most candidate sites")
    ap.add_argument("--pcenter-instances", type=int, default=3,
                    help="p-center: instances (site subsets seeded seed, seed+1, ...)")
    ap.add_argument("--pcenter-p-max", type=int, default=30, help="p-center: most squads")
    ap.add_argument("--pcenter-time-limit", type=float, default=120.0, help="CBC time limit (s)")
    ap.add_argument("--child-plan", nargs=3, metavar=("DIR", "OUT", "RESULT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_plan:
        child_plan(*args.child_plan)
        return
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if args.national and NATIONAL not in sizes:
        sizes.append(NATIONAL)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="siaga-plan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"Siaga planning benchmark — {dt.datetime.now().isoformat(timespec='seconds')}")
    print(f"machine: {os.cpu_count()} CPU (nproc), {platform.machine()}, Python {platform.python_version()}, "
          f"load average at start {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"data: SYNTHETIC areas from siaga.scenarios.generate_scenario(tps=N, seed={args.seed}) "
          f"with their plan.toml (pattern sintetis-pilkada-2024)")
    try:
        results = run_all(sizes, work, args)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    print(f"\nbenchmark total {time.perf_counter() - started:.0f} s; load average at end "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def run_all(sizes: list[int], work: Path, args) -> dict:
    from _peers import greedy_peer, kmeans_peer, load_problem, pcenter_peer

    results: dict = {"plan": [], "kmeans": [], "greedy": [], "pcenter": None, "notes": []}
    pcenter_size = 839 if 839 in sizes else min(sizes)
    for n in sizes:
        area, out = work / f"area-{n}", work / f"plan-{n}"
        gen_s = generate(area, n, args.seed)
        runs = sorted((run_plan(area, out) for _ in range(args.repeats if n <= REPEAT_MAX_TPS else 1)),
                      key=lambda r: r["wall_s"])
        info = dict(runs[len(runs) // 2])  # the median run (by wall time)
        info["walls"] = [r["wall_s"] for r in runs]
        info["peak_kb"] = max(r["peak_kb"] for r in runs)
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
        results["plan"].append(plan_row(n, gen_s, info, plan))
        print(f"  {n:,} TPS: wall {', '.join(f'{w:.2f}' for w in info['walls'])} s, "
              f"peak {info['peak_kb'] / 1048576:.2f} GB", flush=True)
        if args.skip_peers:
            continue
        if n > PEERS_MAX_TPS:
            results["notes"].append(f"peers skipped for {n:,} TPS (above {PEERS_MAX_TPS:,}: plan.json too big "
                                    f"to load in the benchmark process)")
            continue
        results["kmeans"].append((n, kmeans_peer(plan, args.kmeans_groups, args.seed)))
        problem = load_problem(area)
        results["greedy"].append((n, greedy_peer(plan, problem)))
        if n == pcenter_size:
            if n > PCENTER_MAX_TPS:
                results["notes"].append(f"p-center skipped: smallest area {n:,} TPS is above {PCENTER_MAX_TPS:,}")
            else:
                results["pcenter"] = [(n, pcenter_peer(plan, problem, args.pcenter_sites, args.pcenter_p_max,
                                                       args.seed + i, args.pcenter_time_limit))
                                      for i in range(args.pcenter_instances)]
        del plan, problem
        gc.collect()
    return results


def report(results: dict, args) -> None:
    rows = [[f"{r['tps']:,}", f"{r['personnel']:,}", f"{r['gen_s']:.1f}", f"{r['wall_s']:.2f}", r["spread"],
             f"{r['peak_gb']:.2f}", f"{r['posts']:,}",
             f"{r['unmet']} ({'/'.join(str(r['unmet_by'][f]) for f in ('polri', 'tni', 'linmas', 'commander'))})",
             f"{r['travel_km']:,.0f}", f"{r['radius_km']:.2f}", f"{r['squads']:,}"]
            for r in results["plan"]]
    table("1. siaga plan (whole command: read, score, solve, write plan.json + xlsx + geojson + html)",
          ["TPS", "personnel", "gen s", "wall s", "wall range", "peak GB", "posts", "unmet (p/t/l/cmd)", "travel km",
           "max radius km", "squads"], rows)
    names = ["read", "score", "build", "posts", "staffing", "reserves", "output", "json", "reports"]
    rows = []
    for r in results["plan"]:
        ph = r["phases"]
        other = r["wall_s"] - sum(ph.get(k, 0.0) for k in names + ["done"])
        rows.append([f"{r['tps']:,}", *(f"{ph.get(k, 0.0):.2f}" for k in names), f"{other:.2f}"])
    table("   where the wall time went (s; posts..output = solve(); other = start-up, imports, summary)",
          ["TPS", *names, "other"], rows)
    if results["kmeans"]:
        rows = []
        for n, k in results["kmeans"]:
            sample = f"{k.groups:,}/{k.groups_total:,}" + (" sampled" if k.groups < k.groups_total else "")
            rows.append([f"{n:,}", sample, f"{k.trivial:,}", f"{k.tps:,}", f"{k.siaga_s:.2f}", f"{k.peer_s:.2f}",
                         ratio(k.siaga_s, k.peer_s), f"{k.mean_dist[0]:.3f}/{k.mean_dist[1]:.3f}",
                         ratio(*k.mean_dist), ratio(*k.mean_max), ratio(*k.sse), str(k.peer_empty)])
        table("2. peer: k-means-constrained (KMeansConstrained(k, size_max=cap, random_state=0)) on Siaga's "
              "groups (area x category, same k)",
              ["TPS", "groups", "trivial", "TPS in", "siaga s", "peer s", "time s/p", "mean km s/p",
               "mean ratio", "max-radius ratio", "SSE ratio", "peer empty"], rows)
    if results["greedy"]:
        rows = [[f"{n:,}", f"{g.posts:,}", f"{g.needed:,}", f"{g.siaga_km:,.0f}", f"{g.greedy_km:,.0f}",
                 ratio(g.siaga_km, g.greedy_km), f"{g.siaga_unmet}/{g.greedy_unmet}",
                 f"{g.siaga_no_commander}/{g.greedy_no_commander}", f"{g.seconds:.1f}"]
                for n, g in results["greedy"]]
        table("3. peer: greedy by-hand Polri assignment to Siaga's posts (priority order, nearest eligible)",
              ["TPS", "posts", "Polri needed", "siaga km", "greedy km", "travel s/g", "unmet s/g",
               "no commander s/g", "greedy s"], rows)
    if results["pcenter"]:
        rows = [[f"{n:,}", str(p.seed), f"{p.tps:,}", str(p.candidates), f"{p.p} of {p.p_plan}", f"{p.plan_km:.2f}",
                 "yes" if p.reproduced else "NO", f"{p.siaga_km:.2f}", f"{p.peer_km:.2f}", p.peer_status,
                 ratio(p.siaga_km, p.peer_km), f"{p.siaga_s:.3f}", f"{p.peer_build_s:.1f}+{p.peer_s:.1f}",
                 ratio(p.siaga_s, p.peer_s)] for n, p in results["pcenter"]]
        table("4. peer: spopt PCenter + CBC vs Siaga's reserve stage (form_squads + station_squads re-run) on "
              "the same TPS, sites (Polri HQs + seeded posts) and p",
              ["area", "sites seed", "TPS", "sites", "p", "plan km", "re-run = plan", "siaga km", "spopt km", "spopt",
               "km s/p", "siaga s", "spopt build+solve s", "time s/p"], rows)
    for note in results["notes"]:
        print(f"note: {note}")
    print("\nTargets (design.md):")
    by_size = {r["tps"]: r for r in results["plan"]}
    for size, seconds, gb, label in TARGETS:
        r = by_size.get(size)
        if r is None:
            print(f"  {label}: not run" + (" (pass --national)" if size == NATIONAL else ""))
            continue
        ok = r["wall_s"] <= seconds and (gb is None or r["peak_gb"] <= gb)
        extra = f", {r['peak_gb']:.2f} GB" if gb is not None else ""
        print(f"  {label}: {'met' if ok else 'MISSED'} ({r['wall_s']:.2f} s median wall{extra}; "
              f"{r['personnel']:,} personnel; solve {r['solve_s']:.1f} s)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
