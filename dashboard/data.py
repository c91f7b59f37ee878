"""Where the dashboard gets its data: the store, and the analysis object built from it.

Everything shown comes from `load_analysis` (the same `WorkshopAnalysis` the reports render)
and, for the live dialogue, from the store's notes through `tillit.nlp.analyse_dialogue`. Results
are cached per store *data version*, so a new import shows up without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import flask
import pandas as pd

from tillit.benchmarks.store import Store
from tillit.analysis import WorkshopAnalysis
from tillit.pipeline import analysis_from_store, notes_frame

STORE_KEY = "TILLIT_STORE"
THRESHOLD_KEY = "TILLIT_THRESHOLD"
LANG_KEY = "TILLIT_LANG"
PUBLIC_URL_KEY = "TILLIT_PUBLIC_URL"
_STORES: dict[str, Store] = {}


@dataclass(frozen=True)
class Benchmark:
    """A benchmark chosen in the picker: "Name|year" in the UI, None for "the best"."""

    municipality: str
    year: int

    @classmethod
    def parse(cls, value: str | None) -> Benchmark | None:
        if not value or "|" not in value:
            return None
        name, _, year = value.rpartition("|")
        return cls(name, int(year)) if year.isdigit() else None

    @property
    def value(self) -> str:
        return f"{self.municipality}|{self.year}"


def current_store() -> Store:
    """The store of the app serving this request."""
    return flask.current_app.config[STORE_KEY]


def current_threshold() -> int:
    """The anonymity threshold of the app serving this request (the one setting, never a constant)."""
    return flask.current_app.config[THRESHOLD_KEY]


def register(store: Store) -> Store:
    _STORES[store.url] = store
    return store


def data_version(store: Store) -> tuple:
    """Changes whenever a wave is imported, replaced or removed (one small query)."""
    return store.data_version()


def waves(store: Store) -> list:
    return _waves(register(store).url, data_version(store))


@lru_cache(maxsize=8)
def _waves(url: str, version: tuple) -> list:
    return _STORES[url].waves()


def municipalities(store: Store) -> list[str]:
    return sorted({w.municipality for w in waves(store)}, key=str.casefold)


def years(store: Store, municipality: str | None) -> list[int]:
    return [w.year for w in waves(store) if municipality and w.municipality.casefold() == municipality.casefold()]


def benchmark_choices(store: Store, municipality: str | None) -> list[Benchmark]:
    """Every wave of every other municipality, latest first within each municipality."""
    others = [w for w in waves(store) if not municipality or w.municipality.casefold() != municipality.casefold()]
    others.sort(key=lambda w: (w.municipality.casefold(), -w.year))
    return [Benchmark(w.municipality, w.year) for w in others]


def load_analysis(store: Store, municipality: str, year: int | None, benchmark: Benchmark | None,
                  lang: str, threshold: int) -> WorkshopAnalysis:
    """The analysis object for one wave, compared with `benchmark` (None: the best), with the
    app's anonymity threshold (no default here: a forgotten threshold must not become 5)."""
    register(store)
    return _analysis(store.url, data_version(store), municipality, year, benchmark, lang, threshold)


@lru_cache(maxsize=64)
def _analysis(url: str, version: tuple, municipality: str, year: int | None, benchmark: Benchmark | None,
              lang: str, threshold: int) -> WorkshopAnalysis:
    return analysis_from_store(_STORES[url], municipality, year, with_=benchmark.municipality if benchmark else None,
                               with_year=benchmark.year if benchmark else None, lang=lang, threshold=threshold)


# ---------------------------------------------------------------------- dialogue notes (live)


def dialogue(store: Store, municipality: str, year: int, lang: str = "sv") -> tuple[pd.DataFrame, list[dict]]:
    """The wave's notes and their clusters (recomputed from the notes each time: they change live)."""
    from tillit.nlp import analyse_dialogue

    frame = notes_frame(store, municipality, year)
    if frame.empty:
        return frame, []
    return frame, analyse_dialogue(frame, lang=lang).to_dict()["clusters"]


def default_municipality(store: Store) -> str | None:
    """The municipality of the latest imported raw survey (the workshop's own), else the first."""
    found = waves(store)
    raw = sorted((w for w in found if w.kind == "raw"), key=lambda w: w.imported_at)
    if raw:
        return raw[-1].municipality
    names = municipalities(store)
    return names[0] if names else None
