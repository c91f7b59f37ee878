"""Benchmark municipalities: the store of survey waves, and comparisons with the best.

Public surface:
    Store(db=None)                       one object owns the database (SQLite file or PostgreSQL URL)
    resolve_db_url(value) -> str         --db / TILLIT_DB / the user data directory
    compare(target, benchmark_set, ...)  pure comparison of WaveCounts -> Comparison
    comparison(store, municipality, ...) the same, with the waves picked from the store
"""

from importlib import import_module

# The comparisons are light and load here (`compare` must be bound to the function, not to the
# submodule of the same name). The store brings SQLAlchemy and Alembic, which commands that
# never open a database (`tillit --help`, `tillit results`) should not pay for: it loads on first use.
from .compare import Comparison, WaveCounts, compare, perception_gaps, profile, trend
from .errors import AggregateFileError, ComparisonError, StoreError

_LAZY = {
    "benchmark_waves": "analysis", "comparison": "analysis", "Action": "store",
    "DialogueNote": "store", "ImportReport": "store", "Store": "store", "Wave": "store", "resolve_db_url": "store",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Action", "AggregateFileError", "Comparison", "ComparisonError", "DialogueNote", "ImportReport", "Store", "StoreError",
    "Wave", "WaveCounts", "benchmark_waves", "compare", "comparison", "perception_gaps", "profile",
    "resolve_db_url", "trend",
]
