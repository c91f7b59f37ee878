"""`tillit comments` and `tillit dialogue`: themes and summaries of comments; kinds and piles of notes.

The commands only read the file (`tillit.nlp.inputs`), call `tillit.nlp.analyse_comments` /
`tillit.nlp.analyse_dialogue` and print a rich table or JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from tillit import settings
from tillit.settings import option

if TYPE_CHECKING:
    import pandas as pd

    from tillit.nlp.results import CommentAnalysis, DialogueAnalysis



HEAD = {
    "sv": {"themes": "Teman per grupp", "theme": "Tema", "count": "Antal", "box": "Fråga",
           "summary": "Sammanfattning", "quote": "Citat", "ids": "Kommentarer",
           "none": "Inga teman i texterna.", "noninf": "Icke-informativa svar (t.ex. 'Vet ej')",
           "group": "Grupp", "of": "av",
           "few": "Färre än {threshold} kommenterade – sammanfattas inte.",
           "withheld": "{group}: färre än {threshold} kommenterade – kommentarerna visas inte."},
    "en": {"themes": "Themes per group", "theme": "Theme", "count": "Count", "box": "Question",
           "summary": "Summary", "quote": "Quote", "ids": "Comments",
           "none": "No themes in the texts.", "noninf": "Non-informative answers (e.g. 'Vet ej')",
           "group": "Group", "of": "of",
           "few": "Fewer than {threshold} commented – not summarised.",
           "withheld": "{group}: fewer than {threshold} commented – the comments are not shown."},
}


def print_tables(analysis: dict[str, Any], lang: str, console: Console, threshold: int) -> None:
    """The comment analysis as `privacy_flags` left it: a suppressed summary shows no bullet or
    quote, and a withheld comment no text (this function reads the flags only)."""
    h = HEAD[lang]
    comments = analysis.get("comments") or []
    groups = list(dict.fromkeys(c["group"] for c in comments))
    counts = Counter((t, c["group"]) for c in comments for t in c.get("themes") or [])
    table = Table(title=h["themes"])
    table.add_column(h["theme"])
    for g in groups:
        table.add_column(g, justify="right")
    for theme in dict.fromkeys(t for t, _ in counts):
        table.add_row(theme, *(str(counts[(theme, g)]) for g in groups))
    console.print(table)
    for s in analysis.get("summaries") or []:
        t = Table(title=f"{h['box']}: {s['box']} · {h['group']}: {s['group']} ({s['n_commenters']})",
                  show_lines=True)
        t.add_column(h["theme"])
        t.add_column(h["count"], justify="right")
        t.add_column(h["summary"])
        t.add_column(h["quote"])
        t.add_column(h["ids"])
        for b in s.get("bullets") or []:
            t.add_row(b["theme_label"], f"{b['count']} {h['of']} {b['of']}", b["statement"], b["quote"],
                      ", ".join(b["comment_ids"]))
        if s.get("suppressed"):
            t.add_row("–", "", h["few"].format(threshold=threshold), "", "")
        elif not s.get("bullets"):
            t.add_row("–", "", h["none"], "", "")
        console.print(t)
    for g in analysis.get("withheld_groups") or []:
        console.print(h["withheld"].format(group=g, threshold=threshold))
    for key in ("themes_method", "tone"):
        if (analysis.get(key) or {}).get("note"):
            console.print(analysis[key]["note"])
    if analysis.get("non_informative"):
        t = Table(title=h["noninf"])
        t.add_column(h["box"])
        t.add_column(h["group"])
        t.add_column(h["count"], justify="right")
        for box, per_group in analysis["non_informative"].items():
            for g, n in per_group.items():
                t.add_row(box, g, str(n))
        console.print(t)


def privacy_flags(analysis: CommentAnalysis, frame: pd.DataFrame, threshold: int) -> dict[str, Any]:
    """The comment analysis as JSON with the anonymity rule applied (`tillit.survey.privacy`):
    a box × group summary of fewer commenters than the threshold keeps no bullet or quote,
    and a group with fewer commenters than the threshold keeps no comment text or
    distinctive words (`withheld_groups` names those groups)."""
    from tillit.survey import privacy

    who = "respondent" if "respondent" in frame.columns else "id"
    commenters = {str(g): int(n) for g, n in frame.groupby("group", sort=False)[who].nunique().items()}
    shown = privacy.withhold_small_comment_groups(
        privacy.suppress_comment_summaries(analysis.to_dict(), threshold), commenters, threshold)
    return shown or {}  # None only for an empty analysis, and to_dict() always names its parts


@click.command("comments")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Tabeller i terminalen eller JSON.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Språk för etiketter och sammanfattningar.")
@click.option("--taxonomy", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=None, help="Egen temafil (YAML) i stället för den inbyggda.")
@option("threshold")
def comments_command(file: Path, fmt: str, lang: str, taxonomy: Path | None, threshold: int | None) -> None:
    """Teman, sentiment och sammanfattningar av fritextkommentarer i FILE.

    FILE är en CSV med kolumnerna id, group, comment och gärna question_id eller box, eller en
    enkätexport (xlsx, csv, sav) vars kommentarsrutor läses. Personuppgifter maskeras innan något visas.
    En grupp med färre kommenterande än anonymitetsgränsen får ingen sammanfattning, inget citat och
    ingen kommentarstext.
    """
    from tillit.nlp.cache import start_dictionary_writer

    start_dictionary_writer()
    from tillit.nlp.comments import analyse_comments
    from tillit.nlp.errors import NlpError
    from tillit.nlp.inputs import comments_input

    threshold = settings.value("threshold", threshold)
    try:
        frame = comments_input(file)
        analysis = analyse_comments(frame, lang=lang, taxonomy=taxonomy)
    except NlpError as exc:
        raise click.ClickException(str(exc)) from exc
    shown = privacy_flags(analysis, frame, threshold)
    if fmt == "json":
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        print_tables(shown, lang, Console(), threshold)


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
    from tillit.nlp.cache import start_dictionary_writer

    start_dictionary_writer()
    from tillit.nlp.dialogue import analyse_dialogue, dialogue_json
    from tillit.nlp.errors import NlpError
    from tillit.nlp.inputs import notes_frame_from_csv

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
