"""Projektor: the join code and QR code of the open round, and its piles as they grow and are voted on."""

from __future__ import annotations

import dash
import flask
import segno
from dash import Input, Output, callback, dcc, html

from tillit.dashboard import content, data, views, workshop
from tillit.dashboard.ids import Ids

dash.register_page(__name__, path="/projektor", name="Projektor", order=5)

REFRESH_MS = 2000


def layout(**_query):
    return html.Div([dcc.Interval(id=Ids.PROJECTOR_TICK, interval=REFRESH_MS),
                     html.Div(id=Ids.PROJECTOR_CONTENT, className="projector")], className="page")


def join_url(code: str) -> str:
    """The participant page's address for phones: the address the facilitator opened, else this request's."""
    base = flask.current_app.config.get(data.PUBLIC_URL_KEY) or flask.request.host_url
    return f"{base.rstrip('/')}/delta?kod={code}"


def qr(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=8, border=2, dark="#1d2b36")


@callback(Output(Ids.PROJECTOR_CONTENT, "children"), Input(Ids.MUNICIPALITY, "value"), Input(Ids.WAVE, "value"),
          Input(Ids.LANG, "value"), Input(Ids.PROJECTOR_TICK, "n_intervals"))
def show(municipality, year, lang, _tick):
    lang = lang or "sv"
    store = data.current_store()
    rnd = workshop.current_round(store, municipality, year)
    if rnd is None:
        return content.projector(None, [], "", "", "", lang)
    piles = workshop.piles(store, rnd, lang)
    if rnd.state == "open":
        piles = views.clusters_for(piles, None)
    url = join_url(rnd.code)
    return content.projector(rnd, piles, url, qr(url), workshop.prompt_text(rnd.prompt_id, lang), lang)
