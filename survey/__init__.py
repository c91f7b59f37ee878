"""Survey exports in, tidy model and per-group results out.

Public surface:
    load_instrument(path=None) -> Instrument
    read_export(path, instrument=None, codebook=None, sheet=None) -> SurveyData
    count_answers(data) -> CountTable
    compute_results(counts, threshold=5) -> Results
    privacy: every anonymity decision (tillit.survey.privacy)
"""

from importlib import import_module

from .errors import ExportMappingError, ExportReadError, InstrumentError, TillitError

# The rest loads on first use, so that a command that only needs the error types (or only
# prints its help) does not pay for pandas and numpy.
_LAZY = {
    "CountTable": "counts", "count_answers": "counts", "count_by_municipality": "counts",
    "counts_from_nested": "counts", "Instrument": "instrument", "load_instrument": "instrument",
    "ALL": "results", "DEFAULT_THRESHOLD": "privacy", "Results": "results", "compute_results": "results",
    "whole_percents": "results", "wilson_interval": "results", "BLANK": "tidy", "SurveyData": "tidy",
    "read_export": "tidy",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALL", "BLANK", "DEFAULT_THRESHOLD", "CountTable", "ExportMappingError", "ExportReadError", "Instrument",
    "InstrumentError", "Results", "SurveyData", "TillitError", "compute_results", "count_answers",
    "count_by_municipality", "counts_from_nested", "load_instrument", "read_export", "whole_percents",
    "wilson_interval",
]
