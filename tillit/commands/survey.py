"""`tillit results`, `inspect`, `instrument show/check` and `settings`: an export read and counted,
no database involved."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import click
from rich.table import Table

from tillit import settings
from tillit.commands import make_console
from tillit.settings import option

console = make_console()


def _load(file: str, codebook: str | None, instrument: str | None, sheet: str | None, keep: tuple[str, ...] = (),
          codes: str | None = None):
    from tillit.survey import load_instrument, read_export

    inst = load_instrument(settings.value("instrument", instrument))
    return read_export(file, instrument=inst, codebook=codebook, sheet=sheet, keep_columns=keep, codes=codes)


export_argument = click.argument("file")  # checked by survey.readers, with Swedish messages
codebook_option = click.option("--codebook", help="Kodbok (CSV: variabel;etikett;kod;varde) för kodade exporter.")
sheet_option = click.option("--sheet", help="Excel-blad att läsa (standard: det första).")
codes_option = click.option(
    "--codes", type=click.Choice(["instrument"]),
    help="Läs sifferkoder enligt instrumentets egna koder (t.ex. 1 = Nej … 4 = Till stor del). Bara när du vet "
         "att exporten använder dem; annars --codebook.")
keep_option = click.option("--keep-column", "keep", multiple=True,
                           help="Behåll en kolumn som annars tas bort (t.ex. Parti). Känsliga uppgifter: använd med omsorg.")


# ---------------------------------------------------------------------- results


@click.command("results")
@export_argument
@codebook_option
@codes_option
@option("instrument")
@sheet_option
@option("threshold")
@option("lang")
@click.option("--municipality", "-m", help="För en fil med en kommunkolumn: resultat för bara den här kommunen.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Utdataformat.")
def results_cmd(file, codebook, codes, instrument, sheet, threshold, lang, municipality, fmt):
    """Resultat per fråga och grupp för en enkätexport."""
    from tillit.survey import compute_results, count_answers, count_by_municipality

    data = _load(file, codebook, instrument, sheet, codes=codes)
    per_municipality = count_by_municipality(data)
    pooled = []
    if municipality:
        table = per_municipality[data.municipality_name(municipality)]
    else:
        table = count_answers(data)
        if len(per_municipality) > 1:
            pooled = [f"Filen innehåller svar från {len(per_municipality)} kommuner; resultaten gäller alla "
                      "tillsammans. Välj en kommun med --municipality."]
            click.echo(pooled[0], err=True)
    res = compute_results(table, threshold=settings.value("threshold", threshold))
    lang = settings.value("lang", lang)
    part = data.only(municipality) if municipality else data  # its own warnings and comments
    notes = pooled + reading_notes(part, res)
    if fmt == "json":
        out = res.to_dict()
        out["respondents"] = res.shown_respondents  # a hidden group's size is not shown either
        out["notes"] = notes
        out["comments"] = comment_counts(part)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(results_frame(data.instrument, res, lang).to_csv(index=False), nl=False)
        for note in notes[len(pooled):]:  # the table stays machine-readable; what the user must know goes to stderr
            click.echo(f"Obs: {note}", err=True)
    else:
        print_results(part, res, lang, municipality=municipality)


def reading_notes(data, res) -> list[str]:
    """Every note of the results and of reading the file, each once."""
    return list(dict.fromkeys([*res.notes, *data.source.warnings]))


def comment_counts(data) -> dict[str, int]:
    """Comments read per box (every box of the instrument, 0 when none)."""
    counts = data.comments["box_id"].value_counts()
    return {b.id: int(counts.get(b.id, 0)) for b in data.instrument.comment_boxes}


def results_frame(inst, res, lang: str):
    """One row per question × group × answer: the machine-readable long table."""
    import pandas as pd

    rows = []
    for q in inst.questions:
        for gid, r in res.questions.get(q.id, {}).items():
            base = {"question_id": q.id, "group": gid, "suppressed": r.suppressed, "n": r.n, "dont_know": r.dont_know,
                    "blank": r.blank, "mean": r.mean, "index": r.index, "share_positive": r.share_positive}
            if r.suppressed:
                rows.append({**base, "label": None, "count": None, "percent": None})
                continue
            for lbl in r.counts:
                rows.append({**base, "label": lbl, "count": r.counts[lbl], "percent": r.percent[lbl]})
    return pd.DataFrame(rows)


def _pct(x) -> str:
    return "–" if x is None else f"{x} %"


def _num(x, digits: int = 1) -> str:
    return "–" if x is None else f"{x:.{digits}f}".replace(".", ",")


def print_results(data, res, lang: str, municipality: str | None = None) -> None:
    from tillit.survey import ALL

    inst = data.instrument
    labels = {**inst.group_labels(lang), ALL: "Alla" if lang == "sv" else "All"}
    resp = ", ".join(f"{labels[g]} {n}" if n is not None else f"{labels[g]} färre än {res.threshold}"
                     for g, n in res.shown_respondents.items())
    where = Path(data.source.path).name + (f", {' '.join(municipality.split())}" if municipality else "")
    console.print(f"[bold]{inst.name_en if lang == 'en' else inst.name_sv}[/bold] – {where}")
    console.print(f"Svarande: {resp} (anonymitetsgräns {res.threshold})")
    for q in inst.questions:
        if q.id not in res.questions:
            continue
        scale = inst.scales[q.scale]
        t = Table(title=f"{q.short(lang)}  [dim]({q.id})[/dim]", title_justify="left", show_lines=False)
        t.add_column("Grupp", no_wrap=True)
        for lbl in scale.labels:
            t.add_column(scale.english(lbl) if lang == "en" else lbl, justify="right", no_wrap=True)
        for col in ("n", "Vet ej", "Blank", "Index", "Positiva"):
            t.add_column(col, justify="right", no_wrap=True)
        for gid, r in res.questions[q.id].items():
            if r.suppressed:
                t.add_row(labels.get(gid, gid), *[f"färre än {res.threshold} svar"] + [""] * (len(scale.labels) + 4))
                continue
            t.add_row(labels.get(gid, gid), *[f"{r.counts[lbl]} ({r.percent[lbl]} %)" for lbl in scale.labels],
                      str(r.n), str(r.dont_know), str(r.blank), _num(r.index),
                      _pct(round(100 * r.share_positive)) if r.share_positive is not None else "–")
        console.print(t)
        d = res.differences.get(q.id)
        if d and not d.suppressed and d.differs:
            console.print(f"  [yellow]Grupperna ser olika på frågan[/yellow] (Mann–Whitney p = {_num(d.p_value, 3)}, "
                          f"effekt r = {_num(d.rank_biserial, 2)})")
    dt = Table(title="Index per område (0–100)", title_justify="left")
    dt.add_column("Område")
    for gid in [*inst.group_ids, ALL]:
        dt.add_column(labels[gid], justify="right")
    for d in inst.dimensions:
        if d.id in res.dimensions:
            dt.add_row(d.label(lang), *[_num(res.dimensions[d.id][g]) for g in [*inst.group_ids, ALL]])
    console.print(dt)
    for note in reading_notes(data, res):
        console.print(f"[yellow]Obs:[/yellow] {note}")


# ---------------------------------------------------------------------- inspect


@click.command("inspect")
@export_argument
@codebook_option
@codes_option
@option("instrument")
@sheet_option
@keep_option
def inspect_cmd(file, codebook, codes, instrument, sheet, keep):
    """Visa hur en export tolkas: format, kolumner → frågor, koder → svar, borttagna kolumner, varningar."""
    from tillit.survey import count_by_municipality

    data = _load(file, codebook, instrument, sheet, keep, codes=codes)
    s = data.source
    console.print(f"[bold]{Path(s.path).name}[/bold]: format {s.format}"
                  + (f", kodning {s.encoding}" if s.encoding else "") + (f", blad '{s.sheet}'" if s.sheet else "")
                  + (f", kodbok {Path(s.codebook).name}" if s.codebook else ""))
    for note in s.notes:
        console.print(f"  {note}")
    t = Table(title="Kolumner", title_justify="left")
    t.add_column("Kolumn i filen", overflow="fold", max_width=70)
    t.add_column("Tolkas som")
    for col, role in s.column_map.items():
        t.add_row(col, role.replace("question:", "fråga ").replace("comment:", "kommentar ")
                  .replace("group", "grupp").replace("respondent_id", "svars-id").replace("municipality", "kommun")
                  .replace("keep:", "behålls: "))
    for col, reason in s.dropped.items():
        t.add_row(f"[dim]{col}[/dim]", f"[red]{reason}[/red]")
    console.print(t)
    if s.code_maps:
        ct = Table(title="Koder → svar", title_justify="left")
        ct.add_column("Kolumn i filen", overflow="fold", max_width=50)
        ct.add_column("Kod → svar", overflow="fold")
        for col, mapping in s.code_maps.items():
            ct.add_row(col, ", ".join(f"{code} = {label}" for code, label in mapping.items()))
        console.print(ct)
    per_group = data.respondents_per_group()
    console.print("Svarande per grupp: " + ", ".join(f"{data.instrument.group(g).label_sv} {n}" for g, n in per_group.items()))
    munis = sorted(count_by_municipality(data))
    if munis:
        shown = ", ".join(munis[:20]) + (f" … och {len(munis) - 20} till" if len(munis) > 20 else "")
        console.print(f"Kommuner i filen ({len(munis)}): {shown}")
    console.print(f"Kommentarer: {len(data.comments)}")
    for w in s.warnings:
        console.print(f"[yellow]Varning:[/yellow] {w}")


# ---------------------------------------------------------------------- instrument


@click.group("instrument")
def instrument_group() -> None:
    """Visa eller kontrollera ett instrument (frågor, skalor, grupper)."""


@instrument_group.command("show")
def instrument_show():
    """Skriv ut det inbyggda instrumentet som YAML (kopiera och redigera)."""
    click.echo(resources.files("tillit.survey.data").joinpath("samspel.yaml").read_text("utf-8"), nl=False)


@instrument_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def instrument_check(file):
    """Kontrollera en instrumentfil och sammanfatta den."""
    from tillit.survey import load_instrument

    inst = load_instrument(file)
    console.print(f"[green]Instrumentet är giltigt:[/green] {inst.name_sv} ({inst.id} v{inst.version}): "
                  f"{len(inst.questions)} frågor, {len(inst.scales)} skalor, {len(inst.groups)} grupper, "
                  f"{len(inst.comment_boxes)} kommentarsrutor.")


@click.command("settings")
def settings_cmd():
    """Lista alla inställningar med standardvärde och miljövariabel."""
    t = Table(title="Inställningar", title_justify="left")
    for c in ("Namn", "Miljövariabel", "Standard", "Beskrivning"):
        t.add_column(c, overflow="fold")
    for s in settings.SETTINGS.values():
        t.add_row(s.name, s.env, str(s.default) if s.default is not None else "–", s.help)
    console.print(t)
