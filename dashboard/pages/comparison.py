"""Jämförelse: the whole benchmark set ranked, each question against median and best, and the trend."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from tillit.dashboard import content, views
from tillit.dashboard.common import PICKERS, analysis_for, dropdown, render_page
from tillit.dashboard.ids import Ids

dash.register_page(__name__, path="/jamforelse", name="Jämförelse", order=2)


def layout(**_query):
    return html.Div([dropdown(Ids.COMPARISON_TREND_QUESTION, clearable=False, persistence=True,
                                  className="question-picker"),
                     html.Div(id=Ids.COMPARISON_CONTENT)], className="page")


@callback(Output(Ids.COMPARISON_TREND_QUESTION, "options"), Output(Ids.COMPARISON_TREND_QUESTION, "value"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          Input(Ids.COMPARISON_TREND_QUESTION, "value"))
def trend_questions(municipality: str | None, year: int | None, lang: str | None,
                    current: str | None) -> tuple[list[dict[str, str]], str | None]:
    if not municipality or not year:
        return [], None
    analysis = analysis_for(municipality, year, None, lang or "sv")
    ids = views.question_ids(analysis)
    return [{"label": q["short"], "value": q["id"]} for q in analysis.questions], current if current in ids else ids[0]


@callback(Output(Ids.COMPARISON_CONTENT, "children"), *PICKERS, Input(Ids.COMPARISON_TREND_QUESTION, "value"))
def show(*pickers_and_question):
    return render_page(content.comparison, *pickers_and_question)
