"""Screenshots of the live workshop for docs/workshop.md (a developer tool; needs chromium + chromedriver).

    python -m tests.screenshots docs/img

Builds a synthetic store, opens a round, lets three made-up participants post and vote,
serves the dashboard on 127.0.0.1 and photographs the participant page at phone width and
the projector view, each with headless Chromium (bounded waits; nothing leaves the machine).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

from tillit.dashboard.app import create_app
from tests.dashboard_sample import HOME, build_store

YEAR = 2023
PROMPT = "forbattra_samspel"
NOTES = ["Gemensam introduktion för nya politiker och chefer", "Introduktion för nya ledamöter och chefer",
         "Fasta avstämningar mellan ordförande och förvaltningschef", "Tydligare delegationsordning",
         "Ordförande och förvaltningschef träffas varannan vecka", "Vem äger frågan om lokalerna?"]


def browser(width: int, height: int, mobile: bool):
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={max(width, 500)},{height}",
                "--hide-scrollbars"):
        opts.add_argument(arg)
    if mobile:
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height,
                                                                            "pixelRatio": 2.0}})
    driver = webdriver.Chrome(options=opts)
    driver.set_page_load_timeout(60)
    return driver


def wait(driver, css: str, text: str = "", timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: any(text in e.text for e in d.find_elements(By.CSS_SELECTOR, css)))


def main(out: str = "docs/img") -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    store = build_store(tmp / "w.db", municipalities=4, waves=2, first_year=YEAR - 1)
    rnd = store.open_round(HOME, YEAR, PROMPT)
    for n in NOTES:
        store.add_note(HOME, YEAR, PROMPT, n, redact=str, round_id=rnd.id)
    app = create_app(store, public_url="http://192.168.1.20:8050")
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    phone, screen = browser(390, 844, True), browser(1366, 1200, False)
    try:
        phone.get(f"{base}/delta?kod={rnd.code}")
        wait(phone, "#prompt")
        phone.save_screenshot(str(out_dir / "workshop-phone-write.png"))
        screen.get(f"{base}/projektor")
        wait(screen, "#projector-code", rnd.code)
        wait(screen, "#projector-piles", "Fasta")
        time.sleep(1)
        screen.save_screenshot(str(out_dir / "workshop-projector-notes.png"))
        from tillit.dashboard import workshop

        workshop.start_voting(store, rnd.id)
        piles = store.piles(rnd.id)
        for i, pile in enumerate(piles[:3]):
            for k in range(3 - i):
                store.add_vote(rnd.id, pile.id, f"deltagare-{i}-{k}-{'x' * 20}")
        phone.get(f"{base}/delta/runda")
        wait(phone, "#dots-left")
        phone.save_screenshot(str(out_dir / "workshop-phone-vote.png"))
        wait(screen, "#projector-piles", "prickar", timeout=30)
        time.sleep(1)
        screen.save_screenshot(str(out_dir / "workshop-projector-ranking.png"))
        screen.get(f"{base}/dialog")
        wait(screen, "#round-status", "Röstning")
        wait(screen, "#dialogue-notes", "Fasta")
        time.sleep(1)
        screen.save_screenshot(str(out_dir / "workshop-dialog.png"))
        actions(screen, store, out_dir)
    finally:
        phone.quit()
        screen.quit()
        server.shutdown()
        store.close()
    print("\n".join(str(p) for p in sorted(out_dir.glob("workshop-*.png"))))


def actions(screen, store, out_dir: Path) -> None:
    """The Dialog page's actions panel: one pile saved as an action (then done), the next in the form."""
    from selenium.webdriver.common.by import By

    def make(pile: int, area: str, owner: str, due: str, save: bool) -> None:
        screen.find_elements(By.CSS_SELECTOR, "#action-piles button.from-pile")[pile].click()
        wait_value = screen.find_elements(By.CSS_SELECTOR, "#action-piles .pile-label")[pile].text
        WebDriverWait(screen, 30).until(lambda d: d.find_element(By.ID, "action-text").get_attribute("value")
                                        == wait_value)
        screen.find_element(By.CSS_SELECTOR, "#action-area").click()
        next(o for o in screen.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option") if o.text == area).click()
        screen.find_element(By.ID, "action-owner").send_keys(owner)
        screen.find_element(By.ID, "action-due").send_keys(due)
        if save:
            screen.find_element(By.ID, "action-save").click()
            wait(screen, "#action-list", wait_value)
            time.sleep(0.5)

    from selenium.webdriver.support.ui import WebDriverWait

    wait(screen, "#action-piles", "Gör till åtgärd")
    make(0, "Roller och ansvar", "KS-presidiet", "2026-06-30", True)
    make(1, "Tillit och kultur", "Kommundirektören", "2026-03-31", True)
    screen.find_element(By.CSS_SELECTOR, "#action-list button.done").click()
    wait(screen, "#action-status", "klar")
    make(2, "Vision och målstyrning", "Förvaltningsledningen", "2026-09-30", False)
    time.sleep(1)
    panel = screen.find_element(By.ID, "actions-panel")
    screen.execute_script("arguments[0].scrollIntoView()", panel)
    panel.screenshot(str(out_dir / "workshop-actions.png"))


if __name__ == "__main__":
    main(*sys.argv[1:2])
