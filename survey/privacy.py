"""The anonymity rule: every decision to hide a figure is taken here, and nowhere else.

Tillit shows no figure that speaks for fewer people than the anonymity threshold
(`--threshold` / `TILLIT_THRESHOLD`, default `DEFAULT_THRESHOLD`). The rules:

- **a group** with fewer respondents than the threshold shows no figure at all, and a
  question × group cell with fewer answers than the threshold shows none either
  (`too_few`, `cell_hidden`);
- **its size** is not shown either: `hidden_groups` names the groups with answers but
  fewer than the threshold, `shown_sizes` blanks their size (None);
- **the total** of all respondents is hidden next to a hidden group that answered,
  since the total minus the other groups would reveal it (`total_hidden`);
- **an area (dimension) index** is shown only when every one of its questions is
  (`area_hidden`);
- **benchmark municipalities** follow the same rules, for a whole set of waves at once
  (`hidden_cells`, the same three rules on arrays);
- **comments**: a hidden group's comments are left out before the text analysis
  (`shown_groups`), and a box × group summary resting on fewer commenters than the
  threshold shows no bullets and no quote, and its comments are quoted nowhere, not even in
  the report's appendix (`suppress_comment_summaries`).

Every other module calls these functions; the analysis object records their outcome as
flags (`suppressed`, `hidden_groups`, `respondents[g] = None`), and the renderers (deck,
report, dashboard, command-line tables) read the flags only. `tests/test_code_quality.py`
fails if any other module compares something with the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DEFAULT_THRESHOLD = 5


def too_few(n: int | None, threshold: int) -> bool:
    """Fewer than the threshold: nothing resting on these n people is shown (None and 0 too)."""
    return (n or 0) < threshold


def cell_hidden(answers: int, group_respondents: int | None, threshold: int) -> bool:
    """One question × group: hidden when fewer answered the question than the threshold, or
    when the group itself has fewer respondents than the threshold."""
    return too_few(answers, threshold) or too_few(group_respondents, threshold)


def hidden_groups(respondents: Mapping[str, int | None], threshold: int) -> list[str]:
    """The groups with answers but fewer respondents than the threshold, in the mapping's order.

    A size already blanked (None) is a hidden group's."""
    return [g for g, n in respondents.items() if n is None or 0 < n < threshold]


def shown_sizes(respondents: Mapping[str, int | None], threshold: int) -> dict[str, int | None]:
    """The group sizes as they may be shown: None for a hidden group."""
    hidden = set(hidden_groups(respondents, threshold))
    return {g: (None if g in hidden else n) for g, n in respondents.items()}


def shown_groups(respondents: Mapping[str, int | None], threshold: int) -> set[str]:
    """The groups with at least the threshold of respondents (whose figures and comments are shown)."""
    return {g for g, n in respondents.items() if not too_few(n, threshold)}


def total_hidden(cells: Iterable[tuple[bool, int | None]]) -> bool:
    """Whether the total of all respondents must be hidden, given each group's (hidden, respondents):
    a shown total next to a hidden group that answered would reveal that group by subtraction."""
    return any(hidden and (n or 0) > 0 for hidden, n in cells)


def area_hidden(indices: Iterable[float | None]) -> bool:
    """An area's index is hidden when any of its questions' indices is (or when it has none)."""
    values = list(indices)
    return not values or any(i is None for i in values)


def areas_hidden(indices: np.ndarray) -> np.ndarray:
    """`area_hidden` for many waves at once: ``indices`` float [W, questions of the area], NaN where
    a question's index is hidden. Returns bool [W]."""
    return (indices != indices).any(axis=1) | (indices.shape[1] == 0)


def hidden_cells(answers: np.ndarray, respondents: np.ndarray, threshold: int) -> np.ndarray:
    """The rules above for many waves at once.

    ``answers``: int [W, Q, G + 1], answers per wave × question × group, the last column the
    total of all respondents; ``respondents``: int [W, G]. Returns bool [W, Q, G + 1]: True
    where the figure is hidden."""
    groups = respondents.shape[1]
    hidden = answers < threshold
    hidden[:, :, :groups] |= (respondents < threshold)[:, None, :]
    # a shown total next to a hidden group that answered would reveal that group by subtraction
    hidden[:, :, groups] |= (hidden[:, :, :groups] & (respondents > 0)[:, None, :]).any(axis=2)
    return hidden


def summary_hidden(n_commenters: int | None, threshold: int) -> bool:
    """A comment summary (themes, counts, quotes) resting on fewer commenters than the threshold."""
    return too_few(n_commenters, threshold)


def suppress_comment_summaries(comments: dict[str, Any] | None, threshold: int) -> dict[str, Any] | None:
    """Comment analysis (``CommentAnalysis.to_dict()``) with each box × group summary flagged,
    and the comments of a box × group too few to summarise withheld.

    A summary resting on fewer commenters than the threshold keeps its place with
    ``suppressed: true`` and no bullets (its counts and quotes would speak for a handful of
    people); every other summary gets ``suppressed: false``. The comments of such a box ×
    group are not quoted anywhere either (the report's appendix, the dashboard): they leave
    the list, and ``withheld`` names the box × group cells left out. A cell without a
    summary is judged by its number of comments."""
    if not comments:
        return comments
    out = dict(comments)
    out["summaries"] = []
    flagged: dict[tuple[Any, Any], bool] = {}
    for s in comments.get("summaries") or []:
        s = dict(s)
        s["suppressed"] = summary_hidden(s.get("n_commenters"), threshold)
        if s["suppressed"]:
            s["bullets"] = []
        flagged[(s.get("box"), s.get("group"))] = s["suppressed"]
        out["summaries"].append(s)
    per_cell: dict[tuple[Any, Any], int] = {}
    for c in comments.get("comments") or []:
        cell = (c.get("box"), c.get("group"))
        per_cell[cell] = per_cell.get(cell, 0) + 1
    withheld = {cell for cell, n in per_cell.items()
                if (flagged[cell] if cell in flagged else too_few(n, threshold))}
    out["comments"] = [c for c in comments.get("comments") or [] if (c.get("box"), c.get("group")) not in withheld]
    out["withheld"] = [{"box": b, "group": g} for b, g in per_cell if (b, g) in withheld]
    return out


def withhold_small_comment_groups(comments: dict[str, Any] | None, commenters: Mapping[str, int],
                                  threshold: int) -> dict[str, Any] | None:
    """Comment analysis JSON without the words of a group with fewer commenters than the threshold.

    ``commenters``: distinct commenters per group. Such a group's comments keep their id,
    box and themes but no text (``text: null``), its distinctive words are dropped, and
    ``withheld_groups`` names it. (In `tillit analyse` these comments never reach the text
    analysis: `shown_groups` leaves a hidden group out by its respondents.)"""
    if not comments:
        return comments
    small = [g for g, n in commenters.items() if too_few(n, threshold)]
    out = dict(comments)
    out["comments"] = [({**c, "text": None} if c.get("group") in small else c) for c in comments.get("comments") or []]
    if "distinctive_words" in out:
        out["distinctive_words"] = {g: ([] if g in small else w) for g, w in out["distinctive_words"].items()}
    out["withheld_groups"] = small
    return out
