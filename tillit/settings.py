"""Every user setting declared once: name, default, environment variable, help text.

CLI options are generated from these declarations (`option(...)`), and `tillit settings`
lists them, so help, defaults and documentation cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

import click


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str
    help: str
    type: Any = str
    choices: tuple[str, ...] | None = None


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("threshold", 5, "TILLIT_THRESHOLD", "Anonymitetsgräns: grupper med färre svar redovisas inte.", int),
    Setting("lang", "sv", "TILLIT_LANG", "Språk för allt som visas: sv eller en.", str, ("sv", "en")),
    Setting("db", None, "TILLIT_DB", "Databas: en filsökväg (SQLite) eller en SQLAlchemy-URL (t.ex. PostgreSQL). "
            "Standard: en fil i användarens datamapp."),
    Setting("instrument", None, "TILLIT_INSTRUMENT", "Instrumentfil (YAML). Standard: det inbyggda "
            "'Samspel politik–förvaltning'."),
    # Read by nlp.tone (which keeps the same default and variable; a test holds them equal):
    # not a command-line option, only listed by `tillit settings`.
    Setting("tone_limit", 400, "TILLIT_TONE_LIMIT", "Den inlärda tonmodellen läser kommentarer som "
            "reglerna bedömer som neutrala bara när de är högst så här många; annars avgör reglerna "
            "ensamma (och rapporten säger det).", int),
    # Read where they are used (nlp.text, nlp.cache, dashboard, tillit.cli), by the names declared here.
    Setting("spacy_model", None, "TILLIT_SPACY_MODEL", "Ett installerat spaCy-paket för kommentarerna (t.ex. "
            "sv_core_news_sm). Standard: spaCys tomma svenska pipeline, som följer med spaCy."),
    Setting("cache_dir", None, "TILLIT_CACHE_DIR", "Mapp för cachefiler som gör upprepade körningar snabbare "
            "(lemmaordlistan, meningsinbäddningar av avidentifierade texter); off stänger av cachen. Standard: "
            "användarens cachemapp."),
    Setting("dashboard_password", None, "TILLIT_DASHBOARD_PASSWORD", "Lösenord för facilitatorns sidor i "
            "dashboarden; krävs när den nås från andra datorer än den egna."),
    Setting("allowed_hosts", None, "TILLIT_ALLOWED_HOSTS", "Fler värdnamn (kommaseparerade) som dashboarden "
            "svarar på, utöver den egna datorns."),
    Setting("dashboard_bind", None, "TILLIT_DASHBOARD_BIND", "Adressen (värd:port) som dashboarden lyssnar på "
            "under gunicorn, så att den vet om den nås utifrån och då kräver lösenord."),
    Setting("public_url", None, "TILLIT_PUBLIC_URL", "Adressen som deltagarnas telefoner når dashboarden på "
            "(visas med QR-koden)."),
    Setting("debug", None, "TILLIT_DEBUG", "Visa hela felspårningen vid oväntade fel (för felsökning)."),
]}


def env(name: str) -> str:
    """The environment variable of a setting, for code that reads it where it is used."""
    return SETTINGS[name].env


def value(name: str, given: Any = None) -> Any:
    """The effective value: given on the command line, else environment, else default."""
    s = SETTINGS[name]
    if given is not None:
        return given
    raw = os.environ.get(s.env)
    if raw is None or raw == "":
        return s.default
    return s.type(raw) if s.type is not str else raw


def option(name: str, *flags: str) -> Callable:
    """A click option generated from the setting's declaration."""
    s = SETTINGS[name]
    kwargs: dict[str, Any] = {"default": None, "envvar": s.env, "show_envvar": True,
                              "help": f"{s.help} [standard: {s.default if s.default is not None else '–'}]"}
    if s.choices:
        kwargs["type"] = click.Choice(s.choices)
    elif s.type is int:
        kwargs["type"] = click.IntRange(min=1)
    return click.option(*(flags or (f"--{name}",)), name, **kwargs)
