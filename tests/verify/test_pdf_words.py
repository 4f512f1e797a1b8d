"""Quotes match a PDF's text as a reader reads it: words broken at a line's end joined, the page known."""

from __future__ import annotations

import weasyprint

from dossiers.sources.extract import extract
from dossiers.verify.quotes import SourceText, locate_quote, suggest_citations

PARAGRAPH = "The internationalisation of governmental responsibilities is notwithstanding extraordinarily complicated."


def hyphenated_pdf() -> bytes:
    """A narrow column in which WeasyPrint breaks words at line ends (hyphens: auto), on page 2."""
    html = f'<html lang="en"><body style="width:120px;hyphens:auto;font-size:14px"><p>First page.</p><p style="break-before:page">{PARAGRAPH}</p></body></html>'
    return weasyprint.HTML(string=html).write_pdf()


def test_a_word_broken_at_a_line_end_matches_joined_and_prints_joined():
    source = SourceText.of(extract(hyphenated_pdf(), "pdf", "seeds/narrow.pdf"))
    assert "‐\n" in source.text  # the text keeps the break, so offsets stay the PDF's
    passage = locate_quote(source, "internationalisation of governmental responsibilities")
    assert passage.page == 2 and passage.place.startswith("p. 2, line ")
    assert source.shown(passage) == "internationalisation of governmental responsibilities"


def test_a_hyphen_before_a_capital_is_kept():
    source = SourceText("Oppah Muchinguri-\nKashiri said so.", pages=(0,))
    assert locate_quote(source, "Oppah Muchinguri-Kashiri said so").text.startswith("Oppah")


def test_a_break_is_joined_whatever_marks_it():
    """Soft hyphen, U+2010 and PDFium's U+FFFE (which drops the line break itself), as in a typeset PDF: the text
    "experi\ufffeence" is PDFium's of pdfplumber's tests/pdfs/issue-982-example.pdf (jsvine/pdfplumber, MIT)."""
    for text in ("gov\u00ad\nernment", "gov\u2010\nernment", "gov-\nernment", "gov\ufffeernment", "gov\u00adernment"):
        source = SourceText(f"The {text} said so.", pages=(0,))
        passage = locate_quote(source, "The government said so")
        assert (passage.start, passage.end) == (0, len(source.text) - 1)
        assert source.shown(passage) == "The government said so"


def test_a_hyphen_the_document_writes_elsewhere_is_kept_at_a_line_end_and_a_quote_with_it_matches_either_way():
    # from issue-982-example.pdf (see above): "feed\ufffeforward" at a line's end, "feed-forward" inside one
    source = SourceText("a simple feed\ufffeforward neural network. In contrast to standard feed-forward networks", pages=(0,))
    assert "simple feed-forward neural" in source.normal.text
    assert source.shown(locate_quote(source, "a simple feed-forward neural network")) == "a simple feed-forward neural network"
    joined = SourceText("models based on well\ufffeknown distribution assumptions", pages=(0,))
    assert "wellknown" in joined.normal.text, "no other word says the hyphen belongs"
    assert locate_quote(joined, "models based on well-known distribution").start == 0, "the quote with its hyphen still matches"
    [suggestion], _, _ = suggest_citations(joined, "well-known distribution")
    assert locate_quote(joined, suggestion.quote) == suggestion.passage, "and cite finds it"


def test_a_drop_cap_is_joined_to_the_rest_of_its_word():
    """A drop cap (a floated first letter, as news sites print an article's first word) comes out of PDFium as a
    line of its own, "J" then "ust a week into the new year": a reader reads "Just". A capital alone on its line
    followed by a word the document has nowhere else ("ust") is joined; "A" / "man" stays two words."""
    html = (
        '<html lang="en"><body style="width:300px;font-size:14px"><p><span style="float:left;font-size:4em;line-height:1">J</span>'
        "ust a week into the new year, the ministry announced new measures against the companies.</p><p>A</p><p>man came, a man went.</p></body></html>"
    )
    source = SourceText.of(extract(weasyprint.HTML(string=html).write_pdf(), "pdf", "seeds/drop-cap.pdf"))
    assert source.text.startswith("J\nust a week")
    passage = locate_quote(source, "Just a week into the new year")
    assert (passage.start, source.shown(passage)) == (0, "Just a week into the new year")
    assert locate_quote(source, "A man came").text == "A\nman came"
