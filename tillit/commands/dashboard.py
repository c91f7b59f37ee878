"""`tillit dashboard`, `tillit workshop …` and `tillit notes …` (the CLI only maps flags onto functions)."""

from __future__ import annotations

import os

import click

from tillit.survey.errors import TillitError
from tillit import settings

from tillit.dashboard.auth import PASSWORD_ENV, is_loopback, lan_addresses


def check_binding(host: str, password: str | None, debug: bool = False) -> None:
    if not is_loopback(host) and not password:
        raise click.ClickException(
            f"Instrumentpanelen startas inte på {host} utan lösenord: alla i nätverket skulle kunna läsa resultaten. "
            f"Sätt miljövariabeln {PASSWORD_ENV}, eller använd --host 127.0.0.1.")
    if debug and not is_loopback(host):
        raise click.ClickException("--debug visar felsidor med programkod och körs bara på 127.0.0.1. "
                                   "Ta bort --debug eller använd --host 127.0.0.1.")


def lan_host() -> str:
    found = lan_addresses()
    if not found:
        raise click.ClickException("Datorn verkar inte vara ansluten till något nätverk, så rummet kan inte nå "
                                   "instrumentpanelen. Anslut till nätverket, eller ange adressen med --host.")
    return found[0]


@click.command("dashboard")
@settings.option("db")
@click.option("--host", default="127.0.0.1", show_default=True,
              help=f"Adress att lyssna på. Annat än 127.0.0.1 kräver lösenord i {PASSWORD_ENV}.")
