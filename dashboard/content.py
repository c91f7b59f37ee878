"""What each page shows, as Dash components built from the analysis (pure: no callbacks, no store).

Page modules only wire these to the pickers; tests render them directly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import dash_ag_grid as dag
from dash import html
from dash.development.base_component import Component

from . import views
from .common import Shown, graph, grid_options, text_list
from .ids import Ids
from .texts import t, tn

if TYPE_CHECKING:
    import pandas as pd

    from tillit.analysis import WorkshopAnalysis
    from tillit.benchmarks.store import Action, DialogueNote, WorkshopRound


def overview(analysis: WorkshopAnalysis, groups: list[str] | None, lang: str, large: bool) -> Shown:
    info = views.view.benchmark_info(analysis)
    parts: list[Component] = [html.H2(f"{analysis.municipality} {analysis.year}"),
             text_list(views.respondent_lines(analysis, lang), "respondents")]
    if analysis.synthetic:
        parts.append(html.P(t(lang, "synthetic"), className="warning"))
    parts += [html.H3(t(lang, "dimensions_title")), graph(views.memo(views.dimensions, analysis, groups, lang, large),
                                                          Ids.OVERVIEW_DIMENSIONS)]
    fig = views.memo(views.against_benchmark, analysis, lang, large)
    if fig is not None and info:
        parts += [html.H3(t(lang, "benchmark_title", municipality=info["municipality"], year=info["year"])),
                  graph(fig, Ids.OVERVIEW_BENCHMARK)]
    elif not info:
        parts.append(html.P(t(lang, "no_benchmark")))
    else:  # all respondents are hidden when one group is
        parts.append(html.P(t(lang, "all_hidden", label=analysis.group_label(views.ALL), threshold=analysis.threshold)))
    return parts


def question(analysis: WorkshopAnalysis, groups: list[str] | None, lang: str, large: bool, qid: str | None) -> Shown:
    if qid is None or qid not in views.question_ids(analysis):
        return html.Div()
    q = analysis.question(qid)
    ids = views.question_ids(analysis)
    parts: list[Component] = [html.P(t(lang, "question_position", i=ids.index(qid) + 1, n=len(ids)), className="position"),
             html.H2(q["text"], className="question-text"),
             graph(views.memo(views.distribution, analysis, qid, groups, lang, large), Ids.QUESTION_FIGURE)]
    heading = views.view.bench_heading(analysis, qid, lang)
    notes = views.suppressed_lines(analysis, lang, groups, qid) + views.view.question_notes(analysis, qid, lang)
    if heading:
        notes.insert(0, heading)
    parts.append(text_list(notes))
    if large:
        parts.append(html.P(t(lang, "keys_hint"), className="hint"))
    return parts


def comparison_columns(analysis: WorkshopAnalysis, lang: str) -> list[dict]:
    info = views.view.benchmark_info(analysis)
    bench = f"{info.get('municipality', '')} {info.get('year', '')}" if info else " "
    return [{"field": "question", "headerName": t(lang, "col_question"), "flex": 3},
            {"field": "index", "headerName": analysis.municipality, "flex": 1},
            {"field": "benchmark_index", "headerName": bench, "flex": 1},
            {"field": "median_index", "headerName": t(lang, "col_median"), "flex": 1},
            {"field": "percentile", "headerName": t(lang, "col_percentile"), "flex": 1},
            {"field": "best", "headerName": t(lang, "col_best"), "flex": 2}]


def comparison(analysis: WorkshopAnalysis, groups: list[str] | None, lang: str, large: bool, qid: str | None) -> Shown:
    info = views.view.benchmark_info(analysis)
    if not info:
        return html.P(t(lang, "no_benchmark"))
    parts: list[Component] = [html.P(t(lang, "chosen_benchmark", municipality=info["municipality"], year=info["year"]),
                    className="lead")]
    areas = views.memo(views.areas, analysis, lang, large)
    if areas is not None:
        parts += [html.H3(t(lang, "median_title")), graph(areas, Ids.COMPARISON_AREAS)]
    parts += [graph(views.memo(views.ranking, analysis, lang, large), Ids.COMPARISON_RANKING),
             dag.AgGrid(id=Ids.COMPARISON_TABLE, rowData=views.question_rows(analysis, lang=lang), columnDefs=comparison_columns(analysis, lang),
                        dashGridOptions=grid_options(lang, domLayout="autoHeight"), className="ag-theme-alpine grid")]
    fig = views.memo(views.trend, analysis, qid, groups, lang, large) if qid else None
    parts.append(graph(fig, Ids.COMPARISON_TREND) if fig is not None
                 else html.P(t(lang, "trend_none", municipality=analysis.municipality)))
    return parts


def comments_columns(lang: str) -> list[dict]:
    return [{"field": "group", "headerName": t(lang, "col_group"), "flex": 1, "minWidth": 150},
            {"field": "box", "headerName": t(lang, "col_box"), "flex": 2},
            {"field": "themes", "headerName": t(lang, "col_themes"), "flex": 1},
            {"field": "text", "headerName": t(lang, "col_comment"), "flex": 5, "wrapText": True, "autoHeight": True}]


def comments(analysis: WorkshopAnalysis, groups: list[str] | None, lang: str, large: bool, search: str | None) -> Shown:
    rows = views.comment_rows(analysis, groups)
    blocks = views.summaries(analysis, groups, lang)
    withheld = views.comments_withheld(analysis)
    if not rows and not blocks and not withheld:
        return html.P(t(lang, "comments_none"))
    parts: list[Component] = []
    for block in blocks:
        parts.append(html.H3(block["box"]))
        for g in block["groups"]:
            parts += [html.H4(g["label"]), text_list(g["bullets"], "bullets")]
    if withheld:  # the privacy rule left some out: say so
        parts.append(html.P(t(lang, "comments_withheld", threshold=analysis.threshold), className="muted"))
    if not rows:
        return parts
    parts.append(dag.AgGrid(id=Ids.COMMENTS_GRID, rowData=rows, columnDefs=comments_columns(lang),
                            defaultColDef={"sortable": True, "filter": True, "resizable": True},
                            dashGridOptions=grid_options(lang, quickFilterText=search or "", domLayout="autoHeight",
                                                         pagination=True, paginationPageSize=20),
                            className="ag-theme-alpine grid"))
    return parts


def dialogue(notes: pd.DataFrame, clusters: list[dict[str, Any]], prompt_id: str | None, lang: str,
             hidden: Iterable[DialogueNote] = ()) -> tuple[list[Component], list[Component]]:
    """The prompt's notes (each with a Dölj button; hidden ones apart, with Visa igen) and its clusters."""
    mine = notes[notes["prompt_id"] == prompt_id] if len(notes) else notes
    listed: list[Component] = [html.H3(t(lang, "notes_title", n=len(mine)))]
    listed.append(html.Ul([_note_item(nid, text, t(lang, "hide")) for nid, text in zip(mine["id"], mine["note"])],
                          className="notes") if len(mine) else html.P(t(lang, "notes_none")))
    gone = [n for n in hidden if n.prompt_id == prompt_id]
    if gone:
        listed.append(html.Ul([_note_item(f"N{n.id}", n.note, t(lang, "show"), True) for n in gone],
                              className="notes hidden-notes", id=Ids.DIALOGUE_HIDDEN))
    grouped: list[Component] = [html.H3(t(lang, "clusters_title"))]
    for c in views.clusters_for(clusters, prompt_id):
        grouped.append(html.Div([html.Span(t(lang, f"kind_{c['kind']}"), className=f"kind kind-{c['kind']}"),
                                 html.Strong(f" {c['label']}"), html.Span(f" ({c['count']})", className="count"),
                                 html.Span(" · " + tn(lang, "r_votes", c["votes"]), className="votes")
                                 if c.get("votes") is not None else None],  # None: no round voted on
                                className="cluster"))
    return listed, grouped


