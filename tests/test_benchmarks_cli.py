"""The benchmark commands through click's CliRunner: output, JSON, exit codes, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.benchmarks_fixtures import AGGREGATE, public_copy, public_db, shared_exports  # noqa: F401
from tests.factory import build_frame, national_frame, write
from tillit.commands.store import compare_cmd, import_aggregate_cmd, import_cmd, remove_cmd, waves_cmd

commands = [import_cmd, import_aggregate_cmd, waves_cmd, remove_cmd, compare_cmd]


@pytest.fixture
def run(monkeypatch):
    monkeypatch.delenv("TILLIT_DB", raising=False)

    def invoke(cmd, *args):
        return CliRunner().invoke(cmd, [str(a) for a in args], catch_exceptions=False)
    return invoke


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
    import click

    names = main.list_commands(click.Context(main))
    assert {"import", "import-aggregate", "waves", "remove", "compare"} <= set(names)


# ------------------------------------------------------------------ a file with many municipalities


def test_national_file_becomes_one_counts_wave_per_municipality(run, tmp_path):
    from tillit.benchmarks import Store
    from tillit.survey import count_by_municipality, read_export

    db, f = tmp_path / "t.db", write(national_frame(), tmp_path / "nationell.csv")
    out = run(import_cmd, f, "--year", 2025, "--synthetic", "--db", db)
    assert out.exit_code == 0, out.output
    assert "Importerade Alby 2025 (11 förtroendevalda, 14 tjänstepersoner)" in out.output  # row 5 (a politician): none
    assert "3 kommuner ur filen lagras" in out.output and "1 svarande saknar kommun" in out.output
    expected = count_by_municipality(read_export(f))
    with Store(str(db)) as s:
        stored = {w.municipality: w for w in s.waves()}
        assert sorted(stored) == ["Alby", "Bstad", "Cvik"]
        for name, w in stored.items():
            assert w.kind == "aggregate" and w.synthetic and w.respondents == expected[name].respondents
            assert s.counts(w).as_nested() == expected[name].as_nested()
            assert s.comments(w).empty
    again = run(import_cmd, f, "-y", 2025, "--db", db)
    assert again.exit_code == 0 and again.output.count("redan importerad") == 3
    cmp = run(compare_cmd, "Alby", "--db", db)
    assert cmp.exit_code == 0 and "Index 0–100 per område" in cmp.output


def test_national_file_with_one_municipality_named_is_refused(run, tmp_path):
    db, f = tmp_path / "t.db", write(national_frame(), tmp_path / "nationell.csv")
    out = run(import_cmd, f, "-m", "Alby", "-y", 2025, "--skip-comments", "--db", db)
    assert out.exit_code != 0
    assert "nationell.csv" in out.output and "3 kommuner (Alby, Bstad, Cvik)" in out.output
    assert "Utelämna --municipality" in out.output
    from tillit.benchmarks import Store
    with Store(str(db)) as s:
        assert s.waves() == []  # nothing stored


def test_file_without_municipality_column_needs_a_name(run, tmp_path):
    spec = {"tillit": {"politiker": {"Nej": 6}, "tjansteperson": {"Nej": 6}}}
    f = write(build_frame(spec, {"politiker": 6, "tjansteperson": 6}), tmp_path / "a.csv")
    out = run(import_cmd, f, "-y", 2025, "--db", tmp_path / "t.db")
    assert out.exit_code != 0 and "ingen kommunkolumn" in out.output and "--municipality" in out.output


def test_many_waves_are_summed_up_in_one_line():
    from types import SimpleNamespace

    from tillit.benchmarks.store import ImportReport
    found = [SimpleNamespace(label=f"Kommun {i:03d} 2025", respondents={"politiker": 5}) for i in range(40)]
    lines = ImportReport("n.csv", imported=found, unchanged=found[:2]).lines()
    assert lines[0] == "Importerade 40 omgångar: Kommun 000 2025, Kommun 001 2025, Kommun 002 2025 … och 37 till."
    assert lines[1:] == [f"Kommun 00{i} 2025 är redan importerad från n.csv – inget ändrades." for i in (0, 1)]
