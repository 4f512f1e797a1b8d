"""A text-fragment link with its context lands on the occurrence cited, in Chromium, on a real page served locally:
dw.com.colonial.html (tests/fixtures/real-sources, DW, from adbar/trafilatura's tests/cache; see PROVENANCE.md).

"Berlin" occurs six times in the article; `cite` tells one apart by the words before it, and the link
`#:~:text=prefix-,Berlin` must scroll to that one, not to the first.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from browser import CHROMIUM, NO_CHROMIUM, browser  # noqa: F401  (fixtures, see pyproject.toml)

from dossiers.sources.extract import extract
from dossiers.verify.quotes import SourceText, suggest_citations
from dossiers.views.join import text_directive

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=NO_CHROMIUM)
REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"

# The top of every occurrence of `wanted` in the page's rendered text, in document coordinates.
OCCURRENCES = """wanted => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const flat = text.replace(/\\s/g, " ");
  const tops = []; let at = flat.indexOf(wanted);
  while (at >= 0) {
    const [node, start] = nodes.filter(([n, s]) => s <= at).pop();
    const range = document.createRange();
    range.setStart(node, at - start); range.setEnd(node, Math.min(at - start + 1, node.data.length));
    const box = range.getBoundingClientRect();
    if (box.height > 0) tops.push(box.top + window.scrollY);
    at = flat.indexOf(wanted, at + 1);
  }
  return tops;
}"""


@pytest.fixture(scope="module")
def served():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(REAL))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_fragment_with_its_prefix_scrolls_to_the_occurrence_cited_not_the_first(browser, served):  # noqa: F811
    source = SourceText.of(extract((REAL / "dw.com.colonial.html").read_bytes(), "html", "seeds/dw.com.colonial.html"))
    suggestions, count, _ = suggest_citations(source, "Berlin")
    assert int(count) > 2, "Berlin is in the article many times: the first alone is no test"
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    plain = context.new_page()
    plain.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served) else route.abort())
    plain.goto(f"{served}/dw.com.colonial.html")
    # the last occurrence whose context the page shows once (the text kept may hold a caption the page lays out apart)
    cited = [s for s in suggestions[1:] if s.prefix and len(plain.evaluate(OCCURRENCES, " ".join(f"{s.prefix}{s.quote}".split()))) == 1][-1]
    plain.close()
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served) else route.abort())
    try:
        page.goto(f"{served}/dw.com.colonial.html#:~:text={text_directive(cited.quote, cited.prefix, cited.suffix)}")
        page.wait_for_timeout(1500)
        tops = page.evaluate(OCCURRENCES, " ".join(f"{cited.prefix}{cited.quote}".split()))
        assert len(tops) == 1, f"the prefix and quote occur once in the page: {tops}"
        first = page.evaluate(OCCURRENCES, "Berlin")[0]
        scrolled, height = page.evaluate("[window.scrollY, window.innerHeight]")
        assert scrolled <= tops[0] < scrolled + height, "the occurrence cited is in view"
        assert not scrolled <= first < scrolled + height, "the first occurrence is not"
    finally:
        context.close()
