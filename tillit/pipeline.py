"""The main job, end to end: export in → store → analysis → slides, report (and dashboard).

This is the I/O edge that wires the pure parts together:
survey (read, count, results) → benchmarks (store, comparison) / nlp (comments, dialogue)
→ tillit.analysis.build_analysis → reports. The dashboard calls `analysis_from_store`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tillit import nlp
from tillit.benchmarks import ComparisonError, Store, StoreError, comparison
from tillit.benchmarks.followup import MeasuredWave, follow_up
from tillit.survey import (DEFAULT_THRESHOLD, SurveyData, TillitError, compute_results, load_instrument, privacy,
                           read_export)

from .analysis import WorkshopAnalysis, build_analysis, dialogue_prompts, load_workshop_settings
from .workshop import apply_votes

Step = Callable[[str], None]


class PipelineError(TillitError):
    """A step of the main job could not be carried out."""


def redact_text(text: str) -> str:
    """The redactor every stored or shown comment goes through."""
    return nlp.redact(text).text


def comments_frame(store: Store, wave, respondents: dict[str, int], threshold: int) -> pd.DataFrame:
    """The wave's (already redacted) comments in nlp's input shape, without groups below the threshold."""
    df = store.comments(wave)
    if df.empty:
        return pd.DataFrame(columns=["id", "group", "box", "text", "respondent"])
    shown = privacy.shown_groups(respondents, threshold)
    df = df[df["group"].isin(shown)]
    return pd.DataFrame({"id": [f"{r}:{b}" for r, b in zip(df["respondent_id"], df["box_id"])],
                         "group": df["group"].to_numpy(), "box": df["box_id"].to_numpy(),
                         "text": df["text"].to_numpy(), "respondent": df["respondent_id"].to_numpy()})


def notes_frame(store: Store, municipality: str, year: int, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    notes = store.notes(municipality, year)
    df = pd.DataFrame({"id": [f"N{n.id}" for n in notes], "prompt_id": [n.prompt_id for n in notes],
                       "note": [n.note for n in notes]})
    if extra is not None and len(extra):
        df = pd.concat([df, extra[["id", "prompt_id", "note"]].astype(str)], ignore_index=True)
    return df


def voted_piles(store: Store, municipality: str, year: int) -> dict[str, list[dict]]:
    """Per prompt, the piles of its latest live round that reached voting (with their dots)."""
    out: dict[str, list[dict]] = {}
    for rnd in store.rounds(municipality, year):  # oldest first: a later round of a prompt wins
        piles = store.piles(rnd.id) if rnd.state != "open" else []
        if piles:
            out[rnd.prompt_id] = [{"label": p.label, "kind": p.kind, "note_ids": p.note_ids, "notes": p.notes,
                                   "votes": p.votes} for p in piles]
    return out


def store_dialogue_notes(store: Store, municipality: str, year: int, notes: pd.DataFrame, source: str) -> int:
    """Store notes read from a dialogue file with the wave (redacted), so the dashboard shows them
    too; a note already stored under the same prompt is not stored again. The number stored."""
    from tillit.benchmarks.store import check_note

    for i, text in enumerate(notes["note"], start=2):  # row 1 is the header
        try:
            check_note(text)
        except TillitError as err:
            raise PipelineError(f"Rad {i}: {err.message}", source=source, hint=err.hint) from None
    have = {(n.prompt_id, n.note) for n in store.notes(municipality, year, include_hidden=True)}
    added = 0
    for prompt_id, text in zip(notes["prompt_id"], notes["note"]):
        if (str(prompt_id), redact_text(str(text)).strip()) not in have:
            store.add_note(municipality, year, str(prompt_id), str(text), redact=redact_text, require_wave=True)
            added += 1
    return added


def read_dialogue_csv(path: str | Path) -> pd.DataFrame:
    """Workshop notes from a CSV (id, prompt_id, note); ids made up when missing."""
    from tillit.survey.readers import read_table

    table = read_table(path)
    f = table.frame
    cols = {c.strip().casefold(): c for c in f.columns}
    note_col = next((cols[c] for c in ("note", "anteckning", "text", "lapp") if c in cols), None)
    if note_col is None:
        raise PipelineError(f"Dialogfilen saknar en kolumn 'note' (fanns: {', '.join(f.columns)}).", source=path,
                            hint="Filen ska ha kolumnerna id, prompt_id och note (en rad per lapp).")
    prompt_col = next((cols[c] for c in ("prompt_id", "fraga", "prompt") if c in cols), None)
    id_col = cols.get("id")
    out = pd.DataFrame({
        "id": f[id_col].astype(str) if id_col else [f"D{i + 1:03d}" for i in range(len(f))],
        "prompt_id": f[prompt_col].astype(str) if prompt_col else "",
        "note": f[note_col].astype(str),
    })
    return out[out["note"].str.strip().ne("") & f[note_col].notna().to_numpy()]


def actions_follow_up(store: Store, wave, now: MeasuredWave, threshold: int, lang: str) -> list[dict]:
    """The municipality's actions decided before this wave, with their areas then and now."""
    baselines: dict[int, MeasuredWave] = {}
    measured: dict[int, MeasuredWave] = {}
    wanted = []
    for action in store.actions(wave.municipality):
        try:
            base = store.baseline_wave(wave.municipality, action.year)
        except StoreError:
            continue  # its wave was removed since: nothing to measure from
        if base.year >= wave.year:
            continue
        if base.id not in measured:
            table = store.counts(base)
            measured[base.id] = MeasuredWave(base.year, table.instrument, compute_results(table, threshold=threshold))
        baselines[action.id] = measured[base.id]
        wanted.append(action.to_dict())
    return follow_up(wanted, baselines, now, lang)


