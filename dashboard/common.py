"""What every page's content callback shares: the picker inputs and the error alert."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dash import Input, dcc, html
from dash.development.base_component import Component

from tillit.survey.errors import TillitError

from . import data
from .ids import Ids

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis

PICKERS = [Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"), Input(Ids.BENCHMARK, "value"),
           Input(Ids.GROUPS, "value"), Input(Ids.LANG, "value"), Input(Ids.WORKSHOP, "value")]

Shown = Component | list[Component]  # what a page's content callback puts on the page


def analysis_for(municipality: str, year: int, benchmark: str | None, lang: str | None) -> WorkshopAnalysis:
    return data.load_analysis(data.current_store(), municipality, year, data.Benchmark.parse(benchmark), lang or "sv",
                              data.current_threshold())


def render_page(render: Callable[..., Shown], municipality: str | None, year: int | None, benchmark: str | None,
                groups: list[str] | None, lang: str | None, workshop: Any, *extra: Any) -> Shown:
    """Load the analysis for the pickers and render a page; a domain error becomes an alert."""
    if not municipality or not year:
        return html.Div()
    lang = lang or "sv"
    try:
        analysis = analysis_for(municipality, year, benchmark, lang)
        return render(analysis, list(groups or []), lang, bool(workshop), *extra)
    except TillitError as err:
        return alert(err.render())


def alert(text: str) -> html.Div:
    return html.Div([html.P(line) for line in text.splitlines()], className="error", role="alert")


def graph(fig, graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True})


def text_list(lines: list[str], class_name: str = "notes") -> html.Ul:
    return html.Ul([html.Li(line) for line in lines], className=class_name)


GRID_SV = {"page": "Sida", "of": "av", "to": "till", "pageSizeSelectorLabel": "Rader per sida:",
           "noRowsToShow": "Inga rader", "searchOoo": "Sök …", "filterOoo": "Filtrera …",
           "contains": "Innehåller", "equals": "Är lika med", "firstPage": "Första sidan", "lastPage": "Sista sidan",
           "nextPage": "Nästa sida", "previousPage": "Föregående sida"}


def grid_options(lang: str, **options) -> dict:
    """dash-ag-grid options, with Swedish grid texts unless English is chosen."""
    return {**options, **({"localeText": GRID_SV} if lang != "en" else {})}


DROPDOWN_SV = {"search": "Sök", "clear_search": "Rensa sökningen", "clear_selection": "Rensa valet",
               "no_options_found": "Inga träffar", "select_all": "Välj alla", "deselect_all": "Avmarkera alla"}


def dropdown(component_id: str, lang: str = "sv", **props) -> dcc.Dropdown:
    """A dcc.Dropdown whose own texts (search box, "no options") are Swedish unless English is chosen."""
    if lang != "en":
        props["labels"] = DROPDOWN_SV
    return dcc.Dropdown(id=component_id, **props)
