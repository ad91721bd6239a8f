"""The fleet page in a real browser: Debian's chromium driven by Selenium through chromium-driver
(no browser is downloaded). Sign-in, overview, drill-down, acknowledging an alert, the phone-sized
layout; screenshots go to docs/screenshots/fleet/ (with HPF_WRITE_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ledger.db import session_factory
from ledger.fleet import seed_demo_fleet
from ledger.seed import seed_demo
from ledger.testing import LedgerThread

pytestmark = pytest.mark.browser

CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver")
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "fleet"
TECH = ("tech-browser", "Browser-Pass-2026")  # noqa: S105 - the test technician account


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() or DRIVER is None:
        return "chromium and chromium-driver are not installed (./dev installs them when run as root)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerThread]:
    db = tmp_path_factory.mktemp("fleet") / "ledger.db"
    engine = create_engine(f"sqlite:///{db}")
    seed_demo(engine, 5)
    seed_demo_fleet(session_factory(engine))
    engine.dispose()
    with LedgerThread(f"sqlite:///{db}") as server:
        # the technician account (the staff stream's accounts plug in through app.state.fleet_verify)
        server.app.state.fleet_verify = lambda _s, u, p: u if (u, p) == TECH else None
        yield server


@pytest.fixture(autouse=True)
def shots(tmp_path: Path) -> None:
    """Screenshots go to docs/screenshots/fleet/ with HPF_WRITE_SCREENSHOTS=1, else to a temporary folder."""
    global SHOTS
    SHOTS = DOCS_SHOTS if os.environ.get("HPF_WRITE_SCREENSHOTS") == "1" else tmp_path


SHOTS = DOCS_SHOTS


@pytest.fixture
def browser() -> Iterator[object]:
    why = _missing()
    if why:
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="hpf-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _sign_in(driver: object, base: str, user: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    d: object = driver
    d.get(f"{base}/fleet")  # type: ignore[attr-defined]
    d.find_element(By.ID, "username").send_keys(user)  # type: ignore[attr-defined]
    d.find_element(By.ID, "password").send_keys(password)  # type: ignore[attr-defined]
    d.find_element(By.ID, "sign-in").click()  # type: ignore[attr-defined]


def test_sign_in_overview_drill_down_and_acknowledge(browser: object, ledger: LedgerThread) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    _sign_in(d, ledger.url, TECH[0], "wrong")
    # the click does not wait for the answer: find_element waits (implicitly, 5 s) for the error to show
    assert "错误" in d.find_element(By.ID, "login-error").text  # type: ignore[attr-defined]
    d.save_screenshot(str(SHOTS / "sign_in_refused.png"))  # type: ignore[attr-defined]
    _sign_in(d, ledger.url, *TECH)
    cards = d.find_elements(By.CSS_SELECTOR, ".card")  # type: ignore[attr-defined]
    states = {c.get_attribute("id"): c.get_attribute("data-state") for c in cards}
    assert states["t-TY-K-01"] == "ok" and states["t-TY-K-02"] == "alert" and states["t-TY-C-01"] == "silent"
    halls = [h.text for h in d.find_elements(By.CSS_SELECTOR, ".hall h2")]  # type: ignore[attr-defined]
    assert "总部服务大厅" in halls and "小店区服务大厅" in halls
    d.save_screenshot(str(SHOTS / "overview.png"))  # type: ignore[attr-defined]
    # the little script: the filter box hides the other terminals
    d.find_element(By.ID, "filter").send_keys("TY-K-03")  # type: ignore[attr-defined]
    visible = [c.get_attribute("id") for c in d.find_elements(By.CSS_SELECTOR, ".card") if c.is_displayed()]  # type: ignore[attr-defined]
    assert visible == ["t-TY-K-03"]
    d.find_element(By.LINK_TEXT, "TY-K-03").click()  # type: ignore[attr-defined]
    assert "TY-K-03" in d.find_element(By.ID, "terminal").text  # type: ignore[attr-defined]
    assert "reconnecting" in d.find_element(By.ID, "devices").text  # type: ignore[attr-defined]
    d.save_screenshot(str(SHOTS / "terminal.png"))  # type: ignore[attr-defined]
    buttons = d.find_elements(By.CSS_SELECTOR, "button.ack")  # type: ignore[attr-defined]
    assert buttons
    before = len(buttons)
    buttons[0].click()
    from selenium.webdriver.support.ui import WebDriverWait

    # the click does not wait for the page that answers it
    WebDriverWait(d, 10).until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, "button.ack")) == before - 1)
    assert "已确认 acknowledged by tech-browser" in d.find_element(By.ID, "alerts").text  # type: ignore[attr-defined]
    d.save_screenshot(str(SHOTS / "terminal_acknowledged.png"))  # type: ignore[attr-defined]


def test_phone_sized_layout(browser: object, ledger: LedgerThread) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    d.set_window_size(390, 844)  # type: ignore[attr-defined]
    _sign_in(d, ledger.url, *TECH)
    width = d.execute_script("return window.innerWidth")  # type: ignore[attr-defined]
    # nothing wider than the screen: no sideways scrolling of the page
    assert d.execute_script("return document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    cards = d.find_elements(By.CSS_SELECTOR, ".card")  # type: ignore[attr-defined]
    assert len({c.location["x"] for c in cards}) == 1  # one column
    assert all(c.size["width"] <= width for c in cards)
    d.save_screenshot(str(SHOTS / "overview_phone.png"))  # type: ignore[attr-defined]
    d.find_element(By.LINK_TEXT, "TY-K-02").click()  # type: ignore[attr-defined]
    assert d.execute_script("return document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    d.save_screenshot(str(SHOTS / "terminal_phone.png"))  # type: ignore[attr-defined]
