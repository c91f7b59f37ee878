"""Bad input ends in a clear message naming the file and what is wrong — never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.survey import load_instrument
from tests.factory import build_frame, write
from tillit.cli import main

INST = load_instrument()
GQ = INST.group_question
Q1 = INST.question("tillit").text
Q2 = INST.question("vision").text
SPEC = {"tillit": {"politiker": {"Nej": 3, "Till viss del": 4}, "tjansteperson": {"Till stor del": 7}}}


def _good() -> pd.DataFrame:
    return build_frame(SPEC, {"politiker": 7, "tjansteperson": 7})


def _csv(tmp: Path, text: str | bytes, name: str = "export.csv") -> Path:
    p = tmp / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def _cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (CLI args, a fragment the message must contain)."""
    c: dict[str, tuple[list[str], str]] = {}

    def add(name, path, fragment, *extra):
        c[name] = (["results", str(path), *extra], fragment)

    add("missing_file", tmp / "finns_inte.csv", "finns inte")
    add("directory", tmp, "mapp")
    add("empty_file", _csv(tmp, b"", "tom.csv"), "tom")
    add("only_whitespace", _csv(tmp, "\n\n   \n", "blank.csv"), "tomrum")
    add("header_only", _csv(tmp, f"{GQ},{Q1}\n", "header.csv"), "inga svar")
    add("binary_junk", _csv(tmp, bytes(range(256)) * 40, "skrap.csv"), "binära")
    add("xlsx_not_zip", _csv(tmp, "just text", "fel.xlsx"), "zip")
    add("html_as_xls", _csv(tmp, "<html><body><table><tr><td>a</td></tr></table></body></html>", "export.xls"), "HTML")
    add("old_xls", _csv(tmp, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "gammal.xls"), "äldre Excel")
    add("corrupt_sav", _csv(tmp, b"$FL2" + b"\x07" * 300, "trasig.sav"), "SPSS")
    add("sav_not_sav", _csv(tmp, "a,b\n1,2\n", "fel.sav"), "ingen SPSS")
    bad_zip = tmp / "trasig.xlsx"
    bad_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    add("truncated_xlsx", bad_zip, "skadad")
    docx_like = tmp / "word.xlsx"
    with zipfile.ZipFile(docx_like, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    add("zip_not_workbook", docx_like, "Excel-arbetsbok")
    add("duplicate_headers", _csv(tmp, f"{GQ},{Q1},{Q1}\nFörtroendevald,Nej,Nej\n", "dubbel.csv"), "mer än en gång")
    add("missing_group_column", _csv(tmp, f"{Q1},{Q2}\nNej,Ja\n", "utan_grupp.csv"), "grupp")
    add("no_question_columns", _csv(tmp, f"{GQ},Färg\nFörtroendevald,Blå\n", "inga_fragor.csv"), "Ingen kolumn")
    add("unknown_answer_label", _csv(tmp, f"{GQ},{Q1}\nFörtroendevald,Ganska mycket\nTjänsteperson,Nej\n", "okand.csv"),
        "Ganska mycket")
    add("near_miss_label", _csv(tmp, f"{GQ},{Q1}\nFörtroendevald,Till stor dell\n", "stavfel.csv"), "Till stor del")
    add("unknown_group", _csv(tmp, f"{GQ},{Q1}\nMedborgare,Nej\n", "grupp.csv"), "Medborgare")
    add("all_groups_blank", _csv(tmp, f"{GQ},{Q1}\n,Nej\n,Ja\n", "tomgrupp.csv"), "")
    add("typo_in_question_header", _csv(tmp, f"{GQ},{Q1.replace('tillit', 'tilit')},{Q2}\nFörtroendevald,Nej,Ja\n",
                                          "rubrik.csv"), "liknar frågan")
    add("ragged_rows", _csv(tmp, f'{GQ},{Q1}\nFörtroendevald,"Nej\n', "trasig.csv"), "")
    good = write(_good(), tmp / "bra.xlsx")
    add("missing_sheet", good, "Bladet", "--sheet", "Blad9")
    add("missing_codebook", good, "finns inte", "--codebook", str(tmp / "ingen_kodbok.csv"))
    add("codebook_without_columns", good, "Kodboken", "--codebook", str(_csv(tmp, "a;b\n1;2\n", "kb.csv")))
    add("bad_instrument_yaml", good, "YAML", "--instrument", str(_csv(tmp, "id: [unclosed", "inst.yaml")))
    add("instrument_unknown_scale", good, "skalan",
        "--instrument", str(_csv(tmp, INST.raw_text.replace("scale: ja_nej", "scale: sjugradig"), "inst2.yaml")))
    add("coded_without_codebook", _csv(tmp, "grupp;q1\n1;3\n2;9\n", "kodad.csv"), "--codebook")
    big = tmp / "stor.csv"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # a 200 MB (sparse) file
    add("file_of_200_mb", big, "MB")
    return c


def test_at_least_25_bad_input_cases(tmp_path):
    assert len(_cases(tmp_path)) >= 25


@pytest.mark.parametrize("name", list(_cases(Path("/nonexistent")).keys()) if False else [
    "missing_file", "directory", "empty_file", "only_whitespace", "header_only", "binary_junk", "xlsx_not_zip",
    "html_as_xls", "old_xls", "corrupt_sav", "sav_not_sav", "truncated_xlsx", "zip_not_workbook",
    "duplicate_headers", "missing_group_column", "no_question_columns", "unknown_answer_label", "near_miss_label",
    "unknown_group", "all_groups_blank", "typo_in_question_header", "ragged_rows", "missing_sheet",
    "missing_codebook", "codebook_without_columns", "bad_instrument_yaml", "instrument_unknown_scale",
    "coded_without_codebook", "file_of_200_mb"])
def test_bad_input_gives_clear_error(tmp_path, name):
    args, fragment = _cases(tmp_path)[name]
    result = CliRunner().invoke(main, args)
    out = result.output
    assert result.exit_code != 0, f"{name}: expected failure, got\n{out}"
    assert "Traceback" not in out and "Oväntat fel" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    named = Path(args[1]).name if name not in ("missing_codebook", "codebook_without_columns", "bad_instrument_yaml",
                                                "instrument_unknown_scale") else Path(args[-1]).name
    assert named in out, f"{name}: the message should name the file {named}:\n{out}"
    assert fragment in out, f"{name}: expected {fragment!r} in\n{out}"


def test_cp1252_semicolon_crlf_decimal_comma_reads(tmp_path):
    frame = _good()
    frame["tid_min"] = ["12,5"] * len(frame)
    p = tmp_path / "excel_svensk.csv"
    frame.to_csv(p, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")
    out = CliRunner().invoke(main, ["results", str(p), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"Nej": 3' in out.output


@pytest.mark.parametrize("encoding,sep", [("utf-8-sig", ","), ("utf-8", "\t"), ("cp1252", "\t"), ("utf-16", ",")])
def test_encodings_and_delimiters(tmp_path, encoding, sep):
    p = tmp_path / "e.csv"
    _good().to_csv(p, sep=sep, index=False, encoding=encoding)
    out = CliRunner().invoke(main, ["results", str(p), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"Till stor del": 7' in out.output


def test_messy_headers_and_labels_still_match(tmp_path):
    frame = _good()
    frame.columns = [f"  {c.upper()}  " if c != "Svars-ID" else c for c in frame.columns]
    frame = frame.replace({"Nej": " nej ", "Till viss del": "TILL VISS DEL"})
    p = write(frame, tmp_path / "rorig.csv")
    out = CliRunner().invoke(main, ["results", str(p), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"Nej": 3' in out.output and '"Till viss del": 4' in out.output


cell = st.one_of(st.sampled_from(["Nej", "Till liten del", "Vet ej", "Ja", "", "Förtroendevald", "Tjänsteperson", "9",
                                  ";", ",", '"', "\n", "\r\n", "\t", "ÅÄÖ", "\x00"]),
                 st.text(max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from([GQ, Q1, Q2, "Namn", "x", ""]), min_size=0, max_size=5),
       rows=st.lists(st.lists(cell, min_size=0, max_size=6), max_size=8),
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_fuzz_csv_path_never_tracebacks(tmp_path, header, rows, sep, encoding):
    text = "\n".join(sep.join(r) for r in [header, *rows])
    p = tmp_path / "fuzz.csv"
    p.write_bytes(text.encode(encoding, errors="replace"))
    result = CliRunner().invoke(main, ["results", str(p), "--format", "json"])
    if result.exit_code == 0:
        assert result.output.lstrip().startswith("{")
    else:
        assert result.exit_code in (1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output and "Oväntat fel" not in result.output, result.output
        assert "fuzz.csv" in result.output, result.output
