"""Read + tidy + aggregate a national-scale export, against a plain pandas.read_csv.

Generates one CSV with a Kommun column: 290 municipalities × 100 respondents, the default
instrument's questions and comment boxes. Reports the median of several runs and the
peak memory of each path (measured in a fresh subprocess so the two do not share a heap).

    python perf/survey_national.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "perf" / "_data"
S4 = ["Nej", "Till liten del", "Till viss del", "Till stor del", "Vet ej"]


def generate(path: Path, municipalities: int = 290, per: int = 100) -> Path:
    if path.exists():
        return path
    import csv

    from tillit.survey import load_instrument

    inst = load_instrument()
    rng = random.Random(7)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Svars-ID", "Kommun", "Startad", inst.group_question, *[q.text for q in inst.questions],
                    *[b.text for b in inst.comment_boxes]])
        rid = 0
        for m in range(municipalities):
            for _ in range(per):
                rid += 1
                row = [rid, f"Kommun {m:03d}", "2025-03-01 10:00", rng.choice(["Förtroendevald", "Tjänsteperson"])]
                for q in inst.questions:
                    if q.scale == "ja_nej":
                        row.append(rng.choice(["Ja", "Nej"]))
                    else:
                        row.append("" if rng.random() < 0.03 else rng.choice(S4))
                row += [rng.choice(["", "", "", "Vi behöver tydligare roller och mer dialog."]) for _ in inst.comment_boxes]
                w.writerow(row)
    return path


def _child(mode: str, path: str) -> None:
    import resource

    import pandas as pd

    from tillit.survey import count_by_municipality, read_export

    t0 = time.perf_counter()  # imports are start-up, not reading: both paths exclude them
    if mode == "plain":
        pd.read_csv(path)
    else:
        data = read_export(path)
        tables = count_by_municipality(data)
        assert len(tables) == 290
    dt = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": dt, "peak_mb": peak_kb / 1024}))


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return
    path = generate(DATA / "national_290x100.csv")
    # Interleaved pairs (plain, tillit), so that a busy moment on the machine hits both
    # paths alike; the ratio is the median of the per-pair ratios.
    res: dict[str, list[dict]] = {"plain": [], "tillit": []}
    for _ in range(args.runs):
        for m in res:
            res[m].append(measure(m, path))
    med = {m: statistics.median(r["seconds"] for r in rs) for m, rs in res.items()}
    mem = {m: statistics.median(r["peak_mb"] for r in rs) for m, rs in res.items()}
    ratios = [t["seconds"] / p["seconds"] for p, t in zip(res["plain"], res["tillit"])]
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, 29,000 respondents")
    print(f"plain pandas.read_csv : median {med['plain'] * 1000:.0f} ms, peak RSS {mem['plain']:.0f} MB (process)")
    print(f"tillit read+tidy+agg  : median {med['tillit'] * 1000:.0f} ms, peak RSS {mem['tillit']:.0f} MB (process)")
    print(f"ratio                 : {statistics.median(ratios):.2f}x median of {len(ratios)} pairs "
          f"(range {min(ratios):.2f}–{max(ratios):.2f}; ratio of medians {med['tillit'] / med['plain']:.2f}x)")
    print("targets               : under 3 s and under 2x the plain read")


if __name__ == "__main__":
    main()
