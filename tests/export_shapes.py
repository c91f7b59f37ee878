"""A corpus of raw survey-tool downloads built from code, each with its exact expected counts.

Every builder writes one file in the shape a real tool emits (from the tools' public
documentation: Qualtrics' three header rows and Response Type, SurveyMonkey's two header
rows with merged cells, LimeSurvey's "code. text" headings, Google Forms grids, Netigate's
numbered headers, Esmaker-like title rows, Excel's "sep=;" line, SPSS value labels and
user-missing codes) from one labelled answer set whose counts are known before reading.
A case either reads to exactly those counts or is refused with a message fragment.
"""

from __future__ import annotations

import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tillit.survey import BLANK, load_instrument
from tests.factory import build_frame

INST = load_instrument()
GQ = INST.group_question
S4_QUESTIONS = [q for q in INST.questions if q.scale == "s4"]
BOXES = INST.comment_boxes
RESPONDENTS = {"politiker": 11, "tjansteperson": 13}
GRID_TITLE = "Hur väl stämmer följande påståenden?"


def spec(seed: int = 5) -> dict[str, dict[str, dict[str, int]]]:
    """Known counts per question × group × label (the rest of each group leaves it blank)."""
    rng = random.Random(seed)
    out: dict[str, dict[str, dict[str, int]]] = {}
    for q in INST.questions:
        labels = INST.scales[q.scale].all_labels
        out[q.id] = {}
        for g, n in RESPONDENTS.items():
            left = n - rng.randint(0, 2)
            counts = {}
            for lbl in labels:
                k = rng.randint(0, max(0, left // 2))
                counts[lbl] = k
                left -= k
            counts[labels[0]] += left  # every answer but a few blanks
            out[q.id][g] = {lbl: k for lbl, k in counts.items() if k}
    return out


SPEC = spec()


def expected(spec_: dict = SPEC, respondents: dict[str, int] = RESPONDENTS) -> dict:
    """The nested counts reading must give: question -> group -> label -> n, blanks as (blank)."""
    out: dict = {}
    for qid, groups in spec_.items():
        for g, n in respondents.items():
            d = dict(groups.get(g, {}))
            blank = n - sum(d.values())
            if blank:
                d[BLANK] = blank
            d = {k: v for k, v in d.items() if v}
            if d:
                out.setdefault(qid, {})[g] = d
    return out


def comments_per_box() -> dict[str, int]:
    return {b.id: sum(1 for j in range(sum(RESPONDENTS.values())) if (j + i) % 3 == 0) for i, b in enumerate(BOXES)}


def labelled() -> pd.DataFrame:
    """The labelled answer set: Svars-ID, the group question, the questions, the comment boxes."""
    frame = build_frame(SPEC, RESPONDENTS, seed=9)
    n = len(frame)
    for i, b in enumerate(BOXES):
        frame[b.text] = [f"Kommentar {j} om {b.id}: samarbetet fungerar." if (j + i) % 3 == 0 else None
                         for j in range(n)]
    return frame


@dataclass
class Case:
    name: str
    path: Path
    kwargs: dict = field(default_factory=dict)
    refuse: str | None = None  # a fragment the refusal must contain; None: read exactly
    counts: dict | None = None  # expected nested counts (default: expected())
    respondents: dict | None = None
    warns: str | None = None  # a fragment one of the warnings must contain
    comments: dict | None = None  # expected comments per box


def _codes(q_scale: str) -> dict[str, int]:
    s = INST.scales[q_scale]
    return {x.label: x.code for x in (*s.steps, *s.dont_know)}


GROUP_CODE = {g.answers[0]: g.code for g in INST.groups}


# --------------------------------------------------------------------------- Qualtrics


def _qualtrics_rows(frame: pd.DataFrame, numeric: bool = False, recodes: tuple | None = None
                    ) -> tuple[list[str], list[str], list[str], list[list]]:
    """Qualtrics' three header rows and the rows; ``recodes`` = (per scale label -> code, group -> code)."""
    per_scale, group_code = recodes or ({sid: _codes(sid) for sid in INST.scales}, GROUP_CODE)
    meta = [("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/Stockholm"}'),
            ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/Stockholm"}'),
            ("Status", "Response Type", '{"ImportId":"status"}'),
            ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
            ("Progress", "Progress", '{"ImportId":"progress"}'),
            ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
            ("Finished", "Finished", '{"ImportId":"finished"}'),
            ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/Stockholm"}'),
            ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
            ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
            ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
            ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
            ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}')]
    tags = [m[0] for m in meta] + ["Q1", "Q1_3_TEXT"]
    texts = [m[1] for m in meta] + [f"{GQ} - Selected Choice", f"{GQ} - Annat - Text"]
    ids = [m[2] for m in meta] + ['{"ImportId":"QID1"}', '{"ImportId":"QID1_3_TEXT"}']
    qcols = []
    for k, q in enumerate(S4_QUESTIONS, start=1):
        tags.append(f"Q2_{k}")
        texts.append(f"{GRID_TITLE} - {q.text}")
        ids.append(f'{{"ImportId":"QID2_{k}"}}')
        qcols.append(q)
    vision = INST.question("vision")
    tags.append("Q3")
    texts.append(vision.text)
    ids.append('{"ImportId":"QID3"}')
    for k, b in enumerate(BOXES, start=4):
        tags.append(f"Q{k}")
        texts.append(b.text)
        ids.append(f'{{"ImportId":"QID{k}_TEXT"}}')
    rows = []
    for i, r in frame.iterrows():
        def val(label, scale):
            if label is None or pd.isna(label):
                return None
            return per_scale[scale][label] if numeric else label
        g = r[GQ]
        row = ["2025-03-01 10:00:00", "2025-03-01 10:09:00", "0" if numeric else "IP Address", "10.0.0.1", "100",
               "540", "1" if numeric else "True", "2025-03-01 10:09:00", f"R_{1000 + i}", None, None, "anonymous", "sv",
               group_code[g] if numeric else g, None]
        row += [val(r[q.text], "s4") for q in qcols]
        row.append(val(r[vision.text], "ja_nej"))
        row += [r[b.text] for b in BOXES]
        rows.append(row)
    return tags, texts, ids, rows


def _preview_rows(tags: list[str], numeric: bool) -> list[list]:
    """A preview, a test and a spam response: all 'Förtroendevald', 'Nej' everywhere — they must not count."""
    out = []
    for k, status in enumerate(["Survey Preview", "Survey Test", "Spam"]):
        row = []
        for t in tags:
            if t == "Status":
                row.append({"Survey Preview": "1", "Survey Test": "2", "Spam": "8"}[status] if numeric else status)
            elif t == "ResponseId":
                row.append(f"R_prev{k}")
            elif t == "Q1":
                row.append(1 if numeric else "Förtroendevald")
            elif t.startswith("Q2_"):
                row.append(1 if numeric else "Nej")
            elif t == "DistributionChannel":
                row.append("preview" if status == "Survey Preview" else "anonymous")
            else:
                row.append(None)
        out.append(row)
    return out


def qualtrics_csv(tmp: Path) -> Case:
    tags, texts, ids, rows = _qualtrics_rows(labelled())
    rows = rows[:5] + _preview_rows(tags, False) + rows[5:]
    frame = pd.DataFrame([texts, ids, *rows], columns=tags)
    p = tmp / "qualtrics_labels.csv"
    frame.to_csv(p, index=False, encoding="utf-8-sig")
    return Case("qualtrics_csv", p, warns="förhandsvisningar", comments=comments_per_box())


def qualtrics_xlsx(tmp: Path) -> Case:
    tags, texts, ids, rows = _qualtrics_rows(labelled())
    rows = _preview_rows(tags, False)[:1] + rows
    p = tmp / "qualtrics_labels.xlsx"
    pd.DataFrame([texts, ids, *rows], columns=tags).to_excel(p, index=False)
    return Case("qualtrics_xlsx", p, warns="förhandsvisningar")


def qualtrics_numeric(tmp: Path) -> Case:
    """'Use numeric values' download: the codes are Qualtrics' recode values, undeclared in the file."""
    tags, texts, ids, rows = _qualtrics_rows(labelled(), numeric=True)
    p = tmp / "qualtrics_numeric.csv"
    pd.DataFrame([texts, ids, *rows], columns=tags).to_csv(p, index=False)
    return Case("qualtrics_numeric", p, refuse="--codes instrument")


def qualtrics_qsf(per_scale: dict, group_code: dict) -> dict:
    """A Qualtrics survey file (.qsf) declaring the recode values of a numeric download."""
    def mc(qid, tag, text, labels, codes):
        choices = {str(k): {"Display": lbl} for k, lbl in enumerate(labels, start=1)}
        recode = {str(k): str(codes[lbl]) for k, lbl in enumerate(labels, start=1)}
        return {"SurveyID": "SV_x", "Element": "SQ", "PrimaryAttribute": qid, "SecondaryAttribute": text,
                "Payload": {"QuestionText": f"<p>{text}</p>", "DataExportTag": tag, "QuestionType": "MC",
                            "Selector": "SAVR", "Choices": choices, "RecodeValues": recode, "QuestionID": qid}}
    s4 = INST.scales["s4"].all_labels
    matrix = {"SurveyID": "SV_x", "Element": "SQ", "PrimaryAttribute": "QID2", "SecondaryAttribute": GRID_TITLE,
              "Payload": {"QuestionText": GRID_TITLE, "DataExportTag": "Q2", "QuestionType": "Matrix", "Selector": "Likert",
                          "Choices": {str(k): {"Display": q.text} for k, q in enumerate(S4_QUESTIONS, start=1)},
                          "Answers": {str(k): {"Display": lbl} for k, lbl in enumerate(s4, start=1)},
                          "RecodeValues": {str(k): str(per_scale["s4"][lbl]) for k, lbl in enumerate(s4, start=1)},
                          "QuestionID": "QID2"}}
    vision = INST.question("vision")
    elements = [{"SurveyID": "SV_x", "Element": "BL", "PrimaryAttribute": "Survey Blocks", "Payload": []},
                mc("QID1", "Q1", GQ, list(group_code), group_code), matrix,
                mc("QID3", "Q3", vision.text, INST.scales["ja_nej"].all_labels, per_scale["ja_nej"])]
    return {"SurveyEntry": {"SurveyID": "SV_x", "SurveyName": "Samspel"}, "SurveyElements": elements}


def qualtrics_numeric_with_qsf(tmp: Path) -> Case:
    """A numeric download whose recode values (not the instrument's) are declared by the survey's .qsf."""
    recodes = _permuted_codes(8)
    tags, texts, ids, rows = _qualtrics_rows(labelled(), numeric=True, recodes=recodes)
    p = tmp / "qualtrics_recoded.csv"
    pd.DataFrame([texts, ids, *rows], columns=tags).to_csv(p, index=False)
    qsf = tmp / "enkat.qsf"
    qsf.write_text(json.dumps(qualtrics_qsf(*recodes), ensure_ascii=False), encoding="utf-8")
    return Case("qualtrics_numeric_with_qsf", p, kwargs={"codebook": qsf})


def qualtrics_numeric_instrument_codes(tmp: Path) -> Case:
    tags, texts, ids, rows = _qualtrics_rows(labelled(), numeric=True)
    rows = rows + _preview_rows(tags, True)
    p = tmp / "qualtrics_numeric_own.csv"
    pd.DataFrame([texts, ids, *rows], columns=tags).to_csv(p, index=False)
    return Case("qualtrics_numeric_instrument_codes", p, kwargs={"codes": "instrument"}, warns="instrumentets egna koder")


def qualtrics_hand_trimmed(tmp: Path) -> Case:
    """The numeric file with rows 2–3 deleted by hand: one header row of export tags, numeric Status."""
    tags, texts, ids, rows = _qualtrics_rows(labelled(), numeric=True)
    frame = pd.DataFrame(rows + _preview_rows(tags, True), columns=texts)
    frame.columns = [t.replace(" - Selected Choice", "") for t in texts]
    p = tmp / "qualtrics_trimmed.csv"
    frame.to_csv(p, index=False)
    return Case("qualtrics_hand_trimmed", p, kwargs={"codes": "instrument"}, warns="förhandsvisningar")


def qualtrics_legacy(tmp: Path) -> Case:
    """The legacy export: V1…V10 over ResponseID, ResponseSet … Status (0 = respondent, 1 = preview)."""
    frame = labelled()
    legacy = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
              "StartDate", "EndDate", "Finished"]
    tags = [f"V{k}" for k in range(1, 11)] + ["Q1"] + [f"Q2_{k}" for k in range(1, len(S4_QUESTIONS) + 1)] + ["Q3"]
    texts = legacy + [GQ] + [f"{GRID_TITLE} - {q.text}" for q in S4_QUESTIONS] + [INST.question("vision").text]
    rows = []
    for i, r in frame.iterrows():
        rows.append([f"R_{i}", "Default Response Set", "Anonymous", None, None, "10.0.0.1", "0", "2025-03-01 10:00:00",
                     "2025-03-01 10:09:00", "1", r[GQ], *[r[q.text] for q in S4_QUESTIONS], r[INST.question("vision").text]])
    rows.append(["R_prev", "Default Response Set", "Anonymous", None, None, None, "1", None, None, "1", "Tjänsteperson",
                 *["Till stor del"] * len(S4_QUESTIONS), "Ja"])
    p = tmp / "qualtrics_legacy.csv"
    pd.DataFrame([texts, *rows], columns=tags).to_csv(p, index=False)
    return Case("qualtrics_legacy", p, warns="förhandsvisningar")


# --------------------------------------------------------------------------- SurveyMonkey


def _surveymonkey_grid(frame: pd.DataFrame, checkbox_group: bool = False, swedish: bool = False):
    meta = (["Respondent-ID", "Insamlar-ID", "Startdatum", "Slutdatum", "IP-adress", "E-postadress", "Förnamn",
             "Efternamn", "Anpassade data 1"] if swedish else
            ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
             "Last Name", "Custom Data 1"])
    response = "Svar" if swedish else "Response"
    open_ended = "Öppet svar" if swedish else "Open-Ended Response"
    row0 = list(meta)
    row1 = [None] * len(meta)
    if checkbox_group:
        row0 += [GQ, None]
        row1 += ["Förtroendevald", "Tjänsteperson"]
    else:
        row0 += [GQ]
        row1 += [response]
    row0 += [GRID_TITLE] + [None] * (len(S4_QUESTIONS) - 1)
    row1 += [q.text for q in S4_QUESTIONS]
    vision = INST.question("vision")
    row0 += [vision.text, None]
    row1 += [response, "Annat (ange)" if swedish else "Other (please specify)"]
    for b in BOXES:
        row0.append(b.text)
        row1.append(open_ended)
    rows = []
    for i, r in frame.iterrows():
        row = [str(11000000000 + i), "4000001", "03/01/2025 10:00:00 AM", "03/01/2025 10:09:00 AM", "10.0.0.1",
               None, None, None, None]
        if checkbox_group:
            row += [r[GQ] if r[GQ] == "Förtroendevald" else None, r[GQ] if r[GQ] == "Tjänsteperson" else None]
        else:
            row.append(r[GQ])
        row += [r[q.text] for q in S4_QUESTIONS]
        row += [r[vision.text], None]
        row += [r[b.text] for b in BOXES]
        rows.append(row)
    return row0, row1, rows


