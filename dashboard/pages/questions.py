"""Frågor: one question at a time, the groups side by side with the benchmark (← → in workshop mode)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import views
from dashboard.common import PICKERS, analysis_for, graph, render_page, text_list
from dashboard.ids import Ids
from dashboard.texts import t

dash.register_page(__name__, path="/fragor", name="Frågor", order=1)


def layout(**_query):
    return html.Div([
        html.Div([html.Button("◀", id=Ids.QUESTION_PREV, className="step", title="←"),
                  dcc.Dropdown(id=Ids.QUESTION, clearable=False, persistence=True, className="question-picker"),
                  html.Button("▶", id=Ids.QUESTION_NEXT, className="step", title="→"),
                  html.Span(id=Ids.QUESTION_POSITION, className="position")], className="question-bar"),
        html.Div(id=Ids.QUESTION_CONTENT),
    ], className="page")


@callback(Output(Ids.QUESTION, "options"), Output(Ids.QUESTION, "value"),
          Input(Ids.QUESTION_PREV, "n_clicks"), Input(Ids.QUESTION_NEXT, "n_clicks"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          State(Ids.QUESTION, "value"))
def choose_question(_prev, _next, municipality, year, lang, current):
    if not municipality or not year:
        return [], None
    analysis = analysis_for(municipality, year, None, lang or "sv")
    ids = views.question_ids(analysis)
    delta = {Ids.QUESTION_PREV: -1, Ids.QUESTION_NEXT: 1}.get(ctx.triggered_id, 0)
    return [{"label": q["short"], "value": q["id"]} for q in analysis.questions], views.step(ids, current, delta)


def render(analysis, groups, lang, large, qid):
    if qid not in views.question_ids(analysis):
        return html.Div()
    q = analysis.question(qid)
    ids = views.question_ids(analysis)
    parts = [html.P(t(lang, "question_position", i=ids.index(qid) + 1, n=len(ids)), className="position"),
             html.H2(q["text"], className="question-text"),
             graph(views.distribution(analysis, qid, groups, lang, large), Ids.QUESTION_FIGURE)]
    heading = views.view.bench_heading(analysis, qid, lang)
    notes = views.suppressed_lines(analysis, lang, groups, qid) + views.view.question_notes(analysis, qid, lang)
    if heading:
        notes.insert(0, heading)
    parts.append(text_list(notes))
    if large:
        parts.append(html.P(t(lang, "keys_hint"), className="hint"))
    return parts


@callback(Output(Ids.QUESTION_CONTENT, "children"), *PICKERS, Input(Ids.QUESTION, "value"))
def show(*pickers_and_question):
    return render_page(render, *pickers_and_question)
