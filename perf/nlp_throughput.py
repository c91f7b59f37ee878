"""Throughput of redaction + themes + sentiment on 10,000 generated comments.

    .venv/bin/python perf/nlp_throughput.py [--n 10000] [--runs 5]

Comments are made by recombining sentences of the public labelled comments (or a
small built-in set when ../shared is absent), with PII sprinkled in.  Reports the
median comments/s over the runs and the ratio to spaCy's blank Swedish tokenizer
alone on the same texts, by wall-clock and by CPU time (the machine is shared: CPU
time is less disturbed by other processes).  Run it pinned to one core:

    taskset -c 0 .venv/bin/python perf/nlp_throughput.py
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from nlp.classify import classify_texts  # noqa: E402
from nlp.taxonomy import load_taxonomy  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "comments_public.csv"
FALLBACK = [
    "Rollerna är otydliga mellan nämnd och förvaltning.",
    "Vi får budgeten för sent och prognoserna slår ofta fel.",
    "Tilliten har blivit bättre sedan vi började med dialogmöten.",
    "Det saknas controllers och analysstöd ute i verksamheterna.",
    "Målen är för många och inte mätbara.",
    "Kvalitetsuppföljningen prioriteras bort när ekonomin är kärv.",
]
EXTRAS = ["Ring mig på 070-123 45 67.", "Kontakta kso Per Andersson.",
          "Mejla lena.holm@kommun.se.", "Lena på ekonomi vet mer.", "pnr 19790312-1234."]
BOXES = ["roll_ansvar", "tillit", "malstyrning", "uppfoljning_ekonomi", "ovrigt"]


def sentences() -> list[str]:
    if SHARED.exists():
        import pandas as pd
        texts = pd.read_csv(SHARED, dtype=str, keep_default_na=False)["comment"]
        return [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]
    return FALLBACK


def make_comments(n: int, seed: int = 1) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    pool = sentences()
    texts = []
    for _ in range(n):
        parts = rng.sample(pool, rng.randint(1, 3))
        if rng.random() < 0.1:
            parts.append(rng.choice(EXTRAS))
        texts.append(" ".join(parts))
    return texts, [rng.choice(BOXES) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    texts, boxes = make_comments(args.n)
    taxonomy = load_taxonomy()
    classify_texts(texts[:200], boxes[:200], taxonomy=taxonomy)  # load data, warm caches
    tokenizer = spacy.blank("sv").tokenizer
    full, tok, full_cpu, tok_cpu = [], [], [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        classify_texts(texts, boxes, taxonomy=taxonomy)
        full.append(time.perf_counter() - t0)
        full_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        for _doc in tokenizer.pipe(texts, batch_size=256):
            pass
        tok.append(time.perf_counter() - t0)
        tok_cpu.append(time.process_time() - c0)
    words = sum(len(t.split()) for t in texts)
    med_full, med_tok = statistics.median(full), statistics.median(tok)
    print(f"comments: {args.n}  words: {words}  runs: {args.runs}")
    print(f"redaction+themes+sentiment: median {med_full:.2f} s = {args.n / med_full:,.0f} comments/s")
    print(f"spaCy tokenizer alone:      median {med_tok:.2f} s = {args.n / med_tok:,.0f} comments/s")
    print(f"ratio (full / tokenizer time): {med_full / med_tok:.1f}x")
    cpu_full, cpu_tok = statistics.median(full_cpu), statistics.median(tok_cpu)
    print(f"CPU time (less sensitive to other load): {args.n / cpu_full:,.0f} comments/s, "
          f"tokenizer {args.n / cpu_tok:,.0f} comments/s, ratio {cpu_full / cpu_tok:.1f}x")
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
