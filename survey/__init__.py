"""Survey exports in, tidy model and per-group results out.

Public surface:
    load_instrument(path=None) -> Instrument
    read_export(path, instrument=None, codebook=None, sheet=None) -> SurveyData
    count_answers(data) -> CountTable
    compute_results(counts, threshold=5) -> Results
"""

from .counts import CountTable, count_answers, count_by_municipality, counts_from_nested
from .errors import ExportMappingError, ExportReadError, InstrumentError, TillitError
from .instrument import Instrument, load_instrument
from .results import ALL, DEFAULT_THRESHOLD, Results, compute_results, whole_percents, wilson_interval
from .tidy import BLANK, SurveyData, read_export

__all__ = [
    "ALL", "BLANK", "DEFAULT_THRESHOLD", "CountTable", "ExportMappingError", "ExportReadError", "Instrument",
    "InstrumentError", "Results", "SurveyData", "TillitError", "compute_results", "count_answers",
    "count_by_municipality", "counts_from_nested", "load_instrument", "read_export", "whole_percents",
    "wilson_interval",
]
