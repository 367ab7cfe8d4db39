"""Headless Chromium against a live server: the admin as an agent's browser really runs it."""

import os
from pathlib import Path

import pytest

from ..conftest import need

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "_artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WAIT_SECONDS = 10
PASSWORD = "correct horse battery staple"
WINDOW = (1400, 1000)
CHROMIUM_ARGUMENTS = (
    # root in a container: no sandbox, no GPU, and nothing that phones home or downloads components
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage", "--window-size=%d,%d" % WINDOW, "--lang=en-US",
)


def _chromium(profile: Path):
    need(os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK),
         "needs Debian's browser: apt-get install -y chromium chromium-driver (%s and %s)" % (CHROMIUM, CHROMEDRIVER))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument("--user-data-dir=%s" % profile)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """A fresh headless Chromium (own profile) driven by Debian's chromedriver; nothing is downloaded."""
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or driver
    driver = _chromium(tmp_path / "chromium-profile")
    yield driver
    driver.quit()


@pytest.fixture
def second_browser(tmp_path, monkeypatch):
    """Another agent's browser: its own profile, so its own session cookie."""
    monkeypatch.setenv("SE_OFFLINE", "true")
    driver = _chromium(tmp_path / "chromium-profile-2")
    yield driver
    driver.quit()


class Desk:
    """An agent's browser on the live server, with the few moves the tests need."""

    def __init__(self, driver, base_url: str) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.base_url = base_url
        self.wait = WebDriverWait(driver, WAIT_SECONDS)

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def find(self, css: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def navigate(self, action) -> None:
        """Run `action` (a click, a submit) and wait until the next page has replaced this one."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        page = self.driver.find_element(By.TAG_NAME, "html")
        action()
        self.wait.until(EC.staleness_of(page))
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def log_in(self, username: str, password: str) -> None:
        """Through the real login form, so django-axes sees a real request, as in production."""
        self.open("/admin/login/?next=/admin/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(password)
        self.navigate(lambda: self.find("#login-form [type=submit]").click())
        assert "/admin/login/" not in self.driver.current_url, self.find("#content").text

    def screenshot(self, name: str, width: int = WINDOW[0]) -> Path:
        """The whole page, not only the first screenful: the window grows to the document's height."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.set_window_size(width, WINDOW[1])  # measure at the usual height, not at the last screenshot's
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(height + 140, 4000))  # + the window's own chrome
        path = SCREENSHOTS / name
        try:
            assert self.driver.save_screenshot(str(path)), path
        finally:
            self.driver.set_window_size(*WINDOW)
        return path

    def viewport(self, width: int, height: int) -> None:
        """Size the window so the page itself (the viewport) is width × height, whatever the browser's chrome."""
        self.driver.set_window_size(width, height)
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        self.driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])

    def in_first_screen(self, css: str) -> bool:
        """The element is visible without scrolling: the page is at the top and the element starts on screen."""
        element = self.find(css)
        return self.driver.execute_script(
            "var r = arguments[0].getBoundingClientRect();"
            "return window.scrollY === 0 && r.width > 0 && r.height > 0 && r.top >= 0 && r.top < window.innerHeight"
            " && r.left >= 0 && r.left < window.innerWidth", element)

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        """axe-core (npm, tests/browser/node_modules) run in the page: the violations of the given impacts."""
        need(AXE.exists(), "needs axe-core: run `make test` (or `npm ci` in tests/browser)")
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        self.driver.set_script_timeout(60)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); },"
            " function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [" ".join(n.get("target", [])) + ": " + (n.get("failureSummary") or "")[:300]
                           for n in v["nodes"][:5]]}
                for v in result if v.get("impact") in impacts]


@pytest.fixture
def desk(live_server, browser, django_user_model):
    """A superuser created for the test, logged in through /admin/login/ on the live server."""
    django_user_model.objects.create_superuser("agent", "agent@example.com", PASSWORD)
    desk = Desk(browser, live_server.url)
    desk.log_in("agent", PASSWORD)
    return desk


@pytest.fixture
def colleague_desk(live_server, second_browser, django_user_model):
    """A second agent (Bo Chen) in their own browser, logged in the same way."""
    django_user_model.objects.create_superuser("bo", "bo@example.com", PASSWORD, first_name="Bo", last_name="Chen")
    desk = Desk(second_browser, live_server.url)
    desk.log_in("bo", PASSWORD)
    return desk
