"""The dashboard in a real headless Chromium (dash[testing]).

Run with:  pytest tests/test_dashboard_browser.py --webdriver Chrome --headless
Skips when chromium/chromedriver are missing (CI installs them and then forbids the skip).
"""

from __future__ import annotations

import os
import shutil

import pytest

from tillit.dashboard.app import create_app
from tillit.dashboard.ids import Ids
from tests.dashboard_sample import HOME, build_store

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not (shutil.which("chromedriver") and (shutil.which("chromium") or
                                                                         os.environ.get("DASH_TEST_CHROMEPATH"))),
                                 reason="chromium and chromium-driver are not installed")]

YEAR = 2023
PAGES = [("/", Ids.OVERVIEW_DIMENSIONS), ("/fragor", Ids.QUESTION_FIGURE), ("/jamforelse", Ids.COMPARISON_RANKING),
         ("/kommentarer", Ids.COMMENTS_CONTENT), ("/dialog", Ids.DIALOGUE_NOTES)]


@pytest.fixture(autouse=True)
def _headless(request):
    if not request.config.getoption("headless", False) and not os.environ.get("DISPLAY"):
        pytest.skip("browser tests need --webdriver Chrome --headless (no display here)")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "t.db"
    build_store(path, municipalities=4, waves=3, small_group=True).close()
    return str(path)


def figure_data(dash_duo, graph_id: str) -> list:
    return dash_duo.driver.execute_script(
        f"var g = document.querySelector('#{graph_id} .js-plotly-plot'); "
        "return g && g.data ? g.data.map(t => [t.name, t.x, t.y]) : null;")


def wait_for_figure_change(dash_duo, graph_id: str, before) -> list:
    dash_duo.wait_for_element(f"#{graph_id} .js-plotly-plot", timeout=30)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(dash_duo.driver, 30).until(lambda _: figure_data(dash_duo, graph_id) not in (None, before))
    return figure_data(dash_duo, graph_id)


def test_every_page_loads_without_console_errors(dash_duo, db):
    dash_duo.start_server(create_app(db))
    for path, element in PAGES:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(f"#{element}", timeout=60)
        assert dash_duo.get_logs() == [], path
    assert dash_duo.find_element(f"#{Ids.MUNICIPALITY}").text.startswith(HOME)


def test_changing_municipality_or_benchmark_changes_the_chart(dash_duo, db):
    dash_duo.start_server(create_app(db))
    dash_duo.wait_for_element(f"#{Ids.OVERVIEW_BENCHMARK} .js-plotly-plot", timeout=60)
    first = figure_data(dash_duo, Ids.OVERVIEW_BENCHMARK)
    dash_duo.select_dcc_dropdown(f"#{Ids.BENCHMARK}", value="Granås 2022")
    second = wait_for_figure_change(dash_duo, Ids.OVERVIEW_BENCHMARK, first)
    assert any("Granås 2022" in (name or "") for name, *_ in second)
    dims = figure_data(dash_duo, Ids.OVERVIEW_DIMENSIONS)
    dash_duo.select_dcc_dropdown(f"#{Ids.MUNICIPALITY}", value="Solberga")
    changed = wait_for_figure_change(dash_duo, Ids.OVERVIEW_DIMENSIONS, dims)
    assert changed != dims
    dash_duo.wait_for_contains_text(f"#{Ids.OVERVIEW_CONTENT} h2", "Solberga", timeout=30)
    assert dash_duo.get_logs() == []


def test_comparison_page_shows_the_areas_and_this_municipality_in_the_ranking(dash_duo, db):
    dash_duo.start_server(create_app(db))
    dash_duo.driver.get(dash_duo.server_url + "/jamforelse")
    dash_duo.wait_for_element(f"#{Ids.COMPARISON_AREAS} .js-plotly-plot", timeout=60)
    areas = figure_data(dash_duo, Ids.COMPARISON_AREAS)
    assert [name for name, *_ in areas][0] == HOME and len(areas) == 3  # here, the benchmark, the set's median
    assert all(0 <= x <= 100 for x in areas[0][1])
    dash_duo.wait_for_element(f"#{Ids.COMPARISON_RANKING} .js-plotly-plot", timeout=60)
    ranking = figure_data(dash_duo, Ids.COMPARISON_RANKING)
    assert any(label.endswith(f"{HOME} {YEAR}") for label in ranking[0][2])
    assert dash_duo.get_logs() == []


def test_dialogue_note_is_stored_and_survives_reload(dash_duo, db):
    from tillit.benchmarks.store import Store

    note = "Boka en gemensam planeringsdag i mars"
    dash_duo.start_server(create_app(db))
    dash_duo.driver.get(dash_duo.server_url + "/dialog")
    dash_duo.wait_for_element(f"#{Ids.DIALOGUE_INPUT}", timeout=60)
    dash_duo.wait_for_contains_text(f"#{Ids.DIALOGUE_NOTES}", "", timeout=30)
    dash_duo.find_element(f"#{Ids.DIALOGUE_INPUT}").send_keys(note)
    dash_duo.find_element(f"#{Ids.DIALOGUE_SAVE}").click()
    dash_duo.wait_for_contains_text(f"#{Ids.DIALOGUE_NOTES}", note, timeout=30)
    with Store(db) as store:
        assert note in [n.note for n in store.notes(HOME, YEAR)]
    dash_duo.driver.refresh()
    dash_duo.wait_for_contains_text(f"#{Ids.DIALOGUE_NOTES}", note, timeout=60)
    dash_duo.wait_for_contains_text(f"#{Ids.DIALOGUE_CLUSTERS}", "planeringsdag", timeout=30)
    assert dash_duo.get_logs() == []


