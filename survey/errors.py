"""Domain errors with messages a facilitator can act on.

They are raised deep in the code and translated at the edges: the CLI prints the message
and exits with a non-zero code; the dashboard shows it as an alert. The message always
names the file (and the column, row or label where known) and says how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class TillitError(Exception):
    """Base class of every error that is the user's input, not a bug in Tillit."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, source: str | Path | None = None):
        self.message = message
        self.hint = hint
        self.source = str(source) if source is not None else None
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\nSå här åtgärdar du det: {self.hint}"
        return text


class InstrumentError(TillitError):
    """The instrument file is not valid."""


class ExportReadError(TillitError):
    """The survey export cannot be read at all (format, encoding, damaged file)."""


class ExportMappingError(TillitError):
    """The export was read but its columns or answers do not fit the instrument."""
