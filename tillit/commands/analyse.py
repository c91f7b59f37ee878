"""`tillit analyse`: the main job's command (parses flags, calls tillit.pipeline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tillit import settings
from tillit.settings import option

if TYPE_CHECKING:
    from tillit.pipeline import AnalyseOutcome

STEPS = 5


@click.command("analyse")
@click.argument("export")
@click.option("--municipality", "-m", required=True,
              help="Kommunens namn, t.ex. Lindbacka. För en fil med en kommunkolumn: kommunen som analyseras; "
                   "övriga kommuner i filen blir jämförelsekommuner.")
@click.option("--year", "-y", required=True, type=click.IntRange(1990, 2100), help="Enkätens år.")
@click.option("--out", "-o", default="ut", show_default=True, help="Mapp för analys.json, workshop.pptx och rapport.docx.")
@option("db")
@click.option("--codebook", help="Kodbok för kodade exporter.")
@click.option("--codes", type=click.Choice(["instrument"]),
              help="Läs sifferkoder enligt instrumentets egna koder (bara när du vet att exporten använder dem).")
@option("instrument")
@click.option("--sheet", help="Excel-blad att läsa.")
@click.option("--with", "with_", help="Jämförelsekommun (standard: den med högst resultat).")
@click.option("--with-year", type=int, help="År för jämförelsekommunens mätning (standard: den senaste).")
@click.option("--dialogue", help="Workshopens lappar som CSV (id, prompt_id, note).")
@click.option("--workshop", help="Workshopinställningar (YAML) med egna dialogfrågor.")
@option("lang")
@option("threshold")
@click.option("--synthetic", is_flag=True, help="Märk mätningen som syntetiska data (exempel, test).")
@click.option("--replace", is_flag=True, help="Ersätt en redan sparad mätning för samma kommun och år.")
@click.option("--template", "template_pptx", help="Egen PowerPoint-mall (.pptx).")
@click.option("--report-template", "template_docx", help="Egen Word-mall (.docx).")
@click.option("--no-appendix", is_flag=True, help="Utelämna bilagan med alla kommentarer i rapporten.")
def analyse_cmd(export, municipality, year, out, db, codebook, codes, instrument, sheet, with_, with_year, dialogue, workshop,
                lang, threshold, synthetic, replace, template_pptx, template_docx, no_appendix):
    """Hela kedjan: export in – analys.json, workshopbilder och rapport ut."""
    from tillit.nlp.cache import start_dictionary_writer

    start_dictionary_writer()  # first: it works on the other core while the rest imports and reads
    from tillit.pipeline import run_analyse

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task("Startar", total=STEPS)

        def step(text: str) -> None:
            bar.update(task, description=text, advance=0 if bar.tasks[0].description == "Startar" else 1)

        outcome = run_analyse(
            export, municipality=municipality, year=year, out=out, db=db, codebook=codebook, codes=codes,
            instrument=settings.value("instrument", instrument), sheet=sheet, with_=with_, with_year=with_year,
            dialogue=dialogue, workshop=workshop, lang=settings.value("lang", lang),
            threshold=settings.value("threshold", threshold), synthetic=synthetic, replace=replace,
            template_pptx=template_pptx, template_docx=template_docx, appendix=not no_appendix, step=step)
        bar.update(task, description="Klart", completed=STEPS)
    print_outcome(outcome)


def print_outcome(outcome: AnalyseOutcome) -> None:
    """What `tillit analyse` says when done: respondents, the benchmark, warnings and the files written."""
    a = outcome.analysis
    for line in outcome.import_lines:
        click.echo(line)
    resp = ", ".join(f"{n} {a.group_label(g).lower()}" if n is not None
                     else f"{a.group_label(g).lower()}: färre än {a.threshold} svar" for g, n in a.respondents.items())
    click.echo(f"{a.municipality} {a.year}: {resp}.")
    if a.benchmark:
        b = a.benchmark["benchmark"]
        click.echo(f"Jämförelsekommun: {b['municipality']} {b['year']}"
                   + (" (syntetiska data)" if b.get("synthetic") else ""))
    for w in a.warnings:
        if w not in outcome.import_lines:  # the import already said it
            click.echo(f"Obs: {w}")
    for kind, path in outcome.files.items():
        click.echo(f"Skrev {path}")