def surveymonkey_csv(tmp: Path) -> Case:
    row0, row1, rows = _surveymonkey_grid(labelled())
    p = tmp / "surveymonkey.csv"
    pd.DataFrame([row1, *rows], columns=[c if c is not None else "" for c in row0]).to_csv(p, index=False)
    return Case("surveymonkey_csv", p, comments=comments_per_box())


def surveymonkey_without_metadata(tmp: Path) -> Case:
    """The metadata columns deleted by hand: only the question row and the "Response" row are left."""
    row0, row1, rows = _surveymonkey_grid(labelled())
    p = tmp / "surveymonkey_utan_meta.csv"
    frame = pd.DataFrame([row1, *rows], columns=[c if c is not None else "" for c in row0]).iloc[:, 9:]
    frame.to_csv(p, index=False)
    return Case("surveymonkey_without_metadata", p)


def surveymonkey_wide_matrices(tmp: Path) -> Case:
    """Two wide matrices of other questions: the question row is less than half filled."""
    row0, row1, rows = _surveymonkey_grid(labelled())
    row0 += ["Extra matris A"] + [None] * 14 + ["Extra matris B"] + [None] * 14
    row1 += [f"Påstående {k}" for k in range(30)]
    rows = [r + ["Ja"] * 30 for r in rows]
    p = tmp / "surveymonkey_breda_matriser.csv"
    pd.DataFrame([row1, *rows], columns=[c if c is not None else "" for c in row0]).to_csv(p, index=False)
    return Case("surveymonkey_wide_matrices", p)


