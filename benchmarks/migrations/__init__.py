"""Alembic migrations of the benchmark store, run from code when a Store opens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, select, table, column
from sqlalchemy.engine import Connection

from ..schema import VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent
# The newest revision in versions/, so that opening an up-to-date store needs no Alembic (it
# takes about 0.15 s to import); a test holds it equal to what Alembic finds.
HEAD = "0003_workshop"


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision, as Alembic finds it in versions/."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The database's revision, read from Alembic's version table (None before the first migration).
    More than one revision there (branches, which this project does not use) is an error, as in Alembic."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(select(column("version_num")).select_from(table(VERSION_TABLE))).scalars().all()
    if len(rows) > 1:
        raise RuntimeError(f"{VERSION_TABLE} holds more than one revision: {', '.join(rows)}")
    return rows[0] if rows else None


def known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(config()).get_revision(revision) is not None
    except Exception:
        return False


def upgrade(connection: Connection) -> None:
    """Bring the schema to the newest revision (does nothing when it already is)."""
    from alembic import command

    command.upgrade(config(connection), "head")
