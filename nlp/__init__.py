"""Swedish comment and dialogue analysis: redaction, themes, sentiment, summaries.

Public surface::

    redact(text) -> Redacted
    analyse_comments(df, lang="sv", taxonomy=None, group_labels=None) -> CommentAnalysis
    analyse_dialogue(df, lang="sv", use_embeddings=True) -> DialogueAnalysis

Everything returned is redacted; see docs/nlp.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import CommentInputError, NlpError, TaxonomyError
from .redact import redact  # imported here, not on first use: it shares its name with its module
from .results import (
    Bullet,
    CommentAnalysis,
    CommentResult,
    DialogueAnalysis,
    DistinctiveWord,
    EmergentTheme,
    NoteCluster,
    NoteResult,
    PiiSpan,
    Redacted,
    Summary,
)

if TYPE_CHECKING:
    from .comments import analyse_comments
    from .dialogue import analyse_dialogue

# Imported on first use (PEP 562): they bring pandas, spaCy and scikit-learn, which a command
# that only redacts or reads the caches (`tillit.nlp.cache`) does not need.
_LAZY = {"analyse_comments": "comments", "analyse_dialogue": "dialogue"}

__all__ = [
    "Bullet", "CommentAnalysis", "CommentInputError", "CommentResult", "DialogueAnalysis",
    "DistinctiveWord", "EmergentTheme", "NlpError", "NoteCluster", "NoteResult", "PiiSpan", "Redacted",
    "Summary", "TaxonomyError", "analyse_comments", "analyse_dialogue", "redact",
]


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
