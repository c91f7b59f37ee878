"""Read a survey export file into a plain table of text cells.

One entry point, :func:`read_table`, for every medium: CSV (any common encoding,
delimiter and line ending), XLSX and SPSS .sav. It detects the format from the file's
bytes, not from its name, and turns every failure into an :class:`ExportReadError` that
names the file and says what to do.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import shapes
from .errors import ExportReadError

MAX_BYTES = 150 * 1024 * 1024  # a survey export is never this large; refuse rather than hang
MAX_XLSX_INFLATED = 400 * 1024 * 1024  # an xlsx that inflates beyond this is refused before it is opened
MAX_XLSX_RATIO = 100  # ... and so is one whose parts inflate more than this many times (zip bomb)
_HEADER_SCAN = 30  # rows looked at to find the header row below title rows
_SNIFF_BYTES = 64 * 1024


@dataclass
class RawTable:
    """An export as read: text cells, plus what the format told us about them."""

    frame: pd.DataFrame  # one row per respondent; columns as in the file; cells as str or NA
    format: str  # "csv", "xlsx", "sav"
    path: Path
    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    sha256: str = ""  # of the file's bytes: the identity of an import
    variable_labels: dict[str, str] = field(default_factory=dict)  # column -> label (SPSS, codebook)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> label
    missing_codes: dict[str, set[str]] = field(default_factory=dict)  # column -> user-missing codes (SPSS)
    match_texts: dict[str, list[str]] = field(default_factory=dict)  # column -> other texts that may name it
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the user must know (reaches every output)
    row_numbers: np.ndarray | None = None  # the file's own row number of each frame row
    tool: str | None = None  # "qualtrics", "surveymonkey" when recognised

    def rows_of(self, positions) -> list[int]:
        """The file's row numbers of frame positions."""
        rn = self.row_numbers if self.row_numbers is not None else np.arange(len(self.frame)) + 2
        return [int(r) for r in rn[np.asarray(positions, dtype=np.int64)]]


def sniff_format(path: Path, head: bytes) -> str:
    """Tell the real format from the first bytes; refuse the look-alikes with a reason."""
    suffix = path.suffix.lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExportReadError(
            "Filen är en äldre Excel-fil (.xls, Excel 97–2003) som Tillit inte läser.", source=path,
            hint="Öppna den i Excel eller LibreOffice och spara som .xlsx eller CSV.")
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        raise ExportReadError(
            "Filen är en HTML- eller XML-sida, inte ett kalkylark (vissa enkätverktyg sparar en "
            "HTML-tabell med filändelsen .xls).", source=path,
            hint="Exportera igen som .xlsx eller CSV, eller öppna filen i Excel och spara som .xlsx.")
    if suffix in (".xlsx", ".xlsm"):
        raise ExportReadError("Filen har ändelsen .xlsx men är ingen Excel-fil (den är inte en zip-arkivfil).",
                              source=path, hint="Filen är skadad eller felnamnad; exportera den igen.")
    if suffix == ".sav":
        raise ExportReadError("Filen har ändelsen .sav men är ingen SPSS-fil.", source=path,
                              hint="Filen är skadad eller felnamnad; exportera den igen från SPSS.")
    if b"\x00" in head[:4096]:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "csv"  # UTF-16 text, decoded below
        _refuse_utf16_without_bom(head[:4096], path)
        raise ExportReadError("Filen innehåller binära data och är varken CSV, XLSX eller SPSS.", source=path,
                              hint="Kontrollera att du valt rätt fil; exportera som .xlsx, .csv eller .sav.")
    return "csv"


