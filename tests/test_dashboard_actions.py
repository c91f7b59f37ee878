"""Actions from the ranked piles on the Dialog page, through the dashboard's real HTTP callbacks:
stored with the Store method `tillit actions add` uses, refused with a message when wrong, and
never reachable with a participant's join-code session."""

from __future__ import annotations

import base64
import json

import pytest
from click.testing import CliRunner

from tillit.dashboard import content, workshop
from tillit.dashboard.app import create_app
from tillit.dashboard.ids import Ids
from tests.dashboard_sample import HOME, build_store
from tillit.cli import main

YEAR = 2023
PROMPT = "forbattra_samspel"
PASSWORD = "pw"
NOTES = ["Gemensam introduktion för nya politiker och chefer", "Introduktion för nya politiker och chefer",
         "Fasta avstämningar mellan ordförande och förvaltningschef"]
FACILITATOR = {"Authorization": "Basic " + base64.b64encode(f"x:{PASSWORD}".encode()).decode()}


@pytest.fixture()
def store(tmp_path):
    s = build_store(tmp_path / "a.db", municipalities=3, waves=1, first_year=YEAR)
    yield s
    s.close()


@pytest.fixture()
def app(store):
    return create_app(store, password=PASSWORD, hosts=["192.168.1.20"])


@pytest.fixture()
def voted(store):
    """A round of three notes, voted on: the introduction pile has 4 dots, the other 1."""
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    for n in NOTES:
        store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id)
    workshop.start_voting(store, rnd.id)
    piles = store.piles(rnd.id)
    top = max(piles, key=lambda p: len(p.note_ids))
    for i in range(4):
        store.add_vote(rnd.id, top.id, f"participant-{i}".ljust(30, "x"))
    store.add_vote(rnd.id, next(p.id for p in piles if p.id != top.id), "participant-9".ljust(30, "x"))
    return store.round(rnd.id), top


def dependency(client, input_id, prop="n_clicks"):
    """The callback with this input (a pattern-matching input by its type), as /_dash-dependencies gives it."""
    def same(i):
        found = json.loads(i["id"])["type"] if i["id"].startswith("{") else i["id"]
        return found == input_id and i["property"] == prop

    deps = client.get("/_dash-dependencies", headers=FACILITATOR).get_json()
    return next(d for d in deps if any(same(i) for i in d["inputs"]))


def outputs_of(dep):
    if not dep["output"].startswith(".."):  # a single output
        cid, prop = dep["output"].split("@")[0].rsplit(".", 1)
        return {"id": cid, "property": prop}
    out = []
    for part in dep["output"].strip(".").split("..."):
        cid, prop = part.split("@")[0].rsplit(".", 1)
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return out


def call(client, dep, inputs, state, headers=FACILITATOR, environ=None):
    """One Dash callback request, as the browser sends it (ids and props from /_dash-dependencies)."""
    def values(specs, given):
        return [{**s, "value": given.get(s["id"] if isinstance(s["id"], str) else s["id"]["type"])} for s in specs]

    body = {"output": dep["output"], "outputs": outputs_of(dep), "inputs": values(dep["inputs"], inputs),
            "state": values(dep["state"], state), "changedPropIds": [f"{dep['inputs'][0]['id']}.n_clicks"]}
    return client.post("/_dash-update-component", json=body, headers=headers, environ_base=environ or {})


def save(client, text, area, owner=None, due=None, municipality=HOME, year=YEAR, **kw):
    dep = dependency(client, Ids.ACTION_SAVE)
    state = {Ids.ACTION_TEXT: text, Ids.ACTION_AREA: area, Ids.ACTION_OWNER: owner, Ids.ACTION_DUE: due,
             Ids.MUNICIPALITY: municipality, Ids.WAVE: year, Ids.LANG: "sv", Ids.ACTIONS_SAVED: 0}
    return call(client, dep, {Ids.ACTION_SAVE: 1}, state, **kw)


def status_text(response) -> str:
    return json.dumps(response.get_json()["response"][Ids.ACTION_STATUS]["children"], ensure_ascii=False)


