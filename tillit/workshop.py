"""Votes from a live workshop round into the dialogue part of the analysis (pure functions).

A round's notes are clustered by `tillit.nlp.analyse_dialogue` while the room writes; when voting
starts the clusters are frozen as piles (merged or split by hand), and each participant's dots
rank them. The ranked piles replace that prompt's clusters in the dialogue dict, in the
shape the deck's and the report's dialogue pages already read (label, kind, count, notes,
note_ids, prompt_id, rank), with `votes` added.
"""

from __future__ import annotations

from typing import Any


def pile_clusters(prompt_id: str, piles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Piles (label, kind, note_ids, notes, votes) as dialogue clusters, most dots first.

    Proposals ("atgard") are ranked 1, 2, … by dots (then by notes); ties in both keep
    the order the piles were made in. Problems and questions keep their dots but no rank.
    A pile given with its store `id` keeps it as `pile_id` (the dashboard's per-pile controls)."""
    ordered = sorted(enumerate(piles), key=lambda ip: (-int(ip[1].get("votes") or 0), -len(ip[1]["note_ids"]), ip[0]))
    out, rank = [], 0
    for _, p in ordered:
        is_action = p.get("kind") == "atgard"
        rank += is_action
        out.append({"label": p["label"], "kind": p.get("kind") or "atgard", "count": len(p["note_ids"]),
                    "note_ids": [f"N{i}" for i in p["note_ids"]], "notes": list(p["notes"]), "prompt_id": prompt_id,
                    "rank": rank if is_action else None, "votes": int(p.get("votes") or 0),
                    **({"pile_id": p["id"]} if "id" in p else {})})
    return out


def apply_votes(dialogue: dict[str, Any] | None, voted: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The dialogue dict with each voted prompt's clusters replaced by its ranked piles."""
    if not voted:
        return dialogue
    kept = [c for c in (dialogue or {}).get("clusters") or [] if c.get("prompt_id") not in voted]
    for prompt_id, piles in voted.items():
        kept += pile_clusters(prompt_id, piles)
    return {**(dialogue or {}), "clusters": kept}