def read_table(path: str | Path, *, sheet: str | None = None,
               categorical: Callable[[str], bool] | None = None) -> RawTable:
    """Read an export of any supported format; raise ExportReadError with a reason otherwise.

    ``categorical`` names the columns that hold coded answers (few distinct values): a CSV
    parser stores those as pandas categoricals, the same text held once per distinct value,
    which spares the caller a pass over every cell. Other formats ignore it.
    """
    p = Path(path)
    if not p.exists():
        raise ExportReadError("Filen finns inte.", source=p, hint="Kontrollera sökvägen och filnamnet.")
    if p.is_dir():
        raise ExportReadError("Sökvägen är en mapp, inte en fil.", source=p, hint="Ange själva exportfilen.")
    size = p.stat().st_size
    if size == 0:
        raise ExportReadError("Filen är tom (0 byte).", source=p, hint="Exportera enkätsvaren igen.")
    if size > MAX_BYTES:
        raise ExportReadError(
            f"Filen är {size / 1e6:.0f} MB, mer än gränsen {MAX_BYTES / 1e6:.0f} MB för en enkätexport.",
            source=p, hint="Kontrollera att det är rätt fil; dela upp en nationell fil per kommun om den verkligen är så stor.")
    raw = p.read_bytes()  # at most MAX_BYTES: read once, for the format, the parse and the hash
    fmt = sniff_format(p, raw[:_SNIFF_BYTES])
    if fmt == "xlsx":
        table = _read_xlsx(p, sheet)
    elif fmt == "sav":
        table = _read_sav(p)
    else:
        table = _read_csv(p, raw, categorical)
    table.sha256 = hashlib.sha256(raw).hexdigest()
    _reshape(table)
    _check_table(table)
    return table


def _reshape(t: RawTable) -> None:
    """Qualtrics' and SurveyMonkey's extra header rows; rows that are not respondents."""
    if t.row_numbers is None:
        t.row_numbers = np.arange(len(t.frame), dtype=np.int64) + 2
    names = [str(c) for c in t.frame.columns]
    if t.format == "sav" or len(t.frame) == 0 or len(set(names)) < len(names):
        return  # duplicate headers are refused by name in _check_table
    shape, extra = shapes.detect([str(c) for c in t.frame.columns], t.frame.head(3))
    if shape is not None:
        frame = t.frame.iloc[extra:].copy()
        frame.columns = _unique_names(shape.columns)
        t.match_texts = {c: shape.match_texts[o] for c, o in zip(frame.columns, shape.columns) if o in shape.match_texts}
        shape.match_texts = dict(t.match_texts)
        shape.parent = {c: shape.parent[o] for c, o in zip(frame.columns, shape.columns) if o in shape.parent}
        frame, merged = shapes.merge_choice_columns(frame, shape)
        t.match_texts = shape.match_texts
        t.frame = frame
        t.row_numbers = t.row_numbers[extra:]
        t.notes += shape.notes + merged
        t.tool = shape.tool
    keep, notes = shapes.not_respondents(t.frame, t.row_numbers, t.tool, t.match_texts)
    if not keep.all():
        t.frame = t.frame[keep]
        t.row_numbers = t.row_numbers[keep]
        t.warnings += notes
    if shape is not None or not keep.all():
        t.frame = t.frame.reset_index(drop=True)
        for c in t.frame.columns:
            if isinstance(t.frame[c].dtype, pd.CategoricalDtype):
                t.frame[c] = t.frame[c].cat.remove_unused_categories()


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        seen[n] = k + 1
        out.append(n if k == 0 else f"{n} ({k + 1})")
    return out


# --------------------------------------------------------------------------- CSV


_SWEDISH_CP1252 = b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9"  # å ä ö Å Ä Ö é in Windows-1252 / Latin-1
_SWEDISH_MAC_ROMAN = b"\x8c\x8a\x9a\x81\x80\x85\x8e"  # the same letters in Mac Roman


