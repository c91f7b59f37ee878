"""The instrument is data: the default one round-trips, a facilitator's edited copy works."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from tillit.survey import InstrumentError, compute_results, count_answers, load_instrument, read_export
from tillit.cli import main

AGREE5 = """
  agree5:
    name: {sv: Instämmer, en: Agreement}
    steps:
      - {label: Instämmer inte alls, code: 1, value: 1}
      - {label: Instämmer delvis inte, code: 2, value: 2}
      - {label: Varken eller, code: 3, value: 3}
      - {label: Instämmer delvis, code: 4, value: 4}
      - {label: Instämmer helt, code: 5, value: 5}
    dont_know:
      - {label: Ingen åsikt, code: 9}
    positive: [Instämmer delvis, Instämmer helt]
"""

EXTRA_Q = """
  - id: dialog
    text: Förs det en öppen dialog mellan politik och förvaltning?
    short: {sv: Öppen dialog, en: Open dialogue}
    dimension: tillit
    scale: agree5
"""


def _custom(tmp_path):
    text = CliRunner().invoke(main, ["instrument", "show"]).output
    text = text.replace("scales:\n", "scales:\n" + AGREE5, 1)
    text = text.replace("\nquestions:\n", "\nquestions:\n" + EXTRA_Q, 1)
    p = tmp_path / "mitt.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_show_round_trips_to_the_default():
    text = CliRunner().invoke(main, ["instrument", "show"]).output
    assert load_instrument().raw_text == text


def test_edited_copy_with_five_step_scale_and_extra_question(tmp_path):
    inst_path = _custom(tmp_path)
    assert CliRunner().invoke(main, ["instrument", "check", str(inst_path)]).exit_code == 0
    inst = load_instrument(inst_path)
    q = inst.question("dialog")
    frame = pd.DataFrame({
        inst.group_question: ["Förtroendevald"] * 6 + ["Tjänsteperson"] * 6,
        q.text: ["Instämmer helt"] * 3 + ["Varken eller"] * 2 + ["Ingen åsikt"]
                + ["instämmer DELVIS"] * 5 + [None],
        inst.question("tillit").text: ["Nej"] * 12,
    })
    export = tmp_path / "egen.csv"
    frame.to_csv(export, index=False)
    res = compute_results(count_answers(read_export(export, instrument=inst)))
    pol = res.questions["dialog"]["politiker"]
    assert pol.counts == {"Instämmer inte alls": 0, "Instämmer delvis inte": 0, "Varken eller": 2,
                          "Instämmer delvis": 0, "Instämmer helt": 3}
    assert pol.dont_know == 1 and pol.percent["Instämmer helt"] == 60
    assert pol.index == pytest.approx(100 * ((3 * 5 + 2 * 3) / 5 - 1) / 4, abs=0.01)
    assert res.questions["dialog"]["tjansteperson"].share_positive == 1.0
    out = CliRunner().invoke(main, ["results", str(export), "--instrument", str(inst_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["questions"]["dialog"]["politiker"]["counts"]["Instämmer helt"] == 3


@pytest.mark.parametrize("mutation,fragment", [
    (lambda t: t.replace("scale: s4", "scale: s9", 1), "skalan 's9'"),
    (lambda t: t.replace("id: tillit\n    text:", "id: roll_ansvar\n    text:", 1), "två gånger"),
    (lambda t: t.replace("positive: [Till viss del, Till stor del]", "positive: [Mycket]"), "positive"),
    (lambda t: t.replace("dimension: roller", "dimension: okand"), "dimensionen 'okand'"),
    (lambda t: t.replace("question: vision, answers", "question: visionen, answers"), "villkorad"),
    (lambda t: "- bara\n- en lista\n", "YAML-tabell"),
    (lambda t: t.replace("code: 9", "code: nio"), "heltal"),
])
def test_invalid_instrument_is_explained(tmp_path, mutation, fragment):
    p = tmp_path / "fel.yaml"
    p.write_text(mutation(load_instrument().raw_text), encoding="utf-8")
    with pytest.raises(InstrumentError) as err:
        load_instrument(p)
    assert fragment in err.value.render() and "fel.yaml" in err.value.render()


def test_inspect_lists_dropped_personal_columns_and_keep_column(tmp_path):
    inst = load_instrument()
    frame = pd.DataFrame({"Namn": ["Anna Berg", "Per Ek"], "Parti": ["X", "Y"],
                          inst.group_question: ["Förtroendevald", "Tjänsteperson"],
                          inst.question("tillit").text: ["Nej", "Ja" if False else "Nej"]})
    p = tmp_path / "med_parti.csv"
    frame.to_csv(p, index=False)
    out = CliRunner().invoke(main, ["inspect", str(p)], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "Namn" in out.output and "Parti" in out.output and "personuppgift" in out.output
    data = read_export(p)
    assert "Parti" not in data.respondents.columns and "Anna Berg" not in data.respondents.to_string()
    kept = read_export(p, keep_columns=("Parti",))
    assert list(kept.respondents["Parti"]) == ["X", "Y"] and "Parti" in kept.source.kept_sensitive
    assert "Namn" not in kept.respondents.columns
