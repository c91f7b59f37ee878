"""Small hand-made analyses of the full contract shape: for tests, perf runs and docs.

`sample_analysis()` builds a `WorkshopAnalysis` for a fictional municipality from hand
counts through the real survey core (so percents are the core's whole percents), plus a
benchmark, comment and dialogue part shaped as the `benchmarks` and `nlp` packages
deliver them. Options give the named variants the tests need (a suppressed group, English).
"""

from __future__ import annotations

from typing import Any

from tillit import survey
from tillit.analysis import build_analysis, dialogue_prompts, load_workshop_settings

S4 = ["Nej", "Till liten del", "Till viss del", "Till stor del"]

# question -> group -> label -> n   (politiker answers higher on follow-up, lower on trust)
COUNTS: dict[str, dict[str, list[int]]] = {
    "roll_ansvar": {"politiker": [2, 6, 9, 3], "tjansteperson": [3, 9, 6, 2]},
    "tillit": {"politiker": [4, 8, 6, 2], "tjansteperson": [1, 5, 9, 5]},
    "kultur": {"politiker": [1, 7, 9, 3], "tjansteperson": [2, 10, 6, 2]},
    "vision": {"politiker": [14, 6], "tjansteperson": [12, 8]},
    "vision_innehall": {"politiker": [0, 4, 7, 3], "tjansteperson": [1, 6, 4, 1]},
    "malstyrning": {"politiker": [1, 5, 10, 4], "tjansteperson": [4, 9, 6, 1]},
    "uppfoljning_ekonomi": {"politiker": [2, 3, 10, 5], "tjansteperson": [5, 8, 6, 1]},
    "uppfoljning_kvalitet": {"politiker": [3, 7, 8, 2], "tjansteperson": [4, 8, 7, 1]},
}
DONT_KNOW = {"tillit": {"tjansteperson": 2}, "kultur": {"politiker": 1}}
RAW_NAMES = ["Anders Lindqvist", "Maria Holm"]  # personal data that must never reach a deliverable


def sample_counts(*, small_group: str | None = None) -> tuple[dict, dict[str, int]]:
    """Nested counts and respondents; `small_group` gets 3 respondents (below the threshold 5)."""
    nested: dict[str, dict[str, dict[str, int]]] = {}
    for qid, per_group in COUNTS.items():
        labels = ["Ja", "Nej"] if qid == "vision" else S4
        for gid, ns in per_group.items():
            if gid == small_group:
                ns = [1, 1, 1, 0] if len(ns) == 4 else [2, 1]
            row = dict(zip(labels, ns))
            dk = DONT_KNOW.get(qid, {}).get(gid)
            if dk and gid != small_group:
                row["Vet ej"] = dk
            nested.setdefault(qid, {})[gid] = row
    respondents = {"politiker": 20, "tjansteperson": 20}
    if small_group:
        respondents[small_group] = 3
    return nested, respondents


