"""Two `tillit import` processes writing to one SQLite file at the same time (issue 16).

Before: the second writer failed with "database is locked" in most tries, because its
transaction began as a read and could not become a write while the other one wrote. Now a
writer takes the lock when its transaction begins (BEGIN IMMEDIATE) and the file is in
WAL mode, so the second import waits for the first and then lands too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tillit.benchmarks import Store
from tillit.benchmarks.schema import answers
from tests.factory import build_frame, write

ROOT = Path(__file__).resolve().parents[1]
START = """
import sys, time
from pathlib import Path
flag = Path(sys.argv[1])
while not flag.exists():  # both processes are loaded and waiting: start at the same moment
    time.sleep(0.005)
from tillit.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _export(tmp_path: Path, name: str, seed: int, n: int) -> Path:
    spec = {"tillit": {"politiker": {"Nej": n // 4}, "tjansteperson": {"Till viss del": n // 4}}}
    return write(build_frame(spec, {"politiker": n // 2, "tjansteperson": n - n // 2}, seed=seed), tmp_path / name)


@pytest.mark.parametrize("fresh", [True, False], ids=["new-database", "existing-database"])
def test_two_imports_at_once_both_land(tmp_path, fresh):
    db = tmp_path / "delad.db"
    if not fresh:
        Store(str(db)).close()  # schema in place: the race is on the imports alone
    jobs = [("Norrby", _export(tmp_path, "norrby.csv", 1, 3000)), ("Söderby", _export(tmp_path, "soderby.csv", 2, 3000))]
    flag = tmp_path / "go"
    env = {**os.environ, "TILLIT_DB": str(db), "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", START, str(flag), "import", str(path), "-m", name, "-y", "2025",
                               "--skip-comments"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for name, path in jobs]
    flag.touch()
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (out, err), (name, _) in zip(procs, outs, jobs):
        assert p.returncode == 0, f"{name}: {out}{err}"
        assert f"Importerade {name} 2025" in out
    with Store(str(db)) as s:
        assert sorted(w.municipality for w in s.waves()) == ["Norrby", "Söderby"]
        for name, _ in jobs:
            assert sum(s.wave(name).respondents.values()) == 3000
        with s.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(answers)).scalar_one()
        w = s.wave("Norrby")
        assert n == 2 * 3000 * len(s.instrument(w.instrument_id, w.instrument_version).questions)
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
