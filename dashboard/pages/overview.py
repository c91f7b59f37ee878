"""Översikt: who answered, index per area and group, and each question against the benchmark and median."""

from __future__ import annotations

import dash
from dash import Output, callback, html

from tillit.dashboard import content
from tillit.dashboard.common import PICKERS, render_page
from tillit.dashboard.ids import Ids

dash.register_page(__name__, path="/", name="Översikt", order=0)


def layout(**_query):
    return html.Div(id=Ids.OVERVIEW_CONTENT, className="page")


@callback(Output(Ids.OVERVIEW_CONTENT, "children"), *PICKERS)
def show(*pickers):
    return render_page(content.overview, *pickers)