def sample_benchmark(municipality: str, year: int, *, synthetic: bool = True) -> dict[str, Any]:
    """A benchmark comparison of the `benchmarks` contract shape (Kävlinge 2024, the best)."""
    questions: dict[str, dict[str, Any]] = {}
    for qid in COUNTS:
        labels = ["Ja", "Nej"] if qid == "vision" else S4
        pct = [80, 20] if qid == "vision" else [5, 15, 45, 35]
        cnt = [24, 6] if qid == "vision" else [1, 4, 12, 9] if qid != "tillit" else [2, 3, 12, 9]
        entry = {"index": 55.0, "benchmark_index": 70.0, "difference": -15.0, "p_value": 0.01, "percentile": 40,
                 "median_index": 58.0, "difference_to_median": -3.0, "best_municipality": "Kävlinge",
                 "benchmark_percent": dict(zip(labels, pct)), "benchmark_counts": dict(zip(labels, cnt)),
                 "benchmark_n": sum(cnt), "suppressed": False, "benchmark_suppressed": False,
                 # the rest of the contract's keys, as none of the renderers draws them
                 "n": None, "percent": None, "test": None, "significant": None, "basis": "raw",
                 "best_year": 2024, "best_index": 70.0, "difference_to_best": None}
        questions[qid] = {"politiker": dict(entry), "tjansteperson": dict(entry), "alla": dict(entry)}
    questions["malstyrning"]["alla"]["difference"] = -22.5
    questions["uppfoljning_ekonomi"]["alla"]["difference"] = -18.0
    areas: dict[str, dict[str, Any]] = {}
    for i, dim in enumerate(("roller", "tillit", "mal", "uppfoljning")):
        here, there = 48.0 + 6 * i, 66.0 + 2 * i
        entry = {"index": here, "benchmark_index": there, "difference": here - there, "median_index": 55.0,
                 "percentile": 25.0 + 25 * i, "rank": 3 - min(i, 2), "ranked_of": 3}
        areas[dim] = {"politiker": dict(entry), "tjansteperson": dict(entry), "alla": dict(entry)}
    return {"municipality": municipality, "year": year, "instrument": "samspel", "anonymity_threshold": 5,
            "synthetic": synthetic, "mean_index": 57.0, "rank": 2, "notes": [],
            "benchmark": {"municipality": "Kävlinge", "year": 2024, "synthetic": synthetic, "basis": "raw",
                          "mean_index": 70.1, "chosen": "best"},
            "benchmark_set": [{"municipality": "Kävlinge", "year": 2024, "mean_index": 70.1, "synthetic": synthetic},
                              {"municipality": "Bergsala", "year": 2025, "mean_index": 52.3, "synthetic": synthetic}],
            "questions": questions,
            "areas": areas,
            "gaps": {"groups": ["politiker", "tjansteperson"],
                     "municipality": [{"question_id": "malstyrning", "index_gap": 21.7, "abs_gap": 21.7, "distance": 35.0,
                                       "p_value": 0.02, "rank": 1, "set_median_abs_gap": 9.0, "set_percentile": 90.0}],
                     "benchmark": [{"question_id": "malstyrning", "index_gap": 4.0, "abs_gap": 4.0, "distance": 8.0,
                                    "p_value": 0.6, "rank": 3, "set_median_abs_gap": None, "set_percentile": None}],
                     "benchmark_set": [{"question_id": "malstyrning", "median_abs_gap": 9.0, "median_distance": 14.0,
                                        "n": 2, "rank": 1}]},
            "trend": {"waves": [2022, year], "previous_year": 2022, "questions": {
                "tillit": {"alla": {"indices": {"2022": 41.0, str(year): 50.0}, "change": 9.0, "p_value": 0.21,
                                    "test": "chi2", "significant": False, "basis": "raw"}}}}}