def detect_encoding(raw: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes; UTF-16 by BOM; otherwise cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the sample is fine.
        if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    return "cp1252"


@dataclass
class _Encoding:
    name: str
    errors: str = "strict"
    warning: str | None = None


def decide_encoding(raw: bytes, p: Path, whole: bool = True) -> _Encoding:
    """The file's encoding, decided on the whole file with evidence, or a refusal naming it.

    A UTF-8 file with a few stray bytes stays UTF-8 (the bytes are reported by row); only a
    file with no UTF-8 letters at all is read as Windows-1252; Mac Roman and UTF-16 without
    a byte-order mark are named and refused rather than read as garbled text.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _Encoding("utf-16")
    else:
        enc = "utf-8"
    if enc == "utf-8":
        _refuse_utf16_without_bom(raw[:4096], p)
    try:
        if whole:
            raw.decode(enc)
        else:  # the parser decodes the rest strictly and this is asked again, whole, if it fails
            codecs.getincrementaldecoder(enc)().decode(raw[:_SNIFF_BYTES], final=False)
        return _Encoding(enc)
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", "surrogateescape")
    stray = [m.start() for m in re.finditer("[\udc80-\udcff]+", text)]
    utf8_letters = len(re.findall("[^\x00-\x7f\udc80-\udcff]", text))
    if utf8_letters >= len(stray) and utf8_letters > 0:
        lines = sorted({text.count("\n", 0, pos) + 1 for pos in stray})
        shown = ", ".join(str(n) for n in lines[:10]) + (f" och {len(lines) - 10} till" if len(lines) > 10 else "")
        return _Encoding(enc, "replace",
                         f"Filen är UTF-8 men har {len(stray)} ogiltiga tecken (t.ex. ett tecken från Windows-1252) "
                         f"på rad {shown}; de visas som '\ufffd'. Kontrollera de raderna och spara filen som CSV UTF-8.")
    if utf8_letters > 0:
        raise ExportReadError(
            f"Filen blandar teckenkodningar: {utf8_letters} tecken är UTF-8 men {len(stray)} ställen är det inte "
            f"(första på rad {text.count(chr(10), 0, stray[0]) + 1}).", source=p,
            hint="Öppna filen i Excel eller en texteditor, rätta tecknen och spara den som CSV UTF-8.")
    high = bytes(b for b in raw if b >= 0x80) if len(raw) < 4_000_000 else bytes(b for b in raw[:4_000_000] if b >= 0x80)
    mac = sum(high.count(bytes([b])) for b in _SWEDISH_MAC_ROMAN)
    win = sum(high.count(bytes([b])) for b in _SWEDISH_CP1252)
    if mac > win:
        sample = raw.decode("mac_roman", "replace")
        word = next((w for w in re.findall(r"\w*[åäöÅÄÖ]\w*", sample)), "")
        raise ExportReadError(
            "Filen verkar vara kodad i Mac Roman (äldre Mac-format)"
            + (f": som Mac Roman blir texten t.ex. '{word}'" if word else "") + ". Tillit läser inte Mac Roman "
            "för att inte gissa fel på å, ä och ö.", source=p,
            hint="Öppna filen i Excel eller TextEdit och spara den som CSV UTF-8.")
    try:
        raw.decode("cp1252")
        return _Encoding("cp1252")
    except UnicodeDecodeError:
        return _Encoding("latin-1")


def _refuse_utf16_without_bom(head: bytes, p: Path) -> None:
    """Text in UTF-16 has a zero byte beside every ASCII letter; without a BOM its byte order is a guess."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > len(head) // 4 and min(even, odd) < len(head) // 40:
        order = "little-endian (UTF-16LE)" if odd > even else "big-endian (UTF-16BE)"
        raise ExportReadError(
            f"Filen verkar vara UTF-16-kodad {order} men saknar byte-ordningsmärke (BOM), så den läses inte.",
            source=p, hint="Öppna filen i Excel eller en texteditor och spara den som CSV UTF-8 (eller UTF-16 med BOM).")


_SEP_LINE = re.compile(r'^\ufeff?"?sep=(.)"?[ \t]*\r?$', re.IGNORECASE)


def detect_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        # Fall back on the candidate that splits most lines into the same, largest number of fields
        # (title rows above the header have one field whatever the delimiter).
        def score(d: str) -> tuple[int, int]:
            counts = [len(r) for r in csv.reader(lines, delimiter=d)]
            best = max(set(counts), key=lambda c: (counts.count(c) if c > 1 else 0, c))
            return (counts.count(best) if best > 1 else 0, best)
        return max([",", ";", "\t"], key=score)


def _read_csv(p: Path, raw: bytes, categorical: Callable[[str], bool] | None = None) -> RawTable:
    try:
        return _read_csv_as(p, raw, categorical, decide_encoding(raw, p, whole=False))
    except UnicodeDecodeError:  # a bad byte beyond the first 64 KB: decide on the whole file
        return _read_csv_as(p, raw, categorical, decide_encoding(raw, p, whole=True))


def _read_csv_as(p: Path, raw: bytes, categorical: Callable[[str], bool] | None, enc: _Encoding) -> RawTable:
    encoding = enc.name
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw[:_SNIFF_BYTES], final=False)
    sample = sample.lstrip("\ufeff")
    if not sample.strip() and not raw.decode(encoding, "replace").lstrip("\ufeff").strip():
        raise ExportReadError("Filen innehåller bara tomrum.", source=p, hint="Exportera enkätsvaren igen.")
    notes = []
    skip_lines = 0
    first_line = sample.split("\n", 1)[0]
    sep = _SEP_LINE.match(first_line)
    if sep:  # Excel's "sep=;" line: the delimiter, declared
        delimiter = sep.group(1)
        skip_lines = 1
        sample = sample.split("\n", 1)[1] if "\n" in sample else ""
        notes.append(f"Första raden 'sep={delimiter}' anger avgränsaren")
    else:
        delimiter = detect_delimiter(sample)
    title_rows, title_lines, rows = _title_rows(sample, delimiter)
    if title_rows:
        notes.append(shapes.title_note(rows, title_rows))
    skip_lines += title_lines
    frame = _parse_csv(p, raw, encoding, delimiter, categorical, skip_lines, enc.errors)
    notes.insert(0, f"Teckenkodning {encoding}, avgränsare {_delimiter_name(delimiter)}")
    # Informational only (codes such as "3,0" are read either way): the first rows tell.
    decimal_comma = delimiter == ";" and frame.head(200).apply(
        lambda c: c.dropna().astype(str).str.fullmatch(r"-?\d+,\d+").any()).any()
    if decimal_comma:
        notes.append("Decimalkomma upptäckt")
    header_row = (1 if sep else 0) + title_rows + 1  # the header's own row number in the file
    return RawTable(frame=frame, format="csv", path=p, encoding=encoding, delimiter=delimiter,
                    decimal_comma=bool(decimal_comma), notes=notes, warnings=[enc.warning] if enc.warning else [],
                    row_numbers=np.arange(len(frame), dtype=np.int64) + header_row + 1)


