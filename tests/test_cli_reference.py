"""docs/cli.md is the commands' own --help; the README names only commands that exist."""

import re
import subprocess
import sys
from pathlib import Path

from tillit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date():
    # a process of its own: click caches each command's help option from the first context that
    # asks, so commands invoked by earlier tests would otherwise change the text
    fresh = subprocess.run([sys.executable, "-m", "tillit.cli_reference"], capture_output=True, text=True,
                           timeout=120, check=True, cwd=ROOT).stdout
    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == fresh, "run: python -m tillit.cli_reference > docs/cli.md"


def test_readme_mentions_only_existing_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    used = set(re.findall(r"^tillit ([a-z-]+)", readme, flags=re.M))
    assert used and used <= set(main.commands), used - set(main.commands)


def test_readme_has_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
