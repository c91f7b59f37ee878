"""Errors of the benchmark store and comparisons: Swedish messages a facilitator can act on."""

from __future__ import annotations

from tillit.survey.errors import TillitError


class StoreError(TillitError):
    """The database cannot be opened, or an import or removal cannot be done as asked."""


class AggregateFileError(TillitError):
    """The aggregated counts file does not fit the expected shape or the instrument."""


class ComparisonError(TillitError):
    """A comparison cannot be made (nothing to compare with, scales that differ, ...)."""
