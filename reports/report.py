"""The Word report of a `WorkshopAnalysis`, for a municipal board.

Title page, summary of findings, method, results per area (native, editable Word charts
from `tillit.reports.charts` — the same charts as the deck's — and tables with percent and count),
benchmark and trend, samsyn, comment themes with quotes, dialogue outcomes and an appendix
of all (already redacted) comments. Numbers are read from the analysis; nothing is
computed here, and no browser or image renderer is involved.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from . import charts, view
from .texts import dec, notes_item, pct, pvalue, t, xml_safe

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis
    from tillit.analysis import types as at

CHART_WIDTH = Cm(16)
TABLE_PT = Pt(9)
CHART_FONT_PT = 9  # the deck's charts at report scale: 16 cm wide, text as large as the tables'


def write_report(analysis: WorkshopAnalysis, path: str | Path, *, template: str | Path | None = None,
                 include_comments: bool = True) -> Path:
    """Write the report to `path` (.docx); `template` is a .docx whose styles to use."""
    lang = view.lang_of(analysis)
    doc = Document(str(template)) if template else Document()
    if template:
        _clear_body(doc)
    else:
        _default_look(doc)
    r = _Report(doc, analysis, lang)
    r.title_page()
    r.summary()
    r.method()
    r.results()
    r.benchmark()
    r.gaps()
    r.comments()
    r.followup()
    r.dialogue()
    if include_comments:
        r.appendix()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def chart_height(spec: charts.ChartSpec) -> int:
    """A chart's height on the page: the legend plus a band per bar, so 16 cm wide charts stay compact."""
    n = len(spec.categories)
    per_category = 0.56 if spec.stacked else 0.25 + 0.34 * len(spec.series)
    return Cm(1.2 + n * per_category)


def _shares(result: at.GroupResult, key: Literal["percent", "counts"]) -> dict[str, int]:
    """A shown (not suppressed) result's percents or counts per answer; only a suppressed one lacks them."""
    shares = result[key]
    if shares is None:
        raise ValueError(f"a shown result without {key}: the analysis is inconsistent")
    return shares


def _clear_body(doc) -> None:
    body = doc.element.body
    for el in list(body):
        if el.tag.endswith("}sectPr"):
            continue
        body.remove(el)


