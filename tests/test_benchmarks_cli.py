"""The benchmark commands through click's CliRunner: output, JSON, exit codes, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from benchmarks.cli import commands, compare_cmd, import_aggregate_cmd, import_cmd, remove_cmd, waves_cmd
from tests.factory import build_frame, write
from tests.benchmarks_fixtures import AGGREGATE, public_copy, public_db, shared_exports  # noqa: F401


@pytest.fixture
def run(monkeypatch):
    monkeypatch.delenv("TILLIT_DB", raising=False)

    def invoke(cmd, *args):
        return CliRunner().invoke(cmd, [str(a) for a in args], catch_exceptions=False)
    return invoke


def test_all_commands_are_exported():
    assert [c.name for c in commands] == ["import", "import-aggregate", "waves", "remove", "compare"]


def test_import_then_again_then_list(run, tmp_path, shared_exports):
    db = tmp_path / "t.db"
    f = shared_exports / "norrvik_2024_googleforms.csv"
    first = run(import_cmd, f, "--municipality", "Norrvik", "--year", 2024, "--skip-comments", "--db", db)
    assert first.exit_code == 0 and "Importerade Norrvik 2024" in first.output
    again = run(import_cmd, f, "-m", "Norrvik", "-y", 2024, "--skip-comments", "--db", db)
    assert again.exit_code == 0 and "redan importerad" in again.output
    agg = run(import_aggregate_cmd, shared_exports / AGGREGATE, "--synthetic", "--db", db)
    assert agg.exit_code == 0 and agg.output.count("Importerade") == 6
    listed = json.loads(run(waves_cmd, "--format", "json", "--db", db).output)
    assert len(listed) == 7
    norrvik = next(w for w in listed if w["municipality"] == "Norrvik")
    assert norrvik["kind"] == "raw" and not norrvik["synthetic"] and len(norrvik["sha256"]) == 64
    assert all(w["synthetic"] for w in listed if w["kind"] == "aggregate")
    table = run(waves_cmd, "--db", db)
    assert "Lagrade enkätomgångar" in table.output and "Östervik" in table.output


def test_db_from_environment(run, tmp_path, shared_exports, monkeypatch):
    monkeypatch.setenv("TILLIT_DB", str(tmp_path / "env.db"))
    assert run(import_aggregate_cmd, shared_exports / AGGREGATE).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_compare_prints_the_tables(run, public_copy):
    out = run(compare_cmd, "Exempelby", "--db", public_copy)
    assert out.exit_code == 0, out.output
    assert "jämförelse med Kävlinge kommun 2024" in out.output
    assert "p-värde" in out.output and "Samsyn" in out.output and "Hög grad av tillit" in out.output


def test_compare_json(run, public_copy):
    out = run(compare_cmd, "Exempelby", "--format", "json", "--db", public_copy)
    d = json.loads(out.output)
    assert (d["municipality"], d["year"]) == ("Exempelby", 2025)
    assert (d["benchmark"]["municipality"], d["benchmark"]["year"], d["benchmark"]["basis"]) == ("Kävlinge", 2024, "raw")
    cell = d["questions"]["tillit"]["tjansteperson"]
    assert cell["difference"] < 0 and 0 <= cell["p_value"] <= 1 and sum(cell["benchmark_percent"].values()) == 100


def test_compare_with_year_and_threshold(run, public_copy):
    d = json.loads(run(compare_cmd, "Lövby", "--with", "kävlinge", "--with-year", 2022, "--threshold", 40,
                       "--format", "json", "--db", public_copy).output)
    assert (d["benchmark"]["municipality"], d["benchmark"]["year"], d["benchmark"]["chosen"]) == ("Kävlinge", 2022, "given")
    assert d["anonymity_threshold"] == 40
    assert d["questions"]["tillit"]["politiker"]["suppressed"]  # 31 respondents, fewer than 40
    trend = json.loads(run(compare_cmd, "Kävlinge", "--year", 2024, "--format", "json", "--db", public_copy).output)
    assert trend["trend"]["previous_year"] == 2022


def test_remove(run, public_copy):
    out = run(remove_cmd, "Kävlinge", "--year", 2024, "--db", public_copy)
    assert out.exit_code == 0 and "Tog bort Kävlinge 2024" in out.output
    d = json.loads(run(compare_cmd, "Exempelby", "--format", "json", "--db", public_copy).output)
    assert (d["benchmark"]["municipality"], d["benchmark"]["year"]) == ("Kävlinge", 2022)  # the data decides


@pytest.mark.parametrize("args,message", [
    (["compare", "Ingenstans"], "Det finns inga enkätomgångar för 'Ingenstans'"),
    (["compare", "Exempelby", "--year", "1999"], "har ingen enkätomgång 1999"),
    (["compare", "Exempelby", "--with", "Exempelby"], "sin egen jämförelsekommun"),
    (["remove", "Lövby", "--year", "2030"], "ingen enkätomgång 2030"),
])
def test_bad_input_is_a_message_not_a_traceback(run, public_copy, args, message):
    cmd = {c.name: c for c in commands}[args[0]]
    out = run(cmd, *args[1:], "--db", public_copy)
    assert out.exit_code == 1 and message in out.output and "Traceback" not in out.output


def test_bad_files_and_conflicts(run, tmp_path, shared_exports, public_copy):
    bad = tmp_path / "agg.csv"
    bad.write_text("kommun,ar,fraga,grupp,svarsalternativ,antal\nX,2024,tillit,politiker,Kanske,3\n", "utf-8")
    out = run(import_aggregate_cmd, bad, "--db", tmp_path / "t.db")
    assert out.exit_code == 1 and "rad 2" in out.output and "Kanske" in out.output and "Så här åtgärdar" in out.output
    missing = run(import_cmd, tmp_path / "finns-inte.csv", "-m", "X", "-y", 2024, "--db", tmp_path / "t.db")
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    other = write(build_frame({"tillit": {"politiker": {"Nej": 6}}}, {"politiker": 6, "tjansteperson": 6}),
                  tmp_path / "annan.csv")
    clash = run(import_cmd, other, "-m", "Exempelby", "-y", 2025, "--db", public_copy)
    assert clash.exit_code == 1 and "--replace" in clash.output and "Exempelby 2025" in clash.output
    replaced = run(import_cmd, other, "-m", "Exempelby", "-y", 2025, "--replace", "--db", public_copy)
    assert replaced.exit_code == 0 and "Ersatte Exempelby 2025" in replaced.output


def test_registered_in_tillit():
    from tillit.cli import main
    assert {"import", "import-aggregate", "waves", "remove", "compare"} <= set(main.commands)
