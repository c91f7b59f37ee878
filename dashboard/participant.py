"""The participant page for phones (/delta): join with the code, post notes, place dots.

Plain server-rendered HTML forms (no script, so it works on any phone and is cheap to serve
to a room). The join code is the only key: a participant cookie holds the round's code and
a random token (whose dots these are) and opens nothing but the routes below; every other
route of the dashboard is the facilitator's (see `auth.Guard`).
"""

from __future__ import annotations

import secrets
from importlib import resources
from typing import TYPE_CHECKING

import flask

from tillit.benchmarks.store import MAX_NOTE_CHARS, OPEN, VOTING, WorkshopRound
from tillit.survey.errors import TillitError
from tillit.pipeline import redact_text

from . import data, workshop
from .auth import PARTICIPANT_PREFIX
from .texts import t, tn

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse  # what flask.redirect gives

COOKIE = "tillit_delta"
LANG_COOKIE = "tillit_delta_lang"
bp = flask.Blueprint("participant", __name__, url_prefix=PARTICIPANT_PREFIX)

PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t(lang, 'p_title') }}</title><link rel="stylesheet" href="{{ url_for('participant.style') }}">
</head><body><main class="phone">
<nav class="langs"><a href="?lang=sv">Svenska</a> · <a href="?lang=en">English</a></nav>
{% if message %}<p class="msg {{ kind }}" role="{{ 'alert' if kind == 'error' else 'status' }}" id="msg">{{ message }}</p>{% endif %}
{% if rnd is none %}
  <h1>{{ t(lang, 'p_title') }}</h1>
  <form method="post" action="{{ url_for('participant.join') }}" id="join">
    <label for="kod">{{ t(lang, 'p_code') }}</label>
    <input id="kod" name="kod" autocomplete="off" autocapitalize="characters" maxlength="16" required
           inputmode="text" value="{{ code or '' }}">
    <p class="hint">{{ t(lang, 'p_join_hint') }}</p>
    <button type="submit">{{ t(lang, 'p_join') }}</button>
  </form>
{% else %}
  <h1 id="prompt">{{ prompt }}</h1>
  {% if rnd.state == 'open' %}
  <form method="post" action="{{ url_for('participant.post_note') }}" id="note-form">
    <label for="note">{{ t(lang, 'p_write') }} ({{ t(lang, 'p_chars', n=max_chars) }})</label>
    <textarea id="note" name="note" maxlength="{{ max_chars }}" rows="4" required></textarea>
    <button type="submit" id="post">{{ t(lang, 'p_post') }}</button>
  </form>
  {% elif rnd.state == 'voting' %}
  <h2 id="dots-left">{{ t(lang, 'p_voting', left=left, dots=rnd.dots) }}</h2>
  <ol class="piles" id="piles">
  {% for p in piles %}
    <li class="pile" data-pile="{{ p.id }}"><span class="label">{{ p.label }}</span>
      <span class="meta">{{ tn(lang, 'p_notes_in_pile', p.note_ids|length) }}{% if mine.get(p.id) %} · <strong>{{ tn(lang, 'p_your_dots', mine.get(p.id)) }}</strong>{% endif %}</span>
      <form method="post" action="{{ url_for('participant.vote') }}" class="dot">
        <input type="hidden" name="pile" value="{{ p.id }}">
        <button name="action" value="add" class="add" {% if not left %}disabled{% endif %}>● {{ t(lang, 'p_add_dot') }}</button>
        {% if mine.get(p.id) %}<button name="action" value="remove" class="remove">{{ t(lang, 'p_remove_dot') }}</button>{% endif %}
      </form></li>
  {% endfor %}
  </ol>
  {% else %}
  <p class="msg">{{ t(lang, 'p_closed') }}</p>
  {% endif %}
{% endif %}
</main></body></html>"""


def register(server: flask.Flask) -> None:
    server.register_blueprint(bp)


def _lang() -> str:
    chosen = flask.request.args.get("lang") or flask.request.cookies.get(LANG_COOKIE)
    return chosen if chosen in ("sv", "en") else flask.current_app.config.get(data.LANG_KEY) or "sv"


def _client() -> str:
    return flask.request.remote_addr or ""


def _participant() -> tuple[WorkshopRound | None, str | None]:
    """The round of the participant's cookie (closed rounds too) and their token."""
    raw = flask.request.cookies.get(COOKIE, "")
    code, _, token = raw.partition(".")
    if not code or len(token) < 20:
        return None, None
    rnd = data.current_store().round_by_code(code, active=False)
    return rnd, token if rnd else None