def _default_look(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    for name, size in (("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12), ("Title", 32)):
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        st.font.name = "Calibri"
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor.from_string(view.ACCENT.lstrip("#").upper())


class _Report:
    def __init__(self, doc, analysis: WorkshopAnalysis, lang: str) -> None:
        self.doc, self.a, self.lang = doc, analysis, lang

    # ------------------------------------------------------------------ primitives
    def style(self, *names: str) -> str | None:
        for name in names:
            try:
                self.doc.styles[name]
                return name
            except KeyError:
                continue
        return None

    def heading(self, text: str, level: int = 1) -> None:
        text = xml_safe(text)
        if self.style(f"Heading {level}"):
            self.doc.add_heading(text, level=level)
        else:
            p = self.doc.add_paragraph()
            run = p.add_run(text)
            run.bold, run.font.size = True, Pt(18 - 3 * level)

    def para(self, text: str = "", *, style: str | None = None, italic: bool = False, bold: bool = False,
             size: int | None = None, colour: str | None = None, keep: bool = False):
        p = self.doc.add_paragraph(style=self.style(style) if style else None)
        p.paragraph_format.keep_with_next = keep or None
        if text:
            run = p.add_run(xml_safe(text))
            run.italic, run.bold = italic, bold
            if size:
                run.font.size = Pt(size)
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        return p

    def bullet(self, text: str):
        text = xml_safe(text)
        st = self.style("List Bullet", "List Paragraph")
        if st:
            return self.doc.add_paragraph(text, style=st)
        return self.doc.add_paragraph("• " + text)

    def numbered(self, texts: list[str]) -> None:
        """A list numbered 1, 2, 3 … that starts again at 1 each time (Word's list style would
        continue the numbering of the list before it)."""
        for i, text in enumerate(texts, start=1):
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.75)
            p.paragraph_format.first_line_indent = Cm(-0.75)
            p.paragraph_format.space_after = Pt(2)
            p.add_run(f"{i}.\t" + xml_safe(text))
            p.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))

    def quote(self, text: str) -> None:
        st = self.style("Quote", "Intense Quote")
        p = self.doc.add_paragraph(style=st) if st else self.doc.add_paragraph()
        run = p.add_run(xml_safe(t(self.lang, "quote", quote=text)))
        run.italic = True

    def chart(self, spec: charts.ChartSpec | None) -> None:
        """A native Word chart, kept on the page of what follows it (its table)."""
        if spec is None:
            return
        spec = dataclasses.replace(spec, font_size=CHART_FONT_PT)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
        charts.add_to_docx(p, spec, CHART_WIDTH, chart_height(spec))

    def table(self, header: list[str], rows: list[list[str]], *, first_col_bold: bool = False,
              first_col_cm: float | None = None) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        st = self.style("Light Grid Accent 1", "Table Grid")
        if st:
            table.style = st
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = xml_safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for j, (cell, text) in enumerate(zip(cells, row)):
                cell.text = xml_safe(text)
                if j > 0:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif first_col_bold:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        last = len(table.rows) - 1
        for i, row in enumerate(table.rows):  # compact text; keep a table on one page
            for cell in row.cells:
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(0)
                para.paragraph_format.keep_with_next = i < last
                for run in para.runs:
                    run.font.size = TABLE_PT
        if first_col_cm:
            rest = Cm((16 - first_col_cm) / max(len(header) - 1, 1))
            table.autofit = False
            for j, col in enumerate(table.columns):
                col.width = Cm(first_col_cm) if j == 0 else rest
            for row in table.rows:
                for j, cell in enumerate(row.cells):
                    cell.width = Cm(first_col_cm) if j == 0 else rest
        self.doc.add_paragraph().paragraph_format.space_after = Pt(4)

    # ------------------------------------------------------------------ sections
    def title_page(self) -> None:
        a, lang = self.a, self.lang
        for _ in range(6):
            self.doc.add_paragraph()
        title = a.instrument.get("name") or t(lang, "report_title")
        if self.style("Title"):
            self.doc.add_paragraph(xml_safe(title), style="Title")
        else:
            self.para(title, bold=True, size=32)
        self.para(t(lang, "report_subtitle", municipality=a.municipality, year=a.year or "").strip(), size=18,
                  colour=view.INK)
        gen = str((a.provenance or {}).get("generated_at") or _dt.date.today().isoformat())[:10]
        self.para(t(lang, "report_generated", date=gen), colour="#5f6b73")
        if a.synthetic:
            self.para(t(lang, "synthetic_data"), bold=True, colour="#b2383b")
        if view.bench_synthetic(a):
            self.para(t(lang, "synthetic_benchmark"), bold=True, colour="#b2383b")
        self.doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        a, lang, f = self.a, self.lang, self.a.findings or {}
        self.heading(t(lang, "summary_title"))
        strongest, weakest = f.get("strongest"), f.get("weakest")
        if strongest:
            self.bullet(t(lang, "summary_strongest", label=strongest["label"], index=dec(strongest["index"], lang)))
        if weakest:
            self.bullet(t(lang, "summary_weakest", label=weakest["label"], index=dec(weakest["index"], lang)))
        gaps = f.get("group_gaps") or []
        gs = view.groups(a)
        if gaps and len(gs) >= 2:
            g = gaps[0]
            self.bullet(t(lang, "summary_gap", short=g["short"], g1=gs[0]["label"], i1=dec(g["index"].get(gs[0]["id"]), lang),
                          g2=gs[1]["label"], i2=dec(g["index"].get(gs[1]["id"]), lang)))
        info = view.benchmark_info(a)
        if info and f.get("benchmark_gaps"):
            b = f["benchmark_gaps"][0]
            self.bullet(t(lang, "summary_bench_gap", municipality=info.get("municipality", ""), short=b["short"],
                          diff=dec(b["difference"], lang, signed=True)))
        best, worst = f.get("areas_best_placed") or [], f.get("areas_worst_placed") or []
        if info and best and worst:
            self.bullet(t(lang, "summary_placed", n=best[0]["of"], municipality=a.municipality,
                          best=t(lang, "and").join(p["label"] for p in best), best_rank=best[0]["rank"],
                          worst=t(lang, "and").join(p["label"] for p in worst), worst_rank=worst[0]["rank"]))
        ranked = f.get("dimensions_ranked") or []
        if ranked:
            self.para(t(lang, "summary_ranked"))
            self.numbered([f"{d['label']}: {dec(d['index'], lang)}" for d in ranked])
        self.chart(charts.dimensions_chart(a, lang))

    def method(self) -> None:
        a, lang = self.a, self.lang
        self.heading(t(lang, "method_heading"))
        self.para(t(lang, "method_instrument", instrument=a.instrument.get("name", ""), version=a.instrument.get("version", "")))
        for g in view.groups(a):
            if view.group_hidden(a, g["id"]):
                self.bullet(t(lang, "basis_group_suppressed", label=g["label"], threshold=a.threshold))
            else:
                self.bullet(t(lang, "basis_group", n=a.respondents.get(g["id"], 0), label=g["label"].lower()))
        for key in ("method_scale", "method_percent", "method_index", "method_test"):
            self.para(t(lang, key))
        self.para(t(lang, "method_threshold", threshold=a.threshold))
        if a.comments:
            self.para(t(lang, "method_comments"))
            for how in (a.comments.get("themes_method"), a.comments.get("tone")):
                if how and how.get("note"):
                    self.para(how["note"])
        for w in a.warnings or []:
            self.para(w, italic=True, colour="#5f6b73")

    def results(self) -> None:
        a, lang = self.a, self.lang
        self.heading(t(lang, "results_heading"))
        dims = a.results.get("dimensions") or {}
        for d, questions in view.dimension_questions(a):
            self.heading(d["label"], 2)
            vals = dims.get(d["id"]) or {}
            items = [f"{g['label'].lower()} {dec(vals.get(g['id']), lang)}" for g in view.groups(a)
                     if vals.get(g["id"]) is not None and not view.group_hidden(a, g["id"])]
            if items:
                self.para(t(lang, "dimension_index", items=", ".join(items)), keep=True)
            for q in questions:
                self.question(q)

    def question(self, q: at.Question) -> None:
        a, lang = self.a, self.lang
        self.heading(q["short"], 3)
        self.para(q["text"], italic=True, keep=True)
        bench_line = view.bench_heading(a, q["id"], lang)
        if bench_line:
            self.para(bench_line + (f" ({t(lang, 'synthetic_benchmark').lower()})" if view.bench_synthetic(a) else ""),
                      size=10, colour="#5f6b73", keep=True)
        if any(not r.suppressed for r in view.distribution_rows(a, q["id"], lang)):
            self.chart(charts.distribution_chart(a, q["id"], lang))
        shown = [(g, r) for g in view.groups(a) if (r := a.result(q["id"], g["id"])) is not None
                 and not r.get("suppressed", True) and not view.group_hidden(a, g["id"])]
        labels = q.get("labels_display") or q["labels"]
        rows = []
        for lbl, disp in zip(q["labels"], labels):
            rows.append([disp] + [f"{pct(_shares(r, 'percent')[lbl], lang)} ({_shares(r, 'counts')[lbl]})"
                                  for _, r in shown])
        rows.append([t(lang, "table_n")] + [str(r["n"]) for _, r in shown])
        if q.get("dont_know_labels"):
            rows.append([t(lang, "table_dont_know")] + [str(r.get("dont_know", 0)) for _, r in shown])
        rows.append([t(lang, "table_index")] + [dec(r["index"], lang) for _, r in shown])
        if shown:
            self.table([t(lang, "table_answer")] + [g["label"] for g, _ in shown], rows, first_col_bold=True,
                       first_col_cm=5)
        hidden = [r.label for r in view.distribution_rows(a, q["id"], lang) if r.suppressed]
        for note in hidden + view.question_notes(a, q["id"], lang, dont_know=not shown):
            self.para(note, size=9, colour="#5f6b73")

    def benchmark(self) -> None:
        a, lang = self.a, self.lang
        info, b = view.benchmark_info(a), a.benchmark
        if not info or not b:
            return
        self.heading(t(lang, "benchmark_heading"))
        name = info.get("municipality", "")
        self.para(t(lang, "bench_title", municipality=name, year=info.get("year", "")), bold=True)
        if view.bench_synthetic(a):
            self.para(t(lang, "synthetic_benchmark"), bold=True, colour="#b2383b")
        bset = b.get("benchmark_set") or []
        if bset:
            self.para(t(lang, "benchmark_set", items=", ".join(
                f"{m.get('municipality')} {m.get('year')} ({dec(m.get('mean_index'), lang)})" for m in bset)))
        self._areas(name)
        self.chart(charts.benchmark_chart(a, lang))
        rows = []
        for q in a.questions:
            e = view.bench_entry(a, q["id"], view.ALL)
            if not e or e.get("suppressed"):
                continue
            rows.append([q["short"], dec(e.get("index"), lang), dec(e.get("benchmark_index"), lang),
                         dec(e.get("difference"), lang, signed=True), pvalue(e.get("p_value"), lang),
                         str(e.get("percentile")) if e.get("percentile") is not None else "–"])
        if rows:
            self.table([t(lang, "gap_table_question"), a.municipality, name, t(lang, "bench_table_diff"),
                        "p", t(lang, "bench_table_percentile")], rows, first_col_cm=6)
        self._bench_gaps(name)
        self._trend()

    def _areas(self, name: str) -> None:
        lang, rows = self.lang, view.area_rows(self.a)
        if not rows:
            return
        self.heading(t(lang, "areas_title", municipality=name), 2)
        self.para(t(lang, "areas_lead"), keep=True)
        self.chart(charts.areas_chart(self.a, lang))
        self.table([t(lang, "col_area"), self.a.municipality, name, t(lang, "bench_table_diff"),
                    t(lang, "areas_table_median"), t(lang, "areas_table_rank")],
                   [[r["label"], dec(r["index"], lang), dec(r.get("benchmark_index"), lang),
                     dec(r.get("difference"), lang, signed=True), dec(r.get("median_index"), lang),
                     f"{r['rank']} / {r['ranked_of']}" if r.get("rank") is not None else "–"] for r in rows],
                   first_col_cm=5)

    def _bench_gaps(self, name: str) -> None:
        lang, rows = self.lang, []
        for qid, g in view.benchmark_gap_rows(self.a).items():
            here, bench, bset = g.get("here") or {}, g.get("bench") or {}, g.get("set") or {}
            if here.get("abs_gap") is None:
                continue
            rows.append([self._short(qid), dec(here.get("abs_gap"), lang), dec(bench.get("abs_gap"), lang),
                         dec(bset.get("median_abs_gap", here.get("set_median_abs_gap")), lang)])
        if rows:
            self.heading(t(lang, "gaps_title"), 2)
            self.table([t(lang, "gap_table_question"), t(lang, "gap_table_here"),
                        t(lang, "gap_table_bench", municipality=name), t(lang, "gap_table_median")], rows,
                       first_col_cm=6)

    def _short(self, qid: str) -> str:
        return next((q["short"] for q in self.a.questions if q["id"] == qid), str(qid))

    def _trend(self) -> None:
        tr = self.a.benchmark.get("trend") if self.a.benchmark else None
        lang, prev = self.lang, tr.get("previous_year") if tr else None
        rows: list[list[str]] = []
        for qid, per_group in ((tr.get("questions") if tr else None) or {}).items():
            e = (per_group or {}).get(view.ALL)
            if not e or e.get("change") is None or prev is None:
                continue
            idx = e.get("indices") or {}
            rows.append([self._short(qid), dec(idx.get(str(prev)), lang), dec(idx.get(str(self.a.year)), lang),
                         dec(e.get("change"), lang, signed=True), pvalue(e.get("p_value"), lang)])
        self.heading(t(lang, "trend_heading"), 2)
        if not rows:
            self.para(t(lang, "trend_none"))
            return
        self.table([t(lang, "gap_table_question"), t(lang, "trend_table_prev", year=prev),
                    t(lang, "trend_table_now", year=self.a.year or ""), t(lang, "trend_table_change"), "p"], rows,
                   first_col_cm=6)

    def gaps(self) -> None:
        a, lang = self.a, self.lang
        gaps = (a.findings or {}).get("group_gaps") or []
        self.heading(t(lang, "gaps_title"))
        if not gaps:
            self.para(t(lang, "gaps_none"))
            return
        self.para(t(lang, "gaps_lead"))
        self.chart(charts.gaps_chart(a, lang))
        for g in gaps:
            key = "gaps_differs" if g.get("differs") else "gaps_not_differs"
            self.bullet(f"{g['short']}: " + t(lang, "gap_line", diff=dec(abs(g["difference"]), lang),
                                               verdict=t(lang, key, p=pvalue(g.get("p_value"), lang))))

    def comments(self) -> None:
        a, lang = self.a, self.lang
        boxes = view.boxes_with_summaries(a)
        if not boxes:
            return
        self.heading(t(lang, "comments_heading"))
        for box in boxes:
            self.heading(box["label"], 2)
            summaries = view.comment_summaries(a, box["id"])
            for g in view.groups(a):
                s = summaries.get(g["id"])
                self.para(g["label"], bold=True, keep=True)
                if view.group_hidden(a, g["id"]) or (s and s.get("suppressed")):
                    self.para(t(lang, "comments_suppressed", threshold=a.threshold), italic=True)
                    continue
                if not s or not s.get("bullets"):
                    self.para(t(lang, "comments_none"), italic=True)
                    continue
                for b in s["bullets"]:
                    self.bullet(t(lang, "comment_bullet", count=b.get("count"), of=b.get("of"),
                                  group_lower=g["label"].lower(), statement=b.get("statement", "")))
                    if (b.get("quote") or "").strip():
                        self.quote(b["quote"].strip())

    def followup(self) -> None:
        """Actions decided earlier: what, by whom, and how the area moved (association, not proof)."""
        a, lang = self.a, self.lang
        actions = list(getattr(a, "actions", None) or [])
        if not actions:
            return
        self.heading(t(lang, "followup_title"))
        self.para(t(lang, "followup_lead"))
        for action in actions:
            meta, everyone, groups = view.followup_lines(a, action, lang)
            self.para(action.get("text", ""), bold=True, keep=True)
            self.para(meta, italic=True, keep=True)
            self.bullet(everyone)
            if groups:
                self.bullet(groups)
        self.para(t(lang, "followup_star_note"), italic=True)
        self.para(t(lang, "followup_caveat"))
        self.para(t(lang, "followup_method"))

    def dialogue(self) -> None:
        a, lang = self.a, self.lang
        if not a.dialogue_prompts and not view.dialogue_clusters(a):
            return
        self.heading(t(lang, "dialogue_heading") if view.dialogue_clusters(a) else t(lang, "dialogue_prompts_heading"))
        prompts = list(a.dialogue_prompts or [])
        known = {p["id"] for p in prompts}
        prompts += [{"id": pid, "text": pid} for pid in sorted(
            {c.get("prompt_id") for c in view.dialogue_clusters(a)} - known - {None})]
        for p in prompts:
            self.heading(p["text"], 2)
            clusters = view.dialogue_clusters(a, p["id"])
            actions = [c for c in clusters if c.get("kind") == "atgard"]
            if actions:
                self.para(t(lang, "first_step_title"), bold=True)
                self.numbered([notes_item(lang, "cluster_item", c.get("count", 0), label=c.get("label", ""))
                               for c in actions])
            for kind in ("problem", "fraga"):
                items = [c for c in clusters if c.get("kind") == kind]
                if items:
                    self.para(t(lang, f"kind_{kind}"), bold=True)
                    for c in items:
                        self.bullet(notes_item(lang, "cluster_item", c.get("count", 0), label=c.get("label", "")))

    def appendix(self) -> None:
        """Every shown comment, per box and group: linear in the number of comments."""
        a, lang = self.a, self.lang
        comments = (a.comments.get("comments") if a.comments else None) or []
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.heading(t(lang, "appendix_heading"))
        shown = [c for c in comments if not view.group_hidden(a, c.get("group", ""))]
        withheld = {cell for cell in view.withheld_comments(a) if not view.group_hidden(a, cell[1])}
        if not shown and not withheld:
            self.para(t(lang, "appendix_none"))
            return
        by_box: dict[Any, dict[Any, list[str]]] = {}  # box -> group -> texts, in the comments' order
        for c in shown:
            by_box.setdefault(c.get("box"), {}).setdefault(c.get("group"), []).append(c.get("text", ""))
        known = [b["id"] for b in a.comment_boxes]
        box_ids = known + sorted(({c.get("box") for c in shown} | {b for b, _ in withheld}) - set(known))
        out = _BodyAppender(self.doc)
        bullet = out.style_id(self.style("List Bullet", "List Paragraph"))
        prefix = "" if bullet else "• "
        for bid in box_ids:
            groups = by_box.get(bid) or {}
            if not groups and not any(b == bid for b, _ in withheld):
                continue
            self.heading(view.box_label(a, bid), 2)
            for g in view.groups(a):
                texts = groups.get(g["id"])
                if texts:
                    self.para(g["label"], bold=True)
                    for text in texts:
                        out.paragraph(prefix + text, bullet)
                elif (bid, g["id"]) in withheld:  # too few to quote: said, not shown
                    self.para(g["label"], bold=True)
                    self.para(t(lang, "comments_suppressed", threshold=a.threshold), italic=True)


