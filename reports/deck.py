"""The workshop deck (PowerPoint, 16:9) of a `WorkshopAnalysis`.

Slides: title; purpose and basis; overview per area; one slide per question with a native
chart (each group beside the benchmark); samsyn (group gaps) and distance to the
benchmark; written comments; dialogue prompts and their clustered results; method and
anonymity. Every number is read from the analysis; nothing is computed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches, Pt

from . import view
from . import charts
from .pptx_kit import Deck, Para, ParaOptions, card, content_box, drop_empty_placeholders, new_slide, open_deck, textbox
from .texts import dec, pile_item, pvalue, t, xml_safe

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis
    from tillit.analysis import types as at

GREY = "#5f6b73"
LIGHT = "#eef3f8"
RED = "#b2383b"
TITLE_PT, SUB_PT, BODY_PT, SMALL_PT = 30, 16, 18, 12


def write_deck(analysis: WorkshopAnalysis, path: str | Path, *, template: str | Path | None = None) -> Path:
    """Write the workshop deck to `path` (.pptx); `template` is a .pptx whose layouts and theme to use."""
    lang = view.lang_of(analysis)
    deck = open_deck(template)
    _title_slide(deck, analysis, lang)
    _basis_slide(deck, analysis, lang)
    _overview_slide(deck, analysis, lang)
    _areas_slide(deck, analysis, lang)
    for _, questions in view.dimension_questions(analysis):
        for q in questions:
            _question_slide(deck, analysis, q, lang)
    _gaps_slide(deck, analysis, lang)
    _benchmark_gaps_slide(deck, analysis, lang)
    for box in view.boxes_with_summaries(analysis):
        _comments_slide(deck, analysis, box, lang)
    _followup_slides(deck, analysis, lang)
    _dialogue_slides(deck, analysis, lang)
    _method_slide(deck, analysis, lang)
    if not deck.templated:
        _footers(deck, analysis, lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deck.prs.save(str(path))
    return path


# ---------------------------------------------------------------------- helpers


def _slide(deck: Deck, title: str):
    size = TITLE_PT if len(title) <= 60 else 24
    return new_slide(deck, "title_only", title, size=size, colour=view.ACCENT)


def _synthetic_tag(deck: Deck, slide, text: str) -> None:
    w = Inches(3.6)
    shape = card(slide, deck.width - w - Inches(0.4), Inches(0.12), w, Inches(0.36), RED)
    tf = shape.text_frame
    tf.margin_top = tf.margin_bottom = 0
    tf.text = xml_safe(text)
    for r in tf.paragraphs[0].runs:
        r.font.size, r.font.bold = Pt(11), True
        r.font.color.rgb = _white()


def _white():
    from .pptx_kit import rgb

    return rgb("#ffffff")


def _footers(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    text = t(lang, "footer", municipality=analysis.municipality, year=analysis.year or "")
    for i, slide in enumerate(deck.prs.slides, start=1):
        if i == 1:
            continue
        top = deck.height - Inches(0.42)
        textbox(slide, Inches(0.6), top, Inches(8), Inches(0.3), [(text, 10, {"colour": GREY})])
        textbox(slide, deck.width - Inches(1.6), top, Inches(1.0), Inches(0.3),
                [(str(i), 10, {"colour": GREY, "align": "right"})])


# ---------------------------------------------------------------------- slides


def _title_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    slide = new_slide(deck, "title", analysis.instrument.get("name") or t(lang, "deck_title"), size=44,
                      colour=view.ACCENT)
    subtitle = t(lang, "deck_subtitle", municipality=analysis.municipality, year=analysis.year or "").strip()
    sub = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
    if sub is not None:
        sub.text = xml_safe(subtitle)
        for r in sub.text_frame.paragraphs[0].runs:
            r.font.size = Pt(22)
    else:
        textbox(slide, Inches(0.8), deck.height * 0.6, deck.width - Inches(1.6), Inches(0.8), [(subtitle, 22, {})])
    drop_empty_placeholders(slide)
    if not deck.templated:
        card(slide, 0, deck.height - Inches(0.9), deck.width, Inches(0.9), view.ACCENT)
        card(slide, 0, deck.height - Inches(0.98), deck.width, Inches(0.08), "#e07b39")
    if analysis.synthetic:
        _synthetic_tag(deck, slide, t(lang, "synthetic_data"))


def _basis_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    slide = _slide(deck, t(lang, "purpose_title"))
    left, top, width, height = content_box(deck, slide)
    textbox(slide, left, top, width, Inches(1.2), [(t(lang, "purpose_text"), 20, {})])
    groups = view.groups(analysis)
    gap = Inches(0.3)
    cw = min(Inches(4.0), (width - gap * (len(groups) - 1)) // max(len(groups), 1))
    ctop = top + Inches(1.5)
    for i, g in enumerate(groups):
        x = left + i * (cw + gap)
        card(slide, x, ctop, cw, Inches(2.0), LIGHT)
        paras: list[Para]
        if view.group_hidden(analysis, g["id"]):
            paras = [(t(lang, "basis_group_suppressed", label=g["label"], threshold=analysis.threshold), 18,
                      {"align": "center", "colour": GREY})]
        else:
            paras = [(str(analysis.respondents.get(g["id"], 0)), 54, {"bold": True, "colour": view.ACCENT,
                                                                      "align": "center"}),
                     (g["label"].lower(), 20, {"align": "center"})]
        textbox(slide, x, ctop, cw, Inches(2.0), paras, anchor=MSO_ANCHOR.MIDDLE)
    lines: list[Para] = [(t(lang, "basis_intro", instrument=f"”{analysis.instrument.get('name', '')}”"
                if lang != "en" else f"“{analysis.instrument.get('name', '')}”"), BODY_PT, {})]
    info = view.benchmark_info(analysis)
    if info:
        lines.append((t(lang, "bench_title", municipality=info.get("municipality", ""), year=info.get("year", "")),
                      BODY_PT, {}))
    textbox(slide, left, ctop + Inches(2.3), width, Inches(1.0), lines)


def _overview_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    spec = charts.dimensions_chart(analysis, lang)
    if spec is None:
        return
    slide = _slide(deck, t(lang, "results_heading"))
    left, top, width, height = content_box(deck, slide)
    textbox(slide, left, top, width, Inches(0.5), [(t(lang, "gaps_lead").split(".")[0] + ".", SUB_PT,
                                                    {"colour": GREY})])
    charts.add_to_slide(slide, (left, top + Inches(0.5), width, height - Inches(0.5)), spec)


def _areas_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    """Each area here and in the benchmark municipality, with the rank in the benchmark set."""
    info, rows = view.benchmark_info(analysis), view.area_rows(analysis)
    if not info or not rows:
        return
    name = info.get("municipality", "")
    slide = _slide(deck, t(lang, "areas_title", municipality=name))
    left, top, width, height = content_box(deck, slide)
    if view.bench_synthetic(analysis):
        _synthetic_tag(deck, slide, t(lang, "synthetic_benchmark"))
    textbox(slide, left, top, width, Inches(0.5), [(t(lang, "areas_lead_deck", municipality=analysis.municipality),
                                                    SUB_PT, {"colour": GREY})])
    chart_w = int(width * 0.62)
    spec = charts.areas_chart(analysis, lang)
    if spec is not None:
        charts.add_to_slide(slide, (left, top + Inches(0.5), chart_w, height - Inches(0.5)), spec)
    paras: list[Para] = []
    for r in rows:
        paras.append((r["label"], 16, {"bold": True, "space_after": 0}))
        paras.append((t(lang, "area_rank", rank=r["rank"], of=r["ranked_of"], median=dec(r.get("median_index"), lang)),
                      14, {"colour": GREY, "space_after": 0}))
        paras.append((t(lang, "area_diff", diff=dec(r.get("difference"), lang, signed=True), municipality=name), 14,
                      {"colour": GREY, "space_after": 10}))
    textbox(slide, left + chart_w + Inches(0.3), top + Inches(0.9), width - chart_w - Inches(0.3),
            height - Inches(0.9), paras)


def _question_slide(deck: Deck, analysis: WorkshopAnalysis, q: at.Question, lang: str) -> None:
    slide = _slide(deck, q["short"])
    left, top, width, height = content_box(deck, slide)
    head: list[Para] = [(q["text"], SUB_PT, {"italic": True, "colour": GREY})]
    bench_line = view.bench_heading(analysis, q["id"], lang)
    if bench_line:
        head.append((bench_line, SUB_PT, {"bold": True, "colour": view.INK}))
    lines = 1 + (len(q["text"]) > 120) + (1 + (len(bench_line) > 120) if bench_line else 0)
    head_h = Inches(0.4) * lines
    textbox(slide, left, top, width, head_h, head)
    if bench_line and view.bench_synthetic(analysis):
        _synthetic_tag(deck, slide, t(lang, "synthetic_benchmark"))
    rows = view.distribution_rows(analysis, q["id"], lang)
    notes = [r.label for r in rows if r.suppressed] + view.question_notes(analysis, q["id"], lang)
    notes_h = Inches(0.3) * max(len(notes), 1)
    chart_box = (left, top + head_h, width, height - head_h - notes_h)
    spec = charts.distribution_chart(analysis, q["id"], lang)
    if spec is not None:
        charts.add_to_slide(slide, chart_box, spec)
    textbox(slide, left, top + height - notes_h, width, notes_h,
            [(n, SMALL_PT, {"colour": GREY}) for n in notes] or [("", SMALL_PT)])


def _gaps_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    gaps = (analysis.findings or {}).get("group_gaps") or []
    slide = _slide(deck, t(lang, "gaps_title"))
    left, top, width, height = content_box(deck, slide)
    if not gaps:
        textbox(slide, left, top, width, Inches(1), [(t(lang, "gaps_none"), BODY_PT, {})])
        return
    textbox(slide, left, top, width, Inches(0.45), [(t(lang, "gaps_lead"), SUB_PT, {"colour": GREY})])
    chart_w = int(width * 0.62)
    spec = charts.gaps_chart(analysis, lang)
    if spec is not None:
        charts.add_to_slide(slide, (left, top + Inches(0.5), chart_w, height - Inches(0.5)), spec)
    info, bench_gaps = view.benchmark_info(analysis), view.benchmark_gap_rows(analysis)
    paras: list[tuple[str, int, ParaOptions]] = []
    for gap in gaps:
        paras.append((gap["short"], 14, {"bold": True, "space_after": 0}))
        key = "gaps_differs" if gap.get("differs") else "gaps_not_differs"
        paras.append((t(lang, "gap_line", diff=dec(abs(gap["difference"]), lang),
                        verdict=t(lang, key, p=pvalue(gap.get("p_value"), lang))), 12, {"colour": GREY, "space_after": 8}))
        other = bench_gaps.get(gap["question"]) or {}
        if info and (other.get("bench") or other.get("set")):
            paras[-1][2]["space_after"] = 0
            paras.append((t(lang, "gap_bench_line", municipality=info.get("municipality", ""),
                            bench=dec((other.get("bench") or {}).get("abs_gap"), lang),
                            median=dec((other.get("set") or {}).get("median_abs_gap"), lang)), 12,
                          {"colour": GREY, "space_after": 8}))
    textbox(slide, left + chart_w + Inches(0.3), top + Inches(0.7), width - chart_w - Inches(0.3),
            height - Inches(0.7), paras)


def _benchmark_gaps_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    info = view.benchmark_info(analysis)
    items = (analysis.findings or {}).get("benchmark_gaps") or []
    if not info or not items:
        return
    slide = _slide(deck, t(lang, "bench_gaps_title", municipality=info.get("municipality", "")))
    left, top, width, height = content_box(deck, slide)
    if view.bench_synthetic(analysis):
        _synthetic_tag(deck, slide, t(lang, "synthetic_benchmark"))
    lead = t(lang, "bench_gaps_lead", municipality=info.get("municipality", ""), year=info.get("year", ""))
    textbox(slide, left, top, width, Inches(0.5), [(lead, SUB_PT, {"colour": GREY})])
    paras: list[Para] = [(t(lang, "bench_gap_item", short=i["short"], diff=dec(i["difference"], lang, signed=True)), 22,
              {"bullet": True, "space_after": 12}) for i in items]
    textbox(slide, left, top + Inches(0.7), width, height - Inches(0.7), paras)


def _comments_slide(deck: Deck, analysis: WorkshopAnalysis, box: at.CommentBox, lang: str) -> None:
    slide = _slide(deck, t(lang, "comments_title"))
    left, top, width, height = content_box(deck, slide)
    textbox(slide, left, top, width, Inches(0.45), [(box["label"], SUB_PT, {"bold": True, "colour": view.INK})])
    summaries = view.comment_summaries(analysis, box["id"])
    groups = view.groups(analysis)
    gap = Inches(0.35)
    cw = (width - gap * (len(groups) - 1)) // max(len(groups), 1)
    ctop = top + Inches(0.6)
    for i, g in enumerate(groups):
        x = left + i * (cw + gap)
        card(slide, x, ctop, cw, Inches(0.5), view.GROUP_COLOURS[i % len(view.GROUP_COLOURS)])
        textbox(slide, x, ctop, cw, Inches(0.5), [(g["label"], 18, {"bold": True, "colour": "#ffffff"})],
                anchor=MSO_ANCHOR.MIDDLE)
        s = summaries.get(g["id"])
        paras: list[Para]
        if view.group_hidden(analysis, g["id"]) or (s and s.get("suppressed")):
            paras = [(t(lang, "comments_suppressed", threshold=analysis.threshold), 16, {"colour": GREY})]
        elif not s or not s.get("bullets"):
            paras = [(t(lang, "comments_none"), 16, {"colour": GREY})]
        else:
            paras = []
            for b in s["bullets"][:3]:
                paras.append((t(lang, "comment_bullet", count=b.get("count"), of=b.get("of"),
                                group_lower=g["label"].lower(), statement=b.get("statement", "")), 18,
                              {"bullet": True, "space_after": 10}))
                # The statement already quotes a comment; the report shows the extra quote.
        textbox(slide, x, ctop + Inches(0.6), cw, height - Inches(1.2), paras)


def _dialogue_slides(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    prompts = list(analysis.dialogue_prompts or [])
    known = {p["id"] for p in prompts}
    orphans = sorted({c.get("prompt_id") for c in view.dialogue_clusters(analysis)} - known - {None})
    prompts += [{"id": pid, "text": pid} for pid in orphans]
    for p in prompts:
        slide = _slide(deck, t(lang, "dialogue_title"))
        left, top, width, height = content_box(deck, slide)
        card(slide, left, top + Inches(0.4), width, height - Inches(1.2), LIGHT)
        textbox(slide, left + Inches(0.5), top + Inches(0.4), width - Inches(1.0), height - Inches(1.2),
                [(s.strip() + ("?" if s.strip() and not s.strip().endswith(("?", ".")) else ""), 36 if i == 0 else 30,
                  {"bold": i > 0, "colour": view.ACCENT if i > 0 else view.INK, "space_after": 12})
                 for i, s in enumerate(_split_prompt(p["text"]))], anchor=MSO_ANCHOR.MIDDLE)
        textbox(slide, left, top + height - Inches(0.6), width, Inches(0.5),
                [(t(lang, "dialogue_prompt_hint"), 14, {"colour": GREY})])
        clusters = view.dialogue_clusters(analysis, p["id"])
        if clusters:
            _dialogue_result_slide(deck, analysis, p, clusters, lang)


def _split_prompt(text: str) -> list[str]:
    """'A. B? C?' → ['A.', 'B?', 'C?'] so the questions stand on their own lines."""
    parts, cur = [], ""
    for ch in text:
        cur += ch
        if ch in ".?!" and cur.strip():
            parts.append(cur.strip())
            cur = ""
    if cur.strip():
        parts.append(cur.strip())
    return parts or [text]


def _dialogue_result_slide(deck: Deck, analysis: WorkshopAnalysis, prompt: at.Prompt, clusters: list[at.Cluster],
                           lang: str) -> None:
    slide = _slide(deck, t(lang, "dialogue_results_title"))
    left, top, width, height = content_box(deck, slide)
    textbox(slide, left, top, width, Inches(0.5), [(prompt["text"], SUB_PT, {"italic": True, "colour": GREY})])
    actions = [c for c in clusters if c.get("kind") == "atgard"]
    others = [c for c in clusters if c.get("kind") != "atgard"]
    lw = int(width * 0.56)
    ctop = top + Inches(0.7)
    paras: list[Para] = [(t(lang, "first_step_title"), 24, {"bold": True, "colour": view.ACCENT, "space_after": 10})]
    for i, c in enumerate(actions[:7], start=1):
        paras.append((pile_item(lang, "rank_item", c, rank=c.get("rank") or i), 20, {"space_after": 10}))
    textbox(slide, left, ctop, lw, height - Inches(0.7), paras)
    paras = []
    for kind in ("problem", "fraga"):
        items = [c for c in others if c.get("kind") == kind]
        if items:
            paras.append((t(lang, f"kind_{kind}"), 20, {"bold": True, "colour": view.INK, "space_after": 4}))
            paras += [(pile_item(lang, "cluster_item", c), 16, {"bullet": True, "space_after": 4}) for c in items[:5]]
    if paras:
        card(slide, left + lw + Inches(0.3), ctop, width - lw - Inches(0.3), height - Inches(0.7), LIGHT)
        textbox(slide, left + lw + Inches(0.45), ctop + Inches(0.1), width - lw - Inches(0.6),
                height - Inches(0.9), paras)


def _followup_slides(deck: Deck, analysis: WorkshopAnalysis, lang: str, per_slide: int = 3) -> None:
    """"Uppföljning av åtgärder": each earlier action, its area then and now (read from the analysis)."""
    actions = list(getattr(analysis, "actions", None) or [])
    for start in range(0, len(actions), per_slide):
        slide = _slide(deck, t(lang, "followup_title" if start == 0 else "followup_title_more"))
        left, top, width, height = content_box(deck, slide)
        paras: list[Para] = [(t(lang, "followup_lead"), SUB_PT, {"colour": GREY, "space_after": 10})]
        for action in actions[start:start + per_slide]:
            meta, everyone, groups = view.followup_lines(analysis, action, lang)
            paras += [(action.get("text", ""), 18, {"bold": True, "colour": view.INK, "space_after": 0}),
                      (meta, 12, {"colour": GREY, "space_after": 2}),
                      (everyone, 14, {"space_after": 2 if groups else 12})]
            if groups:
                paras.append((groups, 14, {"colour": GREY, "space_after": 12}))
        paras += [(t(lang, "followup_star_note"), SMALL_PT, {"colour": GREY, "space_after": 0}),
                  (t(lang, "followup_caveat"), SMALL_PT, {"colour": GREY, "italic": True})]
        textbox(slide, left, top, width, height, paras, shrink=True)


def _method_slide(deck: Deck, analysis: WorkshopAnalysis, lang: str) -> None:
    slide = _slide(deck, t(lang, "method_title"))
    left, top, width, height = content_box(deck, slide)
    inst = analysis.instrument
    lines = [t(lang, "method_instrument", instrument=inst.get("name", ""), version=inst.get("version", "")),
             t(lang, "method_scale"), t(lang, "method_percent"), t(lang, "method_index"), t(lang, "method_test"),
             t(lang, "method_threshold", threshold=analysis.threshold)]
    hidden = [g for g in view.groups(analysis) if view.group_hidden(analysis, g["id"])]
    lines += [t(lang, "basis_group_suppressed", label=g["label"], threshold=analysis.threshold) for g in hidden]
    if analysis.comments:
        lines.append(t(lang, "method_comments"))
    if view.bench_synthetic(analysis):
        lines.append(t(lang, "synthetic_benchmark").capitalize() + ".")
    paras: list[Para] = [(line, 18, {"bullet": True, "space_after": 8}) for line in lines]
    gen = (analysis.provenance or {}).get("generated_at", "")
    paras.append((t(lang, "method_generated", generated=str(gen)[:10]), 12, {"colour": GREY}))
    textbox(slide, left, top + Inches(0.2), width, height - Inches(0.2), paras)

