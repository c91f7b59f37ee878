"""Frågor: one question at a time, the groups side by side with the benchmark (← → in workshop mode)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, html

from tillit.dashboard import content, views
from tillit.dashboard.common import PICKERS, analysis_for, dropdown, render_page
from tillit.dashboard.ids import Ids

dash.register_page(__name__, path="/fragor", name="Frågor", order=1)


def layout(**_query):
    return html.Div([
        html.Div([html.Button("◀", id=Ids.QUESTION_PREV, className="step", title="←"),
                  dropdown(Ids.QUESTION, clearable=False, persistence=True, className="question-picker"),
                  html.Button("▶", id=Ids.QUESTION_NEXT, className="step", title="→"),
                  html.Span(id=Ids.QUESTION_POSITION, className="position")], className="question-bar"),
        html.Div(id=Ids.QUESTION_CONTENT),
    ], className="page")


@callback(Output(Ids.QUESTION, "options"), Output(Ids.QUESTION, "value"),
          Input(Ids.QUESTION_PREV, "n_clicks"), Input(Ids.QUESTION_NEXT, "n_clicks"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          State(Ids.QUESTION, "value"))
def choose_question(_prev: int | None, _next: int | None, municipality: str | None, year: int | None, lang: str | None,
                    current: str | None) -> tuple[list[dict[str, str]], str | None]:
    if not municipality or not year:
        return [], None
    analysis = analysis_for(municipality, year, None, lang or "sv")
    ids = views.question_ids(analysis)
    delta = {Ids.QUESTION_PREV: -1, Ids.QUESTION_NEXT: 1}.get(ctx.triggered_id, 0)
    return [{"label": q["short"], "value": q["id"]} for q in analysis.questions], views.step(ids, current, delta)


@callback(Output(Ids.QUESTION_CONTENT, "children"), *PICKERS, Input(Ids.QUESTION, "value"))
def show(*pickers_and_question):
    return render_page(content.question, *pickers_and_question)
