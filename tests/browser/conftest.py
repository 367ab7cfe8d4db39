"""Headless Chromium against a live server: the admin as an agent's browser really runs it."""

import os
from pathlib import Path

import pytest

from ..conftest import need

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "_artifacts" / "screenshots"
WAIT_SECONDS = 10
PASSWORD = "correct horse battery staple"
WINDOW = (1400, 1000)
CHROMIUM_ARGUMENTS = (
    # root in a container: no sandbox, no GPU, and nothing that phones home or downloads components
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage", "--window-size=%d,%d" % WINDOW, "--lang=en-US",
)


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """A fresh headless Chromium (own profile) driven by Debian's chromedriver; nothing is downloaded."""
    need(os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK),
         "needs Debian's browser: apt-get install -y chromium chromium-driver (%s and %s)" % (CHROMIUM, CHROMEDRIVER))
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument("--user-data-dir=%s" % (tmp_path / "chromium-profile"))
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
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

    def screenshot(self, name: str) -> Path:
        """The whole page, not only the first screenful: the window grows to the document's height."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.set_window_size(*WINDOW)  # measure at the usual size, not at the last screenshot's
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(WINDOW[0], min(height + 140, 4000))  # + the window's own chrome
        path = SCREENSHOTS / name
        try:
            assert self.driver.save_screenshot(str(path)), path
        finally:
            self.driver.set_window_size(*WINDOW)
        return path


@pytest.fixture
def desk(live_server, browser, django_user_model):
    """A superuser created for the test, logged in through /admin/login/ on the live server."""
    django_user_model.objects.create_superuser("agent", "agent@example.com", PASSWORD)
    desk = Desk(browser, live_server.url)
    desk.log_in("agent", PASSWORD)
    return desk
