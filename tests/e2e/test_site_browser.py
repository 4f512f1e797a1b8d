"""The static site clicked through in a real browser: Chromium (Debian's `chromium`) driven by Playwright.

From a dossier page a note leads to its passage on the source's page, highlighted and in
view; the passage's back-link returns to the note. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from browser import CHROMIUM, NO_CHROMIUM, browser, page  # noqa: F401  (fixtures, see pyproject.toml)

from conftest import PROJECT

SHOTS = PROJECT / "build" / "screenshots"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=NO_CHROMIUM)


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }", selector
    )


def test_a_note_leads_to_its_highlighted_passage_and_back(built: Path, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto((built / "index.html").as_uri())
    page.get_by_role("link", name="Viktor Sheiman", exact=True).click()
    assert page.url.endswith("/dossiers/sheiman.html")
    note = page.locator("ol.notes li").nth(2)
    note.get_by_role("link", name="The passage in its context").click()
    page.wait_for_load_state()
    assert "/sources/sheiman-harare-visit.html#passage-" in page.url
    target = "#" + page.url.split("#")[1]
    assert in_view(page, target), "the passage is scrolled into view"
    assert page.evaluate("s => getComputedStyle(document.querySelector(s)).backgroundColor", target) == "rgb(255, 216, 74)"
    assert "Belarusian army general Viktor Sheiman" in page.locator(target).inner_text() or page.locator(target).inner_text().strip()
    page.screenshot(path=str(SHOTS / "source-passage.png"))
    number = target.removeprefix("#passage-")
    page.locator(f"#cites-{number}").get_by_role("link", name="in Viktor Sheiman's dossier").first.click()
    page.wait_for_load_state()
    assert "/dossiers/sheiman.html#sheiman-cite-" in page.url
    assert in_view(page, "#" + page.url.split("#")[1])
    page.screenshot(path=str(SHOTS / "dossier-note.png"))


def luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("name", ["index.html", "dossiers/sheiman.html", "sources/sheiman-harare-visit.html"])
def test_pages_are_accessible_landmarks_heading_order_focusable_links_contrast(built: Path, page, name: str):
    page.goto((built / name).as_uri())
    assert page.locator("main").count() == 1
    if name != "index.html":
        assert page.locator("nav").count() >= 1
    levels = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => [a.tabIndex, a.textContent.trim().length > 0 || !!a.getAttribute('aria-label')])")
    assert links and all(index >= 0 and named for index, named in links)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "A", "the first Tab reaches a link"
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('p, li, a, mark, dd, .muted')].filter(e => e.textContent.trim()).slice(0, 400).map(e => {
             let b = e, bg = 'rgba(0, 0, 0, 0)';
             while (b && (bg = getComputedStyle(b).backgroundColor) === 'rgba(0, 0, 0, 0)') b = b.parentElement;
             return [getComputedStyle(e).color, b ? bg : 'rgb(255, 255, 255)'];
           })"""
    )
    worst = min(contrast(fg, bg) for fg, bg in pairs)
    assert worst >= 4.5, f"contrast {worst:.2f} below WCAG AA"


@pytest.mark.parametrize("name", ["index.html", "dossiers/sheiman.html", "sources/zimmail-2023-11-02.html"])
def test_pages_are_set_in_the_fonts_the_pdfs_use(built: Path, page, name: str):
    page.goto((built / name).as_uri())
    faces = page.evaluate("document.fonts.ready.then(fonts => [...fonts].map(face => [face.family, face.weight, face.style, face.status]))")
    tried = [face for face in faces if face[3] != "unloaded"]
    assert tried and all(status == "loaded" for *_, status in tried), faces
    assert ["Dossier Serif", "normal", "normal", "loaded"] in faces, "the body text's face"


def test_a_source_pages_cited_passages_scroll_with_the_page(built: Path, page):
    page.goto((built / "sources" / "zimmail-2023-11-02.html").as_uri())
    overflow, own, shown, document = page.evaluate(
        "(() => { const a = document.querySelector('aside.citations');"
        " return [getComputedStyle(a).overflowY, a.scrollHeight, a.clientHeight, document.documentElement.scrollHeight]; })()"
    )
    assert overflow == "visible" and own == shown, "the column has no scroll bar of its own"
    assert document > 800, "the page scrolls, the column with it"
