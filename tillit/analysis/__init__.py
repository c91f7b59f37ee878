"""The one analysis object that every deliverable renders (analys.json).

    from tillit.analysis import WorkshopAnalysis, build_analysis

`model` holds `WorkshopAnalysis`; `build` assembles it from computed parts (pure, no I/O);
`types` names the shape of every part (typed dicts); `schema` turns the types into
`docs/analysis.schema.json` (`python -m tillit.analysis.schema`) and checks an analys.json
against them on load.
"""

from .build import build_analysis, compute_findings, dialogue_prompts, load_workshop_settings, suppress_small_summaries
from .model import SCHEMA_VERSION, AnalysisFileError, WorkshopAnalysis

__all__ = ["SCHEMA_VERSION", "AnalysisFileError", "WorkshopAnalysis", "build_analysis", "compute_findings",
           "dialogue_prompts", "load_workshop_settings", "suppress_small_summaries"]
