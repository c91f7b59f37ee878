"""``tillit comments FILE``: themes and summaries per box and group.

The command only reads the file, calls :func:`nlp.analyse_comments` and prints;
reading and checking the file is :func:`comments_frame_from_csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from .comments import analyse_comments
from .dialogue import analyse_dialogue, dialogue_json
from .errors import CommentInputError, NlpError
from .results import CommentAnalysis, DialogueAnalysis

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
    from survey import read_export

    data = read_export(path)
    if data.comments.empty:
        raise CommentInputError(f"{path}: exporten innehåller inga kommentarer i instrumentets kommentarsrutor.")
    frame = data.comments[["respondent_id", "group", "box_id", "text"]].astype(object)
    return comments_frame(frame, source=str(path))


def comments_input(path: Path) -> pd.DataFrame:
    """A comments CSV, or else a survey export (xlsx, sav, csv) with comment boxes."""
    from survey import TillitError

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


HEAD = {
    "sv": {"themes": "Teman per grupp", "theme": "Tema", "count": "Antal", "box": "Fråga",
           "summary": "Sammanfattning", "quote": "Citat", "ids": "Kommentarer",
           "none": "Inga teman i texterna.", "noninf": "Icke-informativa svar (t.ex. 'Vet ej')",
           "group": "Grupp", "of": "av"},
    "en": {"themes": "Themes per group", "theme": "Theme", "count": "Count", "box": "Question",
           "summary": "Summary", "quote": "Quote", "ids": "Comments",
           "none": "No themes in the texts.", "noninf": "Non-informative answers (e.g. 'Vet ej')",
           "group": "Group", "of": "of"},
}


def print_tables(analysis: CommentAnalysis, lang: str, console: Console) -> None:
    h = HEAD[lang]
    groups = list(dict.fromkeys(c.group for c in analysis.comments))
    counts = Counter((t, c.group) for c in analysis.comments for t in c.themes)
    table = Table(title=h["themes"])
    table.add_column(h["theme"])
    for g in groups:
        table.add_column(g, justify="right")
    for theme in dict.fromkeys(t for t, _ in counts):
        table.add_row(theme, *(str(counts[(theme, g)]) for g in groups))
    console.print(table)
    for s in analysis.summaries:
        t = Table(title=f"{h['box']}: {s.box} · {h['group']}: {s.group} ({s.n_commenters})",
                  show_lines=True)
        t.add_column(h["theme"])
        t.add_column(h["count"], justify="right")
        t.add_column(h["summary"])
        t.add_column(h["quote"])
        t.add_column(h["ids"])
        for b in s.bullets:
            t.add_row(b.theme_label, f"{b.count} {h['of']} {b.of}", b.statement, b.quote,
                      ", ".join(b.comment_ids))
        if not s.bullets:
            t.add_row("–", "", h["none"], "", "")
        console.print(t)
    if analysis.tone is not None:
        console.print(analysis.tone.note)
    if analysis.non_informative:
        t = Table(title=h["noninf"])
        t.add_column(h["box"])
        t.add_column(h["group"])
        t.add_column(h["count"], justify="right")
        for box, per_group in analysis.non_informative.items():
            for g, n in per_group.items():
                t.add_row(box, g, str(n))
        console.print(t)


@click.command("comments")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Tabeller i terminalen eller JSON.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Språk för etiketter och sammanfattningar.")
@click.option("--taxonomy", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=None, help="Egen temafil (YAML) i stället för den inbyggda.")
def comments_command(file: Path, fmt: str, lang: str, taxonomy: Path | None) -> None:
    """Teman, sentiment och sammanfattningar av fritextkommentarer i FILE.

    FILE är en CSV med kolumnerna id, group, comment och gärna question_id eller box, eller en
    enkätexport (xlsx, csv, sav) vars kommentarsrutor läses. Personuppgifter maskeras innan något visas.
    """
    try:
        frame = comments_input(file)
        analysis = analyse_comments(frame, lang=lang, taxonomy=taxonomy)
    except NlpError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(analysis, lang, Console())


KIND_SV = {"sv": {"atgard": "Åtgärd", "problem": "Problem", "fraga": "Fråga"},
           "en": {"atgard": "Action", "problem": "Problem", "fraga": "Question"}}
PILE_HEAD = {"sv": ("Högar för", "Nr", "Hög", "Typ", "Lappar", "Röster", "Teman", "Rang"),
             "en": ("Piles for", "No", "Pile", "Kind", "Notes", "Votes", "Themes", "Rank")}


def print_piles(analysis: DialogueAnalysis, lang: str, console: Console) -> None:
    head = PILE_HEAD[lang]
    for prompt in dict.fromkeys(c.prompt_id for c in analysis.clusters):
        table = Table(title=f"{head[0]} {prompt}", title_justify="left", show_lines=True)
        for col in head[1:]:
            table.add_column(col, overflow="fold")
        for c in (c for c in analysis.clusters if c.prompt_id == prompt):
            notes = c.label if c.count == 1 else c.label + "\n" + "\n".join(
                f"  · {n}" for n in c.notes if n != c.label)
            table.add_row(str(c.id), notes, KIND_SV[lang][c.kind], str(c.count),
                          "–" if c.votes is None else str(c.votes), ", ".join(c.themes) or "–",
                          str(c.rank) if c.rank else "")
        console.print(table)


@click.command("dialogue")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Tabeller i terminalen eller JSON.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Språk för rubriker i tabellen.")
def dialogue_command(file: Path, fmt: str, lang: str) -> None:
    """Lappar från workshopen i FILE: typ (åtgärd, problem, fråga) och högar av samma idé.

    FILE är en CSV med kolumnerna id, prompt_id och note (gärna också votes och group).
    Personuppgifter maskeras innan något annat görs. I JSON är kind action, problem
    eller question.
    """
    try:
        analysis = analyse_dialogue(notes_frame_from_csv(file), lang=lang)
    except NlpError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(dialogue_json(analysis), ensure_ascii=False, indent=2))
    else:
        console = Console()
        console = console if console.is_terminal else Console(width=160)
        print_piles(analysis, lang, console)
        console.print(analysis.piling_note)
