"""`make demo`'s analysis step, as a user waits for it (start-up included).

    .venv/bin/python perf/demo.py [--runs 5]

Each run: a fresh SQLite store with the bundled benchmark municipalities imported (not
timed), then `tillit analyse examples/lindbacka_2025_enkat.xlsx ... --dialogue ...` exactly
as the Makefile runs it, timed as a whole process: wall clock, and user + system CPU of
the process and the children it waited for. Target (issue 16): under 4 s wall on an idle
machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TILLIT = str(Path(sys.executable).with_name("tillit"))


def once(tmp: Path) -> tuple[float, float]:
    db = tmp / "demo.sqlite"
    subprocess.run([TILLIT, "import-aggregate", "examples/jamforelsekommuner_syntetiska.csv", "--synthetic", "--db",
                    str(db)], check=True, capture_output=True, cwd=ROOT, timeout=300)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([TILLIT, "analyse", "examples/lindbacka_2025_enkat.xlsx", "--municipality", "Lindbacka", "--year",
                    "2025", "--synthetic", "--dialogue", "examples/lindbacka_2025_dialog.csv", "--db", str(db), "--out",
                    str(tmp / "lindbacka")], check=True, capture_output=True, cwd=ROOT, timeout=600)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    walls, cpus = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tillit-demo-") as tmp:
            wall, cpu = once(Path(tmp))
        walls.append(wall)
        cpus.append(cpu)
    print(f"uptime after:  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"tillit analyse (demo): wall median {statistics.median(walls):.2f} s (best {min(walls):.2f}; "
          f"runs {', '.join(f'{w:.2f}' for w in walls)}), CPU median {statistics.median(cpus):.2f} s")
    print(f"load average now: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
