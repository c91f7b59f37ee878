"""Deck and report: open the generated files and check text and numbers (never bytes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu

from tillit import reports
from tillit import survey
from tillit.reports import figures, texts, view
from tests.samples import COUNTS, RAW_NAMES, sample_analysis
from tillit.analysis import build_analysis

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXPORT = SHARED / "data" / "exports" / "exempelby_2025_netigate.xlsx"
FACIT = SHARED / "data" / "exports" / "facit.json"


# ---------------------------------------------------------------------- helpers


def deck_text(path: Path) -> str:
    prs = Presentation(str(path))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_chart:
                ch = shape.chart
                parts += [str(c) for c in ch.plots[0].categories]
                parts += [s.name for s in ch.plots[0].series]
    return "\n".join(parts)


def deck_charts(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """slide title -> category -> series name -> value, for every chart in the deck."""
    out = {}
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                cats = list(plot.categories)
                out[slide.shapes.title.text] = {
                    c: {s.name: s.values[i] for s in plot.series} for i, c in enumerate(cats)}
    return out


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def plain(s: str) -> str:
    return s.replace(texts.NBSP, " ")


@pytest.fixture(scope="module")
def real_analysis():
    if not EXPORT.exists():
        pytest.skip("shared test data not present")
    inst = survey.load_instrument()
    data = survey.read_export(EXPORT)
    results = survey.compute_results(survey.count_answers(data))
    return build_analysis(inst, results, municipality="Exempelby", year=2025,
                          prompts=[{"id": "forbattra_samspel", "text": "Hur gör vi det? Vad är vårt första steg?"}])


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    a = sample_analysis()
    return a, reports.write_deck(a, out / "workshop.pptx"), reports.write_report(a, out / "rapport.docx")


# ---------------------------------------------------------------------- formatting


def test_percent_and_decimal_formats():
    assert texts.pct(74, "sv") == "74\u00a0%"
    assert texts.pct(74, "en") == "74%"
    assert texts.dec(41.21, "sv") == "41,2"
    assert texts.dec(-15.0, "sv", signed=True) == "\u221215,0"
    assert texts.dec(41.21, "en") == "41.2"
    assert texts.pvalue(0.0004, "sv") == "< 0,001"


def test_catalogue_languages_have_the_same_keys():
    assert set(texts.TEXTS["sv"]) == set(texts.TEXTS["en"])


# ---------------------------------------------------------------------- numbers against raw counts


def test_real_export_chart_percents_are_whole_percent_shares_of_raw_counts(real_analysis, tmp_path):
    path = reports.write_deck(real_analysis, tmp_path / "d.pptx")
    charts = deck_charts(path)
    prs = Presentation(str(path))
    assert prs.slide_width == Emu(12192000) or abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    checked = 0
    for q in real_analysis.questions:
        chart = charts[q["short"]]
        for g in view.groups(real_analysis):
            r = real_analysis.result(q["id"], g["id"])
            row = next(v for k, v in chart.items() if k.startswith(g["label"]))
            counts = [r["counts"][lbl] for lbl in q["labels"]]
            expected = survey.whole_percents(counts)  # hand-checkable from the raw counts
            assert [row[lbl] for lbl in q["labels"]] == expected == [r["percent"][lbl] for lbl in q["labels"]]
            assert sum(expected) == 100
            checked += 1
    assert checked == 2 * len(real_analysis.questions)


def test_real_export_vision_is_yes_no_per_group(real_analysis, tmp_path):
    path = reports.write_deck(real_analysis, tmp_path / "d.pptx")
    vision = deck_charts(path)["Tydlig vision/strategi"]
    # 18 of 31 förtroendevalda and 17 of 27 tjänstepersoner answered Ja in the export
    assert vision["Förtroendevalda (n = 31)"] == {"Ja": 58.0, "Nej": 42.0}
    assert vision["Tjänstepersoner (n = 27)"] == {"Ja": 63.0, "Nej": 37.0}
    text = deck_text(path)
    assert "31" in text and "förtroendevalda" in text and "27" in text


def test_real_export_counts_match_facit(real_analysis):
    import json

    if not FACIT.exists():
        pytest.skip("facit.json not present")
    facit = json.loads(FACIT.read_text("utf-8"))
    entry = facit[EXPORT.name]
    assert entry["respondents"] == real_analysis.respondents
    for qid, per_group in entry["questions"].items():
        for gid, labels in per_group.items():
            r = real_analysis.result(qid, gid)
            if r and not r["suppressed"]:
                for lbl, n in labels.items():
                    if lbl in r["counts"]:
                        assert r["counts"][lbl] == n, (qid, gid, lbl)


def test_sample_deck_shows_benchmark_side_by_side(sample_files):
    a, deck, _ = sample_files
    charts = deck_charts(deck)
    chart = charts["Tydlig roll- och ansvarsfördelning"]
    own = chart["Förtroendevalda, Provköping (n = 20)"]
    assert [own[lbl] for lbl in COUNTS and ["Nej", "Till liten del", "Till viss del", "Till stor del"]] == \
        survey.whole_percents(COUNTS["roll_ansvar"]["politiker"])
    bench = chart["Förtroendevalda, Kävlinge 2024 (n = 26)"]
    assert bench == {"Nej": 5, "Till liten del": 15, "Till viss del": 45, "Till stor del": 35}
    text = plain(deck_text(deck))
    assert "Jämförelse med Kävlinge kommun – av de kommuner som genomfört motsvarande enkät och uppnått högst resultat" in text
    assert "SYNTETISKA JÄMFÖRELSEDATA" in text


def test_areas_slide_and_table_show_the_analysis_numbers(sample_files):
    a, deck, report = sample_files
    chart = deck_charts(deck)["Områdena jämfört med Kävlinge"]
    rows = view.area_rows(a)
    assert [r["id"] for r in rows] == ["roller", "tillit", "mal", "uppfoljning"]
    for r in rows:
        assert chart[r["label"]] == {"Provköping": r["index"],
                                     "Kävlinge 2024 (syntetiska jämförelsedata)": r["benchmark_index"]}
    text = plain(deck_text(deck))
    assert f"{rows[0]['label']}\nplats 3 av 3 · median 55,0\n−18,0 indexenheter mot Kävlinge" in text
    table = plain(docx_text(report))
    assert f"{rows[-1]['label']} | 66,0 | 72,0 | −6,0 | 55,0 | 1 / 3" in table
    best = " samt ".join(r["label"] for r in rows if r["rank"] == 1)  # mal and uppfoljning tie
    assert (f"Bland 3 kommuner (jämförelsegruppen och Provköping) placerar sig Provköping bäst på {best} "
            f"(plats 1) och sämst på {rows[0]['label']} (plats 3).") in table


def test_sample_deck_has_all_parts(sample_files):
    _, deck, _ = sample_files
    text = plain(deck_text(deck))
    for needle in ("Syfte och underlag", "Samsyn", "Skriftliga kommentarer, sammanfattning",
                   "6 av 7 tjänstepersoner som skriver om roller och ansvar är kritiska: ”Det är otydligt", "Vad är vårt första steg?",
                   "1. Gemensam introduktion för nya politiker och chefer (9 lappar)",
                   "Samspelet mellan politiken och verksamheten måste förbättras.", "Metod och anonymitet",
                   "Största avstånden till Kävlinge"):
        assert needle in text, needle


def test_sample_report_has_all_parts(sample_files):
    a, _, report = sample_files
    text = plain(docx_text(report))
    for needle in ("Sammanfattning", "Metod", "Resultat per område", "Jämförelse och utveckling över tid",
                   "Kommentarernas teman", "Resultat från dialogen", "Bilaga: alla kommentarer",
                   "Starkast område: Vision och målstyrning", "20 förtroendevalda", "färre än 5",
                   "Tidigare (2022)", "41,0", "+9,0"):
        assert needle in text, needle
    # table cells: "whole percent (count)" for every group and answer
    for q in a.questions:
        for g in view.groups(a):
            r = a.result(q["id"], g["id"])
            for lbl in q["labels"]:
                assert f"{r['percent'][lbl]} % ({r['counts'][lbl]})" in text
    assert len(Document(str(report)).inline_shapes) >= len(a.questions) + 2


# ---------------------------------------------------------------------- anonymity and PII


def _numbers_of(a, gid):
    return {(q["id"], lbl) for q in a.questions for lbl in q["labels"]}


def test_suppressed_group_never_shows_numbers(tmp_path):
    a = sample_analysis(small_group="tjansteperson")
    assert all(a.result(q["id"], "tjansteperson")["suppressed"] for q in a.questions)
    deck = reports.write_deck(a, tmp_path / "d.pptx")
    report = reports.write_report(a, tmp_path / "r.docx")
    for chart in deck_charts(deck).values():
        assert not any(k.startswith("Tjänstepersoner") for k in chart), chart.keys()
    dtext, rtext = plain(deck_text(deck)), plain(docx_text(report))
    for text in (dtext, rtext):
        assert "Tjänstepersoner: färre än 5 svar – redovisas inte" in text
        assert "3 tjänstepersoner" not in text  # its size is not shown either
        assert not re.search(r"\b3\s*tjänstepersoner", text)
        assert "SECRET-SMALL-GROUP" not in text  # a comment summary of 3 commenters
    # the total would reveal the hidden group by subtraction: it is not in any chart either
    assert all(not k.startswith("Alla") for c in deck_charts(deck).values() for k in c)


def test_comment_summary_below_threshold_is_withheld(sample_files):
    _, deck, report = sample_files
    for text in (deck_text(deck), docx_text(report)):
        assert "SECRET-SMALL-GROUP" not in text
        assert "Färre än 5 kommenterade – redovisas inte." in text


def test_no_pii_leaks_only_redacted_text(sample_files):
    a, deck, report = sample_files
    assert any(RAW_NAMES[0] in c.get("pii", []) for c in a.comments["comments"])  # the fixture carries them
    for text in (deck_text(deck), docx_text(report)):
        assert "[NAMN]" in text
        for name in RAW_NAMES:
            assert name not in text
            assert name.split()[1] not in text


def test_report_without_comment_appendix(tmp_path):
    a = sample_analysis()
    text = docx_text(reports.write_report(a, tmp_path / "r.docx", include_comments=False))
    assert "Bilaga" not in text
    assert "Målen är för många och för vaga." not in text.split("Kommentarernas teman")[0]


# ---------------------------------------------------------------------- language and template


def test_english_variant(tmp_path):
    a = sample_analysis("en")
    dtext = deck_text(reports.write_deck(a, tmp_path / "d.pptx"))
    rtext = docx_text(reports.write_report(a, tmp_path / "r.docx"))
    assert "Written comments, summary" in dtext and "Method and anonymity" in dtext
    assert "Compared with Kävlinge – the highest results" in dtext
    assert "What is our first step?" in dtext
    assert "Summary" in rtext and "Appendix: all comments (de-identified)" in rtext
    for svenska in ("Skriftliga kommentarer", "Sammanfattning", "Metod och anonymitet", "redovisas inte"):
        assert svenska not in dtext and svenska not in rtext
    assert re.search(r"\d+%", rtext) and not re.search(r"\d+\u00a0%", rtext)
    assert "To a large extent" in dtext


def test_deck_uses_a_template(tmp_path):
    from pptx import Presentation as P
    from pptx.util import Inches

    tpl = P()  # a 4:3 template: the deck must take its size and layouts
    tpl.slide_layouts[5].name = "Endast rubrik"
    tpl.slide_layouts[0].name = "Rubrikbild"
    tpl.slides.add_slide(tpl.slide_layouts[1]).shapes.title.text = "GAMMAL EXEMPELBILD"
    tpl_path = tmp_path / "mall.pptx"
    tpl.save(str(tpl_path))
    deck = reports.write_deck(sample_analysis(), tmp_path / "d.pptx", template=tpl_path)
    prs = Presentation(str(deck))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))
    assert "GAMMAL EXEMPELBILD" not in deck_text(deck)
    layouts = {s.slide_layout.name for s in prs.slides}
    assert layouts <= {"Endast rubrik", "Rubrikbild"}
    assert prs.slides[0].slide_layout.name == "Rubrikbild"
    for slide in prs.slides:  # everything stays on the slide
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width + Inches(0.05)
            assert shape.top + shape.height <= prs.slide_height + Inches(0.05)


def test_report_uses_a_docx_template(tmp_path):
    from docx.shared import RGBColor

    tpl = Document()
    tpl.styles["Heading 1"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    tpl.add_paragraph("MALLTEXT SOM SKA BORT")
    tpl_path = tmp_path / "mall.docx"
    tpl.save(str(tpl_path))
    out = reports.write_report(sample_analysis(), tmp_path / "r.docx", template=tpl_path)
    doc = Document(str(out))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert "MALLTEXT SOM SKA BORT" not in docx_text(out)
    assert any(p.style.name == "Heading 1" for p in doc.paragraphs)


def test_deck_16_9_shapes_within_slide(sample_files):
    _, deck, _ = sample_files
    prs = Presentation(str(deck))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height


def test_question_charts_are_native_and_editable(sample_files):
    a, deck, _ = sample_files
    prs = Presentation(str(deck))
    native = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(native) >= len(a.questions)
    xml = native[1].chart._chartSpace.xml  # noqa: SLF001
    assert 'c:crosses val="max"' in xml  # the value axis stays at the bottom with reversed categories


# ---------------------------------------------------------------------- figures shared with the dashboard


def test_figures_carry_the_analysis_numbers():
    a = sample_analysis()
    fig = figures.distribution_figure(a, "vision")
    by_name = {tr.name: list(tr.x) for tr in fig.data}
    assert by_name["Ja"][0] == a.result("vision", "politiker")["percent"]["Ja"]
    assert by_name["Ja"][2] == a.result("vision", "tjansteperson")["percent"]["Ja"]
    assert by_name["Ja"][1] == 80  # the benchmark's row under the group's own
    assert figures.dimensions_figure(a).data and figures.gaps_figure(a).data
    assert figures.benchmark_figure(a) is not None
    assert figures.benchmark_figure(sample_analysis(benchmark=False)) is None


def test_render_error_is_clear_without_soffice(monkeypatch, tmp_path):
    from tillit.reports import render

    monkeypatch.setattr(render, "find_soffice", lambda: None)
    with pytest.raises(render.RenderError, match="soffice"):
        render.render_to_png(tmp_path / "x.pptx", tmp_path)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sample_comment_bullets_have_the_shape_nlp_writes(lang):
    """The sample's statements are what nlp.summaries writes in that language: its
    templates, the group and theme in the sentence, a quote in the language's marks."""
    from tillit.nlp.summaries import TEXTS
    from tests.samples import sample_comments

    texts = TEXTS[lang]
    groups = {"sv": {"politiker": "förtroendevalda", "tjansteperson": "tjänstepersoner"},
              "en": {"politiker": "elected representatives", "tjansteperson": "officials"}}[lang]
    sample = sample_comments(lang)
    by_id = {c["id"]: c for c in sample["comments"]}
    checked = 0
    for summary in sample["summaries"]:
        quoted = [i for b in summary["bullets"] for i in b["comment_ids"][:2] if b["direction"] != "single"]
        assert len(quoted) == len(set(quoted))  # no comment quoted twice in a box
        for b in summary["bullets"]:
            if b["statement"] == "SECRET-SMALL-GROUP":
                continue
            if b["direction"] == "single":
                assert b["statement"].startswith(texts["single"].split("{")[0])
                continue
            theme = b["theme_label"][:1].lower() + b["theme_label"][1:]
            views = b["statement"].split("(")[1].split(")")[0] if b["direction"] == "mixed" else ""
            head = texts[b["direction"]].format(n=b["direction_count"], count=b["count"],
                                                group=groups[summary["group"]], theme=theme, views=views)
            opening = "“" if lang == "en" else "”"
            assert b["statement"].startswith(f"{head}: {opening}"), b["statement"]
            assert by_id[b["comment_ids"][0]]["text"] in b["statement"]  # verbatim
            checked += 1
    assert checked >= 4


