"""Quotes match a PDF's text as a reader reads it: words broken at a line's end joined, the page known."""

from __future__ import annotations

import weasyprint

from dossiers.sources.extract import extract
from dossiers.verify.quotes import SourceText, locate_quote

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
