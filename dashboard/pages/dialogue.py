"""Dialog: the facilitator types the room's notes under a prompt, or opens a live round for it
(participants post from their phones, see /delta and /projektor); notes are saved at once and
the clusters of similar proposals update live (nlp.analyse_dialogue over the stored notes).
The facilitator can hide a note, start the vote, merge or split piles, and close the round."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from benchmarks.store import MAX_NOTE_CHARS
from dashboard import content, data, workshop
from dashboard.common import alert, analysis_for, dropdown
from dashboard.ids import Ids
from dashboard.texts import t
from survey.errors import TillitError
from tillit.pipeline import redact_text

dash.register_page(__name__, path="/dialog", name="Dialog", order=4)


def layout(**_query):
    return html.Div([
        dropdown(Ids.DIALOGUE_PROMPT, clearable=False, persistence=True, className="question-picker"),
        html.H2(id=Ids.DIALOGUE_PROMPT_TEXT, className="question-text"),
        dcc.Textarea(id=Ids.DIALOGUE_INPUT, className="note-input", placeholder=t("sv", "note_placeholder"),
                     maxLength=MAX_NOTE_CHARS),
        html.Button(t("sv", "save"), id=Ids.DIALOGUE_SAVE, className="save"),
        html.Div(id=Ids.DIALOGUE_STATUS, className="status", role="status"),
        dcc.Store(id=Ids.DIALOGUE_SAVED, data=0),
        html.Div([html.Span(id=Ids.ROUND_STATUS, className="round-status"),
                  html.Button(t("sv", "round_open"), id=Ids.ROUND_OPEN, className="round"),
                  html.Button(t("sv", "round_vote"), id=Ids.ROUND_VOTE, className="round"),
                  html.Button(t("sv", "round_close"), id=Ids.ROUND_CLOSE, className="round"),
                  dcc.Link(t("sv", "page_projector"), href="/projektor", className="nav-link")],
                 className="round-controls"),
        html.Div([dropdown(Ids.MERGE_SOURCE, clearable=True, className="pile-picker",
                           placeholder=t("sv", "merge_source")),
                  dropdown(Ids.MERGE_TARGET, clearable=True, className="pile-picker",
                           placeholder=t("sv", "merge_target")),
                  html.Button(t("sv", "merge"), id=Ids.MERGE, className="round"),
                  dropdown(Ids.SPLIT_NOTE, clearable=True, className="pile-picker", placeholder=t("sv", "split_note")),
                  html.Button(t("sv", "split"), id=Ids.SPLIT, className="round")],
                 id=Ids.ROUND_PILES, className="round-controls"),
        html.Div([html.Div(id=Ids.DIALOGUE_NOTES, className="col"), html.Div(id=Ids.DIALOGUE_CLUSTERS, className="col")],
                 className="columns"),
    ], className="page")


@callback(Output(Ids.DIALOGUE_PROMPT, "options"), Output(Ids.DIALOGUE_PROMPT, "value"),
          Output(Ids.DIALOGUE_SAVE, "children"), Output(Ids.DIALOGUE_INPUT, "placeholder"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          State(Ids.DIALOGUE_PROMPT, "value"))
def prompts(municipality, year, lang, current):
    lang = lang or "sv"
    if not municipality or not year:
        return [], None, t(lang, "save"), t(lang, "note_placeholder")
    found = analysis_for(municipality, year, None, lang).dialogue_prompts
    ids = [p["id"] for p in found]
    return ([{"label": p["text"], "value": p["id"]} for p in found], current if current in ids else (ids or [None])[0],
            t(lang, "save"), t(lang, "note_placeholder"))


@callback(Output(Ids.DIALOGUE_STATUS, "children"), Output(Ids.DIALOGUE_INPUT, "value"), Output(Ids.DIALOGUE_SAVED, "data"),
          Input(Ids.DIALOGUE_SAVE, "n_clicks"), State(Ids.DIALOGUE_INPUT, "value"), State(Ids.DIALOGUE_PROMPT, "value"),
          State(Ids.MUNICIPALITY, "value"), State(Ids.WAVE, "value"), State(Ids.LANG, "value"), State(Ids.DIALOGUE_SAVED, "data"),
          prevent_initial_call=True)
def save(_clicks, note, prompt_id, municipality, year, lang, saved):
    if not (note or "").strip() or not prompt_id:
        return no_update, no_update, no_update
    try:
        workshop.check_prompt(prompt_id)
        stored = data.current_store().add_note(municipality, year, prompt_id, note, redact=redact_text,
                                               require_wave=True)
    except TillitError as err:
        return alert(err.render()), no_update, no_update
    return t(lang, "saved", note=stored.note), "", (saved or 0) + 1


@callback(Output(Ids.DIALOGUE_STATUS, "children", allow_duplicate=True),
          Output(Ids.DIALOGUE_SAVED, "data", allow_duplicate=True),
          Input(Ids.ROUND_OPEN, "n_clicks"), Input(Ids.ROUND_VOTE, "n_clicks"), Input(Ids.ROUND_CLOSE, "n_clicks"),
          Input(Ids.MERGE, "n_clicks"), Input(Ids.SPLIT, "n_clicks"),
          Input({"type": Ids.DIALOGUE_HIDE, "index": ALL}, "n_clicks"),
          State(Ids.DIALOGUE_PROMPT, "value"), State(Ids.MUNICIPALITY, "value"), State(Ids.WAVE, "value"),
          State(Ids.LANG, "value"), State(Ids.MERGE_SOURCE, "value"), State(Ids.MERGE_TARGET, "value"),
          State(Ids.SPLIT_NOTE, "value"), State(Ids.DIALOGUE_SAVED, "data"), prevent_initial_call=True)
def act(*args):
    """The facilitator's buttons: open / vote / close the round, merge, split, hide or show a note."""
    prompt_id, municipality, year, lang, source, target, split_note, saved = args[6:]
    lang = lang or "sv"
    trigger = ctx.triggered_id
    if not ctx.triggered or ctx.triggered[0].get("value") in (None, 0) or not municipality or not year:
        return no_update, no_update
    store = data.current_store()
    rnd = workshop.current_round(store, municipality, year)
    try:
        if trigger == Ids.ROUND_OPEN:
            rnd = workshop.open_round(store, municipality, year, prompt_id)
        elif isinstance(trigger, dict):  # a note's Dölj / Visa igen
            note = store.note(trigger["index"])
            store.hide_note(note.id, not note.hidden)
        elif rnd is None or not rnd.active:
            return t(lang, "round_none"), no_update
        elif trigger == Ids.ROUND_VOTE:
            workshop.start_voting(store, rnd.id, lang)
        elif trigger == Ids.ROUND_CLOSE:
            store.close_round(rnd.id)
        elif trigger == Ids.MERGE and source and target:
            store.merge_piles(rnd.id, int(source), int(target))
        elif trigger == Ids.SPLIT and split_note:
            store.split_note(rnd.id, int(split_note))
    except TillitError as err:
        return alert(err.render()), no_update
    rnd = workshop.current_round(store, municipality, year)
    return content.round_status(rnd, lang), (saved or 0) + 1