def test_english_report_comment_bullets_are_english(tmp_path):
    import docx

    from tillit.reports import write_report
    from tests.samples import sample_analysis

    path = write_report(sample_analysis("en"), tmp_path / "report_en.docx")
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    themes = text.split("Comment themes")[1].split("Results of the dialogue")[0]
    assert "6 of 7 officials who write about roles and responsibilities are critical" in themes
    assert "Single views (one comment per theme)" in themes
    for swedish in (" av ", "tar upp", "skriver om", "Enstaka synpunkter", "kritiska"):
        assert swedish not in themes, swedish


def test_numbered_lists_in_the_report_start_at_one_each_time(sample_files):
    _, _, report = sample_files
    numbers = [int(m.group(1)) if (m := re.match(r"^(\d+)\.\t", p.text)) else None
               for p in Document(str(report)).paragraphs]
    runs, current = [], []
    for n in numbers + [None]:
        if n is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(n)
    assert len(runs) >= 2  # the areas ranked, and the first steps of each prompt
    assert all(r == list(range(1, len(r) + 1)) for r in runs), runs


@pytest.mark.parametrize(("lang", "three", "one", "notes"), [("sv", "3 prickar", "1 prick", "lappar"),
                                                              ("en", "3 dots", "1 dot", "notes")])
