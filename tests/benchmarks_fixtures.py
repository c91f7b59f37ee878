"""Fixtures and builders shared by the benchmark tests (import the fixtures by name).

- ``db_url``: a fresh SQLite file, and a fresh PostgreSQL schema when TILLIT_TEST_PG_URL is
  set (start one with ``tests/pg_setup.sh``); the PostgreSQL variant is marked ``postgres``.
- ``public_db``: a SQLite file with every public export and the aggregate file imported,
  built once per session; copy it before writing to it.
- ``wave``/``nested`` helpers: hand-built counts for hand-computed expectations.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tillit.benchmarks import Store, WaveCounts, resolve_db_url
from tillit.survey import counts_from_nested, load_instrument

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXPORTS = SHARED / "data" / "exports"
AGGREGATE = "jamforelsekommuner_aggregerat.csv"
PG_URL = os.environ.get("TILLIT_TEST_PG_URL")

# file, municipality, year, extra read_export arguments
RAW_EXPORTS = [
    ("exempelby_2025_netigate.xlsx", "Exempelby", 2025, {}),
    ("sjostad_2025_msforms.xlsx", "Sjöstad", 2025, {}),
    ("norrvik_2024_googleforms.csv", "Norrvik", 2024, {}),
    ("bergsala_2025_semikolon.csv", "Bergsala", 2025, {"codebook": "bergsala_2025_semikolon_kodbok.csv"}),
    ("angsholm_2024_spss.sav", "Ängsholm", 2024, {}),
]


def tag(text: str) -> str:
    """A stand-in redactor that shows it was applied."""
    return "[avid] " + text


def facit() -> dict:
    return json.loads((EXPORTS / "facit.json").read_text("utf-8"))


def reset_postgres(url: str) -> None:
    engine = create_engine(resolve_db_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def shared_exports():
    if not EXPORTS.exists():
        pytest.skip("shared test data (../shared/data/exports) is not present")
    return EXPORTS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tillit.db'}"
    if not PG_URL:
        pytest.skip("TILLIT_TEST_PG_URL is not set (start a server with tests/pg_setup.sh)")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def import_public(s: Store) -> None:
    for name, muni, year, kw in RAW_EXPORTS:
        s.import_export(EXPORTS / name, muni, year, redact=tag, **{k: EXPORTS / v for k, v in kw.items()})
    s.import_aggregate(EXPORTS / AGGREGATE)


@pytest.fixture(scope="session")
def public_db(tmp_path_factory) -> Path:
    if not EXPORTS.exists():
        pytest.skip("shared test data (../shared/data/exports) is not present")
    path = tmp_path_factory.mktemp("public") / "public.db"
    with Store(str(path)) as s:
        import_public(s)
    return path


@pytest.fixture
def public_copy(public_db, tmp_path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copy(public_db, path)
    return path


# ------------------------------------------------------------------ hand-built counts


def wave(municipality: str, year: int, nested: dict, respondents: dict | None = None, *, instrument=None,
         synthetic: bool = False) -> WaveCounts:
    """A WaveCounts from question -> group -> label -> n (respondents: the largest total per group)."""
    inst = instrument or load_instrument()
    if respondents is None:
        respondents = {g: max((sum(gs.get(g, {}).values()) for gs in nested.values()), default=0)
                       for g in inst.group_ids}
    return WaveCounts(municipality, year, counts_from_nested(inst, nested, respondents), synthetic)
