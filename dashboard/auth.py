"""A shared password for the dashboard (HTTP basic auth; the user name is ignored)."""

from __future__ import annotations

import hmac
import ipaddress
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Flask loads with the dashboard, not with `tillit dashboard --help` or other commands
    import flask

PASSWORD_ENV = "TILLIT_DASHBOARD_PASSWORD"
REALM = "Tillit"


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_password(server: flask.Flask, password: str) -> None:
    """Every request, assets and callbacks included, must carry the password."""
    import flask

    @server.before_request
    def _check():
        given = flask.request.authorization
        if given is not None and hmac.compare_digest((given.password or "").encode(), password.encode()):
            return None
        return flask.Response("Lösenord krävs för Tillits instrumentpanel.", 401,
                              {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})
