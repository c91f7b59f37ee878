"""How fast is a full comparison against a big benchmark store?

Generates aggregated counts for N municipalities × W waves (realistic: group sizes 15–45,
a level per municipality that drifts between waves, some "Vet ej" and blanks), imports
them through Store.import_aggregate into a SQLite file, and times
``tillit.benchmarks.comparison(store, <one municipality>)`` — benchmark set, best, median,
percentiles, tests, perception gaps and trend — as the median of several runs.

    .venv/bin/python perf/benchmarks_compare.py                 # 290 × 1, 2, 5 waves
    .venv/bin/python perf/benchmarks_compare.py --write         # and update perf/RESULTS-benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tillit.benchmarks import Store, comparison  # noqa: E402
from tillit.survey import load_instrument  # noqa: E402

FIRST_YEAR = 2016


def generate(path: Path, municipalities: int, waves: int, seed: int = 7) -> None:
    inst = load_instrument()
    rng = np.random.default_rng(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["kommun", "ar", "fraga", "grupp", "svarsalternativ", "antal"])
        for m in range(municipalities):
            name = f"Kommun {m + 1:03d}"
            level = rng.normal(0, 0.8)
            for w in range(waves):
                level += rng.normal(0.1, 0.3)
                year = FIRST_YEAR + 2 * w
                for g in inst.group_ids:
                    n = int(rng.integers(15, 46))
                    for q in inst.questions:
                        scale = inst.scales[q.scale]
                        answered = n - int(rng.binomial(n, 0.04))
                        dk = int(rng.binomial(answered, 0.05)) if scale.dont_know else 0
                        logits = np.array([s.value for s in scale.steps]) * (level + rng.normal(0, 0.2))
                        p = np.exp(logits - logits.max())
                        counts = rng.multinomial(answered - dk, p / p.sum())
                        for step, k in zip(scale.steps, counts):
                            if k:
                                out.writerow([name, year, q.id, g, step.label, int(k)])
                        if dk:
                            out.writerow([name, year, q.id, g, scale.dont_know[0].label, dk])


def build(folder: Path, municipalities: int, waves: int) -> tuple[Path, float]:
    csv_path = folder / f"agg_{municipalities}x{waves}.csv"
    db = folder / f"store_{municipalities}x{waves}.db"
    generate(csv_path, municipalities, waves)
    start = time.perf_counter()
    with Store(str(db)) as s:
        s.import_aggregate(csv_path)
    return db, time.perf_counter() - start


LATEST_SQL = """
SELECT w.id FROM waves w
WHERE w.year = (SELECT max(w2.year) FROM waves w2 WHERE w2.municipality_id = w.municipality_id)
"""


def floor_query(db: Path) -> float:
    """The floor: one SQL query (sqlite3 alone) fetching the counts of every municipality's
    latest wave, the counts the comparison works from, as plain tuples. Which waves those are
    is looked up first and not timed (the comparison has to find them too)."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        ids = ",".join(str(i) for (i,) in con.execute(LATEST_SQL))
        start = time.perf_counter()
        con.execute(f"SELECT wave_id, question_id, group_id, label, n FROM aggregate_counts "
                    f"WHERE wave_id IN ({ids})").fetchall()
        return time.perf_counter() - start
    finally:
        con.close()