def sample_comments(lang: str = "sv") -> dict[str, Any]:
    """Comment analysis of the `nlp` contract shape; texts are already redacted.  The
    summary bullets have the shape `tillit.nlp.summaries` writes in ``lang`` (a test holds them
    to its templates): how many commenters, in which direction, a verbatim quote from
    the majority view, no comment quoted twice in a box, single-comment themes under
    "Enstaka synpunkter"."""
    comments = [
        {"id": "c1", "group": "tjansteperson", "box": "kommentar_roller_tillit",
         "text": "Det är otydligt vem som beslutar, [NAMN] går direkt till verksamheten.",
         "themes": ["roller"], "sentiment": "neg", "informative": True, "pii": [RAW_NAMES[0]]},
        {"id": "c2", "group": "tjansteperson", "box": "kommentar_roller_tillit",
         "text": "Politikerna litar inte på våra underlag.", "themes": ["tillit"], "sentiment": "neg",
         "informative": True},
        {"id": "c3", "group": "politiker", "box": "kommentar_roller_tillit",
         "text": "Vi får för lite information från förvaltningen, säger [NAMN].", "themes": ["tillit"],
         "sentiment": "neg", "informative": True, "pii": [RAW_NAMES[1]]},
        {"id": "c4", "group": "politiker", "box": "kommentar_mal",
         "text": "Målen är för många och för vaga.", "themes": ["mal"], "sentiment": "neg", "informative": True},
        {"id": "c5", "group": "tjansteperson", "box": "kommentar_roller_tillit",
         "text": "Politiker ringer enhetscheferna direkt och ger dem nya uppdrag.", "themes": ["roller"],
         "sentiment": "neg", "informative": True},
        {"id": "c6", "group": "tjansteperson", "box": "kommentar_roller_tillit",
         "text": "Vi ses för sällan mellan nämnd och förvaltning.", "themes": ["samverkan"],
         "sentiment": "neg", "informative": True},
    ]
    en = lang == "en"
    q = ("“", "”") if en else ("”", "”")

    def bullet(theme, label, count, of, direction, n, head, quote_id, extra_id=None):
        text = {c["id"]: c["text"] for c in comments}
        return {"theme": theme, "theme_label": label, "count": count, "of": of,
                "statement": f"{head}: {q[0]}{text[quote_id]}{q[1]}",
                "quote": text[extra_id] if extra_id else "",
                "comment_ids": [i for i in (quote_id, extra_id) if i],
                "direction": direction, "direction_count": n}

    if en:
        heads = ("6 of 7 officials who write about roles and responsibilities are critical",
                 "3 of 4 officials who write about trust are critical",
                 "Single views (one comment per theme): collaboration and dialogue (critical).",
                 "5 elected representatives write about trust, with divided views "
                 "(2 critical, 2 positive, 1 neutral)",
                 "4 of 4 elected representatives who write about vision and goals are critical")
        labels = ("Roles and responsibilities", "Trust", "Single views", "Vision and goals")
    else:
        heads = ("6 av 7 tjänstepersoner som skriver om roller och ansvar är kritiska",
                 "3 av 4 tjänstepersoner som skriver om tillit och förtroende är kritiska",
                 "Enstaka synpunkter (en kommentar per tema): samverkan och dialog (kritisk).",
                 "5 förtroendevalda skriver om tillit och förtroende, med delade meningar "
                 "(2 kritiska, 2 positiva, 1 neutral)",
                 "4 av 4 förtroendevalda som skriver om vision och mål är kritiska")
        labels = ("Roller och ansvar", "Tillit och förtroende", "Enstaka synpunkter", "Vision och mål")
    single = {"theme": "enstaka", "theme_label": labels[2], "count": 1, "of": 12, "statement": heads[2],
              "quote": "", "comment_ids": ["c6"], "direction": "single", "direction_count": 1}
    summaries = [
        {"box": "kommentar_roller_tillit", "group": "tjansteperson", "n_commenters": 12, "bullets": [
            bullet("roller", labels[0], 7, 12, "neg", 6, heads[0], "c1", "c5"),
            bullet("tillit", labels[1], 4, 12, "neg", 3, heads[1], "c2"),
            single]},
        {"box": "kommentar_roller_tillit", "group": "politiker", "n_commenters": 9, "bullets": [
            bullet("tillit", labels[1], 5, 9, "mixed", 2, heads[3], "c3")]},
        {"box": "kommentar_mal", "group": "politiker", "n_commenters": 6, "bullets": [
            bullet("mal", labels[3], 4, 6, "neg", 4, heads[4], "c4")]},
        {"box": "kommentar_mal", "group": "tjansteperson", "n_commenters": 3, "bullets": [
            {"theme": "mal", "theme_label": labels[3], "count": 2, "of": 3, "statement": "SECRET-SMALL-GROUP",
             "quote": "", "comment_ids": [], "direction": "neg", "direction_count": 2}]},
    ]
    return {"tone": None, "comments": comments, "summaries": summaries, "distinctive_words": {},
            "emergent_themes": [], "non_informative": {}}


def sample_dialogue() -> dict[str, Any]:
    def cl(label, kind, count, rank, prompt="forbattra_samspel"):
        return {"label": label, "kind": kind, "count": count, "note_ids": [], "notes": [], "prompt_id": prompt,
                "rank": rank, "votes": None}
    return {"clusters": [
        cl("Gemensam introduktion för nya politiker och chefer", "atgard", 9, 1),
        cl("Fasta avstämningar mellan ordförande och förvaltningschef", "atgard", 6, 2),
        cl("Tydlig delegationsordning", "atgard", 4, 3),
        cl("Politiker går förbi chefsledet", "problem", 5, None),
        cl("Vem äger frågan om lokalerna?", "fraga", 2, None),
        cl("Färre och tydligare mål", "atgard", 7, 1, "forbattra_styrning"),
    ]}


def sample_analysis(lang: str = "sv", *, small_group: str | None = None, benchmark: bool = True,
                    comments: bool = True, dialogue: bool = True, synthetic: bool = True,
                    municipality: str = "Provköping", year: int = 2025):
    """A complete `WorkshopAnalysis` for a fictional municipality (see module doc)."""
    inst = survey.load_instrument()
    nested, respondents = sample_counts(small_group=small_group)
    results = survey.compute_results(survey.counts_from_nested(inst, nested, respondents), threshold=5)
    bench = sample_benchmark(municipality, year, synthetic=synthetic) if benchmark else None
    return build_analysis(
        inst, results, municipality=municipality, year=year, lang=lang, benchmark=bench,
        comments=sample_comments(lang) if comments else None, dialogue=sample_dialogue() if dialogue else None,
        prompts=dialogue_prompts(load_workshop_settings(), lang), provenance={"synthetic": True})
