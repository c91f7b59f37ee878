"""The `comments` command through click's CliRunner, including bad input."""

import json

import pytest
from click.testing import CliRunner

from tillit.nlp.inputs import comments_frame, comments_frame_from_csv
from tillit.commands.text import comments_command
from tillit.nlp.errors import CommentInputError

CSV = (
    "id,group,question_id,comment\n"
    "1,tjansteperson,roll_ansvar,Politiker detaljstyr verksamheten. Ring 070-123 45 67.\n"
    "2,tjansteperson,roll_ansvar,Rollerna är otydliga och gränsen mellan vad och hur flyter.\n"
    "3,politiker,roll_ansvar,Vi får bara ett förslag till beslut. /Lena Holm\n"
    "4,politiker,roll_ansvar,Vet ej\n"
)


def run(*args, threshold=1):
    """The command with an explicit anonymity threshold: these four comments are too few for the
    default (5), which would withhold them all (tests/test_privacy_rules.py tests that)."""
    return CliRunner().invoke(comments_command, [str(a) for a in args] + ["--threshold", str(threshold)])


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "kommentarer.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_json_output(csv_file):
    result = run(csv_file, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["id"] for c in data["comments"]] == ["1", "2", "3", "4"]
    assert "070-123" not in result.output and "Lena Holm" not in result.output
    assert data["non_informative"] == {"roll_ansvar": {"politiker": 1}}


def test_table_output(csv_file):
    result = run(csv_file)
    assert result.exit_code == 0, result.output
    assert "Teman per grupp" in result.output
    assert "roll_ansvar" in result.output
    assert "070-123" not in result.output


def test_english(csv_file):
    result = run(csv_file, "--lang", "en")
    assert result.exit_code == 0
    assert "Themes per group" in result.output


def test_semicolon_cp1252_file(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(CSV.replace(",", ";").replace("\n", "\r\n").encode("cp1252"))
    frame = comments_frame_from_csv(path)
    assert list(frame["text"])[1].startswith("Rollerna är otydliga")
    assert run(path, "--format", "json").exit_code == 0


def test_box_defaults_when_absent(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("id,group,comment\n1,a,Målen är för många.\n", encoding="utf-8")
    assert list(comments_frame_from_csv(path)["box"]) == ["kommentarer"]


def test_survey_tidy_shape():
    import pandas as pd
    df = pd.DataFrame({"respondent_id": ["r1", "r1"], "group": ["g", "g"],
                       "box_id": ["b1", "b2"], "text": ["Bra.", "Dåligt."]})
    out = comments_frame(df)
    assert list(out["id"]) == ["r1:b1", "r1:b2"]
    assert list(out["respondent"]) == ["r1", "r1"]


@pytest.mark.parametrize("content,message", [
    (b"", "tom"),
    (b"id,group,text_typo\n1,a,hej\n", "comment"),
    (b"id,comment\n1,hej\n", "group"),
    (b"id,group,comment\n", "inga kommentarer"),
    (b"id,group,comment\n1,a,x\n1,a,y\n", "flera gånger"),
    (b"\x00\x01\x02\xff\xfe\x00", "UTF-8"),
])
def test_bad_input_is_a_clean_error(tmp_path, content, message):
    path = tmp_path / "fel.csv"
    path.write_bytes(content)
    with pytest.raises(CommentInputError, match=message):
        comments_frame_from_csv(path)
    result = run(path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error:" in result.output and message in result.output


def test_missing_file_exit_code(tmp_path):
    result = run(tmp_path / "finns_inte.csv")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_bad_taxonomy_path(csv_file, tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("themes:\n  - id: x\n", encoding="utf-8")
    result = run(csv_file, "--taxonomy", bad)
    assert result.exit_code == 1
    assert "saknar" in result.output
