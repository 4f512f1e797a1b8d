"""Chromium (Debian's `chromium`) driven by Playwright for Python: the fixtures of the browser tests."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NO_CHROMIUM = "needs Chromium: apt-get install chromium (Debian's package; .ci/run installs it)"
# Without the background-networking flags Chromium keeps reaching for Google's hosts, which a closed network refuses.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python: pip install playwright (in the test extra)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    opened = context.new_page()
    requests = []
    opened.on("request", lambda request: requests.append(request.url))
    yield opened
    context.close()
    assert all(url.startswith(("file://", "http://127.0.0.1:")) for url in requests), f"the site fetched from the network: {requests}"