def test_html_in_a_comment_is_shown_as_text(dash_duo, db):
    dash_duo.start_server(create_app(db))
    dash_duo.driver.get(dash_duo.server_url + "/kommentarer")
    dash_duo.wait_for_contains_text(f"#{Ids.COMMENTS_GRID}", "<script>alert('x')</script>", timeout=60)
    scripts = dash_duo.driver.execute_script(
        f"return document.querySelectorAll('#{Ids.COMMENTS_GRID} script').length")
    assert scripts == 0
    dash_duo.find_element(f"#{Ids.COMMENTS_SEARCH}").send_keys("script")
    dash_duo.wait_for_text_to_equal(f"#{Ids.COMMENTS_GRID} .ag-center-cols-container .ag-row:first-child "
                                    "[col-id='text']", "<script>alert('x')</script> Bra enkät, men för lång.",
                                    timeout=30)
    assert dash_duo.get_logs() == []


def test_arrow_keys_step_through_questions_in_workshop_mode(dash_duo, db):
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(create_app(db))
    dash_duo.driver.get(dash_duo.server_url + "/fragor")
    dash_duo.wait_for_element(f"#{Ids.QUESTION_FIGURE}", timeout=60)
    dash_duo.find_element(f"#{Ids.WORKSHOP} input").click()
    dash_duo.wait_for_class_to_equal(f"#{Ids.ROOT}", "tillit workshop", timeout=10)
    dash_duo.wait_for_contains_text(f"#{Ids.QUESTION_CONTENT}", "Fråga 1 av 8", timeout=30)
    body = dash_duo.find_element("body")
    body.send_keys(Keys.ARROW_RIGHT)
    dash_duo.wait_for_contains_text(f"#{Ids.QUESTION_CONTENT}", "Fråga 2 av 8", timeout=30)
    body.send_keys(Keys.ARROW_LEFT)
    dash_duo.wait_for_contains_text(f"#{Ids.QUESTION_CONTENT}", "Fråga 1 av 8", timeout=30)
    assert dash_duo.get_logs() == []


def page_dump(dash_duo, path: str, element: str) -> str:
    """The page's visible text and every Plotly trace's names, values and labels, once loaded."""
    import json
    import time

    from selenium.webdriver.support.ui import WebDriverWait

    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(f"#{element}", timeout=60)
    WebDriverWait(dash_duo.driver, 60).until(lambda d: d.execute_script(
        "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"))
    time.sleep(1.5)
    traces = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => (g.data || []).map("
        "t => [t.name, t.x, t.y, t.text, t.customdata, t.hovertext]))")
    return dash_duo.driver.execute_script("return document.body.innerText") + "\n" + json.dumps(traces, ensure_ascii=False)


@pytest.mark.parametrize("threshold", [10, 5])
def test_a_group_below_the_threshold_shows_no_figure_on_any_page(dash_duo, tmp_path, monkeypatch, threshold):
    """TILLIT_THRESHOLD=10 and 6 officials: no page shows a figure, a size or a comment of theirs.
    With the threshold 5 the same pages do show them (so the check can fail)."""
    from tests.dashboard_sample import COMMENTS

    path = tmp_path / "small.db"
    build_store(path, municipalities=3, waves=2, home_respondents={"politiker": 20, "tjansteperson": 6}).close()
    monkeypatch.setenv("TILLIT_THRESHOLD", str(threshold))
    dash_duo.start_server(create_app(str(path)))
    pages = {p: page_dump(dash_duo, p, element) for p, element in PAGES}
    officials = [text for g, _, text in COMMENTS if g == "tjansteperson" and "<" not in text]
    everything = "\n".join(pages.values())
    if threshold == 10:
        assert "Tjänstepersoner: färre än 10 svar" in pages["/"]
        menu = "Grupper\nFörtroendevalda\nTjänstepersoner\nAlla svarande"  # the group picker names them
        for p, text in pages.items():
            assert menu in text, p
            rest = text.replace(menu, "").replace("Tjänstepersoner: färre än 10 svar", "")
            assert "Tjänstepersoner" not in rest, p
            assert "6 svarande" not in text and "n = 6" not in text, p
        assert not any(t in everything for t in officials)
        # nor the total of all respondents, which would reveal them by subtraction
        assert "26 svarande" not in everything and "Alla svarande: 26" not in everything
    else:
        assert "Tjänstepersoner" in pages["/fragor"] and any(t in everything for t in officials)
    assert dash_duo.get_logs() == []
