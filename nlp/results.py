"""Typed results of the nlp package.  Every renderer reads these objects (or their
``to_dict()``), never raw comments: all texts in them are redacted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Sentiment = Literal["neg", "neu", "pos"]
NoteKind = Literal["atgard", "problem", "fraga"]


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """Personal data found at ``text[start:end]`` of the original text.

    kind: "name", "email", "phone", "personnummer" or "samordningsnummer".
    """

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redacted:
    """A text with personal data replaced by typed placeholders ([NAMN], [E-POST] ...)."""

    text: str
    found: list[PiiSpan] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CommentResult:
    id: str
    group: str
    box: str
    text: str  # redacted
    themes: tuple[str, ...]
    sentiment: Sentiment
    informative: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "group": self.group, "box": self.box, "text": self.text,
                "themes": list(self.themes), "sentiment": self.sentiment,
                "informative": self.informative}


@dataclass(frozen=True, slots=True)
class Bullet:
    theme: str
    theme_label: str
    count: int  # commenters in the group (in the box) raising the theme
    of: int  # informative commenters in the group in the box
    statement: str
    quote: str
    comment_ids: tuple[str, ...]
    # "neg", "pos", "neu" (more than half of the commenters share it), "mixed", or
    # "single" for the bullet gathering themes raised by one commenter each
    direction: str = "mixed"
    direction_count: int = 0  # commenters sharing the direction (the largest view if mixed)

    def to_dict(self) -> dict[str, Any]:
        return {"theme": self.theme, "theme_label": self.theme_label, "count": self.count,
                "of": self.of, "statement": self.statement, "quote": self.quote,
                "comment_ids": list(self.comment_ids), "direction": self.direction,
                "direction_count": self.direction_count}


@dataclass(frozen=True, slots=True)
class Summary:
    box: str
    group: str
    n_commenters: int
    bullets: tuple[Bullet, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"box": self.box, "group": self.group, "n_commenters": self.n_commenters,
                "bullets": [b.to_dict() for b in self.bullets]}


@dataclass(frozen=True, slots=True)
class DistinctiveWord:
    term: str
    score: float  # z-score of the weighted log-odds ratio

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class EmergentTheme:
    id: str
    label: str
    terms: tuple[str, ...]
    comment_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "terms": list(self.terms),
                "count": len(self.comment_ids), "comment_ids": list(self.comment_ids)}


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    comments: tuple[CommentResult, ...]
    summaries: tuple[Summary, ...]
    distinctive_words: dict[str, tuple[DistinctiveWord, ...]]
    emergent_themes: tuple[EmergentTheme, ...]
    non_informative: dict[str, dict[str, int]]
    tone: Any = None  # nlp.tone.ToneInfo: how tone was read, with a note for readers
    themes_info: Any = None  # nlp.theme_model.ThemeInfo: how themes were read

    def to_dict(self) -> dict[str, Any]:
        return {
            "tone": self.tone.to_dict() if self.tone is not None else None,
            "themes_method": self.themes_info.to_dict() if self.themes_info is not None else None,
            "comments": [c.to_dict() for c in self.comments],
            "summaries": [s.to_dict() for s in self.summaries],
            "distinctive_words": {g: [w.to_dict() for w in ws]
                                  for g, ws in self.distinctive_words.items()},
            "emergent_themes": [e.to_dict() for e in self.emergent_themes],
            "non_informative": {b: dict(g) for b, g in self.non_informative.items()},
        }


@dataclass(frozen=True, slots=True)
class NoteCluster:
    label: str
    kind: NoteKind
    prompt_id: str
    note_ids: tuple[str, ...]
    notes: tuple[str, ...]  # redacted
    rank: int | None  # 1 = the first action pile (most votes, then notes); None for problems and questions
    themes: tuple[str, ...] = ()  # taxonomy themes of the pile's notes, most frequent first
    votes: int | None = None  # the notes' votes summed; None when no votes were given
    id: int = 0  # 1, 2, ... in the order of `DialogueAnalysis.clusters`

    @property
    def count(self) -> int:
        return len(self.note_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "count": self.count,
                "note_ids": list(self.note_ids), "notes": list(self.notes),
                "prompt_id": self.prompt_id, "rank": self.rank, "themes": list(self.themes),
                "votes": self.votes}


@dataclass(frozen=True, slots=True)
class NoteResult:
    """One note as typed and piled."""

    id: str
    prompt_id: str
    text: str  # redacted
    kind: NoteKind
    themes: tuple[str, ...]
    cluster: int  # the id of its pile

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "prompt_id": self.prompt_id, "text": self.text, "kind": self.kind,
                "themes": list(self.themes), "cluster": self.cluster}


@dataclass(frozen=True, slots=True)
class DialogueAnalysis:
    clusters: tuple[NoteCluster, ...]
    notes: tuple[NoteResult, ...] = ()
    piling: str = "lexical"  # "lexical" or "lexical+embeddings": how notes were compared
    piling_note: str = ""  # the same for the reader

    @property
    def actions(self) -> tuple[NoteCluster, ...]:
        """Action clusters in rank order (for "Vad är vårt första steg?")."""
        return tuple(sorted((c for c in self.clusters if c.rank is not None),
                            key=lambda c: c.rank))

    def to_dict(self) -> dict[str, Any]:
        return {"clusters": [c.to_dict() for c in self.clusters],
                "notes": [n.to_dict() for n in self.notes],
                "n_notes": sum(c.count for c in self.clusters),
                "actions": [c.label for c in self.actions],
                "piling": self.piling, "piling_note": self.piling_note}
