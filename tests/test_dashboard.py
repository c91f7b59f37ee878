"""The dashboard's data and view functions (no browser): selection, anonymity, caching, CLI, password."""

from __future__ import annotations

import base64
import json
import re

import pytest
from click.testing import CliRunner
from dash.development.base_component import Component
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.dashboard import data, views
from tillit.dashboard.app import create_app
from tillit.commands.dashboard import dashboard_cmd
from tillit.dashboard import content
from tests.dashboard_sample import HOME, SMALL, build_store, write_aggregate

YEAR = 2023


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("dash") / "t.db", municipalities=4, waves=3, small_group=True)


def analysis(store, municipality=HOME, benchmark=None, lang="sv"):
    return data.load_analysis(store, municipality, YEAR, data.Benchmark.parse(benchmark), lang, 5)


# ---------------------------------------------------------------------- selection


def test_benchmark_value_round_trips():
    b = data.Benchmark("Granås", 2022)
    assert data.Benchmark.parse(b.value) == b
    assert data.Benchmark.parse("") is None and data.Benchmark.parse(None) is None


def test_step_stays_within_the_questions():
    ids = ["a", "b", "c"]
    assert views.step(ids, "a", -1) == "a" and views.step(ids, "a", 1) == "b"
    assert views.step(ids, "c", 1) == "c" and views.step(ids, None, 0) == "a" and views.step([], "a", 1) is None


def test_restrict_only_selects_groups(store):
    a = analysis(store)
    r = views.restrict(a, ["politiker"])
    assert [g["id"] for g in r.groups] == ["politiker"] and r.results is a.results


def test_pickers_list_the_store(store):
    assert HOME in data.municipalities(store) and SMALL in data.municipalities(store)
    assert data.years(store, "Solberga") == [2021, 2022, 2023]
    assert all(b.municipality != HOME for b in data.benchmark_choices(store, HOME))
    assert data.default_municipality(store) == HOME


def test_figures_come_from_the_analysis(store):
    a = analysis(store)
    fig = views.distribution(a, "tillit", ["politiker", "tjansteperson"], "sv")
    own = a.result("tillit", "politiker")["percent"]
    first = fig.data[0]  # the first answer step, one bar per row
    assert first.x[0] == own[a.question("tillit")["labels"][0]]
    dims = views.dimensions(a, ["politiker"], "sv")
    assert [t.name for t in dims.data] == ["Förtroendevalda"]


def test_ranking_places_this_municipality_among_the_set(store):
    a = analysis(store)
    rows = views.ranking_rows(a)
    home = [r for r in rows if r["home"]]
    assert len(home) == 1 and home[0]["municipality"] == HOME and home[0]["mean_index"] == a.benchmark["mean_index"]
    higher = sum(1 for r in rows if not r["home"] and r["mean_index"] is not None
                 and r["mean_index"] > home[0]["mean_index"])
    assert home[0]["rank"] == higher + 1
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    fig = views.ranking(a, "sv")
    assert any(label.endswith(f"{HOME} {YEAR}") for label in fig.data[0].y)


def test_areas_figure_shows_the_comparison_areas(store):
    a = analysis(store)
    fig = views.areas(a, "sv")
    rows = views.view.area_rows(a)
    assert list(fig.data[0].y) == [r["label"] for r in rows]
    assert list(fig.data[0].x) == [r["index"] for r in rows]
    assert list(fig.data[1].x) == [r["benchmark_index"] for r in rows]
    assert list(fig.data[2].x) == [r["median_index"] for r in rows]


def test_suppressed_group_is_named_never_numbered(store):
    a = analysis(store, SMALL)
    assert views.hidden(a, "tjansteperson") and views.hidden(a, views.ALL)
    assert views.respondent_lines(a, "sv")[1] == "Tjänstepersoner: färre än 5 svar – redovisas inte"
    rows = views.question_rows(a, views.ALL)
    assert all(r["index"] is None and "färre än 5 svar" in r["best"] for r in rows)


def test_comments_are_plain_text_and_only_of_shown_groups(store):
    rows = views.comment_rows(analysis(store))
    assert any(r["text"].startswith("<script>") for r in rows)  # shown as the text it is
    assert views.comment_rows(analysis(store), ["politiker"]) and all(
        r["group"] == "Förtroendevalda" for r in views.comment_rows(analysis(store), ["politiker"]))


def test_cache_follows_the_data_version(store, tmp_path):
    before = analysis(store)
    assert analysis(store) is before  # cached
    extra = write_aggregate(tmp_path / "extra.csv", ["Nyby"], [YEAR], seed=9)
    store.import_aggregate(extra, synthetic=True)
    after = analysis(store)
    assert after is not before and "Nyby" in {e["municipality"] for e in after.benchmark["benchmark_set"]}
    assert "Nyby" in data.municipalities(store)


def test_live_dialogue_clusters(store):
    store.add_note(HOME, YEAR, "gemensam_bild", "Ordna en gemensam visionsdag", redact=str)
    store.add_note(HOME, YEAR, "gemensam_bild", "Gemensam visionsdag för KS och förvaltningen", redact=str)
    notes, clusters = data.dialogue(store, HOME, YEAR)
    assert len(notes) >= 2 and views.clusters_for(clusters, "gemensam_bild")


