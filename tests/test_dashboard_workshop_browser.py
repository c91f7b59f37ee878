"""The live workshop in real headless Chromium sessions at once: the facilitator's dashboard and
projector, and participants' phones (narrow windows, own cookies). Loopback only; every wait bounded.

Run with:  pytest tests/test_dashboard_workshop_browser.py --webdriver Chrome --headless
"""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack

import pytest

from tillit.benchmarks.store import Store
from tillit.dashboard.app import create_app
from tillit.dashboard.ids import Ids
from tests.dashboard_sample import HOME, build_store

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not (shutil.which("chromedriver") and (shutil.which("chromium") or
                                                                         os.environ.get("DASH_TEST_CHROMEPATH"))),
                                 reason="chromium and chromium-driver are not installed")]

YEAR = 2023
PROMPT = "forbattra_samspel"
PASSWORD = "rummets-losen"
WAIT = 30
NOTES = ["Gemensam introduktion för nya politiker och chefer", "Introduktion för nya politiker och chefer",
         "Fasta avstämningar mellan ordförande och förvaltningschef"]
OFFICIAL_COMMENT = "Förtroendet mellan politiker och förvaltning har blivit bättre."


@pytest.fixture(autouse=True)
def _headless(request):
    if not request.config.getoption("headless", False) and not os.environ.get("DISPLAY"):
        pytest.skip("browser tests need --webdriver Chrome --headless (no display here)")


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "w.db"
    build_store(path, municipalities=3, waves=1, first_year=YEAR).close()
    return str(path)


def phone_driver(width: int = 390, height: int = 844):
    """A participant's phone: a separate headless Chromium with its own cookies."""
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={max(width, 500)},{height}"):
        opts.add_argument(arg)
    opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height,
                                                                        "pixelRatio": 2.0}})
    if shutil.which("chromium"):
        opts.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(options=opts)
    driver.set_page_load_timeout(WAIT)
    return driver


def wait_until(driver, condition, timeout=WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def text_of(driver, css: str) -> str:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found else ""
    except WebDriverException:  # the page was being replaced (stale node, or Chrome's "does not belong to
        return ""               # the document"): the caller's wait asks again until its timeout


def start_as_facilitator(dash_duo, app) -> str:
    """Serve `app` and log the facilitator's browser in on the login page it is sent to."""
    from selenium.webdriver.common.by import By

    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(base + "/dialog")
    wait_until(dash_duo.driver, lambda d: d.find_elements(By.ID, "password"))
    dash_duo.driver.find_element(By.ID, "password").send_keys(PASSWORD)
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#login button").click()
    dash_duo.wait_for_element(f"#{Ids.ROUND_OPEN}", timeout=60)
    return base


def click_until(dash_duo, button: str, status: str, tries: int = 4) -> None:
    """Click a round button until the round status says `status` (a click made while the page is
    still settling can be lost; opening and starting the vote are safe to repeat)."""
    from selenium.common.exceptions import TimeoutException

    for _ in range(tries):
        dash_duo.find_element(f"#{button}").click()
        try:
            dash_duo.wait_for_contains_text(f"#{Ids.ROUND_STATUS}", status, timeout=WAIT / tries)
            return
        except TimeoutException:
            continue
    raise AssertionError(f"the round status never said {status!r}")


def join(phone, base: str, code: str) -> None:
    from selenium.webdriver.common.by import By

    phone.get(base + "/delta")
    phone.find_element(By.ID, "kod").send_keys(code)
    phone.find_element(By.CSS_SELECTOR, "#join button").click()


def post(phone, note: str) -> None:
    from selenium.webdriver.common.by import By

    wait_until(phone, lambda d: d.find_elements(By.ID, "note"))
    phone.find_element(By.ID, "note").send_keys(note)
    phone.find_element(By.ID, "post").click()


def fetch_status(driver, path: str) -> int:
    """The status of a GET from the page's own script (-1: the fetch was not allowed)."""
    driver.set_script_timeout(WAIT)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"fetch({path!r}).then(r => done(r.status)).catch(e => done(-1));")


