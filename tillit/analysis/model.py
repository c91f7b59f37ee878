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
from tillit.survey.errors import TillitError

from . import types as t

# The version of analys.json's shape: raised whenever the shape changes (a key added, removed or
# changing meaning), so that an older Tillit refuses a newer file with a clear message
# (`tillit.analysis.schema.check`) instead of misreading it.
SCHEMA_VERSION = 2  # 2: comments.themes_method (the learned theme model, issue 15)


class AnalysisFileError(TillitError):
    """An analys.json that cannot be read: not JSON, a newer format, or keys that do not fit."""


@dataclass
class WorkshopAnalysis:
    """Everything a deliverable shows, in one serialisable object.

    Each part is a plain dict of a type in `tillit.analysis.types` (`to_dict()` is analys.json,
    `docs/analysis.schema.json` its schema). Parts that come from other packages are their
    own `to_dict()` output:
    - results: `tillit.survey.Results.to_dict()` (questions -> group -> counts/percent/index …)
    - benchmark: `tillit.benchmarks` comparison `.to_dict()` or None
    - comments: `tillit.nlp.CommentAnalysis.to_dict()`, summaries flagged by `tillit.survey.privacy`, or None
    - dialogue: `tillit.nlp.DialogueAnalysis.to_dict()` (with voted piles) or None
    - actions: `tillit.benchmarks.followup.follow_up()`: earlier actions, their area then and now
    """

    municipality: str
    year: int | None
    lang: str
    instrument: t.InstrumentInfo
    groups: list[t.Group]  # in `lang`; ALL last
    dimensions: list[t.Dimension]
    questions: list[t.Question]
    comment_boxes: list[t.CommentBox]
    respondents: dict[str, int | None]  # None for a hidden group: its size is not shown either
    threshold: int
    results: t.Results
    findings: t.Findings
    benchmark: t.Benchmark | None = None
    comments: t.Comments | None = None
    dialogue: t.Dialogue | None = None
    dialogue_prompts: list[t.Prompt] = field(default_factory=list)
    actions: list[t.Action] = field(default_factory=list)  # follow-up of earlier decided actions
    provenance: t.Provenance = field(default_factory=lambda: t.Provenance())
    warnings: list[str] = field(default_factory=list)
    hidden_groups: list[str] = field(default_factory=list)  # decided by tillit.survey.privacy
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

    def question(self, qid: str) -> t.Question:
        return next(q for q in self.questions if q["id"] == qid)

    def result(self, qid: str, gid: str) -> t.GroupResult | None:
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
        """Read analys.json, refusing a damaged file, a newer format or keys its types do not name
        (`AnalysisFileError`, in Swedish, naming the file and the key)."""
        from .schema import check

        p = Path(path)
        try:
            data = json.loads(p.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise AnalysisFileError(f"filen går inte att läsa ({err.__class__.__name__}: {err}).", source=p,
                                    hint="Ange sökvägen till analys.json som `tillit analyse` skrev.") from None
        except json.JSONDecodeError as err:
            raise AnalysisFileError(f"filen är ingen giltig JSON (rad {err.lineno}, kolumn {err.colno}: {err.msg}).",
                                    source=p, hint="Filen är skadad: kör `tillit analyse` igen.") from None
        check(data, p)
        return cls.from_dict(data)


def _json_default(o: Any) -> Any:
    if isinstance(o, _dt.datetime | _dt.date):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


