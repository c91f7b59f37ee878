"""The `tillit` command line: one group whose commands load only when they are used.

Every command lives in `tillit/commands/` and is named in `COMMANDS`; `tillit --help` lists
them without importing them, so it starts fast, and a command whose optional dependency is
missing says so when it is used instead of vanishing. Errors that are the user's input
(`TillitError`) become a clear Swedish message, never a traceback.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys

import click

from tillit.survey.errors import TillitError
from tillit import settings

# When a command is done, Python tears its ~3,000 modules down and runs the cycle collector
# over every object they hold (spaCy, scikit-learn, pandas, simplemma's dictionary): 0.6 s of
# a `make demo` run (perf/RESULTS-scale.md). Freezing the collector after every other exit
# handler has run (this one is registered first, so it runs last: the caches are written
# before) skips that pass; the objects are freed with the process as they would be anyway.
atexit.register(gc.freeze)

# name -> (module, attribute, the first paragraph of its help, shown by `tillit --help` without importing
# the module; tests/test_cli_reference.py keeps it equal to the command's own)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "actions": ("tillit.commands.actions", "actions_group",
                "Åtgärder som workshopen beslutat: lägg till, lista, markera som klara."),
    "analyse": ("tillit.commands.analyse", "analyse_cmd",
                "Hela kedjan: export in – analys.json, workshopbilder och rapport ut."),
    "comments": ("tillit.commands.text", "comments_command",
                 "Teman, sentiment och sammanfattningar av fritextkommentarer i FILE."),
    "compare": ("tillit.commands.store", "compare_cmd",
                "Jämför en kommun med jämförelsekommunerna: index, skillnad, p-värde, median, percentil, samsyn, trend."),
    "dashboard": ("tillit.commands.dashboard", "dashboard_cmd",
                  "Visa resultaten i webbläsaren (workshopens instrumentpanel)."),
    "dialogue": ("tillit.commands.text", "dialogue_command",
                 "Lappar från workshopen i FILE: typ (åtgärd, problem, fråga) och högar av samma idé."),
    "import": ("tillit.commands.store", "import_cmd",
               "Importera en enkätexport (svar per svarande) som en omgång i databasen."),
    "import-aggregate": ("tillit.commands.store", "import_aggregate_cmd",
                         "Importera jämförelsekommuner som bara finns som antal (kommun, ar, fraga, grupp, svarsalternativ, antal och gärna svarande: gruppens antal svarande)."),
    "inspect": ("tillit.commands.survey", "inspect_cmd",
                "Visa hur en export tolkas: format, kolumner → frågor, koder → svar, borttagna kolumner, varningar."),
    "instrument": ("tillit.commands.survey", "instrument_group",
                   "Visa eller kontrollera ett instrument (frågor, skalor, grupper)."),
    "notes": ("tillit.commands.dashboard", "notes_group",
              "Visa eller ta bort workshopanteckningar (lappar)."),
    "remove": ("tillit.commands.store", "remove_cmd",
               "Ta bort en enkätomgång (svar, kommentarer, antal och omgångens workshoplappar) ur databasen."),
    "results": ("tillit.commands.survey", "results_cmd",
                "Resultat per fråga och grupp för en enkätexport."),
    "settings": ("tillit.commands.survey", "settings_cmd",
                 "Lista alla inställningar med standardvärde och miljövariabel."),
    "waves": ("tillit.commands.store", "waves_cmd",
              "Lista de enkätomgångar som finns i databasen."),
    "workshop": ("tillit.commands.dashboard", "workshop_group",
                 "Öppna och stäng dialogrundor där deltagarna skriver lappar och röstar från mobilen."),
}


def _unavailable(name: str, exc: ImportError) -> click.Command:
    """A stand-in for a command whose module cannot be imported: it says what is missing."""
    missing = getattr(exc, "name", None) or str(exc)

    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
                   help=f"Inte tillgängligt: Python-paketet '{missing}' saknas.")
    def cmd() -> None:
        raise click.ClickException(
            f"Kommandot '{name}' behöver Python-paketet '{missing}', som inte är installerat. "
            f"Installera Tillit med sina beroenden (pip install tillit) och försök igen.")

    return cmd


class TillitGroup(click.Group):
    """Loads each command when it is used; turns every TillitError into a clear message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is not None or name not in COMMANDS:
            return cmd
        module, attr, _ = COMMANDS[name]
        try:
            cmd = getattr(importlib.import_module(module), attr)
        except ImportError as exc:
            cmd = _unavailable(name, exc)
        self.add_command(cmd, name)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list in `tillit --help`, from COMMANDS: no command module is imported for it."""
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Kommandon"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TillitError as err:
            raise click.ClickException(err.render()) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # a bug, not the user's input: say so briefly
            if os.environ.get(settings.env("debug")):
                raise
            raise click.ClickException(
                f"Oväntat fel ({type(err).__name__}: {err}). Detta är troligen ett fel i Tillit; "
                "kör igen med TILLIT_DEBUG=1 för detaljer och rapportera det.") from None


@click.group(cls=TillitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tillit")
def main() -> None:
    """Tillit – analys av samspelet mellan förtroendevalda och tjänstepersoner.

    Läs en enkätexport, jämför med andra kommuner, sammanfatta kommentarerna och
    skapa workshopbilder, rapport och dashboard.
    """


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
