"""Issue 16: steps that must stay linear at scale, and commands that load only what they use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from docx import Document

from tillit import reports
from tests.samples import sample_analysis

ROOT = Path(__file__).resolve().parents[1]
APPENDIX = "Bilaga: alla kommentarer (avidentifierade)"


def _appendix_paragraphs(path):
    doc = Document(str(path))
    paras = doc.paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == APPENDIX)
    return paras[start + 1:]


def test_appendix_lists_every_comment_in_order_with_the_bullet_style(tmp_path):
    a = sample_analysis()
    boxes = [b["id"] for b in a.comment_boxes]
    groups = list(a.respondents)
    many = [{"id": f"x{i}", "group": groups[i % 2], "box": boxes[(i // 2) % len(boxes)],
             "text": f"Kommentar nummer {i}." + ("\nAndra raden." if i == 7 else "")}
            for i in range(3000)]
    a.comments = {**a.comments, "comments": many}
    paras = _appendix_paragraphs(reports.write_report(a, tmp_path / "r.docx"))
    bullets = [p for p in paras if p.style.name == "List Bullet"]
    # per box, per group (in the instrument's order), each comment once, in the analysis' order
    expected = []
    for b in boxes:
        for g in [g["id"] for g in reports.view.groups(a)]:
            expected += [c["text"] for c in many if c["box"] == b and c["group"] == g]
    assert [p.text for p in bullets] == expected
    assert len(bullets) == 3000
    # a line break inside a comment stays a line break, not a lost character
    seven = next(p for p in bullets if p.text.startswith("Kommentar nummer 7."))
    assert seven.text == "Kommentar nummer 7.\nAndra raden."
    # the headings of boxes and groups are still there, and the document ends with its section
    texts = [p.text for p in paras]
    for b in a.comment_boxes:
        assert b["label"] in texts
    doc = Document(str(tmp_path / "r.docx"))
    assert doc.element.body[-1].tag.endswith("}sectPr")


def test_appendix_without_a_bullet_style_marks_each_comment(tmp_path):
    """A template without list styles: each comment is still its own paragraph, with a bullet sign."""
    from docx import Document as NewDocument

    template = tmp_path / "mall.docx"
    doc = NewDocument()
    for name in ("List Bullet", "List Paragraph"):
        st = doc.styles[name]
        st.element.getparent().remove(st.element)
    doc.save(str(template))
    a = sample_analysis()
    paras = _appendix_paragraphs(reports.write_report(a, tmp_path / "r.docx", template=template))
    shown = [c["text"] for c in a.comments["comments"]
             if not reports.view.group_hidden(a, c["group"])]
    assert shown
    for text in shown:
        assert "• " + text in [p.text for p in paras]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _loaded(mods: set[str], *names: str) -> list[str]:
    return [n for n in names if n in mods]


def test_cli_help_loads_no_heavy_library():
    mods = _modules_after("from click.testing import CliRunner\nfrom tillit.cli import main\n"
                          "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0, r.output")
    assert _loaded(mods, "scipy", "spacy", "simplemma", "sqlalchemy", "alembic", "plotly", "dash", "flask", "docx",
                   "pptx", "sklearn") == []


def test_results_loads_no_store_no_nlp_no_reports(tmp_path):
    code = ("from click.testing import CliRunner\nfrom tillit.cli import main\n"
            "r = CliRunner().invoke(main, ['results', 'examples/lindbacka_2025_enkat.xlsx', '--format', 'json'])\n"
            "assert r.exit_code == 0, r.output")
    mods = _modules_after(code)
    assert _loaded(mods, "spacy", "simplemma", "sqlalchemy", "alembic", "plotly", "dash", "flask", "docx", "pptx",
                   "sklearn") == []


def test_lazy_package_names_are_the_public_objects():
    """Importing a submodule must not shadow the package's function of the same name."""
    code = ("import tillit.commands.store, benchmarks.compare, benchmarks\n"
            "from benchmarks import Store, compare, comparison\n"
            "assert callable(compare) and callable(comparison) and isinstance(Store, type)\n"
            "assert benchmarks.compare is compare")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=ROOT)
