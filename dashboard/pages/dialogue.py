"""Dialog: the facilitator types the room's notes under a prompt, or opens a live round for it
(participants post from their phones, see /delta and /projektor); notes are saved at once and
the clusters of similar proposals update live (nlp.analyse_dialogue over the stored notes).
The facilitator can hide a note, start the vote, merge or split piles, and close the round."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from tillit.benchmarks.store import MAX_NOTE_CHARS
from tillit.dashboard import content, data, workshop
from tillit.dashboard.common import alert, analysis_for, dropdown
from tillit.dashboard.ids import Ids
from tillit.dashboard.texts import t
from tillit.survey.errors import TillitError
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
        actions_panel(),
    ], className="page")


PILES_REFRESH_MS = 3000  # the pile list follows the room's dots (redrawn only when they changed)


def _label(key: str, *children, **props) -> html.Label:
    return html.Label([html.Span(t("sv", key), id={"type": Ids.ACTION_LABEL, "index": key}), *children], **props)


def actions_panel() -> html.Section:
    """After voting: each ranked pile can become an action (text, area, owner, due date), stored as
    `tillit actions add` stores it, and the wave's actions are listed with a Klar button."""
    return html.Section([
        html.H3(t("sv", "actions_title"), id={"type": Ids.ACTION_LABEL, "index": "actions_title"}),
        html.P(t("sv", "actions_hint"), id={"type": Ids.ACTION_LABEL, "index": "actions_hint"}, className="hint"),
        html.Div(id=Ids.ACTION_PILES),
        dcc.Interval(id=Ids.ACTION_PILES_TICK, interval=PILES_REFRESH_MS),
        dcc.Store(id=Ids.ACTION_PILES_SHOWN),
        html.Div([_label("action_text", dcc.Input(id=Ids.ACTION_TEXT, type="text", maxLength=MAX_NOTE_CHARS,
                                                  debounce=False), className="wide"),
                  _label("action_area", dropdown(Ids.ACTION_AREA, clearable=False, className="area-picker")),
                  _label("action_owner", dcc.Input(id=Ids.ACTION_OWNER, type="text", maxLength=200)),
                  _label("action_due", dcc.Input(id=Ids.ACTION_DUE, type="text", maxLength=40,
                                                 placeholder="2026-06-30")),
                  html.Button(t("sv", "action_save"), id=Ids.ACTION_SAVE, className="save")],
                 id=Ids.ACTION_FORM, className="action-form"),
        html.Div(id=Ids.ACTION_STATUS, className="status", role="status"),
        html.Div(id=Ids.ACTION_LIST),
        dcc.Store(id=Ids.ACTIONS_SAVED, data=0),
    ], id=Ids.ACTIONS_PANEL, className="actions-panel")


