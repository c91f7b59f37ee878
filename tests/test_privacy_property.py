"""Privacy as a property: for any group sizes and any threshold, a group with answers but fewer
than the threshold shows no figure — not its shares, index or size, and no total that would
reveal it — in analys.json, the deck or the report. (The dashboard's pages are checked in a
real browser in tests/test_dashboard_security.py and tests/test_dashboard_workshop_browser.py.)"""

from __future__ import annotations

import json
import re

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from tillit import reports
from tillit import survey
from tillit.analysis import build_analysis

INST = survey.load_instrument()
GROUPS = INST.group_ids  # politiker, tjansteperson
ALL = survey.ALL


@st.composite
def waves(draw):
    threshold = draw(st.integers(min_value=2, max_value=10))
    sizes = {g: draw(st.integers(min_value=1, max_value=14)) for g in GROUPS}
    nested: dict[str, dict[str, dict[str, int]]] = {}
    for q in INST.questions:
        labels = INST.scales[q.scale].labels
        for g, n in sizes.items():
            cuts = sorted(draw(st.lists(st.integers(0, n), min_size=len(labels) - 1, max_size=len(labels) - 1)))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, n])]
            nested.setdefault(q.id, {})[g] = dict(zip(labels, parts))
    return threshold, sizes, nested


def _numbers_under(d, keys: set[str], path=()):
    """(path, value) of every number stored under a key in `keys`, anywhere in `d`."""
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _numbers_under(v, keys, (*path, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _numbers_under(v, keys, (*path, i))
    elif isinstance(d, int | float) and not isinstance(d, bool) and keys & {str(p) for p in path}:
        yield path, d


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(waves())
def test_no_output_shows_a_hidden_group(tmp_path_factory, wave):
    threshold, sizes, nested = wave
    hidden = {g for g, n in sizes.items() if n < threshold}
    results = survey.compute_results(survey.counts_from_nested(INST, nested, sizes), threshold=threshold)
    a = build_analysis(INST, results, municipality="Provby", year=2025)
    assert set(a.hidden_groups) == hidden

    d = json.loads(a.to_json())
    secret = hidden | ({ALL} if hidden else set())
    # the sections that hold figures per group: none for a hidden group, nor the total beside it
    leaks = list(_numbers_under({k: d[k] for k in ("respondents", "results", "findings")}, secret))
    leaks = [(p, v) for p, v in leaks if p[-1] not in ("anonymity_threshold",)]
    assert not leaks, leaks[:5]

    out = tmp_path_factory.mktemp("privacy")
    deck = reports.write_deck(a, out / "w.pptx")
    report = reports.write_report(a, out / "r.docx")
    labels = {g["id"]: g["label"] for g in a.groups}
    shown_texts = []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                shown_texts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
            if shape.has_text_frame:
                shown_texts.append(shape.text_frame.text)
    doc = Document(str(report))
    shown_texts += [p.text for p in doc.paragraphs]
    shown_texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join(shown_texts)
    for g in hidden:
        label = labels[g]
        n = sizes[g]
        # no row, series or count for the group: its label never stands beside its size
        assert not re.search(rf"\b{n}\s+{re.escape(label.lower())}", text.lower()), (g, n)
        assert f"{label} (n = {n})" not in text and f"{label}, Provby (n = {n})" not in text
        for t in doc.tables:
            assert label not in [c.text for c in t.rows[0].cells]  # no column of figures for it