def _title_rows(sample: str, delimiter: str) -> tuple[int, int, list[list[str]]]:
    """(records above the header, physical lines they take, the first records) of a CSV sample."""
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = [0]
    try:
        for r in reader:
            rows.append(r)
            lines.append(reader.line_num)
            if len(rows) >= _HEADER_SCAN:
                break
    except csv.Error:
        pass
    if len(rows) < 2:
        return 0, 0, rows
    h = shapes.header_index(rows)
    return h, lines[h], rows


def _parse_csv(p: Path, raw: bytes, encoding: str, delimiter: str,
               categorical: Callable[[str], bool] | None, skip_lines: int = 0, errors: str = "strict") -> pd.DataFrame:
    dtype: object = object
    if categorical is not None:  # the header row alone tells which columns those are
        header = _header(raw, encoding, delimiter, skip_lines)
        if header and len(set(header)) == len(header):  # duplicate headers are refused later, by name
            dtype = {c: ("category" if categorical(c) else object) for c in header}
    try:
        with warnings.catch_warnings():
            # pandas only warns (and drops data) when the first data row is longer than the header
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Parse the bytes (the C parser reads UTF-8 natively; a text buffer costs a re-encode).
            # Blank lines stay (as empty rows, left out later) so that row numbers are the file's own.
            frame = pd.read_csv(io.BytesIO(raw), encoding=encoding, encoding_errors=errors, sep=delimiter, dtype=dtype,
                                keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c",
                                index_col=False, skiprows=skip_lines or None)
            if isinstance(dtype, dict) and [str(c) for c in frame.columns] != list(dtype):
                # the header read differently from pandas' view of it: every column as text, to be safe
                return _parse_csv(p, raw, encoding, delimiter, None, skip_lines, errors)
            return frame
    except pd.errors.ParserWarning:
        raise ExportReadError("Första dataraden har fler fält än rubrikraden.", source=p,
                              hint="Kontrollera avgränsaren och att varje kolumn har en rubrik.") from None
    except pd.errors.ParserError as exc:
        raise ExportReadError(f"CSV-filen går inte att tolka: {_short(exc)}", source=p,
                              hint="Kontrollera att alla rader har lika många fält och att citattecken är parade.") from None
    except pd.errors.EmptyDataError:
        raise ExportReadError("Filen innehåller inga kolumner.", source=p, hint="Exportera enkätsvaren igen.") from None