@callback(Output(Ids.DIALOGUE_PROMPT, "options"), Output(Ids.DIALOGUE_PROMPT, "value"),
          Output(Ids.DIALOGUE_SAVE, "children"), Output(Ids.DIALOGUE_INPUT, "placeholder"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          State(Ids.DIALOGUE_PROMPT, "value"))
def prompts(municipality: str | None, year: int | None, lang: str | None,
            current: str | None) -> tuple[list[dict[str, str]], str | None, str, str]:
    lang = lang or "sv"
    if not municipality or not year:
        return [], None, t(lang, "save"), t(lang, "note_placeholder")
    found = analysis_for(municipality, year, None, lang).dialogue_prompts
    ids = [p["id"] for p in found]
    chosen = current if current in ids else (ids[0] if ids else None)
    return ([{"label": p["text"], "value": p["id"]} for p in found], chosen,
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


# ---------------------------------------------------------------------------- actions from the piles


@callback(Output({"type": Ids.ACTION_LABEL, "index": ALL}, "children"), Output(Ids.ACTION_SAVE, "children"),
          Input(Ids.LANG, "value"), State({"type": Ids.ACTION_LABEL, "index": ALL}, "id"))
def action_labels(lang, label_ids):
    return [t(lang or "sv", i["index"]) for i in label_ids], t(lang or "sv", "action_save")


@callback(Output(Ids.ACTION_LIST, "children"), Output(Ids.ACTION_AREA, "options"),
          Input(Ids.ACTIONS_SAVED, "data"), Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"),
          Input(Ids.LANG, "value"))
def show_actions(_changed, municipality, year, lang):
    """The wave's saved actions, and the instrument's areas for the form."""
    lang = lang or "sv"
    if not municipality or not year:
        return [], []
    store = data.current_store()
    try:
        areas = workshop.area_options(store, municipality, year, lang)
    except TillitError as err:
        return alert(err.render()), []
    listed = content.actions_list(workshop.wave_actions(store, municipality, year),
                                  {o["value"]: o["label"] for o in areas}, municipality, year, lang)
    return listed, areas


@callback(Output(Ids.ACTION_PILES, "children"), Output(Ids.ACTION_PILES_SHOWN, "data"),
          Input(Ids.ACTION_PILES_TICK, "n_intervals"), Input(Ids.DIALOGUE_SAVED, "data"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          State(Ids.ACTION_PILES_SHOWN, "data"))
def show_piles(_tick, _saved, municipality, year, lang, shown):
    """The ranked piles with their "Gör till åtgärd" buttons, redrawn only when a dot, pile or label changed
    (a redraw under the facilitator's pointer would swallow a click)."""
    lang = lang or "sv"
    if not municipality or not year:
        return [], None
    store = data.current_store()
    ranked = workshop.ranked_piles(store, workshop.current_round(store, municipality, year), lang)
    key = [lang, municipality, year] + [[c["pile_id"], c["label"], c["votes"]] for c in ranked]
    if key == shown:
        return no_update, no_update
    return content.action_piles(ranked, lang), key


@callback(Output(Ids.ACTION_TEXT, "value"), Input({"type": Ids.ACTION_FROM_PILE, "index": ALL}, "n_clicks"),
          State(Ids.MUNICIPALITY, "value"), State(Ids.WAVE, "value"), prevent_initial_call=True)
def from_pile(_clicks, municipality, year):
    """"Gör till åtgärd": the pile's label into the form's text, to be edited before saving."""
    if not ctx.triggered or not ctx.triggered[0].get("value") or not isinstance(ctx.triggered_id, dict):
        return no_update
    store = data.current_store()
    label = workshop.pile_label(store, workshop.current_round(store, municipality, year), int(ctx.triggered_id["index"]))
    return label if label is not None else no_update


@callback(Output(Ids.ACTION_STATUS, "children"), Output(Ids.ACTIONS_SAVED, "data"),
          Output(Ids.ACTION_TEXT, "value", allow_duplicate=True), Output(Ids.ACTION_OWNER, "value"),
          Output(Ids.ACTION_DUE, "value"),
          Input(Ids.ACTION_SAVE, "n_clicks"), State(Ids.ACTION_TEXT, "value"), State(Ids.ACTION_AREA, "value"),
          State(Ids.ACTION_OWNER, "value"), State(Ids.ACTION_DUE, "value"), State(Ids.MUNICIPALITY, "value"),
          State(Ids.WAVE, "value"), State(Ids.LANG, "value"), State(Ids.ACTIONS_SAVED, "data"),
          prevent_initial_call=True)
def save_action(clicks, text, area, owner, due, municipality, year, lang, changed):
    """Store the action; a refusal (unknown area, a due date that is not a date …) is shown and nothing is stored."""
    lang = lang or "sv"
    if not clicks or not municipality or not year:
        return no_update, no_update, no_update, no_update, no_update
    try:
        action = workshop.add_action(data.current_store(), municipality, year, area, text, owner, due, lang)
    except TillitError as err:
        return alert(err.render()), no_update, no_update, no_update, no_update
    return t(lang, "action_saved", id=action.id, text=action.text), (changed or 0) + 1, "", "", ""


@callback(Output(Ids.ACTION_STATUS, "children", allow_duplicate=True),
          Output(Ids.ACTIONS_SAVED, "data", allow_duplicate=True),
          Input({"type": Ids.ACTION_DONE, "index": ALL}, "n_clicks"), State(Ids.LANG, "value"),
          State(Ids.ACTIONS_SAVED, "data"), prevent_initial_call=True)
def mark_done(_clicks, lang, changed):
    """"Klar": the action marked done, as `tillit actions done ID` does."""
    if not ctx.triggered or not ctx.triggered[0].get("value") or not isinstance(ctx.triggered_id, dict):
        return no_update, no_update
    try:
        action = data.current_store().mark_action_done(int(ctx.triggered_id["index"]))
    except TillitError as err:
        return alert(err.render()), no_update
    return t(lang or "sv", "action_marked_done", id=action.id), (changed or 0) + 1
