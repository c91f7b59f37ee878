"""analys.json against its types (tillit.analysis.types): the committed JSON Schema is the generated
one, every analysis the pipeline builds validates with extra keys forbidden (so a builder and
the types cannot drift apart unnoticed), and `WorkshopAnalysis.load` refuses a damaged file,
a newer format or an unknown key with a Swedish message naming the file and the key."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from tillit.analysis import SCHEMA_VERSION, AnalysisFileError, WorkshopAnalysis
from tillit.analysis import schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPORT = EXAMPLES / "lindbacka_2025_enkat.xlsx"


def test_the_committed_schema_is_the_generated_one():
    committed = (ROOT / "docs" / "analysis.schema.json").read_text("utf-8")
    assert committed == schema.schema_text(), "run: python -m tillit.analysis.schema > docs/analysis.schema.json"
    data = json.loads(committed)
    assert data["x-schema-version"] == SCHEMA_VERSION
    assert {"results", "findings", "benchmark", "comments", "dialogue", "actions", "provenance"} <= set(
        data["properties"])


@pytest.fixture(scope="module")
def analyses(tmp_path_factory) -> dict[str, dict]:
    """The bundled example as `tillit analyse` builds it (benchmark, comments, dialogue), in Swedish
    and English, and a later wave of it that follows up an action decided at the first."""
    from tillit.benchmarks import Store
    from tillit.pipeline import analysis_from_store, read_dialogue_csv, redact_text, store_dialogue_notes
    from tillit.survey import read_export

    db = tmp_path_factory.mktemp("schema") / "t.sqlite"
    with Store(str(db)) as store:
        store.import_aggregate(EXAMPLES / "jamforelsekommuner_syntetiska.csv", synthetic=True)
        first = read_export(EXPORT)
        notes = read_dialogue_csv(EXAMPLES / "lindbacka_2025_dialog.csv")
        # the same answers again two years later (as another file, or the store would see the same one)
        later = dataclasses.replace(first, source=dataclasses.replace(first.source, sha256="0" * 64))
        for year, data in ((2025, first), (2027, later)):
            store.import_survey(data, "Lindbacka", year, synthetic=True, redact=redact_text)
            store_dialogue_notes(store, "Lindbacka", year, notes, "lindbacka_2025_dialog.csv")
        store.add_action("Lindbacka", 2025, "tillit", "Gemensam planeringsdag", owner="KS", due="2026-06-30",
                         redact=redact_text)
        out = {name: json.loads(analysis_from_store(store, "Lindbacka", year, lang=lang).to_json())
               for name, year, lang in (("sv", 2025, "sv"), ("en", 2025, "en"), ("actions", 2027, "sv"))}
    return out


@pytest.mark.parametrize("name", ["sv", "en", "actions"])
def test_every_analysis_the_pipeline_builds_fits_the_types(analyses, name):
    data = analyses[name]
    for part in ("benchmark", "comments", "dialogue"):
        assert data[part], part
    assert bool(data["actions"]) == (name == "actions")
    schema.check(data, f"{name}/analys.json")  # extra keys forbidden, every required key present


def test_analys_json_round_trips_through_load(analyses, tmp_path):
    path = tmp_path / "analys.json"
    path.write_text(json.dumps(analyses["actions"], ensure_ascii=False), encoding="utf-8")
    a = WorkshopAnalysis.load(path)
    assert json.loads(a.to_json()) == analyses["actions"]


@pytest.mark.parametrize("change,key,says", [
    (lambda d: d["benchmark"]["questions"]["tillit"]["alla"].update(extra=1),
     "benchmark.questions.tillit.alla.extra", "okänd"),
    (lambda d: d["comments"]["summaries"][0].pop("suppressed"), "comments.summaries.0.suppressed", "saknas"),
    (lambda d: d["results"]["questions"]["tillit"]["politiker"].update(n="många"),
     "results.questions.tillit.politiker.n", "fel värde"),
    (lambda d: d["actions"][0].update(index_now="hög"), "actions.0.index_now", "fel värde"),
])
def test_a_drifted_or_edited_file_is_refused_naming_the_key(analyses, tmp_path, change, key, says):
    data = copy.deepcopy(analyses["actions"])
    change(data)
    path = tmp_path / "analys.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(AnalysisFileError) as err:
        WorkshopAnalysis.load(path)
    assert str(path) in str(err.value) and key in str(err.value) and says in str(err.value)


def test_a_newer_format_is_refused(analyses, tmp_path):
    path = tmp_path / "analys.json"
    path.write_text(json.dumps({**analyses["sv"], "schema_version": SCHEMA_VERSION + 1}), encoding="utf-8")
    with pytest.raises(AnalysisFileError, match="nyare|högst version") as err:
        WorkshopAnalysis.load(path)
    assert str(path) in str(err.value) and "Uppdatera Tillit" in str(err.value)


@pytest.mark.parametrize("text,says", [("{not json", "ingen giltig JSON"), ("[1, 2]", "ingen analys")])
def test_a_damaged_file_is_refused(tmp_path, text, says):
    path = tmp_path / "analys.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnalysisFileError, match=says) as err:
        WorkshopAnalysis.load(path)
    assert str(path) in str(err.value)


def test_an_older_file_without_the_later_parts_still_loads(analyses, tmp_path):
    data = copy.deepcopy(analyses["sv"])
    for key in ("hidden_groups", "actions", "dialogue_prompts", "schema_version"):
        data.pop(key)
    path = tmp_path / "analys.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    a = WorkshopAnalysis.load(path)
    assert a.hidden_groups == [] and a.actions == [] and a.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("kw", [{}, {"lang": "en"}, {"small_group": "tjansteperson"}, {"benchmark": False}])
def test_the_hand_made_samples_have_the_contract_shape(kw):
    """tests.samples stands in for the pipeline in many tests: it must keep the real shape too.
    Its comments carry one planted extra key, `pii` (raw names no renderer may print); it is
    the only difference allowed."""
    from tests.samples import sample_analysis

    data = json.loads(sample_analysis(**kw).to_json())
    planted = [c.pop("pii") for c in data["comments"]["comments"] if "pii" in c]
    assert planted
    schema.check(data, "tests.samples")