def _header(raw: bytes, encoding: str, delimiter: str, skip_lines: int = 0) -> list[str]:
    """The header row's names as pandas will see them (a mismatch only costs speed)."""
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw[:_SNIFF_BYTES], final=False).lstrip("\ufeff")
    if skip_lines:
        sample = "".join(sample.splitlines(keepends=True)[skip_lines:])
    try:
        return [c for c in next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])]
    except csv.Error:
        return []  # the full parse says what is wrong


def _delimiter_name(d: str) -> str:
    return {",": "komma", ";": "semikolon", "\t": "tabb", "|": "lodstreck"}.get(d, repr(d))


# --------------------------------------------------------------------------- XLSX


def _read_xlsx(p: Path, sheet: str | None) -> RawTable:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise ExportReadError("Excel-filen är skadad (zip-arkivet går inte att öppna).", source=p,
                              hint="Exportera den igen, eller öppna och spara om den i Excel.") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise ExportReadError("Zip-filen är ingen Excel-arbetsbok (xl/workbook.xml saknas).", source=p,
                              hint="Kanske en Word- eller annan Office-fil? Välj enkätexporten i .xlsx-format.")
    inflated = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if inflated > MAX_XLSX_INFLATED or (inflated > 10 * 1024 * 1024 and inflated / packed > MAX_XLSX_RATIO):
        raise ExportReadError(
            f"Excel-filen packas upp till {inflated / 1e6:.0f} MB från {packed / 1e6:.1f} MB ".replace(".", ",")
            + f"({inflated / packed:.0f} gånger), långt mer än en enkätexport; den öppnas inte.", source=p,
            hint="Kontrollera att det är rätt fil. Spara svaren som CSV om exporten verkligen är så stor.")
    try:
        book = pd.ExcelFile(p, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds on damaged workbooks
        raise ExportReadError(f"Excel-filen går inte att läsa: {_short(exc)}", source=p,
                              hint="Öppna och spara om den i Excel, eller exportera den igen.") from None
    sheet_name: str | int = 0
    if sheet is not None:
        if sheet not in book.sheet_names:
            raise ExportReadError(f"Bladet '{sheet}' finns inte.", source=p,
                                  hint=f"Blad i filen: {', '.join(book.sheet_names)}. Ange ett av dem med --sheet.")
        sheet_name = sheet
    try:
        grid = pd.read_excel(book, sheet_name=sheet_name, dtype=object, header=None)
    except Exception as exc:
        raise ExportReadError(f"Bladet går inte att läsa: {_short(exc)}", source=p,
                              hint="Öppna och spara om filen i Excel.") from None
    used = sheet if sheet is not None else book.sheet_names[0]
    notes = [f"Excel-blad '{used}'"] + ([f"Övriga blad ignoreras: {', '.join(book.sheet_names[1:])}"]
                                          if sheet is None and len(book.sheet_names) > 1 else [])
    grid = grid.map(_cell_text).astype(object)
    filled = grid.notna().any(axis=1).to_numpy()
    if not filled.any():
        raise ExportReadError("Bladet är tomt.", source=p, hint="Kontrollera att rätt blad valts (--sheet).")
    first = int(np.flatnonzero(filled)[0])
    scan = grid.iloc[first:first + _HEADER_SCAN].values.tolist()
    h = shapes.header_index(scan)
    if h:
        notes.append(shapes.title_note(scan, h))
    h += first
    header = [(f"Unnamed: {i}" if pd.isna(v) else str(v).strip()) for i, v in enumerate(grid.iloc[h].tolist())]
    frame = grid.iloc[h + 1:].copy()
    frame.columns = header
    keep_rows = frame.notna().any(axis=1).to_numpy()
    row_numbers = frame.index.to_numpy(dtype=np.int64)[keep_rows] + 1  # Excel's own row numbers
    frame = frame[keep_rows].reset_index(drop=True)
    frame = frame.iloc[:, [not (str(c).startswith("Unnamed:") and frame.iloc[:, i].isna().all())
                           for i, c in enumerate(frame.columns)]]
    return RawTable(frame=frame, format="xlsx", path=p, sheet=str(used), notes=notes, row_numbers=row_numbers)


def _cell_text(v: object) -> object:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return pd.NA
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v)
    return s if s.strip() else pd.NA


