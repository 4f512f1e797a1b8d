"""Near-match search in a long source: windows around the quote's phrases still find the closest passage.

The text is 25 MB of the seeds' own words in a random order on one line, the shape of
the attack in issue 13 (each failing 4,000-character quote took 54 s). How long it takes
is measured by `make bench`; here, that the windows find what a whole search would.
"""

from __future__ import annotations

import sys

import pytest

from conftest import PROJECT
from dossiers.verify.quotes import QuoteError, SourceText, locate_quote

sys.path.insert(0, str(PROJECT / "benchmarks"))
from near_match import long_text


@pytest.fixture(scope="module")
def long_source() -> SourceText:
    return SourceText(long_text())


@pytest.mark.parametrize("edit", ["word changed", "word dropped", "words added"])
def test_a_long_quote_with_an_edit_finds_its_passage(long_source: SourceText, edit: str):
    text = long_source.text
    at = text.index(" ", len(text) // 2) + 1
    quote = text[at : text.index(" ", at + 4000)]
    words = quote.split()
    if edit == "word changed":
        words[300] = "Ouagadougou"
    elif edit == "word dropped":
        del words[10]
    else:
        words[600:600] = ["as", "the", "agency", "reported"]
    with pytest.raises(QuoteError) as miss:
        locate_quote(long_source, " ".join(words))
    near = miss.value.passages[0]
    assert miss.value.code == "quote-near-match"
    assert abs(near.start - at) < 40 and abs(near.end - (at + len(quote))) < 40  # within a word or two
    assert near.similarity > 98


def test_a_short_quote_with_a_typo_finds_its_passage(long_source: SourceText):
    text = long_source.text
    at = text.index(" ", 10_000_000) + 1
    quote = text[at : text.index(" ", at + 80)]
    with pytest.raises(QuoteError) as miss:
        locate_quote(long_source, quote[:30] + "x" + quote[31:])
    assert miss.value.code == "quote-near-match" and abs(miss.value.passages[0].start - at) < 20


def test_a_quote_of_words_the_source_lacks_is_not_found(long_source: SourceText):
    with pytest.raises(QuoteError) as miss:
        locate_quote(long_source, "Quixotic zebras juggle xylophones " * 100)
    assert miss.value.code == "quote-not-found"
