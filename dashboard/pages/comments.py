"""Kommentarer: theme summaries per group and a searchable table of the redacted comments (as text)."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, callback, dcc, html

from dashboard import views
from dashboard.common import PICKERS, grid_options, render_page, text_list
from dashboard.ids import Ids
from dashboard.texts import t

dash.register_page(__name__, path="/kommentarer", name="Kommentarer", order=3)


def layout(**_query):
    return html.Div([dcc.Input(id=Ids.COMMENTS_SEARCH, type="search", debounce=False, className="search",
                               placeholder=t("sv", "search")),
                     html.Div(id=Ids.COMMENTS_CONTENT)], className="page")


def columns(lang) -> list[dict]:
    return [{"field": "group", "headerName": t(lang, "col_group"), "flex": 1, "minWidth": 150},
            {"field": "box", "headerName": t(lang, "col_box"), "flex": 2},
            {"field": "themes", "headerName": t(lang, "col_themes"), "flex": 1},
            {"field": "text", "headerName": t(lang, "col_comment"), "flex": 5, "wrapText": True, "autoHeight": True}]


def render(analysis, groups, lang, large, search):
    rows = views.comment_rows(analysis, groups)
    if not rows:
        return html.P(t(lang, "comments_none"))
    parts = []
    for block in views.summaries(analysis, groups, lang):
        parts.append(html.H3(block["box"]))
        for g in block["groups"]:
            parts += [html.H4(g["label"]), text_list(g["bullets"], "bullets")]
    parts.append(dag.AgGrid(id=Ids.COMMENTS_GRID, rowData=rows, columnDefs=columns(lang),
                            defaultColDef={"sortable": True, "filter": True, "resizable": True},
                            dashGridOptions=grid_options(lang, quickFilterText=search or "", domLayout="autoHeight",
                                                         pagination=True, paginationPageSize=20),
                            className="ag-theme-alpine grid"))
    return parts


@callback(Output(Ids.COMMENTS_CONTENT, "children"), *PICKERS, Input(Ids.COMMENTS_SEARCH, "value"))
def show(*pickers_and_search):
    return render_page(render, *pickers_and_search)


@callback(Output(Ids.COMMENTS_SEARCH, "placeholder"), Input(Ids.LANG, "value"))
def placeholder(lang):
    return t(lang, "search")
