"""Kommentarer: theme summaries per group and a searchable table of the redacted comments (as text)."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from tillit.dashboard import content
from tillit.dashboard.common import PICKERS, render_page
from tillit.dashboard.ids import Ids
from tillit.dashboard.texts import t

dash.register_page(__name__, path="/kommentarer", name="Kommentarer", order=3)


def layout(**_query):
    return html.Div([dcc.Input(id=Ids.COMMENTS_SEARCH, type="search", debounce=False, className="search",
                               placeholder=t("sv", "search")),
                     html.Div(id=Ids.COMMENTS_CONTENT)], className="page")


@callback(Output(Ids.COMMENTS_CONTENT, "children"), *PICKERS, Input(Ids.COMMENTS_SEARCH, "value"))
def show(*pickers_and_search):
    return render_page(content.comments, *pickers_and_search)


@callback(Output(Ids.COMMENTS_SEARCH, "placeholder"), Input(Ids.LANG, "value"))
def placeholder(lang):
    return t(lang, "search")
