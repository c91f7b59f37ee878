"""The dashboard is safe to open to a room: hosts, passwords, throttling, limits, headers, validation,
file modes, deleting notes (Flask test client; no browser, no network)."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from click.testing import CliRunner

from tillit.benchmarks.store import MAX_NOTE_CHARS, Store, StoreError
from tillit.dashboard import auth
from tillit.dashboard.app import ServerRefused, bind_addresses, check_exposure, create_app, make_server
from tillit.commands.dashboard import dashboard_cmd
from tests.dashboard_sample import HOME, build_store
from tillit.cli import main

YEAR = 2023
PROMPT = "forbattra_samspel"


@pytest.fixture()
def store(tmp_path):
    s = build_store(tmp_path / "t.db", municipalities=3, waves=1, first_year=YEAR)
    yield s
    s.close()


def basic(password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"x:{password}".encode()).decode()}


def municipality_rows(store) -> int:
    from sqlalchemy import func, select

    from tillit.benchmarks.schema import municipalities

    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(municipalities)).scalar_one()


# ---------------------------------------------------------------------- Host and Origin


def test_a_foreign_host_header_is_refused(store):
    client = create_app(store).server.test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8050"}).status_code == 200
    for host in ("evil.example:8050", "attacker.test", "192.168.1.20:8050"):
        r = client.get("/", headers={"Host": host})
        assert r.status_code == 400 and "Okänd adress" in r.get_data(as_text=True)
        assert client.get("/_dash-layout", headers={"Host": host}).status_code == 400
        assert client.get("/delta", headers={"Host": host}).status_code == 400


def test_the_lan_address_is_served_only_when_opened(store):
    opened = create_app(store, password="pw", hosts=["192.168.1.20"]).server.test_client()
    assert opened.get("/delta", headers={"Host": "192.168.1.20:8050"}).status_code == 200
    assert opened.get("/delta", headers={"Host": "192.168.1.21:8050"}).status_code == 400


def test_a_post_from_another_origin_is_refused(store):
    client = create_app(store).server.test_client()
    r = client.post("/_dash-update-component", json={}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/delta", data={"kod": "X"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/delta", data={"kod": "X"}, headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/delta", data={"kod": "X"}, headers={"Origin": "null"})
    assert r.status_code == 403
    r = client.post("/delta", data={"kod": "X"}, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 403 and "stämmer inte" in r.get_data(as_text=True)  # past the origin check


# ---------------------------------------------------------------------- passwords


def test_without_password_facilitator_routes_answer_loopback_only(store):
    client = create_app(store, hosts=["192.168.1.20"]).server.test_client()
    assert client.get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    r = client.get("/", environ_base={"REMOTE_ADDR": "192.168.1.33"}, headers={"Host": "192.168.1.20"})
    assert r.status_code == 403
    # the participant page needs no password
    assert client.get("/delta", environ_base={"REMOTE_ADDR": "192.168.1.33"},
                      headers={"Host": "192.168.1.20"}).status_code == 200


def test_wrong_passwords_are_throttled(store):
    client = create_app(store, password="hemligt").server.test_client()
    for _ in range(auth.MAX_FAILURES):
        assert client.get("/", headers=basic("fel")).status_code == 401
    r = client.get("/", headers=basic("hemligt"))
    assert r.status_code == 429 and "Vänta" in r.get_data(as_text=True) and int(r.headers["Retry-After"]) > 0
    other = client.get("/", headers=basic("hemligt"), environ_base={"REMOTE_ADDR": "127.0.0.2"})
    assert other.status_code == 200  # throttled per client address


def test_wsgi_factory_refuses_to_start_without_password_unless_loopback(monkeypatch, tmp_path):
    monkeypatch.delenv("TILLIT_DASHBOARD_PASSWORD", raising=False)
    monkeypatch.delenv("TILLIT_DASHBOARD_BIND", raising=False)
    monkeypatch.delenv("TILLIT_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("TILLIT_DB", str(tmp_path / "w.db"))
    for argv in (["gunicorn", "-b", "0.0.0.0:8050", "x"], ["gunicorn", "--bind=192.168.1.5:80", "x"],
                 ["uwsgi", "--http", ":8050"]):  # a bind the factory cannot see: refused too
        monkeypatch.setattr("sys.argv", argv)
        with pytest.raises(ServerRefused, match="utan lösenord"):
            make_server()
    monkeypatch.setattr("sys.argv", ["gunicorn", "-w", "2", "-b", "127.0.0.1:8050", "x"])
    assert make_server().config["TILLIT_GUARD"].password is None
    monkeypatch.setattr("sys.argv", ["gunicorn", "x"])  # gunicorn's default bind is 127.0.0.1:8000
    assert bind_addresses() == ["127.0.0.1"]
    monkeypatch.setenv("TILLIT_ALLOWED_HOSTS", "tillit.kommun.se")
    with pytest.raises(ServerRefused):
        make_server()
    monkeypatch.setenv("TILLIT_DASHBOARD_PASSWORD", "pw")
    monkeypatch.setattr("sys.argv", ["gunicorn", "-b", "0.0.0.0:8050", "x"])
    server = make_server()
    assert server.test_client().get("/").status_code == 401
    assert "tillit.kommun.se" in server.config["TILLIT_GUARD"].hosts


def test_bind_parsing():
    assert bind_addresses(["gunicorn", "-b", "[::1]:8050"], {}) == ["::1"]
    assert bind_addresses(["gunicorn", "-b0.0.0.0:1"], {}) == ["0.0.0.0"]
    assert bind_addresses(["x"], {"TILLIT_DASHBOARD_BIND": "127.0.0.1:9"}) == ["127.0.0.1"]
    assert bind_addresses(["waitress-serve"], {}) is None
    check_exposure(["127.0.0.1", "::1", "localhost"], None)
    with pytest.raises(ServerRefused):
        check_exposure(None, None)


def test_cli_refuses_debug_off_loopback_and_lan_without_password(monkeypatch, tmp_path):
    monkeypatch.setenv("TILLIT_DASHBOARD_PASSWORD", "pw")
    r = CliRunner().invoke(dashboard_cmd, ["--db", str(tmp_path / "x.db"), "--host", "0.0.0.0", "--debug"])
    assert r.exit_code != 0 and "--debug" in r.output
    monkeypatch.delenv("TILLIT_DASHBOARD_PASSWORD")
    monkeypatch.setattr("tillit.commands.dashboard.lan_addresses", lambda: ["192.168.1.20"])
    r = CliRunner().invoke(dashboard_cmd, ["--db", str(tmp_path / "x.db"), "--lan"])
    assert r.exit_code != 0 and "192.168.1.20" in r.output and "lösenord" in r.output


# ---------------------------------------------------------------------- limits and validation


def test_oversized_body_is_refused_and_nothing_stored(store):
    client = create_app(store).server.test_client()
    rnd = store.open_round(HOME, YEAR, PROMPT)
    assert client.get(f"/delta?kod={rnd.code}").status_code == 303
    r = client.post("/delta/lapp", data={"note": "x" * (auth.PARTICIPANT_BODY_LIMIT + 10)})
    assert r.status_code == 413 and "för stort" in r.get_data(as_text=True)
    r = client.post("/_dash-update-component", data=b"{" + b" " * (auth.FACILITATOR_BODY_LIMIT + 1) + b"}",
                    content_type="application/json")
    assert r.status_code == 413 and "sparades inte" in r.get_data(as_text=True)
    assert store.notes(include_hidden=True) == []


def test_oversized_note_is_refused_with_a_clear_message(store):
    client = create_app(store).server.test_client()
    rnd = store.open_round(HOME, YEAR, PROMPT)
    client.get(f"/delta?kod={rnd.code}")
    r = client.post("/delta/lapp", data={"note": "å" * (MAX_NOTE_CHARS + 1)})
    text = r.get_data(as_text=True)
    assert r.status_code == 400 and "för lång" in text and str(MAX_NOTE_CHARS) in text
    assert store.notes(include_hidden=True) == []
    with pytest.raises(StoreError, match="för lång"):
        store.add_note(HOME, YEAR, PROMPT, "x" * 10_000_000, redact=str)
    assert store.notes(include_hidden=True) == []


def test_notes_from_the_dialog_page_are_validated_against_the_store(store):
    import sys

    app = create_app(store)
    dialogue = sys.modules["pages.dialogue"]  # as Dash imported it (importing it again would register it twice)
    before = municipality_rows(store)
    with app.server.test_request_context("/"):
        status, *_ = dialogue.save(1, "Ett förslag", PROMPT, "Påhittad kommun", YEAR, "sv", 0)
        assert "inga enkätomgångar" in str(status)
        status, *_ = dialogue.save(1, "Ett förslag", "ingen_sadan_fraga", HOME, YEAR, "sv", 0)
        assert "finns inte bland" in str(status)
        status, *_ = dialogue.save(1, "Ett förslag", PROMPT, HOME, 1999, "sv", 0)
        assert "ingen enkätomgång 1999" in str(status)
        status, *_ = dialogue.save(1, "x" * (MAX_NOTE_CHARS + 1), PROMPT, HOME, YEAR, "sv", 0)
        assert "för lång" in str(status)
    assert store.notes(include_hidden=True) == [] and municipality_rows(store) == before
    with app.server.test_request_context("/"):
        status, *_ = dialogue.save(1, "Ett förslag", PROMPT, HOME, YEAR, "sv", 0)
    assert [n.note for n in store.notes()] == ["Ett förslag"]


# ---------------------------------------------------------------------- headers, errors, files


def test_security_headers(store):
    client = create_app(store).server.test_client()
    for path in ("/", "/delta"):
        h = client.get(path).headers
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"] and h["Referrer-Policy"] == "same-origin"
    assert "default-src 'none'" in client.get("/delta").headers["Content-Security-Policy"]


def test_an_error_page_shows_no_traceback(store):
    app = create_app(store)

    @app.server.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    r = app.server.test_client().get("/boom")
    assert r.status_code == 500 and "secret internals" not in r.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)


def test_database_files_are_created_private(tmp_path):
    path = tmp_path / "sub" / "private.db"
    with Store(str(path)) as store:
        store.data_version()  # a connection is open: the WAL files exist too
        files = sorted(path.parent.iterdir())
        assert len(files) >= 2 and all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in files), files
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


# ---------------------------------------------------------------------- deleting notes


def test_a_deleted_note_is_gone_from_the_store_and_every_output(store, tmp_path):
    from tillit.pipeline import analysis_from_store

    secret = "Inför en gemensam lunch varje fredag"
    keep = store.add_note(HOME, YEAR, PROMPT, "Gemensam introduktion för nya politiker", redact=str)
    gone = store.add_note(HOME, YEAR, PROMPT, secret, redact=str)
    assert secret in str(analysis_from_store(store, HOME, YEAR, threshold=5).dialogue)
    r = CliRunner().invoke(main, ["notes", "remove", str(gone.id), "--db", store.url])
    assert r.exit_code == 0, r.output
    assert [n.id for n in store.notes(include_hidden=True)] == [keep.id]
    analysis = analysis_from_store(store, HOME, YEAR, threshold=5)
    assert secret not in str(analysis.to_dict())
    client = create_app(store).server.test_client()
    assert secret not in client.get("/dialog").get_data(as_text=True)
    r = CliRunner().invoke(main, ["notes", "remove", "--db", store.url])
    assert r.exit_code != 0
    r = CliRunner().invoke(main, ["notes", "remove", "-m", HOME, "-y", str(YEAR), "--db", store.url])
    assert r.exit_code == 0 and "Tog bort 1" in r.output and store.notes(include_hidden=True) == []


def test_removing_a_wave_removes_its_notes_and_rounds(store):
    store.add_note(HOME, YEAR, PROMPT, "Ett förslag", redact=str)
    store.open_round(HOME, YEAR, PROMPT)
    r = CliRunner().invoke(main, ["remove", HOME, "-y", str(YEAR), "--db", store.url])
    assert r.exit_code == 0, r.output
    assert store.notes(include_hidden=True) == [] and store.rounds() == []


def test_a_hidden_note_leaves_every_output(store):
    from tillit.pipeline import analysis_from_store

    note = store.add_note(HOME, YEAR, PROMPT, "Politikerna borde sluta mejla direkt", redact=str)
    assert store.hide_note(note.id)
    assert store.notes() == [] and store.notes(include_hidden=True)[0].hidden
    assert "mejla" not in str(analysis_from_store(store, HOME, YEAR, threshold=5).to_dict())


def test_login_page_sets_a_cookie_and_throttles(store):
    app = create_app(store, password="hemligt")
    client = app.server.test_client()
    r = client.get("/jamforelse", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"] == "/logga-in?next=/jamforelse"
    r = client.post("/logga-in", data={"password": "hemligt", "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["Location"] == "/"  # never off to another site
    assert client.get("/_dash-layout").status_code == 200  # the cookie now opens every facilitator route
    other = app.server.test_client()
    other.set_cookie(auth.LOGIN_COOKIE, "9999999999.forged")
    assert other.get("/_dash-layout").status_code == 401
    for _ in range(auth.MAX_FAILURES):
        assert other.post("/logga-in", data={"password": "fel"}).status_code == 401
    r = other.post("/logga-in", data={"password": "hemligt"})
    assert r.status_code == 429 and "Vänta" in r.get_data(as_text=True)


def test_threshold_comes_from_the_setting(monkeypatch, store):
    from tillit.dashboard import data

    monkeypatch.setenv("TILLIT_THRESHOLD", "10")
    app = create_app(store)
    assert app.server.config[data.THRESHOLD_KEY] == 10
    assert create_app(store, threshold=7).server.config[data.THRESHOLD_KEY] == 7
    monkeypatch.setattr("sys.argv", ["gunicorn", "-b", "127.0.0.1:8050", "x"])
    monkeypatch.setenv("TILLIT_DB", store.url)
    assert make_server().config[data.THRESHOLD_KEY] == 10
    with app.server.test_request_context("/"):
        from tillit.dashboard.common import analysis_for

        assert analysis_for(HOME, YEAR, "", "sv").threshold == 10
