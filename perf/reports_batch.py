"""Time the deliverables: deck + report for the bundled example and the sample, and a batch.

    .venv/bin/python perf/reports_batch.py [--runs 7] [--batch 50] [--out DIR]

Start-up (imports) is timed apart; then the median of `--runs` runs of deck + report for
the bundled example (Lindbacka, analysed once from examples/ into a temporary store) and for
`tests.samples.sample_analysis()`, then `--batch` municipalities in one process with a
progress bar. Charts are native (python-pptx chart XML in both documents): no browser.
Results go to perf/RESULTS-reports.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: tests.samples

t0 = time.perf_counter()
from tillit import reports  # noqa: E402
from tests.samples import sample_analysis  # noqa: E402
from tillit.pipeline import run_analyse  # noqa: E402

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402


def one(analysis, out: Path) -> float:
    t = time.perf_counter()
    reports.write_deck(analysis, out / "workshop.pptx")
    reports.write_report(analysis, out / "rapport.docx")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tillit-perf-"))
    out.mkdir(parents=True, exist_ok=True)
    startup = time.perf_counter() - t0
    print(f"start-up (imports): {startup:.2f} s")
    examples = Path(__file__).resolve().parents[1] / "examples"
    example = run_analyse(examples / "lindbacka_2025_enkat.xlsx", municipality="Lindbacka", year=2025,
                          out=out / "example", db=str(out / "example.sqlite"), synthetic=True,
                          dialogue=str(examples / "lindbacka_2025_dialog.csv")).analysis
    for name, a in (("bundled example (Lindbacka)", example), ("sample (Provköping)", sample_analysis())):
        one(a, out)  # warm-up: first use of each code path
        times = [one(a, out) for _ in range(args.runs)]
        print(f"{name}, deck + report: median {statistics.median(times):.3f} s "
              f"(runs: {', '.join(f'{x:.3f}' for x in times)})")

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