def surveymonkey_xlsx_merged(tmp: Path) -> Case:
    """Swedish UI, checkbox group question, merged question cells in row 1 (as SurveyMonkey's xlsx has)."""
    from openpyxl import Workbook

    row0, row1, rows = _surveymonkey_grid(labelled(), checkbox_group=True, swedish=True)
    wb = Workbook()
    ws = wb.active
    for r in [row0, row1, *rows]:
        ws.append(r)
    start = None
    for j in range(len(row0) + 1):
        filled = j == len(row0) or row0[j] is not None
        if filled and start is not None and j - start > 1:
            ws.merge_cells(start_row=1, start_column=start + 1, end_row=1, end_column=j)
        if filled:
            start = j
    p = tmp / "surveymonkey_merged.xlsx"
    wb.save(p)
    return Case("surveymonkey_xlsx_merged", p)


# --------------------------------------------------------------------------- LimeSurvey, Netigate, Google, Esmaker


def limesurvey_codetext(tmp: Path) -> Case:
    """Headings 'Question code & question text' (code. text; arrays as code[SQ]. text [subquestion])."""
    frame = labelled()
    cols = {"Svars-ID": "id. Svars-ID", GQ: f"G01Q01. {GQ}"}
    for k, q in enumerate(S4_QUESTIONS, start=1):
        cols[q.text] = f"G01Q02[SQ{k:03d}]. {GRID_TITLE} [{q.text}]"
    cols[INST.question("vision").text] = f"G01Q03. {INST.question('vision').text}"
    for k, b in enumerate(BOXES, start=4):
        cols[b.text] = f"G02Q{k:02d}. {b.text}"
    frame = frame.rename(columns=cols)
    frame.insert(1, "submitdate. Datum skickat", "2025-03-01 10:09:00")
    frame.insert(2, "lastpage. Senaste sidan", "3")
    frame.insert(3, "startlanguage. Startspråk", "sv")
    p = tmp / "limesurvey.csv"
    frame.to_csv(p, index=False, sep=";")
    return Case("limesurvey_codetext", p, comments=comments_per_box())


