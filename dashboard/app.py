"""The Dash app: `create_app(db)` for code and tests, `make_server()` for gunicorn.

    app = create_app("tillit.db")                # or a SQLAlchemy URL; None: TILLIT_DB / user data dir
    gunicorn -w 2 -b 127.0.0.1:8050 'dashboard.app:make_server()'
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import dash

from benchmarks.store import Store

from . import data, shell
from .auth import PASSWORD_ENV, require_password

HERE = Path(__file__).parent
LANG_ENV = "TILLIT_LANG"


def create_app(db: str | Store | None = None, *, password: str | None = None, lang: str = "sv",
               warm: bool = False) -> dash.Dash:
    """A dashboard over the store `db`; with a password every request must carry it.

    `warm` builds the default municipality's analysis in the background at once, so that the
    first visitor does not wait for the comparison with every benchmark municipality."""
    store = db if isinstance(db, Store) else Store(db)
    app = dash.Dash(__name__, use_pages=True, pages_folder=str(HERE / "pages"), assets_folder=str(HERE / "assets"),
                    suppress_callback_exceptions=True, title="Tillit", update_title=None)
    app.server.config[data.STORE_KEY] = data.register(store)
    app.layout = lambda: shell.layout(lang)
    shell.register_callbacks(app)
    if password:
        require_password(app.server, password)
    if warm:
        threading.Thread(target=_warm, args=(store, lang), daemon=True).start()
    return app


def _warm(store: Store, lang: str) -> None:
    municipality = data.default_municipality(store)
    if municipality:
        try:
            data.load_analysis(store, municipality, data.years(store, municipality)[-1], None, lang)
        except Exception:  # noqa: BLE001 - a warm-up only; the page reports the error when asked
            pass


def make_server(db: str | None = None):
    """The Flask server for a WSGI server, configured from the environment (TILLIT_DB, …)."""
    return create_app(db, password=os.environ.get(PASSWORD_ENV) or None,
                      lang=os.environ.get(LANG_ENV) or "sv", warm=True).server
