"""Swedish comment and dialogue analysis: redaction, themes, sentiment, summaries.

Public surface::

    redact(text) -> Redacted
    analyse_comments(df, lang="sv", taxonomy=None, group_labels=None) -> CommentAnalysis
    analyse_dialogue(df, lang="sv", use_embeddings=True) -> DialogueAnalysis

Everything returned is redacted; see docs/nlp.md.
"""

from .comments import analyse_comments
from .dialogue import analyse_dialogue
from .errors import CommentInputError, NlpError, TaxonomyError
from .redact import redact
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

__all__ = [
    "Bullet", "CommentAnalysis", "CommentInputError", "CommentResult", "DialogueAnalysis",
    "DistinctiveWord", "EmergentTheme", "NlpError", "NoteCluster", "NoteResult", "PiiSpan", "Redacted",
    "Summary", "TaxonomyError", "analyse_comments", "analyse_dialogue", "redact",
]
