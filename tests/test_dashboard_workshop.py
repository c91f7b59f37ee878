"""Live workshop rounds without a browser: join code, notes, piles, dots, merge/split, into the analysis."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from tillit.benchmarks.store import StoreError
from tillit.dashboard import workshop
from tillit.dashboard.app import create_app
from tests.dashboard_sample import HOME, build_store
from tillit.cli import main
from tillit.pipeline import analysis_from_store
from tillit.workshop import apply_votes, pile_clusters

YEAR = 2023
PROMPT = "forbattra_samspel"
NOTES = ["Gemensam introduktion för nya politiker och chefer", "Introduktion för nya politiker och chefer",
         "Fasta avstämningar mellan ordförande och förvaltningschef", "Tydligare delegationsordning"]


@pytest.fixture()
def store(tmp_path):
    s = build_store(tmp_path / "t.db", municipalities=3, waves=1, first_year=YEAR)
    yield s
    s.close()


def phone(app, addr="192.168.1.40"):
    """A participant's browser: its own cookies, from the room's network."""
    return app.server.test_client(), {"REMOTE_ADDR": addr}, {"Host": "192.168.1.20:8050"}


def join(app, code, addr="192.168.1.40"):
    client, env, headers = phone(app, addr)
    r = client.post("/delta", data={"kod": code.lower()}, environ_base=env, headers=headers)
    return client, env, headers, r


@pytest.fixture()
def app(store):
    return create_app(store, password="pw", hosts=["192.168.1.20"])


def test_pile_clusters_rank_proposals_by_dots():
    piles = [{"label": "A", "kind": "atgard", "note_ids": [1], "notes": ["A"], "votes": 1},
             {"label": "B", "kind": "atgard", "note_ids": [2, 3], "notes": ["B", "b"], "votes": 4},
             {"label": "P", "kind": "problem", "note_ids": [4], "notes": ["P"], "votes": 9},
             {"label": "C", "kind": "atgard", "note_ids": [5, 6], "notes": ["C", "c"], "votes": 1}]
    out = pile_clusters("p", piles)
    assert [(c["label"], c["rank"], c["votes"]) for c in out] == [("P", None, 9), ("B", 1, 4), ("C", 2, 1),
                                                                   ("A", 3, 1)]
    assert out[1]["count"] == 2 and out[1]["note_ids"] == ["N2", "N3"] and out[1]["prompt_id"] == "p"
    other = {"label": "X", "kind": "atgard", "prompt_id": "q", "rank": 1, "count": 3}
    merged = apply_votes({"clusters": [other, {"label": "old", "prompt_id": "p"}]}, {"p": piles})
    assert merged["clusters"][0] == other and "old" not in [c["label"] for c in merged["clusters"]]
    assert apply_votes(None, {}) is None


def test_a_room_posts_votes_and_the_ranking_reaches_the_analysis(store, app):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    assert re.fullmatch(r"[A-Z0-9]{5}", rnd.code)
    phones = []
    for i, text in enumerate(NOTES):
        client, env, headers, r = join(app, rnd.code, f"192.168.1.{40 + i}")
        assert r.status_code == 303 and r.headers["Location"].endswith("/delta/runda")
        r = client.post("/delta/lapp", data={"note": text}, environ_base=env, headers=headers)
        assert r.status_code == 303, r.get_data(as_text=True)
        page = client.get("/delta/runda?m=sparad", environ_base=env, headers=headers).get_data(as_text=True)
        assert "Lappen är sparad" in page
        phones.append((client, env, headers))
    stored = store.notes(HOME, YEAR, round_id=rnd.id)
    assert [n.note for n in stored] == NOTES
    # the projector (facilitator) sees live clusters; the two introduction notes are one pile
    live = workshop.piles(store, rnd)
    assert sum(c["count"] for c in live) == 4 and len(live) == 3
    workshop.start_voting(store, rnd.id)
    rnd = store.round(rnd.id)
    piles = store.piles(rnd.id)
    intro = next(p for p in piles if len(p.note_ids) == 2)
    other = next(p for p in piles if p.id != intro.id)
    # notes are refused once voting started
    client, env, headers = phones[0]
    r = client.post("/delta/lapp", data={"note": "För sent"}, environ_base=env, headers=headers)
    assert r.status_code == 409 and "tar inte emot fler lappar" in r.get_data(as_text=True)
    # three dots each, the fourth is refused
    for client, env, headers in phones[:3]:
        for pile in (intro.id, intro.id, other.id):
            assert client.post("/delta/prick", data={"pile": pile}, environ_base=env,
                               headers=headers).status_code == 303
    client, env, headers = phones[0]
    r = client.post("/delta/prick", data={"pile": other.id}, environ_base=env, headers=headers)
    assert r.status_code == 409 and "3 prickar" in r.get_data(as_text=True)
    assert client.post("/delta/prick", data={"pile": intro.id, "action": "remove"}, environ_base=env,
                       headers=headers).status_code == 303
    page = client.get("/delta/runda", environ_base=env, headers=headers).get_data(as_text=True)
    assert "1 av 3 prickar kvar" in page
    votes = {p.id: p.votes for p in store.piles(rnd.id)}
    assert votes[intro.id] == 5 and votes[other.id] == 3
    # the ranked piles are the prompt's clusters in the analysis (deck and report read these)
    analysis = analysis_from_store(store, HOME, YEAR, threshold=5)
    mine = [c for c in analysis.dialogue["clusters"] if c["prompt_id"] == PROMPT]
    assert mine[0]["label"] == intro.label and mine[0]["votes"] == 5 and mine[0]["count"] == 2
    assert {c["prompt_id"] for c in mine} == {PROMPT}
    from tillit.reports import view  # what the deck's and the report's dialogue pages list, in this order

    assert view.dialogue_clusters(analysis, PROMPT)[0]["label"] == intro.label
    store.close_round(rnd.id)
    r = client.post("/delta/prick", data={"pile": other.id}, environ_base=env, headers=headers)
    assert r.status_code == 409
    r = client.post("/delta/lapp", data={"note": "Stängd"}, environ_base=env, headers=headers)
    assert r.status_code == 409
    assert "stängd" in client.get("/delta/runda", environ_base=env, headers=headers).get_data(as_text=True)


def test_the_join_code_opens_only_the_participant_page(store, app):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    client, env, headers, r = join(app, rnd.code)
    assert r.status_code == 303
    for path in ("/", "/kommentarer", "/jamforelse", "/dialog", "/projektor", "/_dash-layout",
                 "/_dash-dependencies"):
        assert client.get(path, environ_base=env, headers=headers).status_code == 401, path
    r = client.post("/_dash-update-component", json={"output": "comments-content.children"}, environ_base=env,
                    headers=headers)
    assert r.status_code == 401


def test_the_participant_page_speaks_english_when_asked(store, app):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    client, env, headers, _ = join(app, rnd.code)
    page = client.get("/delta/runda?lang=en", environ_base=env, headers=headers).get_data(as_text=True)
    import html

    english = workshop.prompt_text(PROMPT, "en")
    assert english != workshop.prompt_text(PROMPT, "sv")
    assert "Send the note" in page and html.escape(english) in page
    page = client.get("/delta/runda", environ_base=env, headers=headers).get_data(as_text=True)
    assert "Send the note" in page  # remembered
    assert "<script" not in page


def test_a_wrong_code_is_refused_and_throttled(store, app):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    wrong = "XXXXX" if rnd.code != "XXXXX" else "YYYYY"
    client, env, headers, r = join(app, wrong)
    assert r.status_code == 403 and "stämmer inte" in r.get_data(as_text=True)
    assert client.get("/delta/runda", environ_base=env, headers=headers).status_code == 403
    assert client.post("/delta/lapp", data={"note": "x"}, environ_base=env, headers=headers).status_code == 403
    for _ in range(12):
        r = client.post("/delta", data={"kod": wrong}, environ_base=env, headers=headers)
    assert r.status_code == 429
    r = client.post("/delta", data={"kod": rnd.code}, environ_base=env, headers=headers)
    assert r.status_code == 429  # even the right code waits: guessing is not rewarded
    assert store.notes(include_hidden=True) == []


def test_a_closed_round_refuses_to_join_and_post(store, app):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    client, env, headers, _ = join(app, rnd.code)
    store.close_round(rnd.id)
    r = client.post("/delta/lapp", data={"note": "Efter stängning"}, environ_base=env, headers=headers)
    assert r.status_code == 409
    _, _, _, r = join(app, rnd.code, "192.168.1.99")
    assert r.status_code == 403
    assert store.notes(include_hidden=True) == []


def test_merge_split_and_hide(store):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    ids = [store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id).id for n in NOTES]
    workshop.start_voting(store, rnd.id)
    piles = store.piles(rnd.id)
    assert len(piles) == 3
    big = next(p for p in piles if len(p.note_ids) == 2)
    new = store.split_note(rnd.id, big.note_ids[1])
    assert len(store.piles(rnd.id)) == 4 and new not in {p.id for p in piles}
    store.add_vote(rnd.id, new, "t" * 30)
    store.merge_piles(rnd.id, new, big.id)
    merged = next(p for p in store.piles(rnd.id) if p.id == big.id)
    assert sorted(merged.note_ids) == sorted(big.note_ids) and merged.votes == 1
    with pytest.raises(StoreError):
        store.merge_piles(rnd.id, big.id, big.id)
    store.hide_note(ids[3])
    assert ids[3] not in [i for p in store.piles(rnd.id) for i in p.note_ids]
    assert all("delegationsordning" not in c["label"] for c in workshop.piles(store, store.round(rnd.id)))


def test_open_round_validates_the_wave_and_prompt(store):
    with pytest.raises(StoreError):
        workshop.open_round(store, "Ingenstans", YEAR, PROMPT)
    with pytest.raises(workshop.RoundError):
        workshop.open_round(store, HOME, YEAR, "okand")
    first = workshop.open_round(store, HOME, YEAR, PROMPT)
    assert workshop.open_round(store, HOME, YEAR, PROMPT).id == first.id  # the open one again


def test_workshop_cli(store):
    r = CliRunner().invoke(main, ["workshop", "open", "-m", HOME, "-y", str(YEAR), "-p", PROMPT, "--db", store.url])
    assert r.exit_code == 0, r.output
    code = re.search(r"Kod: (\w+)", r.output).group(1)
    rnd = store.round_by_code(code)
    for n in NOTES[:2]:
        store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id)
    r = CliRunner().invoke(main, ["workshop", "vote", str(rnd.id), "--db", store.url])
    assert r.exit_code == 0 and "1 högar" in r.output, r.output
    r = CliRunner().invoke(main, ["workshop", "list", "--db", store.url])
    assert code in r.output and "voting" in r.output
    r = CliRunner().invoke(main, ["workshop", "close", str(rnd.id), "--db", store.url])
    assert r.exit_code == 0 and store.round(rnd.id).state == "closed"
    r = CliRunner().invoke(main, ["workshop", "open", "-m", "Ingenstans", "-y", "2023", "-p", PROMPT,
                                  "--db", store.url])
    assert r.exit_code != 0 and "Ingenstans" in r.output and "Traceback" not in r.output


def test_notes_from_a_dialogue_file_are_stored_once(store, tmp_path):
    from tillit.pipeline import read_dialogue_csv, store_dialogue_notes

    csv = tmp_path / "dialog.csv"
    csv.write_text("id,prompt_id,note\n1,forbattra_samspel,Ring Maria Holm på 070-412 33 95\n"
                   "2,forbattra_samspel,Gemensam introduktion\n", "utf-8")
    assert store_dialogue_notes(store, HOME, YEAR, read_dialogue_csv(csv), "dialog.csv") == 2
    assert store_dialogue_notes(store, HOME, YEAR, read_dialogue_csv(csv), "dialog.csv") == 0
    texts = [n.note for n in store.notes(HOME, YEAR)]
    assert len(texts) == 2 and not any("070-412" in t or "Maria Holm" in t for t in texts)
    csv.write_text("id,prompt_id,note\n1,forbattra_samspel," + "x" * 600 + "\n", "utf-8")
    from tillit.survey.errors import TillitError

    with pytest.raises(TillitError, match="Rad 2"):
        store_dialogue_notes(store, HOME, YEAR, read_dialogue_csv(csv), "dialog.csv")


def test_large_rounds_are_clustered_in_a_helper_process_with_the_same_result(store, monkeypatch):
    rnd = workshop.open_round(store, HOME, YEAR, PROMPT)
    for n in NOTES:
        store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id)
    here = workshop.live_clusters(store, rnd, fresh=True)
    monkeypatch.setattr(workshop, "IN_PROCESS_UP_TO", 2)
    there = workshop.live_clusters(store, rnd, fresh=True)
    assert workshop._POOL and there == here and len(here) == 3
