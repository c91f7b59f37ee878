"""Översikt: who answered, index per area and group, and each question against the benchmark and median."""

from __future__ import annotations

import dash
from dash import Output, callback, html

from dashboard import views
from dashboard.common import PICKERS, graph, render_page, text_list
from dashboard.ids import Ids
from dashboard.texts import t

dash.register_page(__name__, path="/", name="Översikt", order=0)


def layout(**_query):
    return html.Div(id=Ids.OVERVIEW_CONTENT, className="page")


def render(analysis, groups, lang, large):
    info = views.view.benchmark_info(analysis)
    parts = [html.H2(f"{analysis.municipality} {analysis.year}"),
             text_list(views.respondent_lines(analysis, lang), "respondents")]
    if analysis.synthetic:
        parts.append(html.P(t(lang, "synthetic"), className="warning"))
    parts += [html.H3(t(lang, "dimensions_title")), graph(views.dimensions(analysis, groups, lang, large),
                                                          Ids.OVERVIEW_DIMENSIONS)]
    fig = views.against_benchmark(analysis, lang, large)
    if fig is None:
        parts.append(html.P(t(lang, "no_benchmark") if not info else
                            t(lang, "suppressed", label=views.ALL, threshold=analysis.threshold)))
    else:
        parts += [html.H3(t(lang, "benchmark_title", municipality=info["municipality"], year=info["year"])),
                  graph(fig, Ids.OVERVIEW_BENCHMARK)]
    if views.hidden(analysis, views.ALL):
        parts.append(text_list(views.suppressed_lines(analysis, lang)))
    return parts


@callback(Output(Ids.OVERVIEW_CONTENT, "children"), *PICKERS)
def show(*pickers):
    return render_page(render, *pickers)