def whole_process(db: Path, target: str) -> float:
    """`tillit compare <target> --format json` as a user runs it (start-up included)."""
    import subprocess

    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("tillit")), "compare", target, "--db", str(db), "--format",
                    "json"], check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def time_comparison(db: Path, target: str, runs: int) -> dict:
    """Cold: a new Store each run (nothing cached; the first run only warms the OS file cache
    and imports scipy), each next to one floor query, so that load hits both alike.
    Switch: one Store, another benchmark each run (as in the dashboard: counts and profiles
    of the benchmark set are kept while the data is unchanged). Whole: the command."""
    cold, floor, ratios, cpu_cmp, cpu_floor = [], [], [], [], []
    for i in range(runs + 1):
        with Store(str(db)) as s:
            start, c0 = time.perf_counter(), time.process_time()
            cmp = comparison(s, target)
            took, cpu = time.perf_counter() - start, time.process_time() - c0
        c0 = time.process_time()
        f = floor_query(db)
        if i:
            cold.append(took)
            floor.append(f)
            ratios.append(took / f)
            cpu_cmp.append(cpu)
            cpu_floor.append(time.process_time() - c0)
    switch = []
    with Store(str(db)) as s:
        comparison(s, target)
        for i in range(runs):
            start = time.perf_counter()
            comparison(s, target, with_=f"Kommun {i + 2:03d}")
            switch.append(time.perf_counter() - start)
    whole = [whole_process(db, target) for _ in range(max(3, runs // 2))]
    med = statistics.median
    return {"cold_ms": med(cold) * 1000, "best_ms": min(cold) * 1000, "switch_ms": med(switch) * 1000,
            "floor_ms": med(floor) * 1000, "ratio": med(ratios), "whole_s": med(whole),
            "cpu_ratio": med(cpu_cmp) / med(cpu_floor), "cpu_ms": med(cpu_cmp) * 1000,
            "set_size": len(cmp.benchmark_set)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--municipalities", type=int, default=290)
    ap.add_argument("--waves", type=int, nargs="+", default=[1, 2, 5])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--write", action="store_true", help="write perf/RESULTS-benchmarks.md")
    args = ap.parse_args()
    rows = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for w in args.waves:
            db, import_s = build(Path(tmp), args.municipalities, w)
            r = time_comparison(db, "Kommun 001", args.runs)
            rows.append((w, args.municipalities * w, r["set_size"], import_s, r))
            print(f"{args.municipalities} × {w} waves: import {import_s:.1f} s, comparison median {r['cold_ms']:.0f} ms "
                  f"(best {r['best_ms']:.0f} ms, benchmark set {r['set_size']}); floor (one SQL query) "
                  f"{r['floor_ms']:.0f} ms, ratio {r['ratio']:.1f}x (CPU {r['cpu_ratio']:.1f}x); another benchmark on the same store "
                  f"{r['switch_ms']:.0f} ms; whole process `tillit compare` {r['whole_s']:.2f} s", flush=True)
    table = ["| waves per municipality | waves stored | benchmark set | import (s) | comparison, cold: median (ms) "
             "| best (ms) | floor: one SQL query (ms) | ratio to floor (median of pairs) "
             "| comparison, CPU (ms) | ratio to floor, CPU | another benchmark, same store (ms) "
             "| whole process `tillit compare` (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    table += [f"| {w} | {n} | {k} | {i:.1f} | {r['cold_ms']:.0f} | {r['best_ms']:.0f} | {r['floor_ms']:.0f} "
              f"| {r['ratio']:.1f}× | {r['cpu_ms']:.0f} | {r['cpu_ratio']:.1f}× | {r['switch_ms']:.0f} "
              f"| {r['whole_s']:.2f} |" for w, n, k, i, r in rows]
    print("\n".join(table))
    print(f"load average (1 min): {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    if args.write:
        last = rows[-1][4]
        verdict = (f"With {args.municipalities} × {rows[-1][0]} waves: {last['cold_ms']:.0f} ms cold "
                   f"({'met' if last['cold_ms'] < 300 else 'not met'} for < 300 ms); {last['ratio']:.1f}× the floor "
                   f"in wall-clock pairs and {last['cpu_ratio']:.1f}× in CPU time "
                   f"({'met' if max(last['ratio'], last['cpu_ratio']) <= 3 else 'not met'} for ≤ 3×).")
        write_results(table, args, load, os.getloadavg()[0], verdict)


def write_results(table: list[str], args, load_start: float, load_end: float, verdict: str) -> None:
    cmd = f".venv/bin/python perf/benchmarks_compare.py --runs {args.runs} --write"
    text = f"""# Benchmark comparison performance

Command (from the repository root):

    {cmd}

What is timed: `tillit.benchmarks.comparison(store, "Kommun 001")` on a SQLite store — choosing the
benchmark set (latest wave of every other municipality), reading all their counts, the best
municipality, median and percentile per question × group, the tests against the best, the
perception gaps of every wave in the set and the trend over the municipality's own waves.
Cold: median of {args.runs} runs, each on a new `Store` (nothing cached), after one run that
only warms the operating system's file cache. Another benchmark: one `Store`, median of
{args.runs} comparisons each with another benchmark (`with_=`), as when the dashboard's
benchmark picker changes: the counts and profiles of the set are kept while the store's
data is unchanged (`Store.counts_many`, `CountTable.memo`).
Floor: one SQL query (sqlite3 alone) that fetches the counts of every municipality's latest
wave by their ids, the counts the comparison works from (finding the ids is not timed); each cold run is followed by one floor query and
the ratio is the median of those pairs, so that a busy moment hits both alike. Whole
process: `tillit compare "Kommun 001" --format json` as a user runs it (start-up, opening
the store, scipy loaded for the tests, the comparison, the JSON).
Data: {args.municipalities} generated municipalities, aggregated counts, 2 groups of 15–45
respondents, 8 questions.

Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()},
{platform.system()}, the project's 2-CPU machine: load average {load_start:.1f} at the start and
{load_end:.1f} at the end (1 minute, 2 cores; this script itself keeps about one core busy). On a
shared, loaded machine the wall-clock figures are slower; the ratio to the floor is the steadier figure.

{chr(10).join(table)}

Targets: under 300 ms with 290 municipalities × 5 waves; within 3× the single-query floor
(issue 16). {verdict}

Where the time goes (290 × 5, one cold comparison of about 60 ms, from cProfile and timers
around its parts): reading the counts of the 291 waves ≈ 25 ms (the query itself is the
floor, ≈ 21 ms; counting rows per wave ≈ 3 ms); listing the stored waves ≈ 7 ms (all 1,450
read once per data version as plain tuples, each municipality's key computed once; the
benchmark set is the latest wave of each); the comparison ≈ 20 ms: the statistical tests
for this municipality, the benchmark and the previous wave (scipy's Fisher and chi-square,
the exact 2 × k test, and Mann–Whitney computed from the counts), the profiles of all the
waves as one array (≈ 4 ms, `benchmarks/field.py`) and the perception gaps and trend.
Before 7 Dec 2026 (idle machine, same script): 81 ms, 3.7× the floor in wall-clock pairs —
scipy's Mann–Whitney on the expanded answers took ≈ 0.7 ms a call, SQLAlchemy's row
objects and date parsing most of the wave listing, and the stored instrument's YAML was
parsed again for every store opened.

How it grows: the benchmark set is one wave per municipality however many waves are
stored; listing reads every stored wave once per data version (≈ 5 µs a wave), and more
waves add the trend over the target's own waves. It grows linearly with the number of
municipalities (counts read in one query per 500 waves; the figures over the set are
array operations over all of its waves at once).
"""
    (ROOT / "perf" / "RESULTS-benchmarks.md").write_text(text, "utf-8")


if __name__ == "__main__":
    main()