def _note_item(note_id: str, text: str, button: str, hidden: bool = False) -> html.Li:
    nid = int(str(note_id).lstrip("N")) if str(note_id).lstrip("N").isdigit() else None
    parts: list[Component] = [html.Span(text, className="note-text")]
    if nid is not None:  # notes read from a file only (not stored) cannot be hidden
        parts.append(html.Button(button, id={"type": Ids.DIALOGUE_HIDE, "index": nid}, className="hide",
                                 title=button))
    return html.Li(parts, className="hidden-note" if hidden else None)


def round_status(rnd: WorkshopRound | None, lang: str) -> str:
    if rnd is None:
        return t(lang, "round_none")
    return t(lang, "round_status", code=rnd.code, state=t(lang, f"r_state_{rnd.state}"))


def projector(rnd: WorkshopRound | None, piles: list[dict[str, Any]], join_url: str, qr_uri: str, prompt: str,
              lang: str) -> Shown:
    """The projector: the join code and QR code, the prompt, and the piles (ranked by dots once voting)."""
    if rnd is None:
        return html.P(t(lang, "r_none"), className="lead")
    head: list[Component] = [html.H2(prompt, className="question-text")]
    if rnd.active:
        head.append(html.Div([
            html.Img(src=qr_uri, id=Ids.PROJECTOR_QR, alt=join_url, className="qr"),
            html.Div([html.P(t(lang, "r_join", url=join_url.split("?")[0])),
                      html.P(rnd.code, id=Ids.PROJECTOR_CODE, className="join-code")], className="join")],
            className="join-box"))
    head.append(html.P(t(lang, f"r_state_{rnd.state}"), className=f"round-state state-{rnd.state}"))
    voting = rnd.state != "open"
    items = []
    for c in piles:
        meta = [tn(lang, "r_notes", c["count"])] + ([tn(lang, "r_votes", c.get("votes", 0))] if voting else [])
        items.append(html.Li([html.Span(f"{c['rank']}." if voting and c.get("rank") else "", className="place"),
                              html.Span(t(lang, f"kind_{c['kind']}"), className=f"kind kind-{c['kind']}"),
                              html.Strong(c["label"], className="pile-label"),
                              html.Span(" · ".join(meta), className="count"),
                              html.Span("●" * min(int(c.get("votes") or 0), 30), className="dots") if voting else None],
                             className="pile"))
    head.append(html.Ol(items, id=Ids.PROJECTOR_PILES, className="piles") if items
                else html.P(t(lang, "notes_none"), id=Ids.PROJECTOR_PILES))
    return head


