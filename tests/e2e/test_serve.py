"""`dossiers serve` in a real browser: a saved edit shows on the open page, a broken registry shows its problems there,
and the server keeps going."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from browser import CHROMIUM, NO_CHROMIUM, browser, page  # noqa: F401  (fixtures, see pyproject.toml)

from conftest import replace

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=NO_CHROMIUM)


@pytest.fixture
def server(project: Path):
    from dossiers.pipeline.serve import serve

    ready, stop, found = threading.Event(), threading.Event(), {}

    def started(url: str) -> None:
        found["url"] = url
        ready.set()

    thread = threading.Thread(target=serve, args=(project, 0), kwargs={"ready": started, "stop": stop}, daemon=True)
    thread.start()
    assert ready.wait(60), "the server did not start"
    yield found["url"]
    stop.set()
    thread.join(10)


def shows(opened, text: str, seconds: float = 15) -> bool:
    """Whether the open page shows `text` within `seconds`, across the reloads the server triggers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in opened.inner_text("body"):
                return True
        except Exception:  # the page is reloading
            pass
        time.sleep(0.1)
    return False


def test_a_saved_edit_shows_on_the_open_page_and_a_problem_shows_its_place(project: Path, server: str, page):
    page.goto(server + "dossiers/khrenin.html")
    assert "Defence Minister of Belarus" in page.locator("main").inner_text()
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Minister of Defence of the Republic of Belarus.")
    assert shows(page, "Minister of Defence of the Republic of Belarus")
    replace(project / "actors.yaml", "    kind: position\n    text: Minister of Defence of the Republic of Belarus.", "    kind: positon\n    text: Minister of Defence of the Republic of Belarus.")
    assert shows(page, "does not pass the check")
    assert "actors.yaml:" in page.locator("main").inner_text() and "positon" in page.content()
    replace(project / "actors.yaml", "    kind: positon\n", "    kind: position\n")
    assert shows(page, "Minister of Defence of the Republic of Belarus")


def test_the_server_answers_only_its_pages(server: str):
    import urllib.error
    import urllib.request

    for path in ("../actors.yaml", "seeds/sources.yaml", "%2e%2e/%2e%2e/etc/passwd"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(server + path, timeout=5)
        assert error.value.code == 404
    assert server.startswith("http://127.0.0.1:")
