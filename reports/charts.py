"""Native, editable charts for both documents: one chart writer for the deck and the report.

A chart is first described as a `ChartSpec` (categories, series, colours, number format),
built from the analysis by the `*_chart` functions below; nothing is computed here that
the analysis does not already hold. The spec is then written as a DrawingML chart with
python-pptx's chart XML writer and styled by `style_chart`, so a slide's chart and the
report's chart of the same question are the same XML with the same embedded workbook:

- `add_to_slide(slide, box, spec)` puts it on a PowerPoint slide (python-pptx's own part);
- `add_to_docx(paragraph, spec, width, height)` puts it in a Word paragraph as a chart part
  under `word/charts/` with its workbook under `word/embeddings/`, so "Edit data" works.

python-docx has no chart support (python-docx #179), but a .docx chart part is the very
same `c:chartSpace` XML that a .pptx holds; only the wiring into the document differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as DOCX_CT
from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml as docx_parse_xml
from docx.oxml.ns import qn as docx_qn
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml import parse_xml as pptx_parse_xml
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from . import view
from .texts import NBSP, percent_number_format, xml_safe

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis
    from tillit.analysis import types as at

FONT = "Calibri"
MIN_LABEL = 5  # segments narrower than this many percent get no data label (they would overlap)


@dataclass(frozen=True)
class ChartSpec:
    """What one bar chart shows; the same spec gives the same chart in deck and report."""

    key: str  # "question:<id>", "dimensions", "areas", "gaps" or "benchmark"
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    colours: list[str]
    stacked: bool  # True: 100 % stacked answer shares; False: clustered 0–100 index bars
    number_format: str
    label_colours: list[str] | None = None
    hide_below: float | None = None
    value_max: float | None = None
    font_size: int = 14

    def values(self) -> dict[str, list[float | None]]:
        """Series name → values, for checks and tests."""
        return {name: list(vals) for name, vals in self.series}


# ---------------------------------------------------------------------- specs from the analysis


def distribution_chart(analysis: WorkshopAnalysis, qid: str, lang: str | None = None) -> ChartSpec | None:
    """Each shown group's answer shares (whole percents), the benchmark's row beneath it."""
    lang = view.lang_of(analysis, lang)
    q = analysis.question(qid)
    shown = [(r.label, r.percents) for r in view.distribution_rows(analysis, qid, lang)
             if not r.suppressed and r.percents is not None]
    if not shown:
        return None
    labels = q.get("labels_display") or q["labels"]
    colours = view.scale_colours(q)
    return ChartSpec(
        key=f"question:{qid}", categories=[label for label, _ in shown],
        series=[(lbl, [percents[i] for _, percents in shown]) for i, lbl in enumerate(labels)],
        colours=colours, label_colours=[view.text_colour(c) for c in colours], stacked=True,
        number_format=percent_number_format(lang).replace(" ", NBSP), hide_below=MIN_LABEL)


def dimensions_chart(analysis: WorkshopAnalysis, lang: str | None = None) -> ChartSpec | None:
    """Index 0–100 per area (dimension), one series per shown group."""
    dims = [d for d, _ in view.dimension_questions(analysis)]
    values = analysis.results.get("dimensions") or {}
    series = [(g["label"], [(values.get(d["id"]) or {}).get(g["id"]) for d in dims])
              for g in _shown_groups(analysis)]
    if not dims or not series or all(v is None for _, vs in series for v in vs):
        return None
    return ChartSpec(key="dimensions", categories=[d["label"] for d in dims], series=series,
                     colours=view.GROUP_COLOURS, stacked=False, number_format="0", value_max=100)


def areas_chart(analysis: WorkshopAnalysis, lang: str | None = None) -> ChartSpec | None:
    """Index per area for all respondents here and in the benchmark municipality."""
    lang = view.lang_of(analysis, lang)
    info, rows = view.benchmark_info(analysis), view.area_rows(analysis)
    if not info or not rows:
        return None
    series = [(analysis.municipality, [r["index"] for r in rows]),
              (view.bench_name(analysis, info, lang), [r.get("benchmark_index") for r in rows])]
    return ChartSpec(key="areas", categories=[r["label"] for r in rows], series=series,
                     colours=[view.ACCENT, view.BENCH_COLOUR], stacked=False, number_format="0", value_max=100)


def gaps_chart(analysis: WorkshopAnalysis, lang: str | None = None) -> ChartSpec | None:
    """Index per group for the questions where the groups differ most."""
    gaps = (analysis.findings or {}).get("group_gaps") or []
    if not gaps:
        return None
    shown = [g for g in _shown_groups(analysis) if any(gap["index"].get(g["id"]) is not None for gap in gaps)]
    if not shown:
        return None
    return ChartSpec(key="gaps", categories=[gap["short"] for gap in gaps],
                     series=[(g["label"], [gap["index"].get(g["id"]) for gap in gaps]) for g in shown],
                     colours=view.GROUP_COLOURS, stacked=False, number_format="0", value_max=100, font_size=13)


def benchmark_chart(analysis: WorkshopAnalysis, lang: str | None = None) -> ChartSpec | None:
    """Index for all respondents per question, here and in the benchmark municipality."""
    lang = view.lang_of(analysis, lang)
    info, rows = view.benchmark_info(analysis), view.benchmark_index_rows(analysis)
    if not info or not rows:
        return None
    return ChartSpec(key="benchmark", categories=[r[0] for r in rows],
                     series=[(analysis.municipality, [r[1] for r in rows]),
                             (view.bench_name(analysis, info, lang), [r[2] for r in rows])],
                     colours=[view.ACCENT, view.BENCH_COLOUR], stacked=False, number_format="0", value_max=100,
                     font_size=12)


def _shown_groups(analysis: WorkshopAnalysis) -> list[at.Group]:
    return [g for g in view.groups(analysis) if not view.group_hidden(analysis, g["id"])]


# ---------------------------------------------------------------------- the one chart writer


def _chart_type(spec: ChartSpec):
    return XL_CHART_TYPE.BAR_STACKED_100 if spec.stacked else XL_CHART_TYPE.BAR_CLUSTERED


def chart_data(spec: ChartSpec) -> CategoryChartData:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = [xml_safe(c) for c in spec.categories]
    for name, values in spec.series:
        data.add_series(xml_safe(name), values)
    return data


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def style_chart(chart: Chart, spec: ChartSpec) -> Chart:
    """The house style: horizontal bars, first category on top, whole-number data labels."""
    size = spec.font_size
    chart.font.size = Pt(size)
    chart.font.name = FONT
    chart.has_title = False  # no automatic title from a single series' name
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)
    cat = chart.category_axis
    cat.reverse_order = True
    cat.format.line.color.rgb = _rgb("#bfbfbf")
    cat.tick_labels.font.size = Pt(size)
    cat.has_major_gridlines = False
    val = chart.value_axis
    val.has_major_gridlines = not spec.stacked
    if not spec.stacked:
        val.major_gridlines.format.line.color.rgb = _rgb("#e5e5e5")
        val.minimum_scale, val.maximum_scale = 0, spec.value_max or 100
        val.major_unit = 20
        val.tick_labels.font.size = Pt(size - 2)
    val.visible = not spec.stacked
    val.format.line.fill.background()
    # Reversing the categories moves the value axis to the top; make it cross at the last category.
    crosses = val._element.find(qn("c:crosses"))  # noqa: SLF001 - python-pptx has no API for it
    if crosses is not None:
        crosses.set("val", "max")
    plot = chart.plots[0]
    plot.gap_width = 45 if spec.stacked else 60
    plot.overlap = 100 if spec.stacked else -5
    plot.has_data_labels = True
    dl = plot.data_labels
    dl.number_format = spec.number_format
    dl.number_format_is_linked = False
    dl.show_value = True
    dl.font.size = Pt(size)
    dl.position = XL_LABEL_POSITION.CENTER if spec.stacked else XL_LABEL_POSITION.OUTSIDE_END
    for i, s in enumerate(plot.series):
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = _rgb(spec.colours[i % len(spec.colours)])
        s.format.line.color.rgb = _rgb("#ffffff")
        s.invert_if_negative = False
        if spec.label_colours:
            s.data_labels.font.color.rgb = _rgb(spec.label_colours[i % len(spec.label_colours)])
            s.data_labels.font.size = Pt(size)
            s.data_labels.number_format = spec.number_format
            s.data_labels.number_format_is_linked = False
            s.data_labels.position = dl.position
            s.data_labels.show_value = True
        if spec.hide_below is not None:
            _hide_small_labels(s, spec.series[i][1], spec.hide_below)
    return chart


def _hide_small_labels(series, values, below: float) -> None:
    """Delete the data labels of points smaller than `below` (they would overlap)."""
    dLbls = series._element.get_or_add_dLbls()  # noqa: SLF001
    for idx, v in enumerate(values):
        if v is not None and v < below:
            dLbl = dLbls.makeelement(qn("c:dLbl"), {})
            dLbl.append(dLbl.makeelement(qn("c:idx"), {"val": str(idx)}))
            dLbl.append(dLbl.makeelement(qn("c:delete"), {"val": "1"}))
            dLbls.insert(len(dLbls.findall(qn("c:dLbl"))), dLbl)  # dLbl elements come first, in order


def add_to_slide(slide, box: tuple[int, int, int, int], spec: ChartSpec) -> Chart:
    """The chart as a native PowerPoint chart in `box` (left, top, width, height in EMU)."""
    left, top, width, height = box
    chart = slide.shapes.add_chart(_chart_type(spec), Emu(left), Emu(top), Emu(width), Emu(height),
                                   chart_data(spec)).chart
    return style_chart(chart, spec)


_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>'
)


def add_to_docx(paragraph, spec: ChartSpec, width: int, height: int, *, name: str = "Diagram") -> None:
    """The chart as a native Word chart in `paragraph`: a chart part with its embedded workbook."""
    doc_part = paragraph.part
    package = doc_part.package
    data = chart_data(spec)
    chart_space = pptx_parse_xml(ChartXmlWriter(_chart_type(spec), data).xml.encode("utf-8"))
    style_chart(Chart(chart_space, None), spec)
    chart_part = XmlPart(package.next_partname("/word/charts/chart%d.xml"), DOCX_CT.DML_CHART,
                         chart_space, package)
    xlsx_part = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"), DOCX_CT.SML_SHEET,
                     data.xlsx_blob, package)
    chart_space.get_or_add_externalData().rId = chart_part.relate_to(xlsx_part, DOCX_RT.PACKAGE)
    rid = doc_part.relate_to(chart_part, DOCX_RT.CHART)
    inline = docx_parse_xml(_INLINE.format(cx=int(width), cy=int(height), id=doc_part.next_id,
                                           name=f"{name} {doc_part.next_id}", rid=rid))
    run = paragraph.add_run()._r  # noqa: SLF001 - python-docx has no API for a chart run
    drawing = run.makeelement(docx_qn("w:drawing"), {})
    drawing.append(inline)
    run.append(drawing)
