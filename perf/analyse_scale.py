"""`tillit analyse` at scale: every comment box filled, 2k … 20k respondents.

    .venv/bin/python perf/analyse_scale.py [--sizes 2000,4000,8000,12000,20000] [--runs 1]

For each size a CSV export is generated once (perf/_data/scale_<n>.csv: one municipality,
the default instrument's questions, all comment boxes filled with recombined sentences of
the public labelled comments, 10 % with a name, phone number or e-mail added). Each run is
a fresh process on a fresh SQLite store that does what `tillit analyse` does
(`tillit.pipeline.run_analyse`: read, store with redaction, comparison, comment analysis,
analys.json, deck, report with the full comment appendix), timing every step; the parent
times the whole process (start-up included) and reads its peak memory (ru_maxrss).

Reported per size: whole-process wall, in-process wall, the steps, seconds per 1,000
respondents, and how much each further 1,000 respondents added since the previous size
(flat means linear), plus the load average when the run started and ended.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "perf" / "_data"
SHARED = ROOT.parent / "shared" / "data" / "comments_public.csv"
S4 = ["Nej", "Till liten del", "Till viss del", "Till stor del", "Vet ej"]
EXTRAS = ["Ring mig på 070-123 45 67.", "Kontakta ordföranden Per Andersson.", "Mejla lena.holm@kommun.se."]


def _sentences() -> list[str]:
    import pandas as pd

    texts = pd.read_csv(SHARED, dtype=str, keep_default_na=False)["comment"]
    return [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]


def generate(n: int) -> Path:
    """A one-municipality CSV export with n respondents and every comment box filled."""
    path = DATA / f"scale_{n}.csv"
    if path.exists():
        return path
    import csv

    sys.path.insert(0, str(ROOT))
    from tillit.survey import load_instrument

    inst = load_instrument()
    pool = _sentences()
    rng = random.Random(n)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Svars-ID", "Startad", inst.group_question, *[q.text for q in inst.questions],
                    *[b.text for b in inst.comment_boxes]])
        for rid in range(1, n + 1):
            row = [rid, "2025-03-01 10:00", rng.choice(["Förtroendevald", "Tjänsteperson"])]
            for q in inst.questions:
                row.append(rng.choice(["Ja", "Nej"]) if q.scale == "ja_nej" else rng.choice(S4))
            for _ in inst.comment_boxes:
                parts = rng.sample(pool, rng.randint(1, 3))
                if rng.random() < 0.1:
                    parts.append(rng.choice(EXTRAS))
                row.append(" ".join(parts))
            w.writerow(row)
    return path


def child(export: str, out: str, db: str) -> None:
    """One `tillit analyse` in this process, each step timed; prints one JSON line."""
    import resource

    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import tillit.cli  # noqa: F401  (what the command loads before it runs)
    from tillit.pipeline import run_analyse

    marks: list[tuple[str, float]] = [("imports", time.perf_counter())]
    rss_peak: dict[str, float] = {}  # step -> highest resident memory seen during it (MB)
    page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
    done = threading.Event()

    def sample() -> None:
        with open("/proc/self/statm") as fh:
            while not done.wait(0.05):
                fh.seek(0)
                rss = int(fh.read().split()[1]) * page_mb
                step = marks[-1][0]
                rss_peak[step] = max(rss_peak.get(step, 0.0), rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t_run = time.perf_counter()
    cpu: list[float] = [time.process_time()]  # CPU time at each step: less disturbed by other load than wall

    def step(text: str) -> None:
        marks.append((text, time.perf_counter()))
        cpu.append(time.process_time())

    run_analyse(export, municipality="Skalby", year=2025, out=out, db=db, synthetic=True, step=step)
    end = time.perf_counter()
    cpu.append(time.process_time())
    done.set()
    sampler.join()
    marks.append(("end", end))
    steps = {"imports": marks[0][1] - t0}
    for (name, start), (_, stop) in zip(marks[1:], marks[2:]):
        steps[name] = stop - start
    step_cpu = {name: b - a for (name, _), a, b in zip(marks[1:], cpu[1:], cpu[2:])}
    print(json.dumps({"in_process": end - t_run, "steps": steps, "step_peak_mb": rss_peak, "step_cpu": step_cpu,
                      "cpu": time.process_time(),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_once(n: int) -> dict:
    export = generate(n)
    with tempfile.TemporaryDirectory(prefix="tillit-scale-") as tmp:
        load_before = os.getloadavg()[0]
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(export), tmp, str(Path(tmp) / "s.db")],
                              capture_output=True, text=True, timeout=1800)
        wall = time.perf_counter() - t
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        res.update(whole_process=wall, load=(load_before, os.getloadavg()[0]),
                   sizes={p.name: p.stat().st_size for p in Path(tmp).iterdir() if p.is_file()})
        return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,4000,8000,12000,20000")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--child", nargs=3, metavar=("EXPORT", "OUT", "DB"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    prev = None
    for n in [int(s) for s in args.sizes.split(",")]:
        runs = [run_once(n) for _ in range(args.runs)]
        whole = statistics.median(r["whole_process"] for r in runs)
        inproc = statistics.median(r["in_process"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        steps = {k: statistics.median(r["steps"][k] for r in runs) for k in runs[0]["steps"]}
        cpu = statistics.median(r["cpu"] for r in runs)
        marginal = "" if prev is None else (
            f"; each further 1,000 added {(whole - prev[1]) / ((n - prev[0]) / 1000):.2f} s wall, "
            f"{(cpu - prev[2]) / ((n - prev[0]) / 1000):.2f} s CPU")
        print(f"{n:>6} respondents, {n * 5:>7} comments: whole process {whole:6.1f} s wall, {cpu:6.1f} s CPU "
              f"(in-process {inproc:6.1f} s wall); per 1,000: {whole / (n / 1000):.2f} s wall, {cpu / (n / 1000):.2f} s "
              f"CPU; peak {peak:,.0f} MB{marginal}")
        print("        steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
        print("        steps, CPU (s): " + ", ".join(f"{k} {v:.1f}" for k, v in runs[0]["step_cpu"].items()))
        print("        peak memory per step (MB): " + ", ".join(
            f"{k} {v:,.0f}" for k, v in runs[0]["step_peak_mb"].items()))
        print("        load (1 min) before/after: " + "; ".join(f"{a:.1f}/{b:.1f}" for a, b in (r["load"] for r in runs)))
        sys.stdout.flush()
        prev = (n, whole, cpu)


if __name__ == "__main__":
    main()