def analysis_from_store(store: Store, municipality: str, year: int | None = None, *, with_: str | None = None,
                        with_year: int | None = None, lang: str = "sv", threshold: int = DEFAULT_THRESHOLD,
                        prompts: list[dict[str, str]] | None = None, extra_notes: pd.DataFrame | None = None,
                        provenance: dict | None = None) -> WorkshopAnalysis:
    """Everything the deliverables show for one municipality's wave, from the store."""
    wave = store.wave(municipality, year)
    table = store.counts(wave)
    inst = table.instrument
    results = compute_results(table, threshold=threshold)
    warnings: list[str] = []
    try:
        bench = comparison(store, wave.municipality, year=wave.year, with_=with_, with_year=with_year,
                           threshold=threshold).to_dict()
    except ComparisonError as err:
        bench = None
        warnings.append(err.message)
    cdf = comments_frame(store, wave, table.respondents, threshold)
    comments = (nlp.analyse_comments(cdf, lang=lang, group_labels=inst.group_words(lang)).to_dict()
                if len(cdf) else None)
    ndf = notes_frame(store, wave.municipality, wave.year, extra_notes)
    dialogue = nlp.analyse_dialogue(ndf, lang=lang).to_dict() if len(ndf) else None
    dialogue = apply_votes(dialogue, voted_piles(store, wave.municipality, wave.year))
    if prompts is None:
        prompts = dialogue_prompts(load_workshop_settings(), lang)
    actions = actions_follow_up(store, wave, MeasuredWave(wave.year, inst, results), threshold, lang)
    prov = {"wave": {"municipality": wave.municipality, "year": wave.year, "kind": wave.kind,
                     "source": wave.source_name, "synthetic": wave.synthetic},
            "synthetic": bool(wave.synthetic or (bench or {}).get("benchmark", {}).get("synthetic"))}
    prov.update(provenance or {})
    return build_analysis(inst, results, municipality=wave.municipality, year=wave.year, lang=lang, benchmark=bench,
                          comments=comments, dialogue=dialogue, prompts=prompts, provenance=prov, warnings=warnings,
                          actions=actions)


@dataclass
class AnalyseOutcome:
    analysis: WorkshopAnalysis
    files: dict[str, Path] = field(default_factory=dict)
    import_lines: list[str] = field(default_factory=list)