def _render(status: int = 200, *, rnd: WorkshopRound | None = None, token: str | None = None, message: str = "",
            kind: str = "ok", code: str | None = None) -> flask.Response:
    lang = _lang()
    piles, mine = [], {}
    if rnd is not None and rnd.state == VOTING:
        store = data.current_store()
        piles = store.piles(rnd.id)
        mine = store.participant_votes(rnd.id, token) if token else {}
    html = flask.render_template_string(
        PAGE, t=t, tn=tn, lang=lang, rnd=rnd, message=message, kind=kind, code=code, piles=piles, mine=mine,
        left=(rnd.dots - sum(mine.values())) if rnd else 0, max_chars=MAX_NOTE_CHARS,
        prompt=workshop.prompt_text(rnd.prompt_id, lang) if rnd else "")
    response = flask.make_response(html, status)
    if flask.request.args.get("lang") in ("sv", "en"):
        response.set_cookie(LANG_COOKIE, flask.request.args["lang"], max_age=86400, httponly=True,
                            samesite="Strict", path=PARTICIPANT_PREFIX)
    return response


def _redirect(flash: str = "") -> BaseResponse:
    return flask.redirect(flask.url_for("participant.round_page") + (f"?m={flash}" if flash else ""), 303)


@bp.get("/")
@bp.get("")
def join_page():
    code = flask.request.args.get("kod")
    if code:
        return _join(code)
    rnd, token = _participant()
    if rnd is not None and rnd.active:
        return _redirect()
    return _render()


@bp.post("")
@bp.post("/")
def join():
    return _join(flask.request.form.get("kod", ""))


def _join(code: str) -> BaseResponse:
    guard = flask.current_app.config["TILLIT_GUARD"]
    lang = _lang()
    wait = guard.codes.wait(_client())
    if wait:
        return _render(429, message=t(lang, "p_throttled", wait=wait), kind="error")
    rnd = data.current_store().round_by_code(code)
    if rnd is None:
        guard.codes.fail(_client())
        return _render(403, message=t(lang, "p_wrong_code"), kind="error", code=code[:16])
    response = _redirect()
    response.set_cookie(COOKIE, f"{rnd.code}.{secrets.token_urlsafe(24)}", max_age=12 * 3600, httponly=True,
                        samesite="Strict", path=PARTICIPANT_PREFIX)
    return response


FLASHES = {"sparad": ("p_posted", "ok"), "prick": ("p_voted", "ok"), "bort": ("p_unvoted", "ok")}


@bp.get("/runda")
def round_page():
    rnd, token = _participant()
    if rnd is None:
        return _render(403, message=t(_lang(), "p_no_round"), kind="error")
    key, kind = FLASHES.get(flask.request.args.get("m", ""), ("", "ok"))
    return _render(rnd=rnd, token=token, message=t(_lang(), key) if key else "", kind=kind)


@bp.post("/lapp")
def post_note():
    rnd, token = _participant()
    lang = _lang()
    if rnd is None:
        return _render(403, message=t(lang, "p_no_round"), kind="error")
    if rnd.state != OPEN:
        return _render(409, rnd=rnd, token=token, message=t(lang, "p_not_posting"), kind="error")
    try:
        data.current_store().add_note(rnd.municipality, rnd.year, rnd.prompt_id, flask.request.form.get("note", ""),
                                      redact=redact_text, require_wave=True, round_id=rnd.id)
    except TillitError as err:
        return _render(400, rnd=rnd, token=token, message=err.message, kind="error")
    return _redirect("sparad")


@bp.post("/prick")
def vote():
    rnd, token = _participant()
    lang = _lang()
    if rnd is None:
        return _render(403, message=t(lang, "p_no_round"), kind="error")
    try:
        pile = int(flask.request.form.get("pile", ""))
    except ValueError:
        return _render(400, rnd=rnd, token=token, message=t(lang, "p_not_posting"), kind="error")
    store = data.current_store()
    try:
        if flask.request.form.get("action") == "remove":
            if rnd.state != VOTING:
                return _render(409, rnd=rnd, token=token, message=t(lang, "p_not_posting"), kind="error")
            store.remove_vote(rnd.id, pile, token)
            return _redirect("bort")
        store.add_vote(rnd.id, pile, token)
    except TillitError as err:
        return _render(409, rnd=rnd, token=token, message=err.message, kind="error")
    return _redirect("prick")


@bp.get("/stil.css")
def style():
    css = resources.files("tillit.dashboard").joinpath("participant.css").read_text("utf-8")
    response = flask.Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "max-age=3600"
    return response
