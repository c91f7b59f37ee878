"""Dialog: the facilitator types the room's notes under a prompt; each is saved at once and
the clusters of similar proposals update live (nlp.analyse_dialogue over the stored notes)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import content, data
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
        dcc.Textarea(id=Ids.DIALOGUE_INPUT, className="note-input", placeholder=t("sv", "note_placeholder")),
        html.Button(t("sv", "save"), id=Ids.DIALOGUE_SAVE, className="save"),
        html.Div(id=Ids.DIALOGUE_STATUS, className="status", role="status"),
        dcc.Store(id=Ids.DIALOGUE_SAVED, data=0),
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
        stored = data.current_store().add_note(municipality, year, prompt_id, note, redact=redact_text)
    except TillitError as err:
        return alert(err.render()), no_update, no_update
    return t(lang, "saved", note=stored.note), "", (saved or 0) + 1


@callback(Output(Ids.DIALOGUE_NOTES, "children"), Output(Ids.DIALOGUE_CLUSTERS, "children"),
          Output(Ids.DIALOGUE_PROMPT_TEXT, "children"),
          Input(Ids.DIALOGUE_SAVED, "data"), Input(Ids.DIALOGUE_PROMPT, "value"), Input(Ids.MUNICIPALITY, "value"),
          Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"), State(Ids.DIALOGUE_PROMPT, "options"))
def show(_saved, prompt_id, municipality, year, lang, options):
    if not municipality or not year or not prompt_id:
        return [], [], ""
    notes, clusters = data.dialogue(data.current_store(), municipality, year, lang or "sv")
    text = next((o["label"] for o in options or [] if o["value"] == prompt_id), "")
    return *content.dialogue(notes, clusters, prompt_id, lang or "sv"), text
