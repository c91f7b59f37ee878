"""The shape of every part of the analysis object, as typed dicts.

`WorkshopAnalysis` keeps its parts as plain dicts (that is what analys.json holds and what the
builders of `tillit.survey`, `tillit.benchmarks` and `tillit.nlp` hand over), and these types
name their keys: renderers are typed with them, `tillit.analysis.schema` turns them into
`docs/analysis.schema.json` and checks an analys.json against them with extra keys forbidden,
so a builder that adds, drops or renames a key fails a test until the type says so.

A key that a part does not always have is `NotRequired`; a value that may be missing is
`X | None`. Keys that are ids (questions, groups, areas, boxes, answer labels) are `dict[str, …]`.
"""

from __future__ import annotations

from typing import Literal

# typing_extensions: pydantic reads TypedDicts from it on Python < 3.12
from typing_extensions import NotRequired, TypedDict

# ---------------------------------------------------------------------- the instrument as shown


class InstrumentInfo(TypedDict):
    id: str
    version: int
    name: str


class Group(TypedDict):
    """A respondent group in the analysis language; the last one is all respondents (`alla`)."""

    id: str
    label: str
    singular: str


class Dimension(TypedDict):
    """An area of the instrument and its questions (ids)."""

    id: str
    label: str
    questions: list[str]


class Condition(TypedDict):
    question: str
    answers: list[str]


class Question(TypedDict):
    id: str
    text: str
    short: str
    dimension: str
    scale: str
    kind: Literal["scale", "yes_no"]
    labels: list[str]
    labels_display: list[str]
    dont_know_labels: list[str]
    positive: list[str]
    conditional_on: Condition | None


class CommentBox(TypedDict):
    id: str
    label: str


class Prompt(TypedDict):
    id: str
    text: str


# ---------------------------------------------------------------------- results per question × group


class GroupResult(TypedDict):
    """One question × group (`tillit.survey.results.GroupResult`); all None when suppressed."""

    counts: dict[str, int] | None
    percent: dict[str, int] | None
    n: int | None
    dont_know: int | None
    blank: int | None
    mean: float | None
    index: float | None
    share_positive: float | None
    ci95: list[float | None] | None
    suppressed: bool
    ineligible: int | None
    dont_know_counts: NotRequired[dict[str, int]]


class Difference(TypedDict):
    """Mann–Whitney U between the first two groups on one question."""

    groups: list[str]
    u: float | None
    p_value: float | None
    rank_biserial: float | None
    differs: bool
    suppressed: bool


class InstrumentRef(TypedDict):
    id: str
    version: int


class Results(TypedDict):
    """`tillit.survey.Results.to_dict()`, with hidden groups' sizes blanked."""

    instrument: InstrumentRef
    anonymity_threshold: int
    respondents: dict[str, int | None]
    questions: dict[str, dict[str, GroupResult]]
    dimensions: dict[str, dict[str, float | None]]  # area -> group -> index (None: hidden)
    differences: dict[str, Difference]
    notes: list[str]


# ---------------------------------------------------------------------- findings


class RankedArea(TypedDict):
    id: str
    label: str
    index: float


class PlacedArea(TypedDict):
    id: str
    label: str
    rank: int
    of: int
    difference: float | None


class GroupGap(TypedDict):
    question: str
    short: str
    index: dict[str, float]
    difference: float
    p_value: float | None
    differs: bool


class BenchmarkGap(TypedDict):
    question: str
    short: str
    difference: float
    p_value: float | None


class Findings(TypedDict):
    areas_best_placed: list[PlacedArea]
    areas_worst_placed: list[PlacedArea]
    dimensions_ranked: list[RankedArea]
    strongest: RankedArea | None
    weakest: RankedArea | None
    group_gaps: list[GroupGap]
    benchmark_gaps: list[BenchmarkGap]


# ---------------------------------------------------------------------- benchmark comparison and trend


