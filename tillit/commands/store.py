"""Commands for the store and the comparisons; `tillit` registers every one in `commands`.

They only parse flags, call Store / comparison() and print: rich tables in Swedish, or JSON.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from tillit import settings
from tillit.settings import option

if TYPE_CHECKING:
    from tillit.benchmarks.compare import Comparison
    from tillit.survey.instrument import Instrument


# The store (SQLAlchemy, Alembic) is imported inside the commands that open one.


def _console() -> Console:
    c = Console()
    return c if c.is_terminal else Console(width=160)


def friendly(f):
    """Every TillitError becomes a clear message with exit code 1, never a traceback."""
    from tillit.survey import TillitError

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except TillitError as err:
            raise click.ClickException(err.render()) from None
    return wrapper


def _redactor():
    """tillit.nlp.redact, imported on the first comment (it is slow to load)."""
    from tillit.benchmarks.errors import StoreError

    state: dict = {}

    def redact(text: str) -> str:
        if "fn" not in state:
            try:
                from tillit.nlp import redact as nlp_redact
            except ImportError:
                raise StoreError("Avidentifieringen (paketet nlp) saknas, så kommentarerna kan inte sparas.",
                                 hint="Använd --skip-comments för att importera utan kommentarer.") from None
            state["fn"] = nlp_redact
        return state["fn"](text).text
    return redact


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                             show_default=True, help="Utdata: tabell eller JSON.")
file_argument = click.argument("file", type=click.Path(dir_okay=False))


@click.command("import")
@file_argument
@click.option("--municipality", "-m",
              help="Kommunens namn, t.ex. Exempelby. Utelämnas för en fil med en kommunkolumn: då lagras "
                   "varje kommun som en egen omgång (antal per svarsalternativ).")
@click.option("--year", "-y", required=True, type=int, help="Enkätomgångens år, t.ex. 2025.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Kodbok för kodade exporter.")
@click.option("--codes", type=click.Choice(["instrument"]),
              help="Läs sifferkoder enligt instrumentets egna koder (bara när du vet att exporten använder dem).")
@option("instrument")
@click.option("--sheet", help="Excel-blad att läsa (standard: det första).")
@click.option("--replace", is_flag=True, help="Ersätt en redan lagrad omgång för samma kommun och år.")
@click.option("--synthetic", is_flag=True, help="Markera data som syntetiska (påhittade testdata).")
@click.option("--skip-comments", is_flag=True, help="Spara inte fritextkommentarerna.")
@option("db")
@friendly
def import_cmd(file, municipality, year, codebook, codes, instrument, sheet, replace, synthetic, skip_comments, db):
    """Importera en enkätexport (svar per svarande) som en omgång i databasen.

    En fil med en kommunkolumn (t.ex. en nationell jämförelsefil) importeras utan
    --municipality: varje kommun blir en egen omgång med antal per svarsalternativ."""
    if municipality is not None and not skip_comments:  # comments are redacted: simplemma's dictionaries
        from tillit.nlp.cache import start_dictionary_writer

        start_dictionary_writer()
    from tillit.survey import read_export

    from tillit.benchmarks.store import Store

    data = read_export(file, instrument=settings.value("instrument", instrument), codebook=codebook, sheet=sheet,
                       codes=codes)
    with Store(db) as store:
        if municipality is None:
            report = store.import_national(data, year, replace=replace, synthetic=synthetic)
        else:
            report = store.import_survey(data, municipality, year, replace=replace, synthetic=synthetic,
                                         redact=_redactor(), skip_comments=skip_comments)
    for line in report.lines():
        click.echo(line)


@click.command("import-aggregate")
@file_argument
@option("instrument")
@click.option("--replace", is_flag=True, help="Ersätt redan lagrade omgångar för samma kommun och år.")
@click.option("--synthetic", is_flag=True, help="Markera data som syntetiska (påhittade testdata).")
@option("db")
@friendly
def import_aggregate_cmd(file, instrument, replace, synthetic, db):
    """Importera jämförelsekommuner som bara finns som antal (kommun, ar, fraga, grupp, svarsalternativ, antal
    och gärna svarande: gruppens antal svarande)."""
    from tillit.benchmarks.store import Store

    with Store(db) as store:
        report = store.import_aggregate(file, instrument=settings.value("instrument", instrument),
                                        replace=replace, synthetic=synthetic)
    for line in report.lines():
        click.echo(line)


@click.command("waves")
@click.option("--municipality", "-m", help="Visa bara den här kommunen.")
@format_option
@option("db")
@friendly
def waves_cmd(municipality, fmt, db):
    """Lista de enkätomgångar som finns i databasen."""
    from tillit.benchmarks.store import Store

    with Store(db) as store:
        found = store.waves(municipality)
    if fmt == "json":
        click.echo(json.dumps([w.to_dict() for w in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Databasen innehåller inga enkätomgångar ännu. Importera med `tillit import` eller "
                   "`tillit import-aggregate`.")
        return
    t = Table(title="Lagrade enkätomgångar", title_justify="left")
    for col in ("Kommun", "År", "Typ", "Svarande", "Instrument", "Källa", "Importerad", "Syntetisk"):
        t.add_column(col)
    for w in found:
        t.add_row(w.municipality, str(w.year), "svar" if w.kind == "raw" else "antal",
                  ", ".join(f"{g} {n}" for g, n in w.respondents.items()),
                  f"{w.instrument_id} v{w.instrument_version}", w.source_name,
                  w.imported_at.strftime("%Y-%m-%d %H:%M"), "ja" if w.synthetic else "")
    _console().print(t)


@click.command("remove")
@click.argument("municipality")
@click.option("--year", "-y", required=True, type=int, help="Omgångens år.")
@option("db")
@friendly
def remove_cmd(municipality, year, db):
    """Ta bort en enkätomgång (svar, kommentarer, antal och omgångens workshoplappar) ur databasen.

    Textanalysens cache (ord och vektorer härledda ur kommentarerna) töms också."""
    from tillit.benchmarks.store import Store

    from tillit.nlp import cache

    with Store(db) as store:
        wave = store.remove_wave(municipality, year)
    click.echo(f"Tog bort {wave.label}.")
    if cache.clear():  # lemmas and vectors derived from its comments go too
        click.echo("Tömde textanalysens cache (den byggs upp igen vid nästa analys).")


@click.command("compare")
@click.argument("municipality")
@click.option("--with", "with_", help="Jämför med den här kommunen i stället för den bästa.")
@click.option("--with-year", type=int, help="Jämförelsekommunens år (standard: senaste).")
@click.option("--year", "-y", type=int, help="Omgång att jämföra (standard: senaste).")
@click.option("--strict-scales", is_flag=True,
              help="Vägra jämföra frågor med olika svarsskalor (annars jämförs de bara på index).")
@format_option
@option("threshold")
@option("db")
@friendly
def compare_cmd(municipality, with_, with_year, year, strict_scales, fmt, threshold, db):
    """Jämför en kommun med jämförelsekommunerna: index, skillnad, p-värde, median, percentil, samsyn, trend."""
    from tillit.benchmarks.compare import INDEX

    from tillit.benchmarks.analysis import comparison
    from tillit.benchmarks.store import Store

    with Store(db) as store:
        cmp = comparison(store, municipality, year=year, with_=with_, with_year=with_year,
                         threshold=settings.value("threshold", threshold),
                         scale_mismatch="refuse" if strict_scales else INDEX)
        wave = store.wave(cmp.municipality, cmp.year)
        inst = store.instrument(wave.instrument_id, wave.instrument_version)
    if fmt == "json":
        click.echo(json.dumps(cmp.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_comparison(cmp, inst)


def _n(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:.{digits}f}".replace(".", ",")


def _p(p) -> str:
    if p is None:
        return "–"
    return "< 0,001" if p < 0.001 else _n(p, 3)


def print_comparison(cmp: Comparison, inst: Instrument) -> None:
    from tillit.benchmarks.compare import INDEX
    from tillit.survey import ALL

    console = _console()
    b = cmp.benchmark
    groups = {**inst.group_labels("sv"), ALL: "Alla"}
    title = f"{cmp.municipality} {cmp.year}: jämförelse med {b.municipality} kommun {b.year}"
    why = "högst medelindex bland jämförelsekommunerna" if b.chosen == "best" else "vald med --with"
    console.print(f"[bold]{title}[/bold] ({why}, medelindex {_n(b.mean_index)}; "
                  f"{cmp.municipality} {_n(cmp.mean_index)})")
    if cmp.synthetic:
        console.print("[yellow]Obs: jämförelsen bygger delvis på syntetiska data.[/yellow]")
    if cmp.areas:
        at = Table(title="Index 0–100 per område (alla svarande)", title_justify="left")
        for col in ("Område", cmp.municipality, b.municipality, "Skillnad", "Median", "Plats"):
            at.add_column(col, justify="left" if col == "Område" else "right")
        for d in inst.dimensions:
            area = (cmp.areas.get(d.id) or {}).get(ALL)
            if area is None:
                continue
            place = f"{area.rank} av {area.ranked_of}" if area.rank is not None else "–"
            at.add_row(d.label("sv"), _n(area.index), _n(area.benchmark_index), _n(area.difference),
                       _n(area.median_index), place)
        console.print(at)
    t = Table(title="Index 0–100 per fråga och grupp", title_justify="left")
    for col in ("Fråga", "Grupp", cmp.municipality, b.municipality, "Skillnad", "p-värde", "Median",
                "Skillnad mot median", "Percentil", "Bäst på frågan"):
        t.add_column(col, justify="left" if col in ("Fråga", "Grupp", "Bäst på frågan") else "right")
    for qid, gs in cmp.questions.items():
        short = inst.question(qid).short("sv")
        for i, (g, c) in enumerate(gs.items()):
            if c.suppressed:
                t.add_row(short if i == 0 else "", groups.get(g, g), "för få svar", *["–"] * 7)
                continue
            sig = "*" if c.significant else ""
            best = f"{c.best_municipality} {c.best_year} ({_n(c.best_index)})" if c.best_municipality else "–"
            t.add_row(short if i == 0 else "", groups.get(g, g), _n(c.index), _n(c.benchmark_index),
                      _n(c.difference), _p(c.p_value) + sig, _n(c.median_index), _n(c.difference_to_median),
                      _n(c.percentile, 0), best)
    console.print(t)
    console.print("* skillnaden mot jämförelsekommunen är större än slumpen (p < 0,05). "
                  f"Jämförelsekommuner: {len(cmp.benchmark_set)}.")

    g1, g2 = cmp.gaps.groups
    if g1:
        gt = Table(title=f"Samsyn: skillnad mellan {groups[g1].lower()} och {groups[g2].lower()} (störst först)",
                   title_justify="left")
        for col in ("#", "Fråga", "Indexskillnad", "Avstånd (procentenheter)", "p-värde",
                    "Median i jämförelsekommunerna", f"{b.municipality}"):
            gt.add_column(col, justify="left" if col == "Fråga" else "right")
        theirs = {r.question_id: r for r in cmp.gaps.benchmark}
        for r in cmp.gaps.municipality:
            other = theirs.get(r.question_id)
            gt.add_row(str(r.rank or "–"), inst.question(r.question_id).short("sv"), _n(r.index_gap),
                       _n(r.distance, 0), _p(r.p_value), _n(r.set_median_abs_gap), _n(other.abs_gap if other else None))
        console.print(gt)

    if cmp.trend.previous_year is not None:
        tt = Table(title=f"Förändring sedan {cmp.trend.previous_year}", title_justify="left")
        for col in ("Fråga", "Grupp", *[str(y) for y in cmp.trend.waves], "Förändring", "p-värde"):
            tt.add_column(col, justify="left" if col in ("Fråga", "Grupp") else "right")
        for qid, cells in cmp.trend.questions.items():
            for i, (g, e) in enumerate(cells.items()):
                tt.add_row(inst.question(qid).short("sv") if i == 0 else "", groups.get(g, g),
                           *[_n(e["indices"][str(y)]) for y in cmp.trend.waves], _n(e["change"]),
                           _p(e["p_value"]) + ("*" if e["significant"] else ""))
        console.print(tt)
    for note in cmp.notes:
        console.print(f"[yellow]Obs:[/yellow] {note}")
    if any(c.basis == INDEX for gs in cmp.questions.values() for c in gs.values()):
        console.print("[yellow]Obs:[/yellow] frågor med olika svarsskalor jämförs bara på index (inget p-värde).")