def test_participants_join_post_and_vote_while_the_projector_ranks(dash_duo, db):
    from selenium.webdriver.common.by import By

    base = start_as_facilitator(dash_duo, create_app(db, password=PASSWORD))
    driver = dash_duo.driver
    dash_duo.wait_for_contains_text(f"#{Ids.ROUND_STATUS}", "Ingen runda", timeout=WAIT)
    click_until(dash_duo, Ids.ROUND_OPEN, "Skriv lappar")
    with Store(db) as store:
        rnd = store.rounds(HOME, YEAR, active=True)[0]
    assert rnd.code in dash_duo.find_element(f"#{Ids.ROUND_STATUS}").text

    driver.get(base + "/projektor")
    dash_duo.wait_for_text_to_equal(f"#{Ids.PROJECTOR_CODE}", rnd.code, timeout=WAIT)
    qr = dash_duo.find_element(f"#{Ids.PROJECTOR_QR}")
    assert qr.get_attribute("src").startswith("data:image/svg+xml") and f"kod={rnd.code}" in qr.get_attribute("alt")

    with ExitStack() as stack:
        phones = [stack.enter_context(_closing(phone_driver())) for _ in NOTES]
        for phone in phones:  # all join before anyone writes: several sessions at once
            join(phone, base, rnd.code)
        for phone, note in zip(phones, NOTES):
            post(phone, note)
        for phone in phones:
            wait_until(phone, lambda d: "Lappen är sparad" in text_of(d, "#msg"))
            assert phone.execute_script("return window.innerWidth") == 390
            assert phone.execute_script("return document.documentElement.scrollWidth") <= 390  # fits the phone
        # the projector shows the notes clustered as they arrive (two introduction notes, one pile)
        dash_duo.wait_for_contains_text(f"#{Ids.PROJECTOR_PILES}", "Fasta avstämningar", timeout=WAIT)
        wait_until(driver, lambda d: "(2 lappar" in text_of(d, f"#{Ids.PROJECTOR_PILES}")
                   or "2 lappar" in text_of(d, f"#{Ids.PROJECTOR_PILES}"))
        assert len(driver.find_elements(By.CSS_SELECTOR, f"#{Ids.PROJECTOR_PILES} li")) == 2

        driver.get(base + "/dialog")
        dash_duo.wait_for_contains_text(f"#{Ids.ROUND_STATUS}", "Skriv lappar", timeout=WAIT)
        click_until(dash_duo, Ids.ROUND_VOTE, "Röstning pågår")

        for i, phone in enumerate(phones):  # each places 3 dots: the avstämningar pile gets 2 × 3 + 1
            phone.get(base + "/delta/runda")
            for k in range(3):
                wait_until(phone, lambda d: f"{3 - k} av 3" in text_of(d, "#dots-left"))
                piles = phone.find_elements(By.CSS_SELECTOR, "#piles li")
                target = next(p for p in piles if ("avstämningar" in p.text) == (i < 2)) if i < 2 else \
                    next(p for p in piles if "ntroduktion" in p.text)
                target.find_element(By.CSS_SELECTOR, "button.add").click()
            wait_until(phone, lambda d: "0 av 3" in text_of(d, "#dots-left"))
            assert "0 av 3 prickar kvar" in text_of(phone, "#dots-left")
            assert phone.find_element(By.CSS_SELECTOR, "button.add").get_attribute("disabled")

        driver.get(base + "/projektor")
        dash_duo.wait_for_contains_text(f"#{Ids.PROJECTOR_PILES} li:first-child", "6 prickar", timeout=WAIT)
        first = text_of(driver, f"#{Ids.PROJECTOR_PILES} li:first-child")
        assert "Fasta avstämningar" in first and first.startswith("1.")
        assert "3 prickar" in text_of(driver, f"#{Ids.PROJECTOR_PILES} li:nth-child(2)")

        # a participant's session reaches nothing but the participant page
        phone = phones[0]
        phone.get(base + "/kommentarer")
        wait_until(phone, lambda d: d.find_elements(By.ID, "password"))  # sent to the facilitator's login
        assert OFFICIAL_COMMENT not in phone.page_source and "Rollerna är otydliga" not in phone.page_source
        phone.get(base + "/delta/runda")
        assert fetch_status(phone, "/delta/runda") == -1  # the participant page's CSP forbids any fetch
        phone.get(base + "/logga-in")  # a page of this server that allows fetch, with the phone's cookies
        for path in ("/", "/kommentarer", "/_dash-layout", "/_dash-dependencies"):
            assert fetch_status(phone, path) == 401, path
    assert dash_duo.get_logs() == []