class _BodyAppender:
    """Adds paragraphs at the end of a document's body in constant time each.

    python-docx's ``Document.add_paragraph`` searches the body for the section properties
    to insert before and looks its style up by name, for every paragraph: with thousands of
    comments that made the appendix grow with the square of their number. Here the style
    ids are resolved once, each paragraph is a copy of one built by python-docx (a style
    and one run) with its text set, and it goes straight before the section properties.
    """

    def __init__(self, doc) -> None:
        self._doc = doc
        self._body = doc.element.body
        self._parent = doc._body  # the paragraphs' parent, as python-docx gives it
        self._protos: dict[str | None, Any] = {}
        self._anchor = self._body.sectPr  # looked up once: finding it scans the body

    def style_id(self, name: str | None) -> str | None:
        return None if name is None else self._doc.styles[name].style_id

    def _proto(self, style_id: str | None):
        if style_id not in self._protos:
            p = OxmlElement("w:p")
            if style_id:
                p.get_or_add_pPr().style = style_id
            Paragraph(p, self._parent).add_run("x")
            t = p.r_lst[0].t_lst[0]
            t.set(qn("xml:space"), "preserve")
            self._protos[style_id] = p
        return self._protos[style_id]

    def paragraph(self, text: str, style_id: str | None = None) -> None:
        text = xml_safe(text)
        p = deepcopy(self._proto(style_id))
        if any(ch in text for ch in "\t\n\r"):  # python-docx turns these into tabs and line breaks
            p.remove(p.r_lst[0])
            Paragraph(p, self._parent).add_run(text)
        else:
            p.r_lst[0].t_lst[0].text = text
        if self._anchor is not None:
            self._anchor.addprevious(p)
        else:
            self._body.append(p)
