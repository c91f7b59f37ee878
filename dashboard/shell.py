"""The frame around every page: navigation and the pickers (municipality, wave, benchmark,
groups, language, workshop mode), and the few callbacks that fill them."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from . import data
from .common import dropdown
from .ids import Ids
from .texts import t

PAGES = [("page_overview", "/"), ("page_questions", "/fragor"), ("page_comparison", "/jamforelse"),
         ("page_comments", "/kommentarer"), ("page_dialogue", "/dialog"), ("page_projector", "/projektor")]


def nav(lang: str) -> list:
    return [dcc.Link(t(lang, key), href=path, className="nav-link") for key, path in PAGES]


def group_options(lang: str) -> list[dict]:
    from tillit.survey import load_instrument

    inst = load_instrument()
    opts = [{"label": g.label(lang), "value": g.id} for g in inst.groups]
    return opts + [{"label": "Alla svarande" if lang != "en" else "All respondents", "value": "alla"}]


def _picker(label_id: str, label: str, component) -> html.Div:
    return html.Div([html.Label(label, id=label_id, htmlFor=component.id), component], className="picker")


def layout(lang: str = "sv") -> html.Div:
    """Built on each page load, so that new imports show up in the pickers."""
    store = data.current_store()
    munis = data.municipalities(store)
    first = data.default_municipality(store)
    pickers = html.Div([
        _picker(Ids.LABEL_MUNICIPALITY, t(lang, "municipality"),
                dropdown(Ids.MUNICIPALITY, lang, options=munis, value=first, clearable=False, persistence=True)),
        _picker(Ids.LABEL_WAVE, t(lang, "wave"), dropdown(Ids.WAVE, lang, clearable=False)),
        _picker(Ids.LABEL_BENCHMARK, t(lang, "benchmark"),
                dropdown(Ids.BENCHMARK, lang, value="", clearable=False)),
        _picker(Ids.LABEL_GROUPS, t(lang, "groups"),
                dcc.Checklist(id=Ids.GROUPS, options=group_options(lang), value=["politiker", "tjansteperson"],
                              inline=True, persistence=True, className="groups")),
        html.Div([dcc.RadioItems(id=Ids.LANG, options=[{"label": "Svenska", "value": "sv"},
                                                        {"label": "English", "value": "en"}],
                                 value=lang, inline=True, persistence=True),
                  dcc.Checklist(id=Ids.WORKSHOP, options=[{"label": t(lang, "workshop"), "value": "on"}], value=[],
                                inline=True, persistence=True)], className="picker toggles"),
    ], className="pickers")
    return html.Div([
        dcc.Location(id=Ids.URL),
        html.Header([html.H1(t(lang, "title"), id=Ids.TITLE), html.Nav(nav(lang), id=Ids.NAV)]),
        pickers,
        html.Div(t(lang, "no_data"), id=Ids.ERROR, className="error") if not munis else html.Div(id=Ids.ERROR),
        html.Main(dash.page_container),
    ], id=Ids.ROOT, className="tillit")


def fill_waves(municipality, current):
    years = data.years(data.current_store(), municipality)
    return years, current if current in years else (years[-1] if years else None)


def fill_benchmarks(municipality, lang, current):
    choices = [b.value for b in data.benchmark_choices(data.current_store(), municipality)]
    options = [{"label": t(lang, "benchmark_best"), "value": ""}] + [
        {"label": v.replace("|", " "), "value": v} for v in choices]
    return options, current if current in choices else ""


def translate(lang):
    return (t(lang, "title"), nav(lang), t(lang, "municipality"), t(lang, "wave"), t(lang, "benchmark"),
            t(lang, "groups"), group_options(lang), [{"label": t(lang, "workshop"), "value": "on"}])


def workshop_mode(on):
    return "tillit workshop" if on else "tillit"


def register_callbacks(app: dash.Dash) -> None:
    """The shell's callbacks, on this app (pages register theirs with dash.callback)."""
    app.callback(Output(Ids.WAVE, "options"), Output(Ids.WAVE, "value"), Input(Ids.MUNICIPALITY, "value"), State(Ids.WAVE, "value"))(fill_waves)
    app.callback(Output(Ids.BENCHMARK, "options"), Output(Ids.BENCHMARK, "value"), Input(Ids.MUNICIPALITY, "value"), Input(Ids.LANG, "value"), State(Ids.BENCHMARK, "value"))(fill_benchmarks)
    app.callback(Output(Ids.TITLE, "children"), Output(Ids.NAV, "children"), Output(Ids.LABEL_MUNICIPALITY, "children"), Output(Ids.LABEL_WAVE, "children"), Output(Ids.LABEL_BENCHMARK, "children"), Output(Ids.LABEL_GROUPS, "children"), Output(Ids.GROUPS, "options"), Output(Ids.WORKSHOP, "options"), Input(Ids.LANG, "value"))(translate)
    app.callback(Output(Ids.ROOT, "className"), Input(Ids.WORKSHOP, "value"))(workshop_mode)
