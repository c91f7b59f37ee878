"""Low-level python-pptx helpers: the presentation, layouts and text boxes (charts: `tillit.reports.charts`).

Kept apart from `deck` so that the slide sequence reads as content, not as XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from tillit.survey.errors import TillitError

from .texts import xml_safe

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationType

WIDE = (Inches(13.333), Inches(7.5))
FONT = "Calibri"

LAYOUT_NAMES = {
    "title": ["title slide", "rubrikbild", "titelbild", "title"],
    "title_only": ["title only", "endast rubrik", "endast titel", "rubrik"],
}


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass
class Deck:
    prs: PresentationType
    templated: bool

    @property
    def width(self) -> int:
        return _slide_size(self.prs.slide_width)

    @property
    def height(self) -> int:
        return _slide_size(self.prs.slide_height)


def _slide_size(value: int | None) -> int:
    """A slide dimension; python-pptx gives None when the file names no slide size (<p:sldSz>)."""
    if value is None:
        raise TillitError("PowerPoint-mallen anger ingen bildstorlek.",
                          hint="Öppna mallen i PowerPoint, välj en bildstorlek och spara den igen.")
    return value


def open_deck(template: str | Path | None) -> Deck:
    """The facilitator's template without its slides, or the default made 16:9."""
    if template is not None:
        prs = Presentation(str(template))
        ids = prs.slides._sldIdLst  # noqa: SLF001 - python-pptx has no public slide removal
        for sld in list(ids):
            prs.part.drop_rel(sld.rId)
            ids.remove(sld)
        return Deck(prs, True)
    prs = Presentation()
    factor = WIDE[0] / prs.slide_width
    # Layout placeholders inherit from the master: read them before the master is scaled.
    for layout in prs.slide_layouts:
        # python-pptx 1.0 declares LayoutPlaceholders.__iter__ as a Callable without `self`
        for shape in layout.placeholders:  # type: ignore[misc]
            left, width, top, height = shape.left, shape.width, shape.top, shape.height
            shape.left, shape.width, shape.top, shape.height = int(left * factor), int(width * factor), top, height
            if shape.placeholder_format.type == PP_PLACEHOLDER.TITLE:
                shape.top, shape.height = Inches(0.35), Inches(1.0)
    for shape in prs.slide_master.shapes:
        shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    prs.slide_width, prs.slide_height = WIDE
    return Deck(prs, False)


def _has(layout, *types) -> bool:
    return any(p.placeholder_format.type in types for p in layout.placeholders)


def pick_layout(deck: Deck, kind: str):
    """A layout by name (English or Swedish), then by its placeholders, then the first."""
    layouts = list(deck.prs.slide_layouts)
    names = LAYOUT_NAMES[kind]
    for name in names:
        hit = next((lo for lo in layouts if lo.name.strip().lower() == name), None)
        if hit is not None:
            return hit
    if kind == "title":
        hit = next((lo for lo in layouts if _has(lo, PP_PLACEHOLDER.CENTER_TITLE)), None)
    else:
        hit = next((lo for lo in layouts if _has(lo, PP_PLACEHOLDER.TITLE)
                    and not _has(lo, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.PICTURE)), None)
        hit = hit or next((lo for lo in layouts if _has(lo, PP_PLACEHOLDER.TITLE)), None)
    return hit or layouts[0]


def new_slide(deck: Deck, kind: str, title: str, *, size: int | None = None, colour: str | None = None):
    """A slide from the layout `kind` with its title set; unused placeholders removed."""
    slide = deck.prs.slides.add_slide(pick_layout(deck, kind))
    title_ph = slide.shapes.title
    if title_ph is not None:
        title_ph.text = xml_safe(title)
        tf = title_ph.text_frame
        tf.word_wrap = True
        if not deck.templated:
            tf.auto_size = MSO_AUTO_SIZE.NONE
            tf.vertical_anchor = MSO_ANCHOR.BOTTOM if kind == "title_only" else MSO_ANCHOR.MIDDLE
        for p in tf.paragraphs:
            if not deck.templated and kind == "title_only":
                p.alignment = PP_ALIGN.LEFT
            for r in p.runs:
                if size:
                    r.font.size = Pt(size)
                if colour and not deck.templated:
                    r.font.color.rgb = rgb(colour)
                    r.font.bold = True
    return slide


def drop_empty_placeholders(slide) -> None:
    for ph in list(slide.placeholders):
        if ph.has_text_frame and not ph.text_frame.text.strip() and ph != slide.shapes.title:
            ph._element.getparent().remove(ph._element)  # noqa: SLF001


def content_box(deck: Deck, slide) -> tuple[int, int, int, int]:
    """(left, top, width, height) below the title and above the footer."""
    title = slide.shapes.title
    margin = Inches(0.6)
    if title is not None and title.top is not None:
        left, width = title.left, title.width
        top = title.top + title.height + Inches(0.1)
    else:
        left, width, top = margin, deck.width - 2 * margin, Inches(1.4)
    bottom = deck.height - Inches(0.55)
    return left, top, width, bottom - top


class ParaOptions(TypedDict, total=False):
    """How `textbox` sets one paragraph; every key may be left out."""

    bold: bool
    italic: bool
    colour: str
    bullet: bool
    bullet_colour: str
    align: str  # "center" | "right"; left otherwise
    space_after: int  # points


Para = tuple[str, int, ParaOptions] | tuple[str, int]  # (text, size in points[, options])


def textbox(slide, left, top, width, height, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, shrink: bool = False):
    """A text box of paragraphs (text, size, options)."""
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE if shrink else MSO_AUTO_SIZE.NONE
    for i, (text, size, *rest) in enumerate(paras):
        opts = rest[0] if rest else {}
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if opts.get("align") == "center":
            p.alignment = PP_ALIGN.CENTER
        elif opts.get("align") == "right":
            p.alignment = PP_ALIGN.RIGHT
        if opts.get("space_after") is not None:
            p.space_after = Pt(opts["space_after"])
        if opts.get("bullet"):
            _bullet(p, opts.get("bullet_colour", "#1f5f99"))
        run = p.add_run()
        run.text = xml_safe(text)
        f = run.font
        f.size = Pt(size)
        f.bold = bool(opts.get("bold"))
        f.italic = bool(opts.get("italic"))
        if opts.get("colour"):
            f.color.rgb = rgb(opts["colour"])
    return box


def _bullet(paragraph, colour: str) -> None:
    pPr = paragraph._p.get_or_add_pPr()  # noqa: SLF001
    pPr.set("marL", str(Inches(0.28)))
    pPr.set("indent", str(-Inches(0.28)))
    for tag in ("a:buClr", "a:buChar"):
        el = pPr.find(qn(tag))
        if el is not None:
            pPr.remove(el)
    clr = pPr.makeelement(qn("a:buClr"), {})
    srgb = clr.makeelement(qn("a:srgbClr"), {"val": colour.lstrip("#").upper()})
    clr.append(srgb)
    pPr.append(clr)
    pPr.append(pPr.makeelement(qn("a:buChar"), {"char": "•"}))


def card(slide, left, top, width, height, fill: str, line: str | None = None):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line:
        shape.line.color.rgb = rgb(line)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    return shape