def run_analyse(export: str | Path, *, municipality: str, year: int, out: str | Path, db: str | None = None,
                codebook: str | None = None, instrument: str | None = None, sheet: str | None = None,
                codes: str | None = None, with_: str | None = None, with_year: int | None = None, dialogue: str | None = None,
                lang: str = "sv", threshold: int = DEFAULT_THRESHOLD, synthetic: bool = False, replace: bool = False,
                template_pptx: str | None = None, template_docx: str | None = None, appendix: bool = True,
                workshop: str | None = None, step: Step = lambda _: None) -> AnalyseOutcome:
    """Export in → analys.json, workshop.pptx, rapport.docx out (the README's main job)."""
    out = Path(out)
    _check_writable(out)
    step("Läser exporten")
    inst = load_instrument(instrument)
    data = read_export(export, instrument=inst, codebook=codebook, sheet=sheet, codes=codes)
    step("Sparar i databasen (kommentarer avidentifieras)")
    with Store(db) as store:
        lines: list[str] = []
        own_replace = replace
        if len(data.municipalities()) > 1:  # a national file: this municipality's answers, the rest as benchmarks
            municipality = data.municipality_name(municipality)  # the file's spelling
            data, lines, own_replace = _split_national(store, data, municipality, year, replace, synthetic)
        report = store.import_survey(data, municipality, year, replace=own_replace, synthetic=synthetic,
                                     redact=redact_text)
        if dialogue:  # stored with the wave: the dashboard's Dialog page shows them as well
            store_dialogue_notes(store, municipality, year, read_dialogue_csv(dialogue), Path(dialogue).name)
        step("Jämför, sammanfattar kommentarer och dialog")
        prompts = dialogue_prompts(load_workshop_settings(workshop), lang)
        analysis = analysis_from_store(
            store, municipality, year, with_=with_, with_year=with_year, lang=lang, threshold=threshold,
            prompts=prompts,
            provenance={"files": [{"name": Path(data.source.path).name, "sha256": data.source.sha256,
                                   "format": data.source.format}],
                        "dropped_columns": sorted(data.source.dropped)})
    analysis.warnings = list(dict.fromkeys(analysis.warnings + data.source.warnings))
    files = write_deliverables(analysis, out, template_pptx=template_pptx, template_docx=template_docx,
                               appendix=appendix, step=step)
    return AnalyseOutcome(analysis, files, lines + report.lines())


DELIVERABLES = {"analysis": "analys.json", "deck": "workshop.pptx", "report": "rapport.docx"}


def write_deliverables(analysis: WorkshopAnalysis, out: str | Path, *, template_pptx: str | None = None,
                       template_docx: str | None = None, appendix: bool = True,
                       step: Step = lambda _: None) -> dict[str, Path]:
    """analys.json, workshop.pptx and rapport.docx in `out`, all or none.

    Each file is written beside its final name and moved into place only when all three are
    done, so a failure leaves neither half-written files nor an empty folder behind, and an
    earlier run's files stay as they were."""
    from tillit import reports

    out = Path(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unwritable(out, err) from None
    tmp = {kind: out / f".{name}.tmp-{os.getpid()}" for kind, name in DELIVERABLES.items()}
    try:
        analysis.save(tmp["analysis"])
        step("Skapar workshopbilder")
        reports.write_deck(analysis, tmp["deck"], template=template_pptx)
        step("Skapar rapport")
        reports.write_report(analysis, tmp["report"], template=template_docx, include_comments=appendix)
        files = {}
        for kind, name in DELIVERABLES.items():
            files[kind] = tmp[kind].replace(out / name)
        return files
    except OSError as err:
        raise _unwritable(out, err) from None
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)
        if created and out.exists() and not any(out.iterdir()):
            out.rmdir()


def _check_writable(out: Path) -> None:
    """Refuse an output folder that cannot be written before anything is read or stored."""
    probe = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if (probe.exists() and not probe.is_dir()) or not os.access(probe, os.W_OK | os.X_OK):
        raise _unwritable(out, None)


def _unwritable(out: Path, err: OSError | None) -> PipelineError:
    why = f" ({err.strerror})" if err is not None and err.strerror else ""
    return PipelineError(f"Kan inte skriva i utdatamappen{why}.", source=out,
                         hint="Välj en mapp du har skrivrätt till med --out, t.ex. --out ~/tillit-ut.")


def _split_national(store: Store, data: SurveyData, municipality: str, year: int, replace: bool,
                    synthetic: bool) -> tuple[SurveyData, list[str], bool]:
    """From a file with many municipalities: the analysed one's own answers, the others stored as
    counts waves (benchmarks). Waves stored from answers already are kept; the analysed
    municipality's counts wave from this very file, if any, gives way to its answers."""
    own, name = data.only(municipality), municipality
    from_answers = [w.municipality for w in store.waves() if w.year == year and w.kind == "raw"]
    counts_wave = next((w for w in store.waves(name)  # the store matches names as it stores them
                        if w.year == year and w.kind != "raw" and w.sha256 == data.source.sha256), None)
    national = store.import_national(data, year, synthetic=synthetic, replace=replace, skip=[name, *from_answers])
    return own, national.lines(), replace or counts_wave is not None
