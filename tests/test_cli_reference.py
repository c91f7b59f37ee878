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
    import click

    names = set(main.list_commands(click.Context(main)))
    assert used and used <= names, used - names


def test_readme_has_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_registered_command_loads_with_its_name_and_help():
    import importlib

    from tillit.cli import COMMANDS

    for name, (module, attr, first) in COMMANDS.items():
        cmd = getattr(importlib.import_module(module), attr)
        assert cmd.name == name
        assert " ".join((cmd.help or "").strip().split("\n\n")[0].split()) == first, name


def test_a_command_whose_dependency_is_missing_says_so(monkeypatch):
    from click.testing import CliRunner

    from tillit import cli

    monkeypatch.setitem(cli.COMMANDS, "dashboard", ("tillit_no_such_module.dash", "x", "Finns inte."))
    main = cli.TillitGroup(name="tillit", commands={})  # a fresh group: nothing cached
    r = CliRunner().invoke(main, ["dashboard", "--port", "1"])
    assert r.exit_code != 0
    assert "tillit_no_such_module" in r.output and "inte är installerat" in r.output
    assert "dashboard" in CliRunner().invoke(main, ["--help"]).output  # listed, never vanished