def test_a_wrong_code_is_refused_and_a_closed_round_refuses_posts(dash_duo, db):
    from selenium.webdriver.common.by import By

    with Store(db) as store:
        rnd = store.open_round(HOME, YEAR, PROMPT)
    dash_duo.start_server(create_app(db, password=PASSWORD), navigate=False)
    base = dash_duo.server.url.rstrip("/")
    with ExitStack() as stack:
        wrong, right = (stack.enter_context(_closing(phone_driver())) for _ in range(2))
        join(wrong, base, "ZZZZZ" if rnd.code != "ZZZZZ" else "YYYYY")
        wait_until(wrong, lambda d: "stämmer inte" in text_of(d, "#msg"))
        wrong.get(base + "/delta/runda")
        assert not wrong.find_elements(By.ID, "note") and "inte med i någon öppen runda" in wrong.page_source

        join(right, base, rnd.code)
        wait_until(right, lambda d: d.find_elements(By.ID, "note"))
        with Store(db) as store:
            store.close_round(rnd.id)
        post(right, "Kommer för sent")  # the form was still on the phone's screen
        wait_until(right, lambda d: "tar inte emot fler lappar" in text_of(d, "#msg"))
        right.get(base + "/delta/runda")
        assert "Rundan är stängd" in right.page_source and not right.find_elements(By.ID, "note")
    with Store(db) as store:
        assert store.notes(include_hidden=True) == []


class _closing:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self.driver

    def __exit__(self, *exc):
        self.driver.quit()


# ---------------------------------------------------------------------- the anonymity threshold from the setting

PAGES = [("/", Ids.OVERVIEW_DIMENSIONS), ("/fragor", Ids.QUESTION_FIGURE), ("/jamforelse", Ids.COMPARISON_RANKING),
         ("/kommentarer", Ids.COMMENTS_CONTENT)]


def test_threshold_10_hides_a_group_of_6_on_every_page(dash_duo, tmp_path, monkeypatch):
    path = tmp_path / "six.db"
    build_store(path, municipalities=3, waves=2, first_year=YEAR - 1,
                home_respondents={"politiker": 24, "tjansteperson": 6}).close()
    monkeypatch.setenv("TILLIT_THRESHOLD", "10")
    dash_duo.start_server(create_app(str(path)))
    for page, element in PAGES:
        dash_duo.driver.get(dash_duo.server_url + page)
        dash_duo.wait_for_element(f"#{element}", timeout=60)
        if page == "/kommentarer":  # with 10 as the threshold no box × group has enough commenters
            dash_duo.wait_for_contains_text(f"#{element}", "färre än 10 kommenterade", timeout=WAIT)
            assert OFFICIAL_COMMENT not in dash_duo.driver.page_source
            continue
        dash_duo.wait_for_element(f"#{element} .js-plotly-plot", timeout=WAIT)
        names = dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap("
            "g => (g.data || []).map(t => [t.name || '', (t.y || []).join('|'), (t.x || []).join('|')].join(' ')))")
        assert names and not any("Tjänsteperson" in n or "Alla svarande" in n for n in names), (page, names)
        if page in ("/", "/fragor"):
            dash_duo.wait_for_contains_text("main", "färre än 10 svar", timeout=WAIT)
    assert dash_duo.get_logs() == []


