"""A PDF's text as a reader sees it, on a real document: vc-ru-article.pdf (tests/fixtures/real-sources, a vc.ru
article printed to PDF by Chrome on 03/06/2022; from opensanctions/opensanctions, see PROVENANCE.md).

Each quote here is what a reader copies or types from the page; each failed before (quote-near-match or
quote-not-found): PDFium's U+FFFE for a hyphen at a line's end, "…" typed as "...", an apostrophe look-alike,
a quote in NFD, zero-width characters and soft hyphens pasted from a web page.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from dossiers.sources.extract import extract, running_lines
from dossiers.verify.quotes import SourceText, locate_quote, normalise, suggest_citations

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"


@pytest.fixture(scope="module")
def vc_ru() -> SourceText:
    return SourceText.of(extract((REAL / "vc-ru-article.pdf").read_bytes(), "pdf", "seeds/vc-ru-article.pdf"))


def test_pdfiums_line_end_hyphen_mark_reads_as_the_hyphen_the_page_prints(vc_ru: SourceText):
    # p. 4 prints "... N ED-" at a line's end and "7–14/17@" on the next; PDFium gives "ED\ufffe7–14/17@"
    assert "ED\ufffe7" in vc_ru.text
    passage = locate_quote(vc_ru, "Order of the Federal Tax Service of Russia dated January 18, 2021 N ED-7-14/17@")
    assert (passage.page, passage.line) == (4, 98)
    assert vc_ru.text[passage.start : passage.end].endswith("N ED\ufffe7–14/17@"), "the offsets are the PDF's own characters"
    assert vc_ru.shown(passage).endswith("N ED-7–14/17@") and "\ufffe" not in vc_ru.shown(passage)


@pytest.mark.parametrize(
    ("quote", "page"),
    [
        ("medical insurance for relocated employees, but realized that the insurance...", 5),  # the page has "…"
        ("от билетов на концерт Макса Коржа и iPhone до...", 9),
    ],
)
def test_three_dots_match_an_ellipsis_and_the_passage_ends_on_it(vc_ru: SourceText, quote: str, page: int):
    passage = locate_quote(vc_ru, quote)
    assert passage.page == page and vc_ru.text[passage.end - 1] == "…"
    assert locate_quote(vc_ru, quote.replace("...", "…")) == passage


@pytest.mark.parametrize(
    ("quote", "page"),
    [
        ("It\u02bcs almost impossible to be productive", 1),  # ʼ modifier letter apostrophe
        ("could change someone\u00b4s life", 3),  # ´ acute accent
        ("could change someone\u0060s life", 3),  # ` grave accent
        ("The company\u2019s web-studio", 5),
    ],
)
def test_apostrophe_look_alikes_match_the_apostrophe(vc_ru: SourceText, quote: str, page: int):
    assert locate_quote(vc_ru, quote).page == page


@pytest.mark.parametrize(
    ("quote", "page"),
    [
        ("Илон Маск запретил менеджерам Tesla работать на удалёнке", 6),  # ё
        ("Ситидрайв запустил каршеринг видных электромобилей в Москве", 9),  # й, near the end
    ],
)
def test_a_quote_in_nfd_matches_the_composed_text(vc_ru: SourceText, quote: str, page: int):
    decomposed = unicodedata.normalize("NFD", quote)
    assert decomposed != quote
    passage = locate_quote(vc_ru, decomposed)
    assert passage.page == page and " ".join(passage.text.split()) == quote


def test_zero_width_characters_and_soft_hyphens_in_a_quote_are_not_read(vc_ru: SourceText):
    pasted = "against the back\u200bdrop of this hell. It's almost\u2060 impossible to be pro\u00adductive"
    passage = locate_quote(vc_ru, pasted)
    assert passage.page == 1 and passage.text.startswith("against the backdrop")
    near_end = "Клиенты получат от 2% кешбэка\u200c с трат в супермаркетах, кафе и\ufeff транспорте."
    assert locate_quote(vc_ru, near_end).page == 10


def test_what_cite_offers_is_what_a_reader_sees_and_finds_its_passage_again(vc_ru: SourceText):
    [suggestion], count, _ = suggest_citations(vc_ru, "N ED-7-14/17@")
    assert count == "1" and "\ufffe" not in suggestion.quote
    assert locate_quote(vc_ru, suggestion.quote) == suggestion.passage


def test_the_running_header_and_footer_of_the_browser_print_are_recognised(vc_ru: SourceText):
    lines = [vc_ru.text[start:end] for start, end in running_lines(vc_ru.text, vc_ru.pages)]
    headers = [line for line in lines if line.startswith("03/06/2022, 08:30 Unified State Register of Legal Entities")]
    footers = [line for line in lines if line.startswith("https://vc.ru/finance/385736-") and line.endswith("/11")]
    assert len(headers) == len(footers) == 11, "one of each on every page"
    assert {line for line in lines} - set(headers) - set(footers) == {"What is the printer for organs filled with?"}, "a banner on most pages"
    body = [line for line in vc_ru.text.split("\n") if line.startswith("Unified State Register of Legal Entities")]
    assert body and not any(line in lines for line in body), "the title in the body is not a running line"
    assert normalise("03/06/2022, 08:30 Unified State Register").text not in vc_ru.normal.text, "quotes skip them"


def test_a_pdf_of_one_or_two_pages_has_no_running_lines():
    extracted = extract((REAL / "zavod-test.pdf").read_bytes(), "pdf", "seeds/zavod-test.pdf")
    assert running_lines(extracted.text, extracted.pages) == []
