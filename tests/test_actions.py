"""Actions decided at a workshop: stored with a migration, followed up at the next wave.

Two waves of one fictional municipality are built with exactly known counts; an action is
added in the first, the second is analysed, and the follow-up is checked against each
wave's results computed on its own, in analys.json, the deck and the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from docx import Document
from pptx import Presentation
from sqlalchemy import inspect

from tillit.benchmarks import Store, StoreError, migrations
from tillit.benchmarks.followup import MeasuredWave, change_test, follow_up
from tillit.survey import ALL, compute_results, count_answers, read_export
from tests.benchmarks_fixtures import db_url, store  # noqa: F401
from tests.factory import build_frame, write
from tillit.commands.actions import actions_group
from tillit.commands.analyse import analyse_cmd
from tillit.commands.store import import_cmd

S4 = ("Nej", "Till liten del", "Till viss del", "Till stor del")
RESPONDENTS = {"politiker": 12, "tjansteperson": 14}
MUNI = "Åbacka"


def spec(trust: tuple[int, int, int, int], other: tuple[int, int, int, int] = (2, 3, 4, 3)) -> dict:
    """tillit and kultur (the trust area) answered with `trust` per group, the rest with `other`."""
    out: dict = {}
    for qid in ("roll_ansvar", "tillit", "kultur", "malstyrning", "uppfoljning_ekonomi", "uppfoljning_kvalitet",
                "vision_innehall"):
        counts = trust if qid in ("tillit", "kultur") else other
        more = (counts[0], counts[1], counts[2] + 2, counts[3])  # tjänstepersoner: two more answers
        out[qid] = {"politiker": dict(zip(S4, counts)), "tjansteperson": dict(zip(S4, more))}
    out["vision"] = {g: {"Ja": 8, "Nej": 4} for g in RESPONDENTS}
    return out


@pytest.fixture
def waves(tmp_path) -> tuple[Path, Path]:
    first = write(build_frame(spec((6, 4, 1, 1)), RESPONDENTS, seed=1), tmp_path / "abacka_2025.csv")
    second = write(build_frame(spec((0, 2, 5, 5)), RESPONDENTS, seed=2), tmp_path / "abacka_2027.csv")
    return first, second


COMMANDS = {"import": import_cmd, "actions": actions_group, "analyse": analyse_cmd}


def run(name, *args):
    """One command as `tillit NAME ...` runs it (invoked directly: the help of `main` stays untouched)."""
    return CliRunner().invoke(COMMANDS[name], [str(a) for a in args])


def _pptx_text(path: Path) -> str:
    return "\n".join(s.text_frame.text for slide in Presentation(path).slides for s in slide.shapes
                     if s.has_text_frame)


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(path).paragraphs)


def own_results(path: Path):
    return compute_results(count_answers(read_export(path)))


def test_action_in_first_wave_followed_up_in_the_second(tmp_path, waves, monkeypatch):
    monkeypatch.delenv("TILLIT_DB", raising=False)
    first, second = waves
    db = tmp_path / "t.db"
    assert run("import", first, "-m", MUNI, "-y", 2025, "--db", db).exit_code == 0
    added = run("actions", "add", MUNI, "--year", 2025, "--area", "tillit", "--text", "Gemensam visionsdag",
                "--owner", "KS-presidiet", "--due", "2026-06-30", "--db", db)
    assert added.exit_code == 0, added.output
    listed = json.loads(run("actions", "list", MUNI, "--format", "json", "--db", db).output)
    assert listed == [{"id": 1, "municipality": MUNI, "year": 2025, "area": "tillit", "text": "Gemensam visionsdag",
                       "owner": "KS-presidiet", "due": "2026-06-30", "status": "open"}]
    out = tmp_path / "ut"
    analysed = run("analyse", second, "-m", MUNI, "-y", 2027, "--db", db, "--out", out)
    assert analysed.exit_code == 0, analysed.output

    data = json.loads((out / "analys.json").read_text("utf-8"))
    [action] = data["actions"]
    then, now = own_results(first).dimensions["tillit"], own_results(second).dimensions["tillit"]
    assert (action["text"], action["area"], action["decided_year"]) == ("Gemensam visionsdag", "tillit", 2025)
    assert action["index_then"] == then[ALL] and action["index_now"] == now[ALL]
    assert action["change"] == pytest.approx(now[ALL] - then[ALL], abs=0.01) and action["change"] > 20
    assert action["significant"] is True and action["p_value"] < 0.05
    for g in RESPONDENTS:
        cell = action["groups"][g]
        assert (cell["index_then"], cell["index_now"]) == (then[g], now[g]) and not cell["suppressed"]

    deck, report = _pptx_text(out / "workshop.pptx"), _docx_text(out / "rapport.docx")
    for text in (deck, report):
        assert "Uppföljning av åtgärder" in text and "Gemensam visionsdag" in text and "KS-presidiet" in text
        assert "inte att åtgärden orsakade den" in text
    assert f"{then[ALL]:.1f}".replace(".", ",") in deck and f"{now[ALL]:.1f}".replace(".", ",") in deck

    assert run("actions", "done", 1, "--db", db).exit_code == 0
    assert json.loads(run("actions", "list", "--format", "json", "--db", db).output)[0]["status"] == "done"
    en = tmp_path / "en"
    assert run("analyse", second, "-m", MUNI, "-y", 2027, "--db", db, "--out", en, "--lang", "en").exit_code == 0
    text = _pptx_text(en / "workshop.pptx")
    assert "Follow-up of actions" in text and "not that the action caused it" in text and "done" in text


def test_groups_under_the_threshold_get_no_figures(tmp_path, waves):
    first, second = waves
    with Store(str(tmp_path / "t.db")) as s:
        s.import_export(first, MUNI, 2025, skip_comments=True)
        s.import_export(second, MUNI, 2027, skip_comments=True)
        s.add_action(MUNI, 2025, "tillit och KULTUR", "Fika", redact=str)  # the area's Swedish name works too
        from tillit.pipeline import analysis_from_store

        a = analysis_from_store(s, MUNI, 2027, threshold=13)  # politiker: 12 respondents
        earlier = analysis_from_store(s, MUNI, 2025)
    [action] = a.actions
    assert action["groups"]["politiker"] == {"index_then": None, "index_now": None, "change": None, "p_value": None,
                                             "significant": None, "suppressed": True}
    assert action["suppressed"] and action["index_then"] is None  # the total would reveal the hidden group
    assert not action["groups"]["tjansteperson"]["suppressed"]
    assert earlier.actions == []  # the action's own wave has nothing to follow up yet


def test_the_change_test_on_equal_and_shifted_waves(tmp_path):
    def measured(year, trust, path):
        data = read_export(write(build_frame(spec(trust), RESPONDENTS, seed=year), path))
        return MeasuredWave(year, data.instrument, compute_results(count_answers(data)))

    a = measured(2025, (3, 3, 3, 3), tmp_path / "a.csv")
    same = measured(2027, (3, 3, 3, 3), tmp_path / "b.csv")
    shifted = measured(2027, (0, 1, 4, 7), tmp_path / "c.csv")
    assert change_test(a, same, "tillit", ALL, 0.0) == (1.0, False)
    p, sig = change_test(a, shifted, "tillit", ALL, 25.0)
    assert sig and p < 0.01
    out = follow_up([{"id": 1, "year": 2025, "area": "tillit", "text": "x"}], {1: a}, shifted)
    assert out[0]["change"] == round(shifted.results.dimensions["tillit"][ALL] - a.results.dimensions["tillit"][ALL], 2)
    assert out[0]["area_measured"] is True
    assert follow_up([{"id": 1, "year": 2027, "area": "tillit", "text": "x"}], {1: shifted}, shifted) == []
    gone = follow_up([{"id": 2, "year": 2025, "area": "inget_sadant", "text": "x"}], {2: a}, shifted)[0]
    assert gone["area_measured"] is False and gone["suppressed"] and gone["change"] is None


@pytest.mark.parametrize("args,message", [
    (["--area", "okänt"], "Området 'okänt' finns inte"),
    (["--due", "nästa vår"], "Slutdatumet 'nästa vår' är inget datum"),
    (["--due", "2026-02-30"], "inget datum"),
    (["--year", "2020"], "ingen enkätomgång 2020 eller tidigare"),
])
def test_bad_action_is_refused_and_nothing_stored(tmp_path, waves, args, message, monkeypatch):
    monkeypatch.delenv("TILLIT_DB", raising=False)
    db = tmp_path / "t.db"
    assert run("import", waves[0], "-m", MUNI, "-y", 2025, "--db", db).exit_code == 0
    base = {"--year": "2025", "--area": "tillit", "--text": "Visionsdag"}
    base.update(dict(zip(args[::2], args[1::2])))
    out = run("actions", "add", MUNI, *[x for kv in base.items() for x in kv], "--db", db)
    assert out.exit_code != 0 and message in out.output and "Traceback" not in out.output
    if "okänt" in args:
        assert "tillit (Tillit och kultur)" in out.output and "mal (" in out.output
    assert json.loads(run("actions", "list", "--format", "json", "--db", db).output) == []


def test_action_for_a_municipality_not_stored(tmp_path, waves, monkeypatch):
    monkeypatch.delenv("TILLIT_DB", raising=False)
    db = tmp_path / "t.db"
    assert run("import", waves[0], "-m", MUNI, "-y", 2025, "--db", db).exit_code == 0
    out = run("actions", "add", "Åbaka", "--year", 2025, "--area", "tillit", "--text", "x", "--db", db)
    assert out.exit_code != 0 and "Det finns inga enkätomgångar för 'Åbaka'" in out.output
    assert "Menar du 'Åbacka'?" in out.output
    assert run("actions", "done", 7, "--db", db).exit_code != 0
    assert json.loads(run("actions", "list", "--format", "json", "--db", db).output) == []
    with Store(str(db)) as s:
        assert [m for (m,) in s.engine.connect().exec_driver_sql("SELECT name FROM municipalities")] == [MUNI]


def test_action_text_and_owner_are_redacted(store, waves):
    store.import_export(waves[0], MUNI, 2025, skip_comments=True)
    from tillit.nlp import redact

    a = store.add_action(MUNI, 2025, "roller", "Ring Lena Holm på 070-123 45 67", owner="Lena Holm",
                         redact=lambda t: redact(t).text)
    assert "Lena" not in a.text and "070" not in a.text and a.owner == "[NAMN]"
    with pytest.raises(StoreError):
        store.add_action(MUNI, 2025, "roller", "Okej")  # no redactor: refused, like comments


def test_migration_from_0001_adds_actions_and_keeps_data(store, waves):
    store.import_export(waves[0], MUNI, 2025, skip_comments=True)
    store.add_action(MUNI, 2025, "mal", "Färre mål", redact=str)
    with store.engine.begin() as conn:
        command.downgrade(migrations.config(conn), "0001")
    assert "actions" not in inspect(store.engine).get_table_names()
    again = Store(store.url)
    try:
        assert "actions" in inspect(again.engine).get_table_names()
        assert [w.label for w in again.waves()] == [f"{MUNI} 2025"] and again.actions() == []
        with again.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()  # 0002_actions and every later revision
    finally:
        again.close()


def test_singular_note_count_and_no_followup_without_actions(tmp_path):
    """"(1 lapp)" for one note, "(2 lappar)" for more; no follow-up slide or section without actions."""
    from tillit import reports
    from tests.samples import sample_analysis

    a = sample_analysis()
    a.dialogue = {"clusters": [
        {"label": "Visionsdag", "kind": "atgard", "count": 1, "note_ids": ["n1"], "notes": ["Visionsdag"],
         "prompt_id": "forbattra_samspel", "rank": 1},
        {"label": "Färre mål", "kind": "atgard", "count": 2, "note_ids": ["n2", "n3"], "notes": [],
         "prompt_id": "forbattra_samspel", "rank": 2},
        {"label": "Låg tillit", "kind": "problem", "count": 1, "note_ids": ["n4"], "notes": [],
         "prompt_id": "forbattra_samspel", "rank": None}]}
    deck = _pptx_text(reports.write_deck(a, tmp_path / "d.pptx"))
    report = _docx_text(reports.write_report(a, tmp_path / "r.docx"))
    for text in (deck, report):
        assert "Visionsdag (1 lapp)" in text and "Färre mål (2 lappar)" in text and "Låg tillit (1 lapp)" in text
        assert "1 lappar" not in text and "Uppföljning av åtgärder" not in text
