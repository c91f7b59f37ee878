"""Latency of `nlp.analyse_dialogue` as the dashboard's Dialog page calls it (live, per save).

    .venv/bin/python perf/dialogue_latency.py [--runs 7]

Notes: the 70 public notes (`../shared/data/dialogue_public.csv`) and their first 5, 20
and 35; every run re-creates the frame, so only the loaded pipeline and the lexicon
caches are warm, as on a running dashboard. Prints the median wall and CPU time per call
and the machine's load average.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import click
import pandas as pd

from nlp import analyse_dialogue

PUBLIC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dialogue_public.csv"


@click.command()
@click.option("--runs", default=7, show_default=True)
def main(runs: int) -> None:
    notes = pd.read_csv(PUBLIC, dtype=str, keep_default_na=False)
    analyse_dialogue(notes.head(3))  # load spaCy, simplemma and the rules once
    click.echo(f"load average {os.getloadavg()[0]:.1f} (1 min), {runs} runs, median")
    for n in (5, 20, 35, 70):
        wall, cpu = [], []
        for _ in range(runs):
            frame = notes.head(n).copy()
            w0, c0 = time.perf_counter(), time.process_time()
            analyse_dialogue(frame)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        click.echo(f"{n:>3} notes: wall {1000 * statistics.median(wall):7.1f} ms, "
                   f"CPU {1000 * statistics.median(cpu):7.1f} ms")


if __name__ == "__main__":
    main()
