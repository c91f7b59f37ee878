"""Build survey exports from code: a fictional municipality with exactly the counts asked for."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from tillit.survey import load_instrument

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXPORTS = SHARED / "data" / "exports"


def answers_column(counts: dict[str, int], n: int, rng: random.Random) -> list[str | None]:
    """A shuffled column with exactly `counts` of each label, blanks for the rest."""
    col: list[str | None] = [lbl for lbl, k in counts.items() for _ in range(k)]
    assert len(col) <= n, "more answers than respondents"
    col += [None] * (n - len(col))
    rng.shuffle(col)
    return col


def build_frame(spec: dict[str, dict[str, dict[str, int]]], respondents: dict[str, int], seed: int = 1,
                extra: dict[str, list] | None = None) -> pd.DataFrame:
    """spec: question id -> group id -> label -> count. Headers are the instrument's texts."""
    inst = load_instrument()
    rng = random.Random(seed)
    group_answer = {g.id: g.answers[0] for g in inst.groups}
    blocks = []
    for gid, n in respondents.items():
        block = {"Svars-ID": None, inst.group_question: [group_answer[gid]] * n}
        for q in inst.questions:
            block[q.text] = answers_column(spec.get(q.id, {}).get(gid, {}), n, rng)
        blocks.append(pd.DataFrame(block))
    frame = pd.concat(blocks, ignore_index=True)
    frame["Svars-ID"] = range(1, len(frame) + 1)
    for col, values in (extra or {}).items():
        frame[col] = values
    return frame


def write(frame: pd.DataFrame, path: Path, **csv_kwargs) -> Path:
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, **csv_kwargs)
    return path


def national_frame(seed: int = 3) -> pd.DataFrame:
    """Three municipalities (one spelled with stray spaces), blanks, a row without municipality."""
    rng = random.Random(seed)
    inst = load_instrument()
    frames = []
    for i, (name, pol, tj) in enumerate([("Alby", 12, 14), ("Bstad", 11, 16), ("Cvik", 14, 12)]):
        spec = {}
        for q in inst.questions:
            labels = inst.scales[q.scale].all_labels
            spec[q.id] = {g: {lbl: rng.randint(0, 2) for lbl in labels} for g in ("politiker", "tjansteperson")}
        f = build_frame(spec, {"politiker": pol, "tjansteperson": tj}, seed=seed + i)
        f["Kommun"] = [name if j % 3 else f"  {name} " for j in range(len(f))]
        frames.append(f)
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[5, "Kommun"] = None  # counted nowhere by municipality, but in the whole-file table
    frame["Svars-ID"] = range(1, len(frame) + 1)
    frame[inst.comment_boxes[-1].text] = [f"Kommentar {j}." if j % 4 == 0 else None for j in range(len(frame))]
    return frame
