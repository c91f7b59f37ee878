"""The editable theme taxonomy (``data/themes.yaml``) and theme assignment."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from tillit.survey.yamlio import load_yaml

from .errors import TaxonomyError
from .patterns import PatternMatcher, parse_term
from .text import Processed

DEFAULT_TAXONOMY = "data/themes.yaml"


@dataclass(frozen=True)
class Theme:
    id: str
    label_sv: str
    label_en: str
    description: str
    boxes: tuple[str, ...]
    terms: tuple[tuple[str, float], ...]
    exceptions: tuple[str, ...] = ()  # forms the single-word terms must not match

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_sv


class Taxonomy:
    """Themes plus the matcher built from their terms."""

    def __init__(self, themes: list[Theme], *, threshold: float = 1.0,
                 max_themes: int = 3, box_prior: float = 1.0):
        if not themes:
            raise TaxonomyError("Taxonomin innehåller inga teman.")
        self.themes = {t.id: t for t in themes}
        self.order = {t.id: n for n, t in enumerate(themes)}
        self.min_score = threshold  # a theme needs at least this score
        self.max_themes = max_themes
        self.box_prior = box_prior
        self.matcher = PatternMatcher(
            ((pattern, t.id, weight) for t in themes for pattern, weight in t.terms),
            ((form, t.id) for t in themes for form in t.exceptions),
        )

    def label(self, theme_id: str, lang: str = "sv") -> str:
        theme = self.themes.get(theme_id)
        return theme.label(lang) if theme else theme_id

    @lru_cache(maxsize=4096)
    def box_themes(self, box: str) -> tuple[str, ...]:
        """Themes whose ``boxes`` name this box id (or a word of its label)."""
        box_l = box.lower()
        words = set(re.findall(r"\w+", box_l))
        return tuple(
            t.id for t in self.themes.values()
            if any(b.lower() == box_l or b.lower() in words for b in t.boxes)
        )

    def scores(self, doc: Processed) -> dict[str, float]:
        """Summed term weights per theme found in the text."""
        scores: dict[str, float] = defaultdict(float)
        for hit in self.matcher.find(doc.words, doc.lemmas):
            scores[hit.key] += hit.weight
        return scores

    def assign(self, doc: Processed, box: str | None = None) -> tuple[str, ...]:
        """0..max_themes theme ids, strongest first."""
        return self.pick(self.scores(doc), box)

    def pick(self, text_scores: dict[str, float], box: str | None = None) -> tuple[str, ...]:
        """Themes from text scores, with the box prior added when ``box`` is given."""
        scores = dict(text_scores)
        if box and self.box_prior:
            for theme_id in self.box_themes(box):
                scores[theme_id] = scores.get(theme_id, 0.0) + self.box_prior
        ranked = sorted(
            (tid for tid, s in scores.items() if s >= self.min_score),
            key=lambda tid: (-scores[tid], self.order[tid]),
        )
        return tuple(ranked[: self.max_themes])


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy file (the bundled ``nlp/data/themes.yaml`` by default)."""
    if path is None:
        return _default_taxonomy()
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"Kan inte läsa taxonomin {path}: {exc.strerror}.") from exc
    return _parse(raw, str(path))


@lru_cache(maxsize=1)
def _default_taxonomy() -> Taxonomy:
    raw = resources.files("tillit.nlp").joinpath(DEFAULT_TAXONOMY).read_text("utf-8")
    return _parse(raw, "nlp/" + DEFAULT_TAXONOMY)


def _parse(raw: str, where: str) -> Taxonomy:
    try:
        data = load_yaml(raw) or {}
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{where} är inte giltig YAML: {exc}") from exc
    themes = []
    for n, item in enumerate(data.get("themes") or [], start=1):
        missing = [k for k in ("id", "label_sv", "terms") if not item.get(k)]
        if missing:
            raise TaxonomyError(
                f"{where}: tema nr {n} saknar {', '.join(missing)}. "
                "Varje tema behöver id, label_sv och minst en term."
            )
        try:
            terms = tuple(parse_term(t) for t in item["terms"])
        except ValueError as exc:
            raise TaxonomyError(f"{where}, tema {item['id']}: {exc}") from exc
        themes.append(Theme(
            id=str(item["id"]),
            label_sv=str(item["label_sv"]),
            label_en=str(item.get("label_en") or item["label_sv"]),
            description=str(item.get("description") or ""),
            boxes=tuple(str(b) for b in item.get("boxes") or ()),
            terms=terms,
            exceptions=tuple(str(e) for e in item.get("not") or ()),
        ))
    return Taxonomy(
        themes,
        threshold=float(data.get("threshold", 1.0)),
        max_themes=int(data.get("max_themes", 3)),
        box_prior=float(data.get("box_prior", 1.0)),
    )
