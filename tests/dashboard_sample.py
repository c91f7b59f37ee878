"""A store built from code for tests, screenshots and load tests (all data synthetic).

    store = build_store(tmp_path / "t.db", municipalities=6, waves=3)

Benchmark municipalities come in as an aggregated counts file (as deliveries do); the
home municipality ("Exempelby") as a raw export with comments, one of which is HTML.
`small_group=True` gives one benchmark municipality too few officials to be shown.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pandas as pd

from tillit.benchmarks.store import Store
from tillit.survey import load_instrument, read_export
from tillit.pipeline import redact_text

HOME = "Exempelby"
NAMES = ["Solberga", "Granås", "Norrström", "Västerliden", "Åkerby", "Lindbacka", "Ekås", "Björkvik"]
SMALL = "Småby"  # the municipality whose officials are below the anonymity threshold
COMMENTS = [
    ("politiker", "kommentar_roller_tillit", "Rollerna är otydliga, vi behöver prata mer om vem som gör vad."),
    ("politiker", "kommentar_mal", "Målen är för många och följs inte upp."),
    ("tjansteperson", "kommentar_roller_tillit", "Förtroendet mellan politiker och förvaltning har blivit bättre."),
    ("tjansteperson", "kommentar_ovrigt", "<script>alert('x')</script> Bra enkät, men för lång."),
    ("tjansteperson", "kommentar_ekonomi", "Uppföljningen av ekonomin fungerar bra men kvaliteten glöms bort."),
    ("politiker", "kommentar_kvalitet", "Vi får för lite information om kvaliteten i verksamheten."),
    # enough commenters in two box × group cells for their comments to be shown (the privacy
    # rule withholds the comments of a cell with fewer commenters than the threshold)
    ("tjansteperson", "kommentar_ovrigt", "Enkäten borde komma tidigare på året."),
    ("tjansteperson", "kommentar_ovrigt", "Bra att vi får säga vad vi tycker."),
    ("tjansteperson", "kommentar_ovrigt", "Frågorna om ekonomi var svåra att förstå."),
    ("tjansteperson", "kommentar_ovrigt", "Hoppas att resultatet leder till förändring."),
    ("politiker", "kommentar_roller_tillit", "Tjänstepersonerna är lyhörda när vi frågar."),
    ("politiker", "kommentar_roller_tillit", "Vi behöver en gemensam introduktion för nya ledamöter."),
    ("politiker", "kommentar_roller_tillit", "Gränsen mellan vad och hur är svår att hålla."),
    ("politiker", "kommentar_roller_tillit", "Förtroendet har vuxit under mandatperioden."),
]


def names(n: int) -> list[str]:
    base = [m for m in NAMES if m != HOME]
    return (base + [f"Kommun {i:03d}" for i in range(1, n + 1)])[:n]


def _answers(rng: random.Random, labels: list[str], n: int, tilt: float) -> dict[str, int]:
    """n answers over the labels, leaning towards the top of the scale by `tilt` (0–1)."""
    weights = [1 + tilt * 3 * i / max(len(labels) - 1, 1) + rng.random() for i in range(len(labels))]
    out = dict.fromkeys(labels, 0)
    for lbl in rng.choices(labels, weights=weights, k=n):
        out[lbl] += 1
    return out


def write_aggregate(path: Path, municipalities: list[str], years: list[int], seed: int = 1,
                    small_group: bool = False) -> Path:
    inst = load_instrument()
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kommun", "ar", "fraga", "grupp", "svarsalternativ", "antal"])
        for m in municipalities + ([SMALL] if small_group else []):
            tilt = rng.random()
            for y in years:
                tilt = min(1.0, max(0.0, tilt + rng.uniform(-0.15, 0.2)))
                for g in inst.group_ids:
                    n = 3 if (m == SMALL and g == "tjansteperson") else rng.randint(12, 45)
                    for q in inst.questions:
                        labels = list(inst.scales[q.scale].labels)
                        for lbl, k in _answers(rng, labels, n, tilt).items():
                            if k:
                                w.writerow([m, y, q.id, g, lbl, k])
    return path


def home_frame(respondents: dict[str, int] | None = None, seed: int = 2) -> pd.DataFrame:
    """A raw export of the home municipality: question texts as headers, one row per person."""
    inst = load_instrument()
    rng = random.Random(seed)
    respondents = respondents or {"politiker": 24, "tjansteperson": 21}
    group_answer = {g.id: g.answers[0] for g in inst.groups}
    box_text = {b.id: b.text for b in inst.comment_boxes}
    rows = []
    for gid, n in respondents.items():
        for _ in range(n):
            row = {"Svars-ID": len(rows) + 1, inst.group_question: group_answer[gid]}
            for q in inst.questions:
                labels = list(inst.scales[q.scale].labels)
                row[q.text] = rng.choice(labels + [None]) if rng.random() < 0.95 else None
            rows.append(row)
    frame = pd.DataFrame(rows)
    for b in inst.comment_boxes:
        frame[b.text] = None
    used: dict[tuple[str, str], int] = {}  # one comment per respondent and box
    for gid, box, text in COMMENTS:
        members = [k for k, r in enumerate(rows) if r[inst.group_question] == group_answer[gid]]
        n = used.get((gid, box), 0)
        if n < len(members):  # a group smaller than its comments keeps as many as it has people
            frame.loc[members[n], box_text[box]] = text
            used[(gid, box)] = n + 1
    return frame


def build_store(path: str | Path, *, municipalities: int = 5, waves: int = 3, first_year: int = 2021,
                small_group: bool = False, home: bool = True, seed: int = 1,
                home_respondents: dict[str, int] | None = None) -> Store:
    path = Path(path)
    store = Store(str(path))
    years = list(range(first_year, first_year + waves))
    csv_path = write_aggregate(path.with_suffix(".aggregate.csv"), names(municipalities), years, seed, small_group)
    store.import_aggregate(csv_path, synthetic=True)
    if home:
        export = path.with_suffix(".home.csv")
        home_frame(home_respondents).to_csv(export, index=False)
        store.import_survey(read_export(export), HOME, years[-1], synthetic=True, redact=redact_text)
    return store