# --------------------------------------------------------------------------- SPSS


def _read_sav(p: Path) -> RawTable:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(p), user_missing=True, apply_value_formats=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise ExportReadError(f"SPSS-filen går inte att läsa: {_short(exc)}", source=p,
                              hint="Filen är skadad eller inte en .sav-fil; spara om den i SPSS.") from None
    frame = frame.map(_cell_text).astype(object)
    value_labels = {col: {_code_text(k): str(v) for k, v in labels.items()}
                    for col, labels in (meta.variable_value_labels or {}).items()}
    variable_labels = {c: str(lbl) for c, lbl in (meta.column_names_to_labels or {}).items() if lbl}
    missing: dict[str, set[str]] = {}
    for col, values in (getattr(meta, "missing_user_values", None) or {}).items():
        missing.setdefault(col, set()).update(_code_text(v) for v in values)
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if isinstance(lo, int | float) and isinstance(hi, int | float) and hi - lo <= 1000:
                missing.setdefault(col, set()).update(str(int(v)) for v in range(int(lo), int(hi) + 1))
            elif lo is not None:
                missing.setdefault(col, set()).update({_code_text(lo), _code_text(hi)})
    return RawTable(frame=frame, format="sav", path=p, variable_labels=variable_labels,
                    value_labels=value_labels, missing_codes=missing, notes=["SPSS med variabel- och värdeetiketter"],
                    row_numbers=np.arange(len(frame), dtype=np.int64) + 1)


def code_text(v: object) -> str:
    """A code as text, the same however it was stored: 2, 2.0, "2,0", "02" and " 2 " are all "2"."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    try:
        f = float(s.replace(",", "."))
    except ValueError:
        return s
    return str(int(f)) if f.is_integer() else s.replace(",", ".")


_code_text = code_text


# --------------------------------------------------------------------------- codebook


def read_codebook(path: str | Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Read a codebook into variable and value labels: a CSV (variabel; etikett; kod; varde) or
    the survey's Qualtrics .qsf file (its choices and recode values declare the numeric codes)."""
    p = Path(path)
    if p.is_file() and p.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return read_qsf(p)
    table = read_table(path)
    f = table.frame
    cols = {c.strip().casefold(): c for c in f.columns}
    aliases = {"variable": ("variabel", "variable", "var", "namn"),
               "label": ("etikett", "label", "fråga", "question"),
               "code": ("kod", "code", "värde_kod"),
               "value": ("varde", "värde", "value", "svarsalternativ", "valuelabel")}
    found = {}
    for key, names in aliases.items():
        found[key] = next((cols[n] for n in names if n in cols), None)
    missing = [k for k, v in found.items() if v is None and k in ("variable", "label")]
    if missing:
        raise ExportReadError(
            f"Kodboken saknar kolumnerna {', '.join(missing)} (fanns: {', '.join(map(str, f.columns))}).",
            source=path, hint="En kodbok har kolumnerna variabel;etikett;kod;varde – en rad per svarskod.")
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict[str, str]] = {}
    for i, row in enumerate(f.itertuples(index=False), start=2):
        rec = dict(zip(f.columns, row))
        var = rec.get(found["variable"])
        if var is None or pd.isna(var):
            continue
        var = str(var).strip()
        label = rec.get(found["label"])
        if label is not None and not pd.isna(label):
            variable_labels.setdefault(var, str(label).strip())
        code = rec.get(found["code"]) if found["code"] else None
        value = rec.get(found["value"]) if found["value"] else None
        if code is not None and not pd.isna(code) and str(code).strip():
            if value is None or pd.isna(value) or not str(value).strip():
                raise ExportReadError(f"Kodboken rad {i}: koden {code} för '{var}' saknar svarsetikett.",
                                      source=path, hint="Fyll i kolumnen varde för koden, eller ta bort raden.")
            value_labels.setdefault(var, {})[code_text(code)] = str(value).strip()
    if not variable_labels:
        raise ExportReadError("Kodboken innehåller inga variabler.", source=path,
                              hint="En kodbok har kolumnerna variabel;etikett;kod;varde – en rad per svarskod.")
    return variable_labels, value_labels