def netigate_numbered(tmp: Path) -> Case:
    frame = labelled()
    cols = {GQ: f"1. {GQ}"}
    for k, q in enumerate(INST.questions, start=2):
        cols[q.text] = f"{k}. {q.text}"
    frame = frame.rename(columns=cols)
    p = tmp / "netigate_numbered.xlsx"
    frame.to_excel(p, index=False)
    return Case("netigate_numbered", p)


def google_forms_grid(tmp: Path) -> Case:
    frame = labelled().drop(columns=["Svars-ID"])
    frame = frame.rename(columns={q.text: f"{GRID_TITLE} [{q.text}]" for q in S4_QUESTIONS})
    frame.insert(0, "Tidstämpel", "2025/03/01 10:00:00 FM CET")
    p = tmp / "googleforms_grid.csv"
    frame.to_csv(p, index=False)
    return Case("google_forms_grid", p)


def xlsx_below_titles(frame: pd.DataFrame, path: Path, titles: list[str]) -> Path:
    """A sheet with title rows and a blank row above the header (Esmaker-like reports)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for t in titles:
        ws.append([t])
    ws.append([])
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    wb.save(path)
    return path


def esmaker_title_rows(tmp: Path) -> Case:
    p = xlsx_below_titles(labelled(), tmp / "esmaker_title.xlsx",
                          ["Samspel politik–förvaltning 2025 – Rapport: Svar", "Exporterad 2025-03-05 09:14"])
    return Case("esmaker_title_rows", p)


def csv_title_rows_semicolon(tmp: Path) -> Case:
    frame = labelled()
    body = frame.to_csv(index=False, sep=";", lineterminator="\r\n")
    p = tmp / "titelrader.csv"
    p.write_bytes(("Enkät: Samspel 2025\r\nUttag: 2025-03-05\r\n\r\n" + body).encode("cp1252"))
    return Case("csv_title_rows_semicolon", p)


def sep_line_cp1252(tmp: Path) -> Case:
    frame = labelled()
    p = tmp / "sep_rad.csv"
    p.write_bytes(("sep=;\r\n" + frame.to_csv(index=False, sep=";", lineterminator="\r\n")).encode("cp1252"))
    return Case("sep_line_cp1252", p)


def whitespace_cells(tmp: Path) -> Case:
    frame = labelled().astype(object)
    frame = frame.where(frame.notna(), "   ")  # every blank cell holds spaces
    p = tmp / "mellanslag.csv"
    frame.to_csv(p, index=False, sep=";")
    return Case("whitespace_cells", p, comments=comments_per_box())


def truncated_headers(tmp: Path) -> Case:
    frame = labelled()
    frame = frame.rename(columns={q.text: q.text[:60] + "…" for q in INST.questions})
    p = tmp / "avkortade.xlsx"
    frame.to_excel(p, index=False)
    return Case("truncated_headers", p, warns="avkortad")


# --------------------------------------------------------------------------- codes: SPSS and codebooks


def _permuted_codes(seed: int) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """A shuffled code for every label of each scale and each group (not the instrument's)."""
    rng = random.Random(seed)
    per_scale = {}
    for sid, s in INST.scales.items():
        labels = s.all_labels
        codes = rng.sample(range(1, 10), len(labels))
        per_scale[sid] = dict(zip(labels, codes))
    g = rng.sample([1, 2, 3], len(INST.groups))
    return per_scale, {grp.answers[0]: c for grp, c in zip(INST.groups, g)}


def coded_frame(frame: pd.DataFrame, per_scale, group_codes, texts: bool = False) -> pd.DataFrame:
    """Numeric codes; headers are variable names (q1, grupp …) or, with ``texts``, the question texts."""
    out = pd.DataFrame({"lopnr": frame["Svars-ID"], GQ if texts else "grupp": frame[GQ].map(group_codes)})
    for k, q in enumerate(INST.questions, start=1):
        out[q.text if texts else f"q{k}"] = frame[q.text].map(lambda v, q=q: None if pd.isna(v) else per_scale[q.scale][v])
    for k, b in enumerate(BOXES, start=1):
        out[b.text if texts else f"kom{k}"] = frame[b.text]
    return out


def write_codebook(path: Path, per_scale, group_codes, sep: str = ";") -> Path:
    rows = [("grupp", GQ, c, lbl) for lbl, c in group_codes.items()]
    for k, q in enumerate(INST.questions, start=1):
        rows += [(f"q{k}", q.text, c, lbl) for lbl, c in per_scale[q.scale].items()]
    for k, b in enumerate(BOXES, start=1):
        rows.append((f"kom{k}", b.text, None, None))
    pd.DataFrame(rows, columns=["variabel", "etikett", "kod", "varde"]).to_csv(path, index=False, sep=sep)
    return path


def coded_with_codebook(tmp: Path, seed: int = 3) -> Case:
    per_scale, groups = _permuted_codes(seed)
    p = tmp / f"kodad_{seed}.csv"
    coded_frame(labelled(), per_scale, groups).to_csv(p, index=False, sep=";")
    kb = write_codebook(tmp / f"kodbok_{seed}.csv", per_scale, groups)
    return Case("coded_with_codebook", p, kwargs={"codebook": kb}, comments=comments_per_box())


def coded_without_codebook(tmp: Path) -> Case:
    """Reversed codes (1 = Till stor del … 4 = Nej) and no codebook: reading them with the
    instrument's codes would reverse every question, so the file is refused."""
    per_scale = {"s4": {"Till stor del": 1, "Till viss del": 2, "Till liten del": 3, "Nej": 4, "Vet ej": 9},
                 "ja_nej": {"Ja": 1, "Nej": 2}}
    groups = {"Förtroendevald": 2, "Tjänsteperson": 1}
    p = tmp / "kodad_utan_kodbok.csv"
    coded_frame(labelled(), per_scale, groups, texts=True).to_csv(p, index=False, sep=";")
    return Case("coded_without_codebook", p, refuse="--codes instrument", kwargs={})


def group_coded_only(tmp: Path) -> Case:
    """Labelled answers but the group column coded 1/2: the group is refused, not guessed."""
    frame = labelled()
    frame[GQ] = frame[GQ].map({"Förtroendevald": 2, "Tjänsteperson": 1})
    p = tmp / "gruppkod.csv"
    frame.to_csv(p, index=False)
    return Case("group_coded_only", p, refuse="grupp")


def spss_value_labels(tmp: Path, seed: int = 4) -> Case:
    """SPSS with permuted value labels, user-missing 99 'Ej svar' (blank) and 9 'Vet ej' (an answer)."""
    import pyreadstat

    per_scale, groups = _permuted_codes(seed)
    frame = labelled()
    coded = coded_frame(frame, per_scale, groups)
    # some blanks become 99 'Ej svar', declared user-missing: they must count as blanks
    col = "q1"
    blanks = coded.index[coded[col].isna()].tolist()
    coded.loc[blanks[:2], col] = 99
    for c in coded.columns:
        if c.startswith(("q", "grupp")):
            coded[c] = coded[c].astype(float)
    coded["lopnr"] = coded["lopnr"].astype(float)
    labels = {"grupp": {float(c): lbl for lbl, c in groups.items()}}
    missing = {}
    for k, q in enumerate(INST.questions, start=1):
        vl = {float(c): lbl for lbl, c in per_scale[q.scale].items()}
        vl[99.0] = "Ej svar"
        labels[f"q{k}"] = vl
        missing[f"q{k}"] = [99]
    col_labels = ["Löpnummer", GQ] + [q.text for q in INST.questions] + [b.text for b in BOXES]
    p = tmp / f"spss_{seed}.sav"
    pyreadstat.write_sav(coded, str(p), column_labels=col_labels, variable_value_labels=labels, missing_ranges=missing)
    return Case("spss_value_labels", p, warns="användardefinierat saknat värde", comments=comments_per_box())


def spss_without_labels(tmp: Path) -> Case:
    import pyreadstat

    per_scale, groups = _permuted_codes(6)
    coded = coded_frame(labelled(), per_scale, groups).drop(columns=[f"kom{k}" for k in range(1, len(BOXES) + 1)])
    for c in coded.columns:
        coded[c] = coded[c].astype(float)
    col_labels = ["Löpnummer", GQ] + [q.text for q in INST.questions]
    p = tmp / "spss_utan_etiketter.sav"
    pyreadstat.write_sav(coded, str(p), column_labels=col_labels)
    return Case("spss_without_labels", p, refuse="--codes instrument")


# --------------------------------------------------------------------------- rows that are not respondents


def summary_row(tmp: Path) -> Case:
    frame = labelled().astype(object)
    total = {c: None for c in frame.columns}
    total["Svars-ID"] = "Total"
    total[GQ] = "Förtroendevald"
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    p = tmp / "totalrad.csv"
    frame.to_csv(p, index=False, sep=";")
    return Case("summary_row", p, warns="totalrad")


def duplicate_identical(tmp: Path) -> Case:
    """Two exports pasted together: every respondent of the first 6 rows twice, same id, same answers."""
    frame = labelled()
    frame = pd.concat([frame, frame.iloc[:6]], ignore_index=True)
    p = tmp / "dubbletter.csv"
    frame.to_csv(p, index=False)
    return Case("duplicate_identical", p, warns="räknas en gång", comments=comments_per_box())


def duplicate_different(tmp: Path) -> Case:
    frame = labelled()
    again = frame.iloc[[2]].copy()
    q = INST.question("tillit").text
    again[q] = "Till stor del" if again[q].iloc[0] != "Till stor del" else "Nej"
    frame = pd.concat([frame, again], ignore_index=True)
    p = tmp / "dubblett_olika.csv"
    frame.to_csv(p, index=False)
    return Case("duplicate_different", p, refuse="olika svar")


def identical_rows_without_ids(tmp: Path) -> Case:
    """No id column: two identical rows are two respondents (kept) — and reported."""
    frame = labelled().drop(columns=["Svars-ID"])
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    first = frame.iloc[0]
    g = "politiker" if first[GQ] == "Förtroendevald" else "tjansteperson"
    counts = expected()
    for q in INST.questions:
        lbl = first[q.text]
        lbl = BLANK if pd.isna(lbl) else lbl
        counts[q.id][g][lbl] = counts[q.id][g].get(lbl, 0) + 1
    resp = dict(RESPONDENTS)
    resp[g] += 1
    p = tmp / "identiska_utan_id.csv"
    frame.to_csv(p, index=False)
    return Case("identical_rows_without_ids", p, counts=counts, respondents=resp, warns="exakt samma svar")


# --------------------------------------------------------------------------- encodings


def utf8_with_stray_byte(tmp: Path) -> Case:
    frame = labelled()
    body = frame.to_csv(index=False).encode("utf-8")
    marker = "Kommentar 3 om".encode()
    body = body.replace(marker, b"Kommentar 3 \xf6m", 1)  # one Windows-1252 'ö' in a UTF-8 file
    p = tmp / "utf8_stray.csv"
    p.write_bytes(body)
    return Case("utf8_with_stray_byte", p, warns="ogiltiga tecken")


def mac_roman(tmp: Path) -> Case:
    p = tmp / "macroman.csv"
    p.write_bytes(labelled().to_csv(index=False, sep=";").encode("mac_roman"))
    return Case("mac_roman", p, refuse="Mac Roman")


def utf16_without_bom(tmp: Path) -> Case:
    p = tmp / "utf16_utan_bom.csv"
    p.write_bytes(labelled().to_csv(index=False, sep="\t").encode("utf-16-le"))
    return Case("utf16_without_bom", p, refuse="UTF-16")


# --------------------------------------------------------------------------- comment boxes and limits


def comment_box_near_miss(tmp: Path) -> Case:
    frame = labelled().rename(columns={BOXES[0].text: "Kommentar om roller, ansvar och tillit"})
    p = tmp / "kommentar_nara.csv"
    frame.to_csv(p, index=False)
    return Case("comment_box_near_miss", p, refuse=BOXES[0].id)


def comment_box_ovrigt(tmp: Path) -> Case:
    frame = labelled().rename(columns={BOXES[-1].text: "Övrigt"})
    p = tmp / "ovrigt.csv"
    frame.to_csv(p, index=False)
    return Case("comment_box_ovrigt", p, comments=comments_per_box())


def xlsx_zip_bomb(tmp: Path) -> Case:
    p = tmp / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                fh.write(chunk)
    return Case("xlsx_zip_bomb", p, refuse="packas upp")


def unknown_answer_below_title_rows(tmp: Path) -> Case:
    """Row numbers are the file's own: a bad answer on spreadsheet row 9 (3 title rows, header on 4)."""
    frame = labelled()
    frame.loc[4, INST.question("tillit").text] = "Kanske"
    p = xlsx_below_titles(frame, tmp / "fel_svar_titel.xlsx", ["Rapport", "Exporterad 2025-03-05"])
    return Case("unknown_answer_below_title_rows", p, refuse="rad 9")


BUILDERS = [qualtrics_csv, qualtrics_xlsx, qualtrics_numeric, qualtrics_numeric_instrument_codes, qualtrics_hand_trimmed,
            qualtrics_legacy, qualtrics_numeric_with_qsf, surveymonkey_csv, surveymonkey_without_metadata, surveymonkey_wide_matrices, surveymonkey_xlsx_merged, limesurvey_codetext, netigate_numbered, google_forms_grid,
            esmaker_title_rows, csv_title_rows_semicolon, sep_line_cp1252, whitespace_cells, truncated_headers,
            coded_with_codebook, coded_without_codebook, group_coded_only, spss_value_labels, spss_without_labels,
            summary_row, duplicate_identical, duplicate_different, identical_rows_without_ids, utf8_with_stray_byte,
            mac_roman, utf16_without_bom, comment_box_near_miss, comment_box_ovrigt, xlsx_zip_bomb,
            unknown_answer_below_title_rows]


def dump_expected(path: Path) -> None:  # pragma: no cover - a helper for looking at the corpus by hand
    path.write_text(json.dumps({"respondents": RESPONDENTS, "questions": expected()}, ensure_ascii=False, indent=2))
