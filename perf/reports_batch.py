"""Time the deliverables: one municipality's deck + report, and a batch of 50.

    .venv/bin/python perf/reports_batch.py [--runs 3] [--batch 50] [--out DIR]

Start-up (imports and the first chart, which starts Chromium for kaleido) is timed apart;
then the median of `--runs` runs of deck + report for one municipality, then `--batch`
municipalities in one process with a progress bar. Results go to perf/RESULTS-reports.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

t0 = time.perf_counter()
import reports  # noqa: E402
from reports import images  # noqa: E402
from reports.samples import sample_analysis  # noqa: E402

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402


def one(analysis, out: Path) -> float:
    t = time.perf_counter()
    reports.write_deck(analysis, out / "workshop.pptx")
    reports.write_report(analysis, out / "rapport.docx")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tillit-perf-"))
    out.mkdir(parents=True, exist_ok=True)
    a = sample_analysis()
    images.figure_png(reports.figures.dimensions_figure(a), out / "warmup.png")
    startup = time.perf_counter() - t0
    print(f"start-up (imports + first chart, backend {images.backend()}): {startup:.2f} s")

    times = [one(a, out) for _ in range(args.runs)]
    print(f"one municipality, deck + report: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{x:.2f}' for x in times)})")

    t = time.perf_counter()
    cols = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*cols) as progress:
        task = progress.add_task("Kommuner", total=args.batch)
        for i in range(args.batch):
            name = f"Kommun {i + 1:02d}"
            progress.update(task, description=name)
            d = out / f"k{i + 1:02d}"
            d.mkdir(exist_ok=True)
            one(sample_analysis(municipality=name), d)
            progress.advance(task)
    total = time.perf_counter() - t
    print(f"batch of {args.batch}: {total:.1f} s total, {total / args.batch:.2f} s per municipality")


if __name__ == "__main__":
    main()
