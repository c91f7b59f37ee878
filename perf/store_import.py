"""Storing a raw export of 100,000 respondents (800,000 answer rows) in the benchmark store.

    .venv/bin/python perf/store_import.py [--n 100000] [--runs 5] [--pg URL]

Generates perf/_data/store_<n>.csv once (one municipality, the default instrument's 8
questions, no comments). Three figures, each the median of --runs, each run on a new
SQLite file:

- in-process: `Store.import_survey(data, skip_comments=True)` on an export already read
  (what the store itself costs: one transaction, bulk writes);
- floor: the same rows put into the same table by sqlite3's `executemany` alone, in one
  transaction (no Tillit, no SQLAlchemy);
- whole process: `tillit import <file> -m Lagerby -y 2025 --skip-comments` as a user runs it
  (start-up, reading the file, the migration of a new database and the import).

With --pg URL (a PostgreSQL database that may be emptied) the in-process figure is taken on
PostgreSQL too (COPY).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "perf" / "_data"
TILLIT = Path(sys.executable).with_name("tillit")


def generate(n: int) -> Path:
    path = DATA / f"store_{n}.csv"
    if path.exists():
        return path
    import csv
    import random

    from tillit.survey import load_instrument

    inst = load_instrument()
    rng = random.Random(n)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Svars-ID", inst.group_question, *[q.text for q in inst.questions]])
        for rid in range(1, n + 1):
            w.writerow([rid, rng.choice(["Förtroendevald", "Tjänsteperson"]),
                        *[rng.choice(inst.scales[q.scale].labels + [""]) for q in inst.questions]])
    return path


CPU: dict[str, list[float]] = {"in": [], "floor": []}  # CPU seconds of this process: less hit by other load


def in_process(data, url: str) -> float:
    from tillit.benchmarks import Store

    with Store(url) as store:
        t, c = time.perf_counter(), time.process_time()
        store.import_survey(data, "Lagerby", 2025, skip_comments=True, synthetic=True)
        if url.endswith(".db"):
            CPU["in"].append(time.process_time() - c)
        return time.perf_counter() - t


def floor(rows: list[tuple], path: Path) -> float:
    """sqlite3 alone: the answers table (same columns and index), one executemany, one transaction."""
    import sqlite3

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, wave_id INTEGER NOT NULL, respondent_id VARCHAR(100) "
                "NOT NULL, group_id VARCHAR(100) NOT NULL, question_id VARCHAR(100) NOT NULL, label VARCHAR(200), "
                "ineligible BOOLEAN NOT NULL)")
    con.execute("CREATE INDEX ix_answers_wave ON answers (wave_id)")
    t, c = time.perf_counter(), time.process_time()
    con.execute("BEGIN")
    con.executemany("INSERT INTO answers (wave_id, respondent_id, group_id, question_id, label, ineligible) "
                    "VALUES (1, ?, ?, ?, ?, ?)", rows)
    con.execute("COMMIT")
    took = time.perf_counter() - t
    CPU["floor"].append(time.process_time() - c)
    con.close()
    return took


def whole(export: Path, db: Path) -> float:
    t = time.perf_counter()
    subprocess.run([str(TILLIT), "import", str(export), "-m", "Lagerby", "-y", "2025", "--skip-comments",
                    "--synthetic", "--db", str(db)], check=True, capture_output=True, timeout=600)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg", help="PostgreSQL URL (its tables are emptied)")
    args = ap.parse_args()
    from tillit.benchmarks.store import _answer_rows
    from tillit.survey import read_export

    export = generate(args.n)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    t = time.perf_counter()
    data = read_export(export)
    print(f"read_export: {time.perf_counter() - t:.2f} s ({args.n:,} respondents)")
    rows = _answer_rows(data)
    print(f"answer rows: {len(rows):,}")
    ins, flo, wh, pg = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tillit-store-") as tmp:
            ins.append(in_process(data, str(Path(tmp) / "a.db")))
            flo.append(floor(rows, Path(tmp) / "b.db"))
            wh.append(whole(export, Path(tmp) / "c.db"))
        if args.pg:
            from sqlalchemy import create_engine, text

            from tillit.benchmarks.schema import metadata
            eng = create_engine(args.pg.replace("postgresql://", "postgresql+psycopg://", 1))
            with eng.begin() as conn:
                for table in reversed(metadata.sorted_tables):
                    conn.execute(text(f"DROP TABLE IF EXISTS {table.name} CASCADE"))
                conn.execute(text("DROP TABLE IF EXISTS tillit_alembic_version"))
            eng.dispose()
            pg.append(in_process(data, args.pg))
    med = statistics.median
    print(f"in-process Store.import_survey (SQLite): median {med(ins):.2f} s  runs {', '.join(f'{x:.2f}' for x in ins)}")
    print(f"floor, sqlite3 executemany alone:        median {med(flo):.2f} s  ratio {med(ins) / med(flo):.2f}x")
    print(f"CPU: in-process median {med(CPU['in']):.2f} s, floor {med(CPU['floor']):.2f} s")
    print(f"whole process `tillit import`:           median {med(wh):.2f} s  runs {', '.join(f'{x:.2f}' for x in wh)}")
    if pg:
        print(f"in-process on PostgreSQL (COPY):         median {med(pg):.2f} s  runs {', '.join(f'{x:.2f}' for x in pg)}")
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