class BenchmarkInfo(TypedDict):
    municipality: str
    year: int
    synthetic: bool
    basis: Literal["raw", "index"]
    mean_index: float | None
    chosen: Literal["best", "given"]


class SetEntry(TypedDict):
    municipality: str
    year: int
    mean_index: float | None
    synthetic: bool


class QuestionComparison(TypedDict):
    """One question × group against the benchmark and the benchmark set."""

    index: float | None
    n: int | None
    percent: dict[str, int] | None
    benchmark_index: float | None
    difference: float | None
    p_value: float | None
    test: str | None
    significant: bool | None
    basis: Literal["raw", "index"]
    percentile: float | None
    median_index: float | None
    difference_to_median: float | None
    best_municipality: str | None
    best_year: int | None
    best_index: float | None
    difference_to_best: float | None
    benchmark_percent: dict[str, int] | None
    benchmark_counts: dict[str, int] | None
    benchmark_n: int | None
    suppressed: bool
    benchmark_suppressed: bool


class AreaComparison(TypedDict):
    index: float | None
    benchmark_index: float | None
    difference: float | None
    median_index: float | None
    percentile: float | None
    rank: int | None
    ranked_of: int


class GapRow(TypedDict):
    question_id: str
    index_gap: float | None
    abs_gap: float | None
    distance: float | None
    p_value: float | None
    rank: int | None
    set_median_abs_gap: float | None
    set_percentile: float | None


class SetGap(TypedDict):
    question_id: str
    median_abs_gap: float | None
    median_distance: float | None
    n: int
    rank: int


class Gaps(TypedDict):
    groups: list[str]
    municipality: list[GapRow]
    benchmark: list[GapRow]
    benchmark_set: list[SetGap]


class TrendCell(TypedDict):
    indices: dict[str, float | None]  # year -> index
    change: float | None
    p_value: float | None
    test: str | None
    significant: bool | None
    basis: Literal["raw", "index"] | None


class Trend(TypedDict):
    waves: list[int]
    previous_year: int | None
    questions: dict[str, dict[str, TrendCell]]


class Benchmark(TypedDict):
    """`tillit.benchmarks.compare.Comparison.to_dict()`."""

    municipality: str
    year: int
    instrument: str
    anonymity_threshold: int
    synthetic: bool
    benchmark: BenchmarkInfo
    benchmark_set: list[SetEntry]
    mean_index: float | None
    rank: int | None
    questions: dict[str, dict[str, QuestionComparison]]
    areas: dict[str, dict[str, AreaComparison]]
    gaps: Gaps
    trend: Trend
    notes: list[str]


# ---------------------------------------------------------------------- comments


class Tone(TypedDict):
    method: str
    learned: int
    changed: int
    status: str
    note: str
    model: str | None


class ThemesMethod(TypedDict):
    method: str  # "rules" or "rules+learned"
    changed: int
    status: str
    note: str


class Comment(TypedDict):
    id: str
    group: str
    box: str
    text: str  # redacted
    themes: list[str]
    sentiment: str
    informative: bool


class Bullet(TypedDict):
    theme: str
    theme_label: str
    count: int
    of: int
    statement: str
    quote: str
    comment_ids: list[str]
    direction: str
    direction_count: int


class Summary(TypedDict):
    """One box × group; `suppressed` (fewer commenters than the threshold): no bullets."""

    box: str
    group: str
    n_commenters: int
    bullets: list[Bullet]
    suppressed: bool


class DistinctiveWord(TypedDict):
    term: str
    score: float


class EmergentTheme(TypedDict):
    id: str
    label: str
    terms: list[str]
    count: int
    comment_ids: list[str]


class CommentCell(TypedDict):
    """A comment box × group."""

    box: str
    group: str


