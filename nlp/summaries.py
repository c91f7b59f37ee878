"""Per box × group summaries: up to three bullets, each traceable to its comments.

A bullet is a theme raised (in the text itself, not implied by the box) by at least
one commenter in that box and group.  Its
statement is the count ("7 av 12 tjänstepersoner") plus the most central sentence
among the comments behind it that mentions the theme, verbatim; its quote is the most
representative of those comments (another comment than the statement's when there is
one).  Both are redacted text: nothing in a bullet that no comment says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .classify import Classified
from .results import Bullet, Summary
from .taxonomy import Taxonomy
from .text import stop_words

MAX_BULLETS = 3
TEMPLATES = {
    "sv": "{count} av {of} {group} tar upp {theme}: ”{sentence}”",
    "en": "{count} of {of} {group} raise {theme}: “{sentence}”",
}


@dataclass(frozen=True)
class Item:
    """One comment as the summariser sees it."""

    id: str
    respondent: str
    result: Classified


def _content(result: Classified, start: int = 0, end: int | None = None) -> set[str]:
    stops = stop_words()
    doc = result.doc
    end = len(doc.lemmas) if end is None else end
    return {lemma for lemma, ok in zip(doc.lemmas[start:end], doc.is_word[start:end])
            if ok and len(lemma) > 2 and lemma not in stops}


def _centrality(lemmas: set[str], df: Counter, own: set[str] | None = None) -> float:
    """How much of what the others say these lemmas share (normalised for length)."""
    if not lemmas:
        return 0.0
    own = own if own is not None else lemmas
    shared = sum(df[w] - (1 if w in own else 0) for w in lemmas)
    return shared / len(lemmas) ** 0.5


def _bullet(theme: str, label: str, members: list[Item], of: int, group_label: str,
            taxonomy: Taxonomy, lang: str, used: set[str] | None = None) -> Bullet:
    """One bullet; `used` holds sentences earlier bullets of the summary already quote,
    so that a comment raising two themes is not quoted twice when another will do."""
    df: Counter = Counter()
    bags = {m.id: _content(m.result) for m in members}
    for bag in bags.values():
        df.update(bag)
    # candidate sentences: those in which a term of the theme occurs, scored by the
    # theme's term weight plus how much vocabulary they share with the other comments
    candidates: list[tuple[float, int, str, str]] = []
    for order, m in enumerate(members):
        doc = m.result.doc
        for s_start, s_end, s_text in doc.sentences:
            hits = taxonomy.matcher.find(doc.words[s_start:s_end], doc.lemmas[s_start:s_end])
            weight = sum(h.weight for h in hits if h.key == theme)
            if weight > 0:
                score = min(weight, 2.0) + _centrality(_content(m.result, s_start, s_end), df, bags[m.id])
                candidates.append((score, -order, m.id, s_text))
    if not candidates:  # theme came from the box alone: use whole first sentences
        for order, m in enumerate(members):
            s_start, s_end, s_text = m.result.doc.sentences[0] if m.result.doc.sentences \
                else (0, 0, m.result.text)
            score = _centrality(_content(m.result, s_start, s_end), df, bags[m.id])
            candidates.append((score, -order, m.id, s_text))
    used = used if used is not None else set()
    _, _, statement_id, sentence = max([c for c in candidates if c[3] not in used] or candidates)
    used.add(sentence)
    quote_pool = [m for m in members if m.id != statement_id] or members
    quote = max(quote_pool, key=lambda m: (_centrality(bags[m.id], df),
                                           -members.index(m))).result.text
    count = len({m.respondent for m in members})
    statement = TEMPLATES.get(lang, TEMPLATES["sv"]).format(
        count=count, of=of, group=group_label, theme=label[:1].lower() + label[1:],
        sentence=sentence)
    return Bullet(theme, label, count, of, statement, quote.strip(),
                  tuple(m.id for m in members))


def summarise(
    items: Sequence[Item], box: str, group: str, *, taxonomy: Taxonomy,
    group_label: Callable[[str], str], lang: str = "sv",
    extra_themes: Sequence[tuple[str, str, Sequence[str]]] = (),
) -> Summary:
    """Summary of one box × group.  ``extra_themes`` (id, label, comment ids) fill
    remaining bullets, e.g. emergent themes."""
    informative = [it for it in items if it.result.informative]
    of = len({it.respondent for it in informative})
    by_theme: dict[str, list[Item]] = {}
    for it in informative:
        for theme in it.result.text_themes:  # raised in the text, not implied by the box
            by_theme.setdefault(theme, []).append(it)
    ranked = sorted(by_theme, key=lambda t: (-len({m.respondent for m in by_theme[t]}),
                                             taxonomy.order.get(t, 99)))
    # Themes with the fewest comments choose their sentence first (they have the least
    # choice); the bullets are then shown in rank order.
    used: set[str] = set()
    chosen = ranked[:MAX_BULLETS]
    built = {t: _bullet(t, taxonomy.label(t, lang), by_theme[t], of, group_label(group), taxonomy, lang, used)
             for t in sorted(chosen, key=lambda t: (len(by_theme[t]), chosen.index(t)))}
    bullets = [built[t] for t in chosen]
    for theme_id, label, ids in extra_themes:
        if len(bullets) >= MAX_BULLETS:
            break
        members = [it for it in informative if it.id in set(ids)]
        if members:
            bullets.append(_bullet(theme_id, label, members, of, group_label(group),
                                   taxonomy, lang, used))
    return Summary(box, group, of, tuple(bullets))
