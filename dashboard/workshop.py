"""Live rounds as the dashboard shows them: the projector's piles and the prompts (reads the store).

While a round is open its notes are clustered live (`nlp.analyse_dialogue`, cached per
notes version); when voting starts the clusters are frozen as piles in the store, and from
then on the piles, their dots and the facilitator's merges and splits are what is shown.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from benchmarks.store import OPEN, Store, WorkshopRound
from survey.errors import TillitError
from tillit.analysis import dialogue_prompts, load_workshop_settings
from tillit.workshop import pile_clusters

from . import data


class RoundError(TillitError):
    """A round cannot be opened or changed as asked."""


@lru_cache(maxsize=4)
def prompts(lang: str = "sv") -> tuple[dict[str, str], ...]:
    return tuple(dialogue_prompts(load_workshop_settings(), lang))


def prompt_text(prompt_id: str, lang: str = "sv") -> str:
    return next((p["text"] for p in prompts(lang) if p["id"] == prompt_id), prompt_id)


def check_prompt(prompt_id: str | None) -> str:
    known = [p["id"] for p in prompts()]
    if prompt_id not in known:
        raise RoundError(f"Frågan '{prompt_id}' finns inte bland workshopens dialogfrågor.",
                         hint="Välj en av: " + ", ".join(known) + ".")
    return prompt_id


def open_round(store: Store, municipality: str, year: int, prompt_id: str, dots: int = 3) -> WorkshopRound:
    """Open (or return the open) round for a prompt of a stored wave."""
    return store.open_round(municipality, year, check_prompt(prompt_id), dots=dots)


def current_round(store: Store, municipality: str | None, year: int | None) -> WorkshopRound | None:
    """The wave's active round (the latest), else its latest closed one."""
    if not municipality or not year:
        return None
    found = store.rounds(municipality, int(year))
    active = [r for r in found if r.active]
    return (active or found or [None])[-1]


def live_clusters(store: Store, rnd: WorkshopRound, lang: str = "sv") -> list[dict[str, Any]]:
    """The round's notes clustered now (open round), in the dialogue clusters' shape."""
    return _live(data.register(store).url, store.notes_version(), rnd.id, lang)


@lru_cache(maxsize=32)
def _live(url: str, _version: tuple, round_id: int, lang: str) -> list[dict[str, Any]]:
    from nlp import analyse_dialogue

    store = data.store_for(url)
    notes = store.notes(round_id=round_id)
    if not notes:
        return []
    frame = pd.DataFrame({"id": [str(n.id) for n in notes], "prompt_id": [n.prompt_id for n in notes],
                          "note": [n.note for n in notes]})
    return analyse_dialogue(frame, lang=lang).to_dict()["clusters"]


def piles(store: Store, rnd: WorkshopRound, lang: str = "sv") -> list[dict[str, Any]]:
    """What the projector shows: live clusters while open, the ranked piles once voting started."""
    if rnd.state == OPEN:
        return live_clusters(store, rnd, lang)
    return pile_clusters(rnd.prompt_id, [{"label": p.label, "kind": p.kind, "note_ids": p.note_ids, "notes": p.notes,
                                          "votes": p.votes, "id": p.id} for p in store.piles(rnd.id)])


def start_voting(store: Store, round_id: int, lang: str = "sv") -> None:
    """Freeze the round's live clusters as piles and open the vote."""
    rnd = store.round(round_id)
    clusters = live_clusters(store, rnd, lang)
    if not clusters:
        raise RoundError("Det finns inga lappar att rösta på ännu.", hint="Vänta tills deltagarna har skrivit.")
    store.start_voting(rnd.id, [(c["label"], c["kind"], [int(i) for i in c["note_ids"]]) for c in clusters])
