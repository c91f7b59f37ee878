"""The one analysis object that every deliverable renders.

`WorkshopAnalysis` holds everything the slides, the report and the dashboard show, already
computed and already in the chosen language. Renderers read it; they compute nothing of
their own. It serialises to JSON (`analys.json`) and back.

The builder is a pure function of already computed parts (survey results, the benchmark
comparison, comment and dialogue analyses): I/O happens in `tillit.pipeline`.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tillit.survey import privacy

SCHEMA_VERSION = 1

@dataclass
class WorkshopAnalysis:
    """Everything a deliverable shows, in one serialisable object.

    Sub-parts that come from other packages are kept as their own `to_dict()` output:
    - results: `tillit.survey.Results.to_dict()` (questions -> group -> counts/percent/index …)
    - benchmark: `benchmarks` comparison `.to_dict()` or None
    - comments: `tillit.nlp.CommentAnalysis.to_dict()` or None
    - dialogue: `tillit.nlp.DialogueAnalysis.to_dict()` or None
    - actions: `tillit.benchmarks.followup.follow_up()`: earlier actions, their area then and now
    """

    municipality: str
    year: int | None
    lang: str
    instrument: dict[str, Any]  # id, version, name, source
    groups: list[dict[str, str]]  # id, label, singular (in `lang`); ALL last
    dimensions: list[dict[str, Any]]  # id, label, questions [ids]
    questions: list[dict[str, Any]]  # id, text, short, dimension, scale, labels, dont_know_labels, positive, kind, conditional_on
    comment_boxes: list[dict[str, str]]  # id, label
    respondents: dict[str, int | None]  # None for a hidden group: its size is not shown either
    threshold: int
    results: dict[str, Any]
    findings: dict[str, Any]
    benchmark: dict[str, Any] | None = None
    comments: dict[str, Any] | None = None
    dialogue: dict[str, Any] | None = None
    dialogue_prompts: list[dict[str, str]] = field(default_factory=list)  # id, text
    actions: list[dict[str, Any]] = field(default_factory=list)  # follow-up of earlier decided actions
    provenance: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    hidden_groups: list[str] = field(default_factory=list)  # 0 < respondents < threshold: decided in build_analysis
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        # An analysis made before the hidden groups were recorded (or by hand) gets them from
        # the one privacy rule, and their sizes blanked: the renderers read these flags only.
        if not self.hidden_groups:
            self.hidden_groups = privacy.hidden_groups(self.respondents, self.threshold)
        if self.hidden_groups:
            self.respondents = {g: (None if g in self.hidden_groups else n) for g, n in self.respondents.items()}

    # ------------------------------------------------------------------ helpers for renderers
    def group_hidden(self, gid: str) -> bool:
        """A group whose figures and size are not shown (recorded flags only)."""
        return gid in self.hidden_groups or not self.respondents.get(gid)

    def group_label(self, gid: str) -> str:
        return next((g["label"] for g in self.groups if g["id"] == gid), gid)

    def question(self, qid: str) -> dict[str, Any]:
        return next(q for q in self.questions if q["id"] == qid)

    def result(self, qid: str, gid: str) -> dict[str, Any] | None:
        return self.results.get("questions", {}).get(qid, {}).get(gid)

    @property
    def synthetic(self) -> bool:
        return bool(self.provenance.get("synthetic"))

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=_json_default)

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        tmp = p.with_suffix(p.suffix + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(p)
        return p

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WorkshopAnalysis:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})

    @classmethod
    def load(cls, path: str | Path) -> WorkshopAnalysis:
        return cls.from_dict(json.loads(Path(path).read_text("utf-8")))


def _json_default(o: Any) -> Any:
    if isinstance(o, _dt.datetime | _dt.date):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


