"""The text of a real page is as complete as the page: the JSON-LD body of a teaser page, a notice's lists, a syndication credit.

Real pages of tests/fixtures/real-sources (PROVENANCE.md): scmp.com.playbook.html and
salon.com.emissions.html from adbar/trafilatura @ e90b0ef5 tests/cache/ (SCMP, and a
Salon article syndicated from Grist), sg-notice-snr-n01-1.html from
opensanctions/opensanctions @ f33cff23 (a Singapore regulator's notice),
dw.com.colonial.html from adbar/trafilatura tests/cache/ (DW). Each quote below was
quote-not-found before: the extraction left its words out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run
from dossiers.sources.extract import Extracted, extract
from dossiers.verify.quotes import SourceText, locate_quote

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"


def text_of(name: str) -> Extracted:
    return extract((REAL / name).read_bytes(), "html", name)


@pytest.mark.parametrize("name, quotes", [
    # the JSON-LD articleBody of a page that shows a 24-word teaser: a quote from its middle, and one near its end
    ("scmp.com.playbook.html", [
        "Tsai’s incredible comeback after hitting political rock bottom was the result of her thoroughly capitalising on Hong Kong’s explosive political circumstances",
        "Alice Wu is a political consultant and a former associate director of the Asia Pacific Media Network at UCLA",
    ]),
    # a regulator's notice: its operative paragraph (which favor_recall alone loses) and its list of amendments (which the default loses)
    ("sg-notice-snr-n01-1.html", [
        "the Singapore Government has imposed financial measures targeted at designated Russian banks",
        "MAS Notice SNR-N01 (Amendment) 2026 dated 26 February 2026 (226.4 KB) takes effect from 27 February 2026.",
        "does not affect their previous operation prior to 1 July 2025",
    ]),
    # a syndicated article: the line that names the relay, and a passage near the end
    ("salon.com.emissions.html", [
        "This post originally appeared on Grist.",
        "You can see that in coal’s continued slide, as well as in the status quo in emissions from factories, cars, and buildings.",
    ]),
])
def test_what_a_real_page_shows_can_be_quoted(name: str, quotes: list[str]):
    source = SourceText.of(text_of(name))
    for quote in quotes:
        assert locate_quote(source, quote, near=False), quote


def test_a_teaser_page_is_read_from_its_json_ld_body_and_says_so():
    extracted = text_of("scmp.com.playbook.html")
    assert extracted.origin == "JSON-LD articleBody"
    kept, visible, body = extracted.words
    assert kept == body == 702 and visible < 200, extracted.words  # the figures: 24 words kept of a 702-word article
    assert extracted.incomplete is None


def test_the_words_kept_are_measured_against_the_page_and_a_shortfall_is_said_with_the_figures():
    dw = text_of("dw.com.colonial.html")
    kept, visible, body = dw.words
    assert body == 0 and 800 < kept < visible and dw.incomplete is None
    short = Extracted("html", "x", (), (24, 170, 702))  # what the SCMP page gave before: the teaser, against its articleBody
    assert short.incomplete == "the text kept has 24 words, the article's JSON-LD articleBody 702"
    thin = Extracted("html", "x", (), (90, 2462, 0))
    assert thin.incomplete == "the text kept has 90 words of the 2,462 the page shows"


def test_check_warns_of_a_page_whose_text_kept_is_much_shorter(tmp_path: Path, monkeypatch):
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    assert run("add-source", str(REAL / "dw.com.colonial.html"), "--root", str(root)).exit_code == 0
    from dossiers.sources import extract as extraction

    monkeypatch.setattr(extraction, "VISIBLE_SHARE", 0.5)  # as if the DW page's text were a third of what it shows: 883 words of 2,462
    monkeypatch.setenv("DOSSIERS_CACHE_DIR", str(tmp_path / "cache"))
    checked = run("check", "--root", str(root), "--format", "json")
    found = [p for p in json.loads(checked.stdout) if p["code"] == "source-text-incomplete"]
    assert found and found[0]["severity"] == "warning" and "the text kept has 883 words of the 2,462 the page shows" in found[0]["message"], found


def test_add_source_records_published_and_modified_and_says_where_the_text_is_from(tmp_path: Path):
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    salon = run("add-source", str(REAL / "salon.com.emissions.html"), "--root", str(root))
    assert salon.exit_code == 0, salon.output
    assert "published: 2020-01-10  (from article:published_time)" in salon.stdout
    assert "modified: 2020-01-11  (from article:modified_time)" in salon.stdout
    scmp = run("add-source", str(REAL / "scmp.com.playbook.html"), "--root", str(root))
    assert scmp.exit_code == 0, scmp.output
    assert "its text is the page's JSON-LD articleBody (702 words): the body the page shows is a stub of it" in scmp.stdout
    listing = (root / "seeds" / "sources.yaml").read_text("utf-8")
    assert "the body the page shows is a stub of it" in listing.split("file: scmp.com.playbook.html")[1]
    shown = run("text", "scmp-com-playbook", "--root", str(root)).stdout
    assert shown.splitlines()[0].endswith(", from the page's JSON-LD articleBody")
    checked = run("check", "--root", str(root), "--format", "json")
    notes = [p for p in json.loads(checked.stdout) if p["code"] == "source-text-article-body"]
    assert notes and notes[0]["severity"] == "info"


def test_a_fragment_without_metadata_takes_its_title_from_its_heading_and_its_language_from_its_text(tmp_path: Path):
    """The DW article's heading and body, saved as a fragment (as a browser's 'save selection' does), without <html>, <title> or lang."""
    page = (REAL / "dw.com.colonial.html").read_text("utf-8")
    fragment = tmp_path / "fragment.html"
    fragment.write_text(page[page.index("<h1>"):page.index("</h1>") + 5] + "\n" + page[page.index('<div class="longText">'):page.index('<div class="col3 right">')], "utf-8")
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    added = run("add-source", str(fragment), "--root", str(root))
    assert added.exit_code == 0, added.output
    assert "title: Berlin confronts Germany's colonial past with new initiative  (from its first <h1>, inferred: the page gives no title)" in added.stdout
    assert "language: en  (from its text, inferred by py3langid (confidence " in added.stdout
    listing = (root / "seeds" / "sources.yaml").read_text("utf-8")
    assert "[fragment]" not in listing and "language: und" not in listing


def test_a_pdf_is_dated_only_by_a_date_it_prints_never_by_its_file_or_its_print_header():
    """vc-ru-article.pdf (opensanctions/opensanctions @ f33cff23): Chrome printed it on 03/06/2022 (its header, and its file's creation
    date); the article's own dateline, '23 Mar', has no year. Nothing there is its publication date."""
    from dossiers.sources.metadata import printed_date

    text = extract((REAL / "vc-ru-article.pdf").read_bytes(), "pdf", "vc-ru-article.pdf").text
    assert text.startswith("03/06/2022, 08:30 ") and printed_date(text) is None
    dated = "Brussels, 10 January 2020\n" + text  # the same page with a dateline, as an Official Journal act prints one
    found = printed_date(dated)
    assert found.value == "2020-01-10" and found.where.startswith('the date printed on page 1, line 1 ("10 January 2020")')