@callback(Output(Ids.DIALOGUE_NOTES, "children"), Output(Ids.DIALOGUE_CLUSTERS, "children"),
          Output(Ids.DIALOGUE_PROMPT_TEXT, "children"), Output(Ids.ROUND_STATUS, "children"),
          Output(Ids.MERGE_SOURCE, "options"), Output(Ids.MERGE_TARGET, "options"), Output(Ids.SPLIT_NOTE, "options"),
          Input(Ids.DIALOGUE_SAVED, "data"), Input(Ids.DIALOGUE_PROMPT, "value"), Input(Ids.MUNICIPALITY, "value"),
          Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"), State(Ids.DIALOGUE_PROMPT, "options"))
def show(_saved, prompt_id, municipality, year, lang, options):
    lang = lang or "sv"
    if not municipality or not year or not prompt_id:
        return [], [], "", "", [], [], []
    store = data.current_store()
    notes, clusters = data.dialogue(store, municipality, year, lang)
    rnd = workshop.current_round(store, municipality, year)
    if rnd is not None and rnd.state != "open":  # this prompt's frozen piles, with their dots
        clusters = [c for c in clusters if c.get("prompt_id") != rnd.prompt_id] + workshop.piles(store, rnd, lang)
    hidden = [n for n in store.notes(municipality, year, include_hidden=True) if n.hidden]
    text = next((o["label"] for o in options or [] if o["value"] == prompt_id), "")
    piles = store.piles(rnd.id) if rnd is not None and rnd.state != "open" else []
    pile_options = [{"label": f"{p.label} ({len(p.note_ids)})", "value": p.id} for p in piles]
    note_options = [{"label": n, "value": i} for p in piles if len(p.note_ids) > 1 for i, n in zip(p.note_ids, p.notes)]
    return (*content.dialogue(notes, clusters, prompt_id, lang, hidden), text, content.round_status(rnd, lang),
            pile_options, pile_options, note_options)
