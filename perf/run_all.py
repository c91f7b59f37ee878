"""Run every performance script in perf/ one after another (`make perf`).

    .venv/bin/python perf/run_all.py [--only NAME ...] [--timeout 1800]

Each script runs in its own process with its default arguments and a time limit; its
output is printed as it comes. The figures are written down by hand in perf/RESULTS-*.md
with the date, the machine's load and the command. Exit code: the number of scripts that
failed or timed out.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(only: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    return [p for p in found if not only or p.stem in only]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=[], help="script names without .py")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per script")
    args = ap.parse_args()
    failed = 0
    for script in scripts(args.only):
        print(f"\n=== {script.name} ===", flush=True)
        t = time.perf_counter()
        try:
            code = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            print(f"{script.name}: stopped after {args.timeout} s")
            code = -1
        print(f"=== {script.name}: exit {code}, {time.perf_counter() - t:.1f} s ===", flush=True)
        failed += code != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