# ---------------------------------------------------------------------- actions from the ranked piles


def test_after_the_vote_the_top_pile_becomes_an_action_and_is_listed(dash_duo, db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with Store(db) as store:
        rnd = store.open_round(HOME, YEAR, PROMPT)
        for n in NOTES:
            store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id)
    base = start_as_facilitator(dash_duo, create_app(db, password=PASSWORD))
    driver = dash_duo.driver
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_PILES}", "när röstningen har startat", timeout=WAIT)
    click_until(dash_duo, Ids.ROUND_VOTE, "Röstning pågår")
    with _closing(phone_driver()) as phone:  # a participant places all three dots on the avstämningar pile
        join(phone, base, rnd.code)
        for k in range(3):
            wait_until(phone, lambda d: f"{3 - k} av 3" in text_of(d, "#dots-left"))
            pile = next(p for p in phone.find_elements(By.CSS_SELECTOR, "#piles li") if "avstämningar" in p.text)
            pile.find_element(By.CSS_SELECTOR, "button.add").click()
        wait_until(phone, lambda d: "0 av 3" in text_of(d, "#dots-left"))
    # the facilitator's page follows the dots without a reload
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_PILES} li:first-child", "3 prickar", timeout=WAIT)
    first = dash_duo.find_element(f"#{Ids.ACTION_PILES} li:first-child")
    assert first.text.startswith("1.") and "avstämningar" in first.text
    first.find_element(By.CSS_SELECTOR, "button.from-pile").click()
    wait_until(driver, lambda d: "avstämningar" in (d.find_element(By.ID, Ids.ACTION_TEXT).get_attribute("value") or ""))
    label = driver.find_element(By.ID, Ids.ACTION_TEXT).get_attribute("value")
    dash_duo.select_dcc_dropdown(f"#{Ids.ACTION_AREA}", value="Roller och ansvar")
    driver.find_element(By.ID, Ids.ACTION_OWNER).send_keys("KS-presidiet")
    driver.find_element(By.ID, Ids.ACTION_DUE).send_keys("i vår")
    dash_duo.find_element(f"#{Ids.ACTION_SAVE}").click()  # a due date that is not a date: refused, shown
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_STATUS}", "är inget datum", timeout=WAIT)
    with Store(db) as store:
        assert store.actions() == []
    due = driver.find_element(By.ID, Ids.ACTION_DUE)
    due.send_keys(Keys.CONTROL, "a")  # (clear() empties the field without React seeing it)
    due.send_keys(Keys.BACKSPACE)
    due.send_keys("2026-06-30")
    dash_duo.find_element(f"#{Ids.ACTION_SAVE}").click()
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_STATUS}", "Sparade åtgärd", timeout=WAIT)
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_LIST}", label, timeout=WAIT)
    listed = text_of(driver, f"#{Ids.ACTION_LIST} li")
    assert "Roller och ansvar" in listed and "KS-presidiet" in listed and "2026-06-30" in listed and "pågår" in listed
    with Store(db) as store:
        [action] = store.actions(HOME)
    assert (action.text, action.area, action.owner, action.due.isoformat()) == (label, "roller", "KS-presidiet",
                                                                                 "2026-06-30")
    dash_duo.find_element(f"#{Ids.ACTION_LIST} button.done").click()
    dash_duo.wait_for_contains_text(f"#{Ids.ACTION_LIST} li", "klar", timeout=WAIT)
    with Store(db) as store:
        assert store.action(action.id).status == "done"
    assert dash_duo.get_logs() == []
