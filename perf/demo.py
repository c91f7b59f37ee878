"""`make demo`'s analysis step, as a user waits for it (start-up included).

    .venv/bin/python perf/demo.py [--runs 5] [--before PATH]

Each run: a fresh SQLite store with the bundled benchmark municipalities imported (not
timed), then `tillit analyse examples/lindbacka_2025_enkat.xlsx ... --dialogue ...` exactly
as the Makefile runs it, timed as a whole process: wall clock, and user + system CPU of
the process and the children it waited for. Target (issue 16): under 4 s wall on an idle
machine.

Variants, run in turn within each round (so load on the shared machine hits them alike):

- ``warm``: the cache folder (``TILLIT_CACHE_DIR``, ``tillit.nlp.cache``) filled by one untimed run
  first, as on every run after a user's first;
- ``cold``: an empty cache folder each run, as on a user's very first run (simplemma's
  dictionaries are decoded and written by a separate process started first, and the command
  waits for it when it meets its first word);
- ``new``: a cache folder holding simplemma's decoded dictionaries but no word seen before,
  as on the first analysis of every further export on a machine (they are loaded, not decoded);
- ``before`` (with ``--before PATH``): another checkout of Tillit (e.g. ``git worktree`` or
  ``git archive`` of an earlier commit), run the same way with ``PYTHONPATH=PATH``.

Every run uses ``PYTHONHASHSEED=0`` so that the analys.json files can be compared: the
script checks that each variant's analys.json equals the first variant's, apart from
``generated_at``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TILLIT = str(Path(sys.executable).with_name("tillit"))


def once(tree: Path, tmp: Path, cache_dir: Path) -> tuple[float, float, dict]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0", "TILLIT_CACHE_DIR": str(cache_dir)}
    db = tmp / "demo.sqlite"
    subprocess.run([TILLIT, "import-aggregate", "examples/jamforelsekommuner_syntetiska.csv", "--synthetic", "--db",
                    str(db)], check=True, capture_output=True, cwd=tree, env=env, timeout=300)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([TILLIT, "analyse", "examples/lindbacka_2025_enkat.xlsx", "--municipality", "Lindbacka", "--year",
                    "2025", "--synthetic", "--dialogue", "examples/lindbacka_2025_dialog.csv", "--db", str(db), "--out",
                    str(tmp / "lindbacka")], check=True, capture_output=True, cwd=tree, env=env, timeout=600)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    analysis = _without_time(json.loads((tmp / "lindbacka" / "analys.json").read_text("utf-8")))
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, analysis


def _without_time(value):
    """The analysis without its `generated_at` stamps (wherever they are)."""
    if isinstance(value, dict):
        return {k: _without_time(v) for k, v in value.items() if k != "generated_at"}
    if isinstance(value, list):
        return [_without_time(v) for v in value]
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", type=Path, help="another Tillit checkout to time alongside (the figures before)")
    ap.add_argument("--only", nargs="*", choices=["warm", "cold", "new", "before"], help="variants to run")
    args = ap.parse_args()
    variants = [v for v in ("warm", "cold", "new", "before") if (v != "before" or args.before) and
                (not args.only or v in args.only)]
    print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    walls: dict[str, list[float]] = {v: [] for v in variants}
    cpus: dict[str, list[float]] = {v: [] for v in variants}
    reference: dict | None = None
    with tempfile.TemporaryDirectory(prefix="tillit-demo-cache-") as warm_cache:
        if "warm" in variants or "new" in variants:
            with tempfile.TemporaryDirectory(prefix="tillit-demo-") as tmp:
                once(ROOT, Path(tmp), Path(warm_cache))  # fills the cache; not timed
        dictionaries = sorted(Path(warm_cache).glob("simplemma-*-dictionary-*"))
        for _ in range(args.runs):
            for variant in variants:
                with tempfile.TemporaryDirectory(prefix="tillit-demo-") as tmp:
                    tree = args.before.resolve() if variant == "before" else ROOT
                    cache_dir = Path(warm_cache) if variant == "warm" else Path(tmp) / "cache"
                    if variant == "new":  # the dictionaries of an earlier run, no word of this export
                        cache_dir.mkdir()
                        for path in dictionaries:
                            shutil.copy(path, cache_dir / path.name)
                    wall, cpu, analysis = once(tree, Path(tmp), cache_dir)
                walls[variant].append(wall)
                cpus[variant].append(cpu)
                if reference is None:
                    reference = analysis
                elif analysis != reference:
                    print(f"!! {variant}: analys.json differs from {variants[0]}'s")
    print(f"uptime after:  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    for v in variants:
        print(f"tillit analyse (demo, {v}): wall median {statistics.median(walls[v]):.2f} s (best {min(walls[v]):.2f}; "
              f"runs {', '.join(f'{w:.2f}' for w in walls[v])}), CPU median {statistics.median(cpus[v]):.2f} s "
              f"(runs {', '.join(f'{c:.2f}' for c in cpus[v])})")
    print(f"load average now: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
