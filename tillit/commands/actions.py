"""`tillit actions add/list/done`: actions decided at a workshop, followed up at the next wave.

The commands only parse flags, call the Store and print (a rich table in Swedish, or JSON).
"""

from __future__ import annotations

import json

import click
from rich.table import Table

from tillit.settings import option

from tillit.commands.store import _console, _redactor, friendly

STATUS_SV = {"open": "pågår", "done": "klar"}


def _store(db):
    """The store, imported when a command runs (SQLAlchemy stays out of `tillit --help`)."""
    from tillit.benchmarks.store import Store

    return Store(db)


@click.group("actions")
def actions_group() -> None:
    """Åtgärder som workshopen beslutat: lägg till, lista, markera som klara.

    Vid nästa enkätomgång visar analysen hur varje åtgärds område har förändrats."""


@actions_group.command("add")
@click.argument("municipality")
@click.option("--year", "-y", required=True, type=int, help="Året då åtgärden beslutades, t.ex. 2025.")
@click.option("--area", required=True,
              help="Instrumentets område som åtgärden gäller (id eller namn, t.ex. tillit eller mal).")
@click.option("--text", "text", required=True, help="Vad som ska göras.")
@click.option("--owner", help="Vem som ansvarar: en roll eller ett organ (t.ex. KS-presidiet), inte ett namn.")
@click.option("--due", help="Slutdatum som ÅÅÅÅ-MM-DD.")
@option("db")
@friendly
def add_cmd(municipality, year, area, text, owner, due, db):
    """Spara en beslutad åtgärd för en kommun som finns i databasen."""
    with _store(db) as store:
        action = store.add_action(municipality, year, area, text, owner=owner, due=due, redact=_redactor())
    click.echo(f"Sparade åtgärd {action.id} för {action.municipality} ({action.year}, område {action.area}).")


@actions_group.command("list")
@click.argument("municipality", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Utdata: tabell eller JSON.")
@option("db")
@friendly
def list_cmd(municipality, fmt, db):
    """Lista sparade åtgärder (alla, eller en kommuns)."""
    with _store(db) as store:
        if municipality:
            store.wave(municipality)  # a clear message for a municipality that is not stored
        found = store.actions(municipality)
    if fmt == "json":
        click.echo(json.dumps([a.to_dict() for a in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Inga åtgärder sparade ännu. Lägg till med `tillit actions add`.")
        return
    t = Table(title="Beslutade åtgärder", title_justify="left")
    for col in ("Nr", "Kommun", "År", "Område", "Åtgärd", "Ansvarig", "Klart senast", "Status"):
        t.add_column(col, overflow="fold")
    for a in found:
        t.add_row(str(a.id), a.municipality, str(a.year), a.area, a.text, a.owner or "–",
                  a.due.isoformat() if a.due else "–", STATUS_SV.get(a.status, a.status))
    _console().print(t)


@actions_group.command("done")
@click.argument("action_id", metavar="ID", type=int)
@option("db")
@friendly
def done_cmd(action_id, db):
    """Markera åtgärd ID som genomförd."""
    with _store(db) as store:
        action = store.mark_action_done(action_id)
    click.echo(f"Åtgärd {action.id} ({action.text}) är markerad som klar.")


