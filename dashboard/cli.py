"""`tillit dashboard`: serve the dashboard (the CLI only maps flags onto create_app)."""

from __future__ import annotations

import os

import click

from survey.errors import TillitError
from tillit import settings

from .auth import PASSWORD_ENV, is_loopback


def check_binding(host: str, password: str | None) -> None:
    if not is_loopback(host) and not password:
        raise click.ClickException(
            f"Instrumentpanelen startas inte på {host} utan lösenord: alla i nätverket skulle kunna läsa resultaten. "
            f"Sätt miljövariabeln {PASSWORD_ENV}, eller använd --host 127.0.0.1.")


@click.command("dashboard")
@settings.option("db")
@click.option("--host", default="127.0.0.1", show_default=True,
              help=f"Adress att lyssna på. Annat än 127.0.0.1 kräver lösenord i {PASSWORD_ENV}.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@settings.option("lang")
@click.option("--debug", is_flag=True, hidden=True)
def dashboard_cmd(db, host, port, lang, debug):
    """Visa resultaten i webbläsaren (workshopens instrumentpanel)."""
    from .app import create_app

    password = os.environ.get(PASSWORD_ENV) or None
    check_binding(host, password)
    try:
        app = create_app(settings.value("db", db), password=password, lang=settings.value("lang", lang), warm=True)
    except TillitError as err:
        raise click.ClickException(err.render()) from None
    click.echo(f"Instrumentpanelen: http://{host}:{port}/  (avsluta med Ctrl+C)")
    try:
        app.run(host=host, port=port, debug=debug)
    except OSError as err:
        raise click.ClickException(f"Porten {port} på {host} kan inte användas: {err.strerror or err}. "
                                   "Välj en annan med --port.") from None


commands = [dashboard_cmd]
