"""Headless Chromium driven by Selenium, for the web UI's browser tests (Debian packages
chromium, chromium-driver, python3-selenium; scripts/setup-deps.sh --test installs them).

Every browser gets a fresh profile directory and the flags that keep Chromium off the network
(this machine has none): no background networking, component updates, sync or QUIC.
Screenshots go to $FERRY_SCREENSHOT_DIR (CTest sets <build>/ui-screenshots), else a temp dir.
"""

import os
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("FERRY_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FERRY_CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT_S = 20.0  # a loaded 2-core machine can take seconds for the first paint

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def screenshot_dir():
    d = os.environ.get("FERRY_SCREENSHOT_DIR") or os.path.join(tempfile.gettempdir(),
                                                                "ferry-ui-screenshots")
    os.makedirs(d, exist_ok=True)
    return d


class Browser:
    """One headless Chromium. `insecure` accepts the test CA's certificates (HTTPS tests);
    `headers` are sent with every request (e.g. Authorization), through the DevTools protocol,
    as a browser that has logged in would send them."""

    def __init__(self, width=1280, height=900, insecure=False, headers=None):
        self.profile = tempfile.mkdtemp(prefix="ferry-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile,
                                      "--window-size=%d,%d" % (width, height)]:
            options.add_argument(flag)
        if insecure:
            options.add_argument("--ignore-certificate-errors")
            options.accept_insecure_certs = True
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except Exception:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(60)
        if headers:
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # ---- navigation and waiting ------------------------------------------------------------

    def open(self, url):
        self.driver.get(url)

    def wait(self, predicate, what, timeout=WAIT_S):
        try:
            # A refresh redraws cards: an element found a moment ago may be gone; try again.
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                                 ignored_exceptions=[StaleElementReferenceException]).until(
                lambda d: predicate())
        except TimeoutException:
            raise AssertionError("timed out after %.0fs waiting for %s\nbrowser log:\n%s"
                                 % (timeout, what, self.console_text())) from None

    def find(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def one(self, css):
        return self.wait(lambda: (self.find(css) or [None])[0], css)

    def visible(self, css):
        return [e for e in self.find(css) if e.is_displayed()]

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def console_text(self):
        try:
            return "\n".join(e.get("message", "") for e in self.driver.get_log("browser"))
        except Exception as e:  # the log is only a help for failures
            return "(no browser log: %r)" % e

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def screenshot(self, name):
        path = os.path.join(screenshot_dir(), name + ".png")
        # The whole page, not only the window: a reviewer sees every card.
        height = self.js("return Math.max(document.body.scrollHeight, 400)")
        width = self.js("return window.innerWidth")
        self.driver.set_window_size(width, min(max(height + 100, 600), 6000))
        time.sleep(0.2)
        self.driver.save_screenshot(path)
        return path

    # ---- the Metrics tab -------------------------------------------------------------------

    def cards(self):
        return self.find("article.group")

    def card_texts(self):
        # One script, so the list cannot change between reading two cards.
        return self.js("return Array.from(document.querySelectorAll('article.group .badges'))"
                       ".map(e => e.innerText)")

    def wait_cards(self, count, what=None):
        return self.wait(lambda: len(self.cards()) == count and
                         not self.find("#groups[aria-busy]") and self.cards(),
                         what or "%d group cards" % count) if count else self.wait(
            lambda: not self.cards() and not self.find("#groups[aria-busy]"), "no group cards")

    def card_with(self, text):
        """The card whose badges contain `text`."""
        def found():
            for card in self.cards():
                if text in card.find_element(By.CSS_SELECTOR, ".badges").text:
                    return card
            return None
        return self.wait(found, "a card with %r" % text)

    def set_filter(self, text):
        box = self.one("#filter")
        box.clear()
        box.send_keys(text)
        self.one("#filter-form button#refresh")  # the form exists
        self.js("document.getElementById('filter-form').requestSubmit()")

    def tab(self, name):
        self.one("#tab-" + name).click()
        self.wait(lambda: self.js("return !document.getElementById('panel-%s').hidden" % name),
                  "the %s tab" % name)