def action_piles(piles: list[dict[str, Any]], lang: str) -> Component:
    """The ranked piles, each with its "Gör till åtgärd" button (proposals first by dots, then the others)."""
    if not piles:
        return html.P(t(lang, "actions_piles_none"), className="hint")
    items = []
    for c in views.clusters_for(piles, None):
        place = f"{c['rank']}." if c.get("rank") else ""
        items.append(html.Li([html.Span(place, className="place"),
                              html.Span(t(lang, f"kind_{c['kind']}"), className=f"kind kind-{c['kind']}"),
                              html.Strong(c["label"], className="pile-label"),
                              html.Span(tn(lang, "r_votes", int(c.get("votes") or 0)), className="votes"),
                              html.Button(t(lang, "action_from_pile"), className="round from-pile",
                                          id={"type": Ids.ACTION_FROM_PILE, "index": c["pile_id"]})],
                             className="action-pile"))
    return html.Ol(items, className="action-piles")


def actions_list(actions: list[Action], area_labels: Mapping[str, str], municipality: str, year: int,
                 lang: str) -> list[Component]:
    """The wave's saved actions with their status; an open one has a "Klar" button."""
    head = html.H4(t(lang, "actions_saved_title", municipality=municipality, year=year))
    if not actions:
        return [head, html.P(t(lang, "actions_none"), className="hint")]
    items = []
    for a in actions:
        meta = t(lang, "action_meta", area=area_labels.get(a.area, a.area), owner=a.owner or "–",
                 due=a.due.isoformat() if a.due else "–", status=t(lang, f"action_status_{a.status}"))
        items.append(html.Li([html.Span(f"{a.id}", className="action-id"),
                              html.Div([html.Strong(a.text, className="action-text"),
                                        html.Span(meta, className="action-meta")], className="action-body"),
                              html.Button(t(lang, "action_done"), className="round done",
                                          id={"type": Ids.ACTION_DONE, "index": a.id})
                              if a.status == "open" else html.Span("✓", className="done-mark")],
                             className=f"action action-{a.status}"))
    return [head, html.Ul(items, className="actions")]
