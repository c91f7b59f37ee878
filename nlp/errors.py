"""Errors with messages a facilitator can act on (Swedish, name the file and the fix)."""


class NlpError(Exception):
    """Base class for errors raised by the nlp package."""


class CommentInputError(NlpError, ValueError):
    """The comments given cannot be read: missing column, empty file, bad encoding."""


class TaxonomyError(NlpError, ValueError):
    """The theme taxonomy file is missing or malformed."""
