"""The Dash app: `create_app(db)` for code and tests, `make_server()` for gunicorn.

    app = create_app("tillit.db")                # or a SQLAlchemy URL; None: TILLIT_DB / user data dir
    gunicorn -w 2 -b 127.0.0.1:8050 'tillit.dashboard.app:make_server()'
"""

from __future__ import annotations

import os
import shlex
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import dash

from tillit.benchmarks.store import Store
from tillit.survey.errors import TillitError
from tillit import settings

from . import data, login, participant, shell
from .auth import PASSWORD_ENV, Guard, env_hosts, is_loopback

HERE = Path(__file__).parent
LANG_ENV = settings.env("lang")
BIND_ENV = settings.env("dashboard_bind")


class ServerRefused(TillitError):
    """The server would be reachable from the network without a password."""


def create_app(db: str | Store | None = None, *, password: str | None = None, lang: str = "sv",
               warm: bool = False, threshold: int | None = None, hosts: Iterable[str] = (),
               public_url: str | None = None) -> dash.Dash:
    """A dashboard over the store `db`.

    `threshold`: the anonymity threshold (None: --threshold / TILLIT_THRESHOLD / 5).
    `hosts`: names or addresses served besides the loopback names (the LAN address).
    `public_url`: the address phones use to reach the participant page (for the QR code).
    `warm` builds the default municipality's analysis in the background at once, so that the
    first visitor does not wait for the comparison with every benchmark municipality."""
    store = db if isinstance(db, Store) else Store(db)
    app = dash.Dash(__name__, use_pages=True, pages_folder=str(HERE / "pages"), assets_folder=str(HERE / "assets"),
                    suppress_callback_exceptions=True, title="Tillit",
                    # dash documents None (keep the tab title) but annotates update_title as str
                    update_title=None)  # type: ignore[arg-type]
    server = app.server
    server.config[data.STORE_KEY] = data.register(store)
    server.config[data.THRESHOLD_KEY] = int(settings.value("threshold", threshold))
    server.config[data.LANG_KEY] = lang
    server.config[data.PUBLIC_URL_KEY] = public_url
    Guard(password, hosts).install(server)
    participant.register(server)
    login.register(server)
    app.layout = lambda: shell.layout(lang)
    shell.register_callbacks(app)
    if warm:
        threading.Thread(target=_warm, args=(store, lang, server.config[data.THRESHOLD_KEY]), daemon=True).start()
    return app


def _warm(store: Store, lang: str, threshold: int) -> None:
    municipality = data.default_municipality(store)
    if municipality:
        try:
            data.load_analysis(store, municipality, data.years(store, municipality)[-1], None, lang, threshold)
        except Exception:  # noqa: BLE001 - a warm-up only; the page reports the error when asked
            pass


def bind_addresses(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The hosts the WSGI server binds to: TILLIT_DASHBOARD_BIND, else gunicorn's -b/--bind (its
    default 127.0.0.1 when none is given); None when not known (another WSGI server)."""
    environ = os.environ if environ is None else environ
    argv = sys.argv if argv is None else argv
    if environ.get(BIND_ENV):
        return [_host_of(b) for b in environ[BIND_ENV].split(",") if b.strip()]
    if not any("gunicorn" in Path(a).name for a in argv[:2]):
        return None
    args = [*argv[1:], *shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))]
    found = []
    for i, a in enumerate(args):
        if a in ("-b", "--bind") and i + 1 < len(args):
            found.append(args[i + 1])
        elif a.startswith("--bind="):
            found.append(a.split("=", 1)[1])
        elif a.startswith("-b") and len(a) > 2:
            found.append(a[2:])
    return [_host_of(b) for b in found] or ["127.0.0.1"]


def _host_of(bind: str) -> str:
    bind = bind.strip()
    if bind.startswith(("unix:", "fd://")):
        return "localhost"  # a socket file: reachable only through whatever proxies to it
    if bind.startswith("["):
        return bind[1:bind.find("]")]
    return bind.rsplit(":", 1)[0] if ":" in bind else bind


def check_exposure(binds: list[str] | None, password: str | None, hosts: Iterable[str] = ()) -> None:
    """Refuse to serve without a password anything but loopback (or when the bind is unknown)."""
    if password:
        return
    open_to = [b for b in (binds or []) if not is_loopback(b)] + [h for h in hosts if not is_loopback(h)]
    if binds is None or open_to:
        where = ", ".join(open_to) if open_to else "en okänd adress"
        raise ServerRefused(
            f"Instrumentpanelen startas inte utan lösenord på {where}: alla i nätverket skulle kunna läsa "
            "resultaten och kommentarerna.",
            hint=f"Sätt miljövariabeln {PASSWORD_ENV}, eller lyssna bara på 127.0.0.1 "
                 f"(gunicorn -b 127.0.0.1:8050, eller {BIND_ENV}=127.0.0.1 för andra WSGI-servrar).")


def make_server(db: str | None = None):
    """The Flask server for a WSGI server, configured from the environment (TILLIT_DB,
    TILLIT_DASHBOARD_PASSWORD, TILLIT_THRESHOLD, TILLIT_LANG, TILLIT_ALLOWED_HOSTS)."""
    password = os.environ.get(PASSWORD_ENV) or None
    binds = bind_addresses()
    check_exposure(binds, password, env_hosts())
    return create_app(db, password=password, lang=os.environ.get(LANG_ENV) or "sv", warm=True,
                      hosts=binds or [],
                      public_url=os.environ.get(settings.env("public_url")) or None).server
