"""The facilitator's login page (/logga-in): the dashboard password, throttled per client address."""

from __future__ import annotations

import flask

from . import data
from .auth import LOGIN_COOKIE, LOGIN_HOURS, LOGIN_PATH
from .texts import t

PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t(lang, 'login_title') }}</title><link rel="stylesheet" href="/delta/stil.css"></head>
<body><main class="phone"><h1>{{ t(lang, 'login_title') }}</h1>
{% if message %}<p class="msg error" role="alert" id="msg">{{ message }}</p>{% endif %}
<form method="post" id="login"><input type="hidden" name="next" value="{{ next }}">
<label for="password">{{ t(lang, 'login_password') }}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{{ t(lang, 'login_button') }}</button></form>
<p class="hint">{{ t(lang, 'login_hint') }}</p></main></body></html>"""


def _safe_next(value: str | None) -> str:
    """Only a path on this server (never another site)."""
    value = value or "/"
    return value if value.startswith("/") and not value.startswith("//") and "\\\\" not in value else "/"


def register(server: flask.Flask) -> None:
    @server.get("/favicon.ico")
    def favicon():  # asked for by every browser, before any login
        return flask.Response(status=204)

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    def login():
        guard = server.config["TILLIT_GUARD"]
        lang = server.config.get(data.LANG_KEY) or "sv"
        target = _safe_next(flask.request.values.get("next"))
        if guard.password is None:
            return flask.redirect(target, 303)
        if flask.request.method == "GET":
            return flask.render_template_string(PAGE, t=t, lang=lang, next=target, message="")
        ok, wait = guard.login(flask.request.form.get("password", ""))
        if not ok:
            text = t(lang, "login_wait", wait=wait) if wait else t(lang, "login_wrong")
            return flask.render_template_string(PAGE, t=t, lang=lang, next=target, message=text), 429 if wait else 401
        response = flask.redirect(target, 303)
        response.set_cookie(LOGIN_COOKIE, guard.token(), max_age=LOGIN_HOURS * 3600, httponly=True, samesite="Strict")
        return response
