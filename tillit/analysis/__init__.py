"""The one analysis object that every deliverable renders (analys.json).

    from tillit.analysis import WorkshopAnalysis, build_analysis

`model` holds `WorkshopAnalysis`, `build` assembles it from computed parts, `types` names
the shape of each part, and `schema` turns the types into `docs/analysis.schema.json` and
checks an analys.json against them.
"""

from .build import build_analysis, compute_findings, dialogue_prompts, load_workshop_settings, suppress_small_summaries
from .model import SCHEMA_VERSION, WorkshopAnalysis

__all__ = ["SCHEMA_VERSION", "WorkshopAnalysis", "build_analysis", "compute_findings", "dialogue_prompts",
           "load_workshop_settings", "suppress_small_summaries"]