def test_a_ranked_pile_becomes_an_action_listed_by_the_store_and_the_cli(store, app, voted):
    rnd, top = voted
    client = app.server.test_client()
    ranked = workshop.ranked_piles(store, rnd)
    assert ranked[0]["pile_id"] == top.id and ranked[0]["rank"] == 1 and ranked[0]["votes"] == 4
    # the pile list shows a "Gör till åtgärd" button per pile, top pile first
    page = json.dumps(content.action_piles(ranked, "sv").to_plotly_json(), default=str, ensure_ascii=False)
    assert page.index(top.label) < page.index("Fasta avstämningar") and page.count("Gör till åtgärd") == len(ranked)
    # clicking it puts the pile's label into the form (a real callback request)
    dep = dependency(client, Ids.ACTION_FROM_PILE)
    body = {"output": dep["output"], "outputs": outputs_of(dep),
            "inputs": [[{"id": {"type": Ids.ACTION_FROM_PILE, "index": p["pile_id"]}, "property": "n_clicks",
                         "value": 1 if p["pile_id"] == top.id else None} for p in ranked]],
            "state": [{**s, "value": {Ids.MUNICIPALITY: HOME, Ids.WAVE: YEAR}[s["id"]]} for s in dep["state"]],
            "changedPropIds": [json.dumps({"index": top.id, "type": Ids.ACTION_FROM_PILE}, separators=(",", ":"))
                               + ".n_clicks"]}
    r = client.post("/_dash-update-component", json=body, headers=FACILITATOR)
    assert r.status_code == 200 and r.get_json()["response"][Ids.ACTION_TEXT]["value"] == top.label
    # save it (edited), with a personal e-mail in the owner field that must not be stored
    r = save(client, top.label + " i januari", "Tillit", owner="KS-presidiet, anna.svensson@kommun.se",
             due="2026-06-30")
    assert r.status_code == 200 and "Sparade åtgärd" in status_text(r)
    found = store.actions(HOME)
    assert len(found) == 1
    action = found[0]
    assert (action.text, action.year, action.area, action.due.isoformat(), action.status) == (
        top.label + " i januari", YEAR, "tillit", "2026-06-30", "open")
    assert "anna.svensson" not in action.owner and action.owner.startswith("KS-presidiet")
    out = CliRunner().invoke(main, ["actions", "list", HOME, "--format", "json", "--db", store.url])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == [action.to_dict()]
    # listed for the wave with its status, and "Klar" marks it done as `tillit actions done` does
    listed = json.dumps([c.to_plotly_json() for c in content.actions_list(
        workshop.wave_actions(store, HOME, YEAR), {"tillit": "Tillit"}, HOME, YEAR, "sv")], default=str,
        ensure_ascii=False)
    assert action.text in listed and "pågår" in listed and "Klar" in listed
    dep = dependency(client, Ids.ACTION_DONE)
    body = {"output": dep["output"], "outputs": outputs_of(dep),
            "inputs": [[{"id": {"type": Ids.ACTION_DONE, "index": action.id}, "property": "n_clicks", "value": 1}]],
            "state": [{**s, "value": {Ids.LANG: "sv", Ids.ACTIONS_SAVED: 1}[s["id"]]} for s in dep["state"]],
            "changedPropIds": [json.dumps({"index": action.id, "type": Ids.ACTION_DONE}, separators=(",", ":"))
                               + ".n_clicks"]}
    r = client.post("/_dash-update-component", json=body, headers=FACILITATOR)
    assert r.status_code == 200 and "markerad som klar" in json.dumps(r.get_json(), ensure_ascii=False)
    assert store.action(action.id).status == "done"


@pytest.mark.parametrize(("kw", "says"), [
    ({"area": "vadsomhelst"}, "Området 'vadsomhelst' finns inte"),
    ({"due": "30 juni"}, "30 juni"),
    ({"area": None}, "Välj vilket område"),
    ({"text": "   "}, "saknar text"),
    ({"municipality": "Påhittad kommun"}, "Påhittad kommun"),
    ({"year": 1999}, "1999"),
])
def test_bad_input_is_shown_and_nothing_stored(store, app, voted, kw, says):
    args = {"text": "Visionsdag för KS och förvaltningsledningen", "area": "tillit", "owner": "KS",
            "due": "2026-06-30", **kw}
    r = save(app.server.test_client(), **args)
    assert r.status_code == 200
    shown = status_text(r)
    assert says in shown and "error" in shown, shown
    assert store.actions() == []


def test_a_participant_session_cannot_create_an_action(store, app, voted):
    rnd, _ = voted
    store.close_round(rnd.id)
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)  # a round the phone can join
    phone = app.server.test_client()
    env, headers = {"REMOTE_ADDR": "192.168.1.40"}, {"Host": "192.168.1.20:8050"}
    assert phone.post("/delta", data={"kod": rnd.code}, environ_base=env, headers=headers).status_code == 303
    dep = dependency(app.server.test_client(), Ids.ACTION_SAVE)
    state = {Ids.ACTION_TEXT: "Från en telefon", Ids.ACTION_AREA: "tillit", Ids.MUNICIPALITY: HOME, Ids.WAVE: YEAR,
             Ids.LANG: "sv", Ids.ACTIONS_SAVED: 0}
    r = call(phone, dep, {Ids.ACTION_SAVE: 1}, state, headers=headers, environ=env)
    assert r.status_code == 401
    # from another site, even with the password, the post is refused
    r = call(app.server.test_client(), dep, {Ids.ACTION_SAVE: 1}, state,
             headers={**FACILITATOR, "Origin": "http://evil.example"})
    assert r.status_code == 403
    # and without a password the dashboard answers this computer only
    open_app = create_app(store)
    r = call(open_app.server.test_client(), dependency(open_app.server.test_client(), Ids.ACTION_SAVE),
             {Ids.ACTION_SAVE: 1}, state, headers={}, environ={"REMOTE_ADDR": "192.168.1.40"})
    assert r.status_code == 403
    assert store.actions() == []


def test_the_panel_speaks_english_when_asked(store, voted):
    rnd, top = voted
    ranked = workshop.ranked_piles(store, rnd, "en")
    shown = json.dumps(content.action_piles(ranked, "en").to_plotly_json(), default=str)
    assert "Make it an action" in shown and "4 dots" in shown and "Gör till åtgärd" not in shown
    assert workshop.area_options(store, HOME, YEAR, "en") == [
        {"label": "Roles and responsibilities", "value": "roller"}, {"label": "Trust and culture", "value": "tillit"},
        {"label": "Vision and goal management", "value": "mal"}, {"label": "Follow-up and analysis", "value": "uppfoljning"}]
    assert workshop.area_options(store, HOME, YEAR, "sv")[0] == {"label": "Roller och ansvar", "value": "roller"}
    assert workshop.ranked_piles(store, None) == []