class Comments(TypedDict):
    """`tillit.nlp.CommentAnalysis.to_dict()` with the summaries flagged by the privacy rule and
    the comments of a box × group too few to summarise left out (`withheld` names those cells;
    absent in files written before the rule)."""

    tone: Tone | None
    themes_method: NotRequired[ThemesMethod | None]  # absent in files written before the theme model
    comments: list[Comment]
    summaries: list[Summary]
    distinctive_words: dict[str, list[DistinctiveWord]]
    emergent_themes: list[EmergentTheme]
    non_informative: dict[str, dict[str, int]]
    withheld: NotRequired[list[CommentCell]]


# ---------------------------------------------------------------------- dialogue


class Cluster(TypedDict):
    """A pile of workshop notes (from the text analysis, or a voted pile of a live round)."""

    id: NotRequired[int]
    label: str
    kind: str
    count: int
    note_ids: list[str]
    notes: list[str]
    prompt_id: str
    rank: int | None
    themes: NotRequired[list[str]]
    votes: int | None
    pile_id: NotRequired[int]


class Note(TypedDict):
    id: str
    prompt_id: str
    text: str
    kind: str
    themes: list[str]
    cluster: int


class Dialogue(TypedDict, total=False):
    """`tillit.nlp.DialogueAnalysis.to_dict()`, with voted piles in place of their prompt's clusters
    (only `clusters` when a round was voted without notes analysed)."""

    clusters: list[Cluster]
    notes: list[Note]
    n_notes: int
    actions: list[str]
    piling: str
    piling_note: str


# ---------------------------------------------------------------------- actions followed up


class ActionGroup(TypedDict):
    index_then: float | None
    index_now: float | None
    change: float | None
    p_value: float | None
    significant: bool | None
    suppressed: bool


class Action(ActionGroup):
    """An earlier decided action with its area's index then and now, all respondents
    (`tillit.benchmarks.followup`), and the same per group."""

    id: int
    text: str
    area: str
    area_label: str
    owner: str | None
    due: str | None
    status: str | None
    decided_year: int
    year_then: int
    year_now: int
    area_measured: bool
    groups: dict[str, ActionGroup]


# ---------------------------------------------------------------------- provenance and method


class WaveInfo(TypedDict):
    municipality: str
    year: int
    kind: str
    source: str | None
    synthetic: bool


class SourceFile(TypedDict):
    name: str
    sha256: str
    format: str


class Provenance(TypedDict, total=False):
    """Where the figures come from and how they were made (the method page reads it)."""

    generated_at: str
    instrument_source: str
    threshold: int
    synthetic: bool
    benchmark_synthetic: bool
    wave: WaveInfo
    files: list[SourceFile]
    dropped_columns: list[str]


# ---------------------------------------------------------------------- the whole document


class AnalysisDocument(TypedDict):
    """analys.json: `WorkshopAnalysis.to_dict()`."""

    municipality: str
    year: int | None
    lang: Literal["sv", "en"]
    instrument: InstrumentInfo
    groups: list[Group]
    dimensions: list[Dimension]
    questions: list[Question]
    comment_boxes: list[CommentBox]
    respondents: dict[str, int | None]  # None: a hidden group, whose size is not shown either
    threshold: int
    results: Results
    findings: Findings
    # the parts below have defaults: an analys.json written before they existed may lack them
    benchmark: NotRequired[Benchmark | None]
    comments: NotRequired[Comments | None]
    dialogue: NotRequired[Dialogue | None]
    dialogue_prompts: NotRequired[list[Prompt]]
    actions: NotRequired[list[Action]]
    provenance: NotRequired[Provenance]
    warnings: NotRequired[list[str]]
    hidden_groups: NotRequired[list[str]]  # groups with answers but fewer than the threshold (tillit.survey.privacy)
    schema_version: NotRequired[int]


# Validation (tillit.analysis.schema) refuses keys a type does not name. Set without importing
# pydantic, which reads this attribute of a TypedDict as its configuration.
for _t in list(globals().values()):
    if isinstance(_t, type) and issubclass(_t, dict) and _t.__module__ == __name__:
        setattr(_t, "__pydantic_config__", {"extra": "forbid"})
