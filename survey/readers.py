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
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import ExportReadError

MAX_BYTES = 150 * 1024 * 1024  # a survey export is never this large; refuse rather than hang
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
    notes: list[str] = field(default_factory=list)


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
    _check_table(table)
    return table


# --------------------------------------------------------------------------- CSV


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
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def detect_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        # Fall back on the candidate that splits the header into the most columns.
        return max([",", ";", "\t"], key=lambda d: lines[0].count(d))


def _read_csv(p: Path, raw: bytes, categorical: Callable[[str], bool] | None = None) -> RawTable:
    # The encoding guessed from the first bytes, then the usual Windows fallbacks; pandas
    # decodes the whole file while parsing and a decode error anywhere moves on to the next.
    for encoding in dict.fromkeys([detect_encoding(raw[:_SNIFF_BYTES]), "cp1252", "latin-1"]):
        try:
            sample = codecs.getincrementaldecoder(encoding)().decode(raw[:_SNIFF_BYTES], final=False)
            if not sample.lstrip("\ufeff").strip() and not raw.decode(encoding).lstrip("\ufeff").strip():
                raise ExportReadError("Filen innehåller bara tomrum.", source=p, hint="Exportera enkätsvaren igen.")
            delimiter = detect_delimiter(sample.lstrip("\ufeff"))
            frame = _parse_csv(p, raw, encoding, delimiter, categorical)
            break
        except UnicodeDecodeError:
            continue
    else:  # latin-1 decodes any bytes, so this is never reached
        raise ExportReadError("Filens teckenkodning gick inte att avgöra.", source=p,
                              hint="Spara filen som UTF-8 (CSV UTF-8 i Excel) och försök igen.")
    notes = [f"Teckenkodning {encoding}, avgränsare {_delimiter_name(delimiter)}"]
    # Informational only (codes such as "3,0" are read either way): the first rows tell.
    decimal_comma = delimiter == ";" and frame.head(200).apply(
        lambda c: c.dropna().astype(str).str.fullmatch(r"-?\d+,\d+").any()).any()
    if decimal_comma:
        notes.append("Decimalkomma upptäckt")
    return RawTable(frame=frame, format="csv", path=p, encoding=encoding, delimiter=delimiter,
                    decimal_comma=bool(decimal_comma), notes=notes)


def _parse_csv(p: Path, raw: bytes, encoding: str, delimiter: str,
               categorical: Callable[[str], bool] | None) -> pd.DataFrame:
    dtype: object = object
    if categorical is not None:  # the header row alone tells which columns those are
        header = _header(raw, encoding, delimiter)
        if header and len(set(header)) == len(header):  # duplicate headers are refused later, by name
            dtype = {c: ("category" if categorical(c) else object) for c in header}
    try:
        with warnings.catch_warnings():
            # pandas only warns (and drops data) when the first data row is longer than the header
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Parse the bytes (the C parser reads UTF-8 natively; a text buffer costs a re-encode).
            frame = pd.read_csv(io.BytesIO(raw), encoding=encoding, sep=delimiter, dtype=dtype, keep_default_na=False,
                                na_values=[""], skip_blank_lines=True, engine="c", index_col=False)
            if isinstance(dtype, dict) and [str(c) for c in frame.columns] != list(dtype):
                # the header read differently from pandas' view of it: every column as text, to be safe
                return _parse_csv(p, raw, encoding, delimiter, None)
            return frame
    except pd.errors.ParserWarning:
        raise ExportReadError("Första dataraden har fler fält än rubrikraden.", source=p,
                              hint="Kontrollera avgränsaren och att varje kolumn har en rubrik.") from None
    except pd.errors.ParserError as exc:
        raise ExportReadError(f"CSV-filen går inte att tolka: {_short(exc)}", source=p,
                              hint="Kontrollera att alla rader har lika många fält och att citattecken är parade.") from None
    except pd.errors.EmptyDataError:
        raise ExportReadError("Filen innehåller inga kolumner.", source=p, hint="Exportera enkätsvaren igen.") from None


def _header(raw: bytes, encoding: str, delimiter: str) -> list[str]:
    """The header row's names as pandas will see them (a mismatch only costs speed)."""
    sample = codecs.getincrementaldecoder(encoding)().decode(raw[:_SNIFF_BYTES], final=False).lstrip("\ufeff")
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
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise ExportReadError("Excel-filen är skadad (zip-arkivet går inte att öppna).", source=p,
                              hint="Exportera den igen, eller öppna och spara om den i Excel.") from None
    if "xl/workbook.xml" not in names:
        raise ExportReadError("Zip-filen är ingen Excel-arbetsbok (xl/workbook.xml saknas).", source=p,
                              hint="Kanske en Word- eller annan Office-fil? Välj enkätexporten i .xlsx-format.")
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
        frame = pd.read_excel(book, sheet_name=sheet_name, dtype=object)
    except Exception as exc:
        raise ExportReadError(f"Bladet går inte att läsa: {_short(exc)}", source=p,
                              hint="Öppna och spara om filen i Excel.") from None
    frame = frame.dropna(axis=0, how="all")
    frame = frame.loc[:, [not (str(c).startswith("Unnamed:") and frame[c].isna().all()) for c in frame.columns]]
    frame = frame.map(_cell_text).astype(object)
    used = sheet if sheet is not None else book.sheet_names[0]
    notes = [f"Excel-blad '{used}'"] + ([f"Övriga blad ignoreras: {', '.join(book.sheet_names[1:])}"]
                                          if sheet is None and len(book.sheet_names) > 1 else [])
    return RawTable(frame=frame, format="xlsx", path=p, sheet=str(used), notes=notes)


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
    return RawTable(frame=frame, format="sav", path=p, variable_labels=variable_labels,
                    value_labels=value_labels, notes=["SPSS med variabel- och värdeetiketter"])


def _code_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# --------------------------------------------------------------------------- codebook


def read_codebook(path: str | Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Read a codebook CSV (variabel; etikett; kod; varde) into variable and value labels."""
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
            value_labels.setdefault(var, {})[_code_text(str(code).strip().replace(",", "."))] = str(value).strip()
    if not variable_labels:
        raise ExportReadError("Kodboken innehåller inga variabler.", source=path,
                              hint="En kodbok har kolumnerna variabel;etikett;kod;varde – en rad per svarskod.")
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
