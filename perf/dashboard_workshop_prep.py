"""Set up the rounds for perf/dashboard_workshop_load.sh on a copy of the 290 × 5 store.

A voting round (forbattra_styrning: 12 notes frozen into piles) and, opened after it so that the
projector shows it, a posting round (forbattra_samspel). Prints shell assignments:
CODE_POST, CODE_VOTE, PILES (pile ids, comma-separated), BODY_PROJECTOR (the projector callback).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOME, YEAR = "Exempelby", 2025
VOTE_NOTES = ["Tydligare mål i budgeten", "Färre och tydligare mål", "Uppföljning varje kvartal",
              "Kvartalsvis uppföljning i nämnden", "Gemensam årsplanering", "Enklare rapporter till nämnden",
              "Mät kvalitet, inte bara kostnad", "Kvalitetsmått i uppföljningen", "Dialog om målen i mars",
              "Färre styrdokument", "Rensa bland styrdokumenten", "Målen ska följas upp på riktigt"]


def main(db: str) -> None:
    from tillit.benchmarks.store import Store
    from tillit.dashboard import workshop

    store = Store(db)
    for r in store.rounds(HOME, YEAR, active=True):
        store.close_round(r.id)
    store.delete_notes(HOME, YEAR)
    vote = workshop.open_round(store, HOME, YEAR, "forbattra_styrning")
    for n in VOTE_NOTES:
        store.add_note(HOME, YEAR, "forbattra_styrning", n, redact=str, round_id=vote.id)
    workshop.start_voting(store, vote.id)
    post = workshop.open_round(store, HOME, YEAR, "forbattra_samspel")
    piles = ",".join(str(p.id) for p in store.piles(vote.id))
    projector = {"output": "projector-content.children",
                 "outputs": {"id": "projector-content", "property": "children"},
                 "inputs": [{"id": "picker-municipality", "property": "value", "value": HOME},
                            {"id": "picker-wave", "property": "value", "value": YEAR},
                            {"id": "picker-lang", "property": "value", "value": "sv"},
                            {"id": "projector-tick", "property": "n_intervals", "value": 1}],
                 "changedPropIds": ["projector-tick.n_intervals"]}
    print(f"CODE_POST={post.code}\nCODE_VOTE={vote.code}\nPILES={piles}")
    print("BODY_PROJECTOR='" + json.dumps(projector, ensure_ascii=False) + "'")


if __name__ == "__main__":
    main(sys.argv[1])
