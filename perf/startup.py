"""Whole-process time of small commands, against the floors they are compared with.

    .venv/bin/python perf/startup.py [--runs 11]

Each command runs as a fresh process (start-up included, as a user waits for it); the
commands run in turn within each round, so that a busy moment on the shared machine hits
them alike. Reported: median and best per command, and the ratio of the medians to
`python -c "import pandas"` and to a bare click program with one option.

The `tillit compare` row uses a store of 290 municipalities × 5 waves built by
perf/benchmarks_compare.py (perf/_data/store_290x5.db, built on first use).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TILLIT = str(Path(PY).with_name("tillit"))
DATA = ROOT / "perf" / "_data"
PANDAS, CLICK = "python -c 'import pandas'", "bare click program"
BARE_CLICK = """
import click

@click.command()
@click.option("--name", default="x")
def main(name):
    click.echo(name)

main()
"""


def compare_store() -> Path:
    db = DATA / "store_290x5.db"
    if not db.exists():
        sys.path.insert(0, str(ROOT / "perf"))
        sys.path.insert(0, str(ROOT))
        import benchmarks_compare

        DATA.mkdir(parents=True, exist_ok=True)
        built, _ = benchmarks_compare.build(DATA, 290, 5)
        built.rename(db)
    return db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    db = compare_store()
    commands = {
        PANDAS: [PY, "-c", "import pandas"],
        CLICK: [PY, "-c", BARE_CLICK],
        "python -c 'import click, rich'": [PY, "-c", "import click, rich"],
        "tillit --help": [TILLIT, "--help"],
        "tillit results --help": [TILLIT, "results", "--help"],
        "tillit compare --help": [TILLIT, "compare", "--help"],
        "tillit analyse --help": [TILLIT, "analyse", "--help"],
        "tillit results (bundled xlsx)": [TILLIT, "results", str(ROOT / "examples" / "lindbacka_2025_enkat.xlsx")],
        "tillit compare (290 × 5, json)": [TILLIT, "compare", "Kommun 001", "--db", str(db), "--format", "json"],
    }
    env = {**os.environ, "COLUMNS": "160"}
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}  # user + system CPU of the child: less hit by load
    print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    for _ in range(args.runs + 1):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT, timeout=300)
            times[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(f"uptime after:  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    med = {k: statistics.median(v[1:]) for k, v in times.items()}  # the first round only warms file caches
    cmed = {k: statistics.median(v[1:]) for k, v in cpu.items()}
    pandas, click_ = med[PANDAS], med[CLICK]
    print(f"{'command':34} {'wall median':>11} {'best':>7} {'× pandas':>9} {'× click':>8} {'CPU median':>11} "
          f"{'CPU × pandas':>12}")
    for name, v in times.items():
        print(f"{name:34} {med[name]:10.2f}s {min(v[1:]):6.2f}s {med[name] / pandas:8.1f}x {med[name] / click_:7.1f}x "
              f"{cmed[name]:10.2f}s {cmed[name] / cmed[PANDAS]:11.1f}x")


if __name__ == "__main__":
    main()
