"""Benchmark municipalities: the store of survey waves, and comparisons with the best.

Public surface:
    Store(db=None)                       one object owns the database (SQLite file or PostgreSQL URL)
    resolve_db_url(value) -> str         --db / TILLIT_DB / the user data directory
    compare(target, benchmark_set, ...)  pure comparison of WaveCounts -> Comparison
    comparison(store, municipality, ...) the same, with the waves picked from the store
"""

from .analysis import benchmark_waves, comparison
from .compare import Comparison, WaveCounts, compare, perception_gaps, profile, trend
from .errors import AggregateFileError, ComparisonError, StoreError
from .store import Action, DialogueNote, ImportReport, Store, Wave, resolve_db_url

__all__ = [
    "Action", "AggregateFileError", "Comparison", "ComparisonError", "DialogueNote", "ImportReport", "Store", "StoreError",
    "Wave", "WaveCounts", "benchmark_waves", "compare", "comparison", "perception_gaps", "profile",
    "resolve_db_url", "trend",
]
