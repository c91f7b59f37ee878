"""Reading comment and note files into the frames `analyse_comments` and `analyse_dialogue` want.

`comments_frame_from_csv` (a comments CSV), `comments_frame_from_export` (an export's comment
boxes), `comments_input` (either), `notes_frame_from_csv` (workshop notes) and
`comments_frame` (normalising an already read table). Bad files raise `CommentInputError`
with a Swedish message naming the file and the fix. The commands that use them are in
`tillit/commands/text.py`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import CommentInputError

ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
ID_COLUMNS = ("id", "respondent_id")
TEXT_COLUMNS = ("comment", "text", "kommentar")
BOX_COLUMNS = ("box", "box_id", "question_id")


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommentInputError(f"Kan inte läsa {path}: {exc.strerror}.") from exc
    if not raw.strip():
        raise CommentInputError(f"{path} är tom. Exportera kommentarerna på nytt.")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise CommentInputError(
        f"{path} går inte att läsa som text (varken UTF-8 eller Windows-1252). "
        "Spara filen som CSV UTF-8 i Excel och försök igen."
    )


def comments_frame(df: pd.DataFrame, *, source: str = "tabellen") -> pd.DataFrame:
    """Normalise a comments table to the columns analyse_comments wants
    (id, group, box, text, respondent).

    Accepts either a plain comments CSV shape (id, group, comment and optionally
    question_id or box) or the survey tidy shape (respondent_id, group, box_id, text).
    """
    cols = {c.strip().lower(): c for c in df.columns}

    def pick(options: tuple[str, ...]) -> str | None:
        return next((cols[o] for o in options if o in cols), None)

    id_col, text_col, box_col = pick(ID_COLUMNS), pick(TEXT_COLUMNS), pick(BOX_COLUMNS)
    group_col = pick(("group", "grupp"))
    for name, col, options in (("id", id_col, ID_COLUMNS), ("group", group_col, ("group",)),
                               ("comment", text_col, TEXT_COLUMNS)):
        if col is None:
            raise CommentInputError(
                f"{source} saknar kolumnen '{name}' (hittade: {', '.join(map(str, df.columns))}). "
                f"Lägg till en kolumn som heter {' eller '.join(options)}."
            )
    if df.empty:
        raise CommentInputError(f"{source} innehåller inga kommentarer.")
    out = pd.DataFrame({
        "respondent": df[id_col].astype(str).str.strip(),
        "group": df[group_col].astype(str).str.strip(),
        "box": df[box_col].astype(str).str.strip() if box_col else "kommentarer",
        "text": df[text_col].fillna("").astype(str),
    })
    if id_col == cols.get("respondent_id") and box_col:
        out.insert(0, "id", out["respondent"] + ":" + out["box"])
    else:
        out.insert(0, "id", out["respondent"])
    if out["id"].duplicated().any():
        dup = out.loc[out["id"].duplicated(), "id"].iloc[0]
        raise CommentInputError(f"{source}: id {dup!r} förekommer flera gånger. Varje kommentar behöver ett eget id.")
    return out


def read_csv_file(path: str | Path) -> pd.DataFrame:
    """A CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma, semicolon or tab) as strings.
    Raises CommentInputError."""
    path = Path(path)
    text = _decode(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CommentInputError(f"{path} är ingen läsbar CSV-fil: {exc}") from exc


def comments_frame_from_csv(path: str | Path) -> pd.DataFrame:
    """Read a comments CSV into the frame analyse_comments wants.  Raises CommentInputError."""
    return comments_frame(read_csv_file(path), source=str(path))


NOTE_COLUMNS = ("id", "prompt_id", "note")


def notes_frame_from_csv(path: str | Path) -> pd.DataFrame:
    """Workshop notes from a CSV with id, prompt_id, note (optional prompt, votes, group).
    Raises CommentInputError naming the file and the missing columns."""
    df = read_csv_file(path)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in NOTE_COLUMNS if c not in df.columns]
    if missing:
        raise CommentInputError(
            f"{path} saknar kolumnen {', '.join(missing)} (hittade: {', '.join(df.columns)}). "
            "Filen ska ha kolumnerna id, prompt_id och note, en rad per lapp "
            "(gärna också votes och group).")
    if df["id"].duplicated().any():
        dup = df.loc[df["id"].duplicated(), "id"].iloc[0]
        raise CommentInputError(f"{path}: id {dup!r} förekommer flera gånger. Varje lapp behöver ett eget id.")
    if "votes" in df.columns:
        bad = [(n, v) for n, v in enumerate(df["votes"], start=2) if v.strip() and not v.strip().isdigit()]
        if bad:
            raise CommentInputError(f"{path}, rad {bad[0][0]}: kolumnen votes har värdet {bad[0][1]!r}. "
                                    "Ange antalet röster som ett heltal (eller lämna rutan tom).")
    return df


def comments_frame_from_export(path: str | Path) -> pd.DataFrame:
    """The comment boxes of a survey export (any format survey.read_export reads), in the
    frame analyse_comments wants. Raises the survey package's TillitError for a bad export."""
    from tillit.survey import read_export

    data = read_export(path)
    if data.comments.empty:
        raise CommentInputError(f"{path}: exporten innehåller inga kommentarer i instrumentets kommentarsrutor.")
    frame = data.comments[["respondent_id", "group", "box_id", "text"]].astype(object)
    return comments_frame(frame, source=str(path))


def comments_input(path: Path) -> pd.DataFrame:
    """A comments CSV, or else a survey export (xlsx, sav, csv) with comment boxes."""
    from tillit.survey import TillitError

    if path.suffix.lower() in (".xlsx", ".xlsm", ".sav"):
        try:
            return comments_frame_from_export(path)
        except TillitError as exc:
            raise CommentInputError(exc.render()) from None
    try:
        return comments_frame_from_csv(path)
    except CommentInputError as first:
        try:
            return comments_frame_from_export(path)
        except TillitError as exc:
            raise CommentInputError(f"{first}\n(Filen gick inte heller att läsa som enkätexport: {exc.message})") from None