def test_dialogue_result_slide_prints_each_piles_dots_when_the_room_voted(tmp_path, lang, three, one, notes):
    import dataclasses

    from tillit.workshop import apply_votes

    a = sample_analysis(lang)
    assert "prick" not in deck_text(reports.write_deck(a, tmp_path / "plain.pptx"))  # no vote, no dots
    piles = [{"label": "Fasta avstämningar", "kind": "atgard", "note_ids": [1, 2], "notes": ["a", "b"], "votes": 1},
             {"label": "Gemensam introduktion", "kind": "atgard", "note_ids": [3], "notes": ["c"], "votes": 3},
             {"label": "Politiker går förbi chefsledet", "kind": "problem", "note_ids": [4, 5], "notes": ["d", "e"],
              "votes": 0}]
    voted = dataclasses.replace(a, dialogue=apply_votes(a.dialogue, {"forbattra_samspel": piles}))
    text = plain(deck_text(reports.write_deck(voted, tmp_path / "voted.pptx")))
    single = "1 note" if lang == "en" else "1 lapp"
    assert f"1. Gemensam introduktion ({single}) · {three}" in text
    assert f"2. Fasta avstämningar (2 {notes}) · {one}" in text
    assert f"Politiker går förbi chefsledet (2 {notes}) · 0 {'dots' if lang == 'en' else 'prickar'}" in text
