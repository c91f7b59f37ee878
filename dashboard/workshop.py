"""Live rounds as the dashboard shows them: the projector's piles and the prompts (reads the store).

While a round is open its notes are clustered live (`tillit.nlp.analyse_dialogue`, cached per
notes version); when voting starts the clusters are frozen as piles in the store, and from
then on the piles, their dots and the facilitator's merges and splits are what is shown.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from tillit.benchmarks.store import OPEN, Store, WorkshopRound
from tillit.survey.errors import TillitError
from tillit.analysis import dialogue_prompts, load_workshop_settings
from tillit.workshop import pile_clusters

from . import data

if TYPE_CHECKING:
    from tillit.analysis import types as at


class RoundError(TillitError):
    """A round cannot be opened or changed as asked."""


@lru_cache(maxsize=4)
def prompts(lang: str = "sv") -> tuple[at.Prompt, ...]:
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
    latest = active or found
    return latest[-1] if latest else None


LIVE_EVERY_SECONDS = 4.0  # while notes pour in, the projector re-clusters at most this often
_LIVE: dict[tuple, tuple[float, tuple, list]] = {}


def live_clusters(store: Store, rnd: WorkshopRound, lang: str = "sv", *, fresh: bool = False) -> list[dict[str, Any]]:
    """The round's notes clustered now (open round), in the dialogue clusters' shape.

    Clustering costs O(notes²) (0.1 s at 100 notes, 0.5 s at 200), so while new notes keep
    arriving the last clusters are reused for up to LIVE_EVERY_SECONDS; a hidden or deleted
    note, or `fresh` (starting the vote), always clusters anew."""
    key = (data.register(store).url, rnd.id, lang)
    version = store.notes_version()
    now = time.monotonic()
    hit = _LIVE.get(key)
    if hit is not None and not fresh and (
            hit[1] == version or (hit[1][2:] == version[2:] and version[0] >= hit[1][0]
                                  and now - hit[0] < LIVE_EVERY_SECONDS)):
        return hit[2]
    clusters = _cluster(store, rnd.id, lang)
    _LIVE[key] = (now, version, clusters)
    return clusters


IN_PROCESS_UP_TO = 50  # notes; more are clustered in a helper process (seconds of CPU at 200-400 notes)
CLUSTER_TIMEOUT = 60.0
_POOL: list = []
_POOL_LOCK = threading.Lock()


def _cluster(store: Store, round_id: int, lang: str) -> list[dict[str, Any]]:
    notes = store.notes(round_id=round_id)
    if not notes:
        return []
    rows = [(str(n.id), n.prompt_id, n.note) for n in notes]
    if len(rows) <= IN_PROCESS_UP_TO:
        return cluster_rows(rows, lang)
    # O(notes²) pure Python would hold this worker's GIL for seconds, and the participants'
    # posts served by its other threads would wait: cluster in a helper process instead
    return _pool().submit(cluster_rows, rows, lang).result(timeout=CLUSTER_TIMEOUT)


def cluster_rows(rows: list[tuple[str, str, str]], lang: str) -> list[dict[str, Any]]:
    """`tillit.nlp.analyse_dialogue` over (id, prompt_id, note) rows, as dialogue clusters."""
    from tillit.nlp import analyse_dialogue

    frame = pd.DataFrame(rows, columns=["id", "prompt_id", "note"])
    return analyse_dialogue(frame, lang=lang).to_dict()["clusters"]


def _pool():
    """One helper process per server process, started on first need (spawned: safe beside threads)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with _POOL_LOCK:
        if not _POOL:
            import atexit

            pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(pool.shutdown, wait=True, cancel_futures=True)
            _POOL.append(pool)
        return _POOL[0]


def piles(store: Store, rnd: WorkshopRound, lang: str = "sv") -> list[dict[str, Any]]:
    """What the projector shows: live clusters while open, the ranked piles once voting started."""
    if rnd.state == OPEN:
        return live_clusters(store, rnd, lang)
    return pile_clusters(rnd.prompt_id, [{"label": p.label, "kind": p.kind, "note_ids": p.note_ids, "notes": p.notes,
                                          "votes": p.votes, "id": p.id} for p in store.piles(rnd.id)])


def start_voting(store: Store, round_id: int, lang: str = "sv") -> None:
    """Freeze the round's live clusters as piles and open the vote."""
    rnd = store.round(round_id)
    clusters = live_clusters(store, rnd, lang, fresh=True)
    if not clusters:
        raise RoundError("Det finns inga lappar att rösta på ännu.", hint="Vänta tills deltagarna har skrivit.")
    store.start_voting(rnd.id, [(c["label"], c["kind"], [int(i) for i in c["note_ids"]]) for c in clusters])


# ---------------------------------------------------------------------------- actions from piles


class ActionInputError(TillitError):
    """The action form is missing something the facilitator must fill in."""


def ranked_piles(store: Store, rnd: WorkshopRound | None, lang: str = "sv") -> list[dict[str, Any]]:
    """The round's frozen piles, ranked by dots (each with its `pile_id`); none before voting starts."""
    if rnd is None or rnd.state == OPEN:
        return []
    return piles(store, rnd, lang)


def pile_label(store: Store, rnd: WorkshopRound | None, pile_id: int) -> str | None:
    """The label of one of the round's piles (None: not a pile of this round)."""
    if rnd is None:
        return None
    return next((p.label for p in store.piles(rnd.id) if p.id == pile_id), None)


def area_options(store: Store, municipality: str | None, year: int | None, lang: str = "sv") -> list[dict[str, str]]:
    """The instrument's dimensions of the chosen wave, as dropdown options in the page's language."""
    if not municipality or not year:
        return []
    wave = store.wave(municipality, int(year))
    inst = store.instrument(wave.instrument_id, wave.instrument_version)
    return [{"label": d.label(lang), "value": d.id} for d in inst.dimensions]


def wave_actions(store: Store, municipality: str | None, year: int | None) -> list:
    """The actions decided in the chosen wave's year for its municipality."""
    if not municipality or not year:
        return []
    return [a for a in store.actions(municipality) if a.year == int(year)]


def add_action(store: Store, municipality: str, year: int, area: str | None, text: str | None, owner: str | None,
               due: str | None, lang: str = "sv"):
    """Store an action from the form through the same Store method (and redaction) as `tillit actions add`."""
    from tillit.pipeline import redact_text

    from .texts import t

    if not str(text or "").strip():
        raise ActionInputError(t(lang, "action_no_text"))
    if not area:
        raise ActionInputError(t(lang, "action_no_area"))
    return store.add_action(municipality, int(year), area, str(text), owner=(owner or "").strip() or None,
                            due=(due or "").strip() or None, redact=redact_text)