# ---------------------------------------------------------------------- anonymity over every filter combination

N_LABEL = re.compile(r"n = (\d+)")


def rendered(tree) -> tuple[list[dict], list[dict]]:
    """Every figure and every grid row in a rendered page."""
    figures, rows = [], []

    def walk(node):
        if isinstance(node, Component):
            node = node.to_plotly_json()
        if isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("figure"), dict) or hasattr(props.get("figure"), "to_plotly_json"):
                f = props["figure"]
                figures.append(json.loads(f.to_json()) if hasattr(f, "to_json") else f)
            rows.extend(props.get("rowData") or [])
            walk(props.get("children"))
        elif isinstance(node, list | tuple):
            for x in node:
                walk(x)

    walk(tree)
    return figures, rows


def strings(fig: dict) -> list[str]:
    out = []
    for trace in fig.get("data", []):
        out.append(str(trace.get("name", "")))
        for axis in ("x", "y"):
            out += [str(v) for v in trace.get(axis) or [] if isinstance(v, str)]
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(municipality=st.sampled_from([SMALL, HOME, "Solberga"]),
       benchmark=st.sampled_from(["", f"{SMALL}|{YEAR}", f"Granås|{YEAR - 1}"]),
       groups=st.lists(st.sampled_from(["politiker", "tjansteperson", "alla"]), unique=True),
       lang=st.sampled_from(["sv", "en"]), large=st.booleans(),
       qid=st.sampled_from(["roll_ansvar", "tillit", "vision", "vision_innehall"]))
def test_no_figure_for_a_group_below_the_threshold(store, municipality, benchmark, groups, lang, large, qid):
    if f"{municipality}|" in benchmark:
        return
    a = analysis(store, municipality, benchmark, lang)
    pages = [content.overview(a, groups, lang, large), content.question(a, groups, lang, large, qid),
             content.comparison(a, groups, lang, large, qid), content.comments(a, groups, lang, large, "")]
    hidden = [g["label"] for g in a.groups if views.hidden(a, g["id"])]
    for page in pages:
        figures, rows = rendered(page)
        for fig in figures:
            for s in strings(fig):
                assert all(int(n) >= a.threshold for n in N_LABEL.findall(s)), s
                assert not any(s == h or s.startswith(h + ",") or s.startswith(h + " (") for h in hidden), s
        for row in rows:
            if any(h == row.get("group") for h in hidden):
                raise AssertionError(f"a comment of a hidden group is listed: {row}")
            if row.get("index") is None:
                continue
            assert a.group_label(views.ALL) not in hidden  # question rows are for all respondents


# ---------------------------------------------------------------------- CLI and password


def test_refuses_a_public_address_without_password(monkeypatch, tmp_path):
    monkeypatch.delenv("TILLIT_DASHBOARD_PASSWORD", raising=False)
    result = CliRunner().invoke(dashboard_cmd, ["--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"])
    assert result.exit_code != 0 and "utan lösenord" in result.output and "TILLIT_DASHBOARD_PASSWORD" in result.output


def test_password_is_required_when_set(store):
    client = create_app(store, password="hemligt").server.test_client()
    assert client.get("/").status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    good = base64.b64encode(b"x:hemligt").decode()
    assert client.get("/", headers={"Authorization": f"Basic {good}"}).status_code == 200
    bad = base64.b64encode(b"x:fel").decode()
    assert client.get("/", headers={"Authorization": f"Basic {bad}"}).status_code == 401


def test_callback_over_http(store):
    """The overview callback answers through Dash's own endpoint (what the browser and wrk call)."""
    client = create_app(store).server.test_client()
    body = {"output": "overview-content.children", "outputs": {"id": "overview-content", "property": "children"},
            "inputs": [{"id": i, "property": "value", "value": v} for i, v in
                       (("picker-municipality", HOME), ("picker-wave", YEAR), ("picker-benchmark", ""),
                        ("picker-groups", ["politiker"]), ("picker-lang", "sv"), ("picker-workshop", []))],
            "changedPropIds": ["picker-municipality.value"]}
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200 and "overview-dimensions" in r.get_data(as_text=True)


def test_a_pile_without_a_vote_shows_no_dot_count():
    """Clusters from the text analysis carry `votes: None` (no round voted): no "None prickar"."""
    import pandas as pd

    from tillit.dashboard import content

    notes = pd.DataFrame({"id": ["N1"], "prompt_id": ["p"], "note": ["Boka en planeringsdag"]})
    cluster = {"label": "Boka en planeringsdag", "kind": "atgard", "count": 1, "note_ids": ["N1"],
               "notes": ["Boka en planeringsdag"], "prompt_id": "p", "rank": 1, "votes": None}
    _, grouped = content.dialogue(notes, [cluster], "p", "sv")
    assert "prickar" not in str(grouped) and "planeringsdag" in str(grouped)
    _, grouped = content.dialogue(notes, [{**cluster, "votes": 0}], "p", "sv")
    assert "0 prickar" in str(grouped)
