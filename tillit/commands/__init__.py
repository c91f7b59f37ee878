"""Every `tillit` command, one module per area; `tillit.cli.COMMANDS` names them.

A command parses flags and calls plain functions of survey, benchmarks, nlp, reports or
dashboard; heavy libraries are imported inside the command so that `tillit --help` stays fast.
"""

from __future__ import annotations

from rich.console import Console


def make_console() -> Console:
    """A console that does not squeeze tables when output goes to a file or a pipe."""
    c = Console()
    return c if c.is_terminal else Console(width=160)