_TAGS = re.compile(r"<[^>]+>")


def read_qsf(p: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """A Qualtrics survey file (.qsf, JSON): export tag -> question text, and per export column the
    recode value -> choice text (what a "numeric values" download holds)."""
    try:
        data = json.loads(p.read_bytes().decode("utf-8-sig"))
        elements = data["SurveyElements"]
    except (ValueError, KeyError, TypeError):
        raise ExportReadError("Filen är JSON men ingen Qualtrics-enkätfil (.qsf med SurveyElements).", source=p,
                              hint="Ange enkätens .qsf (Survey → Tools → Import/Export → Export Survey) eller en "
                                   "kodbok som CSV (variabel;etikett;kod;varde).") from None
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict[str, str]] = {}

    def text(v: object) -> str:
        return " ".join(_TAGS.sub(" ", str(v or "")).split())

    def labels(options: dict, recodes: dict) -> dict[str, str]:
        return {_code_text(recodes.get(k, k)): text(o.get("Display") if isinstance(o, dict) else o)
                for k, o in (options or {}).items()}

    for el in elements if isinstance(elements, list) else []:
        payload = el.get("Payload") if isinstance(el, dict) and el.get("Element") == "SQ" else None
        if not isinstance(payload, dict) or not payload.get("DataExportTag"):
            continue
        tag = str(payload["DataExportTag"])
        question = text(payload.get("QuestionText"))
        recodes = payload.get("RecodeValues") or {}
        if payload.get("QuestionType") == "Matrix" and payload.get("Answers"):
            scale = labels(payload["Answers"], recodes)
            sub_tags = payload.get("ChoiceDataExportTags") or {}
            for cid, choice in (payload.get("Choices") or {}).items():
                col = str(sub_tags.get(cid) or f"{tag}_{cid}")
                variable_labels[col] = text(choice.get("Display") if isinstance(choice, dict) else choice)
                value_labels[col] = scale
        else:
            variable_labels[tag] = question
            if payload.get("Choices") and payload.get("QuestionType") == "MC":
                value_labels[tag] = labels(payload["Choices"], recodes)
    if not variable_labels:
        raise ExportReadError("Qualtrics-filen (.qsf) innehåller inga frågor.", source=p,
                              hint="Exportera enkäten igen från Qualtrics (Export Survey).")
    return variable_labels, value_labels


def _check_table(t: RawTable) -> None:
    cols = [str(c) for c in t.frame.columns]
    if not cols:
        raise ExportReadError("Filen innehåller inga kolumner.", source=t.path, hint="Exportera enkätsvaren igen.")
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    # pandas renames duplicate CSV headers to "X.1"; catch those too.
    renamed = sorted({c.rsplit(".", 1)[0] for c in cols if "." in c and c.rsplit(".", 1)[1].isdigit()
                      and c.rsplit(".", 1)[0] in cols})
    if dupes or renamed:
        names = ", ".join(f"'{d}'" for d in (dupes or renamed))
        raise ExportReadError(f"Kolumnrubriken {names} förekommer mer än en gång.", source=t.path,
                              hint="Ge kolumnerna unika rubriker eller ta bort dubbletten i kalkylarket.")
    if len(t.frame) == 0:
        raise ExportReadError("Filen har rubriker men inga svar (inga datarader).", source=t.path,
                              hint="Exportera igen när enkäten har svar, eller kontrollera att rätt blad valts (--sheet).")
    t.frame.columns = cols


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