@click.option("--lan", is_flag=True,
              help="Öppna för rummets nätverk (datorns nätverksadress) så att deltagarna når /delta från "
                   f"mobilen. Kräver lösenord i {PASSWORD_ENV}.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@settings.option("threshold")
@settings.option("lang")
@click.option("--debug", is_flag=True, hidden=True)
def dashboard_cmd(db, host, lan, port, threshold, lang, debug):
    """Visa resultaten i webbläsaren (workshopens instrumentpanel)."""
    from tillit.nlp.cache import start_dictionary_writer

    start_dictionary_writer()  # the first page's comments and notes load simplemma's dictionaries, not decode them
    from tillit.dashboard.app import create_app

    password = os.environ.get(PASSWORD_ENV) or None
    if lan:
        host = lan_host()
    check_binding(host, password, debug)
    public = None if is_loopback(host) else f"http://{host}:{port}"
    try:
        app = create_app(settings.value("db", db), password=password, lang=settings.value("lang", lang), warm=True,
                         threshold=settings.value("threshold", threshold), hosts=[host], public_url=public)
    except TillitError as err:
        raise click.ClickException(err.render()) from None
    click.echo(f"Instrumentpanelen: http://{host}:{port}/  (avsluta med Ctrl+C)")
    if public:
        click.echo(f"Deltagarna går till {public}/delta (QR-kod och kod visas på sidan Projektor).")
    try:
        app.run(host=host, port=port, debug=debug and is_loopback(host))
    except OSError as err:
        raise click.ClickException(f"Porten {port} på {host} kan inte användas: {err.strerror or err}. "
                                   "Välj en annan med --port.") from None


# ---------------------------------------------------------------------- tillit workshop


@click.group("workshop")
def workshop_group() -> None:
    """Öppna och stäng dialogrundor där deltagarna skriver lappar och röstar från mobilen."""


@workshop_group.command("open")
@click.option("--municipality", "-m", required=True, help="Kommunen (en lagrad enkätomgång).")
@click.option("--year", "-y", required=True, type=int, help="Enkätomgångens år.")
@click.option("--prompt", "-p", "prompt_id", required=True, help="Dialogfrågans id (se `tillit workshop prompts`).")
@click.option("--dots", default=3, show_default=True, type=click.IntRange(1, 10), help="Prickar per deltagare.")
@settings.option("db")
def workshop_open(municipality, year, prompt_id, dots, db):
    """Öppna en runda för en dialogfråga och visa koden deltagarna går med på."""
    from tillit.dashboard.workshop import open_round

    with _store(db) as store:
        rnd = open_round(store, municipality, year, prompt_id, dots)
    click.echo(f"Runda {rnd.id} är öppen för {rnd.municipality} {rnd.year}, frågan '{rnd.prompt_id}'. "
               f"Kod: {rnd.code}")
    click.echo("Deltagarna går till instrumentpanelens /delta och skriver koden (sidan Projektor visar QR-kod).")


@workshop_group.command("vote")
@click.argument("round_id", type=int)
@settings.option("db")
@settings.option("lang")
def workshop_vote(round_id, db, lang):
    """Lås rundans grupperade lappar som högar och starta röstningen."""
    from tillit.dashboard.workshop import start_voting

    with _store(db) as store:
        start_voting(store, round_id, settings.value("lang", lang))
        click.echo(f"Röstningen har startat i runda {round_id}: {len(store.piles(round_id))} högar.")


@workshop_group.command("close")
@click.argument("round_id", type=int)
@settings.option("db")
def workshop_close(round_id, db):
    """Stäng en runda: inga fler lappar eller röster tas emot."""
    with _store(db) as store:
        rnd = store.close_round(store.round(round_id).id)
    click.echo(f"Runda {rnd.id} ({rnd.code}) är stängd.")


@workshop_group.command("list")
@settings.option("db")
def workshop_list(db):
    """Lista dialogrundorna med kod och läge."""
    with _store(db) as store:
        found = store.rounds()
    if not found:
        click.echo("Inga dialogrundor.")
    for r in found:
        click.echo(f"{r.id}\t{r.code}\t{r.state}\t{r.municipality} {r.year}\t{r.prompt_id}")


@workshop_group.command("prompts")
@settings.option("lang")
def workshop_prompts(lang):
    """Lista dialogfrågorna (id och text)."""
    from tillit.dashboard.workshop import prompts

    for p in prompts(settings.value("lang", lang)):
        click.echo(f"{p['id']}\t{p['text']}")


# ---------------------------------------------------------------------- tillit notes


@click.group("notes")
def notes_group() -> None:
    """Visa eller ta bort workshopanteckningar (lappar)."""


@notes_group.command("list")
@click.option("--municipality", "-m", help="Bara den här kommunen.")
@click.option("--year", "-y", type=int, help="Bara det här året.")
@settings.option("db")
def notes_list(municipality, year, db):
    """Lista lapparna med nummer (dolda markeras)."""
    with _store(db) as store:
        found = store.notes(municipality, year, include_hidden=True)
    if not found:
        click.echo("Inga lappar.")
    for n in found:
        click.echo(f"{n.id}\t{n.municipality} {n.year}\t{n.prompt_id}\t{'(dold) ' if n.hidden else ''}{n.note}")


@notes_group.command("remove")
@click.argument("note_ids", nargs=-1, type=int)
@click.option("--municipality", "-m", help="Ta bort alla lappar för kommunen (med --year: bara det året).")
@click.option("--year", "-y", type=int, help="Året (med --municipality).")
@click.option("--prompt", "-p", "prompt_id", help="Bara lappar under den här dialogfrågan (med --municipality).")
@settings.option("db")
def notes_remove(note_ids, municipality, year, prompt_id, db):
    """Ta bort lappar för gott: angivna nummer, eller alla för en kommun (och år/fråga)."""
    if bool(note_ids) == bool(municipality):
        raise click.UsageError("Ange antingen lapparnas nummer (se `tillit notes list`) eller --municipality.")
    with _store(db) as store:
        if municipality:
            n = store.delete_notes(municipality, year, prompt_id)
        else:
            missing = [i for i in note_ids if not store.delete_note(i)]
            if missing:
                raise click.ClickException(f"Det finns ingen lapp med nummer {', '.join(map(str, missing))}; "
                                           "övriga togs bort. Se numren med `tillit notes list`.")
            n = len(note_ids)
    click.echo(f"Tog bort {n} lappar.")


def _store(db):
    """The store of --db / TILLIT_DB, imported when a command runs (not for --help)."""
    from tillit.benchmarks.store import Store

    return Store(settings.value("db", db))


