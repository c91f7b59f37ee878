"""Jämförelse: the whole benchmark set ranked, each question against median and best, and the trend."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, callback, dcc, html

from dashboard import views
from dashboard.common import PICKERS, analysis_for, graph, grid_options, render_page
from dashboard.ids import Ids
from dashboard.texts import t

dash.register_page(__name__, path="/jamforelse", name="Jämförelse", order=2)


def layout(**_query):
    return html.Div([dcc.Dropdown(id=Ids.COMPARISON_TREND_QUESTION, clearable=False, persistence=True,
                                  className="question-picker"),
                     html.Div(id=Ids.COMPARISON_CONTENT)], className="page")


@callback(Output(Ids.COMPARISON_TREND_QUESTION, "options"), Output(Ids.COMPARISON_TREND_QUESTION, "value"),
          Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.LANG, "value"),
          Input(Ids.COMPARISON_TREND_QUESTION, "value"))
def trend_questions(municipality, year, lang, current):
    if not municipality or not year:
        return [], None
    analysis = analysis_for(municipality, year, None, lang or "sv")
    ids = views.question_ids(analysis)
    return [{"label": q["short"], "value": q["id"]} for q in analysis.questions], current if current in ids else ids[0]


def columns(analysis, lang) -> list[dict]:
    info = views.view.benchmark_info(analysis) or {}
    return [{"field": "question", "headerName": t(lang, "col_question"), "flex": 3},
            {"field": "index", "headerName": analysis.municipality, "flex": 1},
            {"field": "benchmark_index", "headerName": f"{info.get('municipality', '')} {info.get('year', '')}",
             "flex": 1},
            {"field": "median_index", "headerName": t(lang, "col_median"), "flex": 1},
            {"field": "percentile", "headerName": t(lang, "col_percentile"), "flex": 1},
            {"field": "best", "headerName": t(lang, "col_best"), "flex": 2}]


def render(analysis, groups, lang, large, qid):
    info = views.view.benchmark_info(analysis)
    if not info:
        return html.P(t(lang, "no_benchmark"))
    parts = [html.P(t(lang, "chosen_benchmark", municipality=info["municipality"], year=info["year"]),
                    className="lead"),
             graph(views.ranking(analysis, lang, large), Ids.COMPARISON_RANKING),
             dag.AgGrid(id=Ids.COMPARISON_TABLE, rowData=views.question_rows(analysis, lang=lang), columnDefs=columns(analysis, lang),
                        dashGridOptions=grid_options(lang, domLayout="autoHeight"), className="ag-theme-alpine grid")]
    fig = views.trend(analysis, qid, groups, lang, large) if qid else None
    parts.append(graph(fig, Ids.COMPARISON_TREND) if fig is not None
                 else html.P(t(lang, "trend_none", municipality=analysis.municipality)))
    return parts


@callback(Output(Ids.COMPARISON_CONTENT, "children"), *PICKERS, Input(Ids.COMPARISON_TREND_QUESTION, "value"))
def show(*pickers_and_question):
    return render_page(render, *pickers_and_question)
