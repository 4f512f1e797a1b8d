"""Property-based tests of quote location, on the real sources (hypothesis)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import PROJECT
from dossiers.verify.quotes import QuoteError, SourceText, locate_quote, normalise

SEEDS = sorted((PROJECT / "seeds").glob("*.txt"))
TEXTS = [SourceText(path.read_text("utf-8")) for path in SEEDS]
SWAPS = {"'": "’", '"': "“", "’": "'", "‘": "'", "“": '"', "”": '"', "-": "–", "–": "-", "—": "-"}


@st.composite
def passages(draw):
    """A stretch of a source that starts and ends on a word, and occurs once."""
    source = draw(st.sampled_from(TEXTS))
    words = [m for m in re.finditer(r"\S+", source.text)]
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, min(first + 25, len(words) - 1)))
    start, end = words[first].start(), words[last].end()
    assume(len(source.occurrences(source.text[start:end])) == 1)
    return source, start, end


def respace(text: str, draw) -> str:
    """The same words with other white space: runs of spaces, tabs, line breaks."""
    return re.sub(r"\s+", lambda _: draw(st.sampled_from([" ", "  ", "\n", "\t", " \n  "])), text)


@settings(max_examples=100, deadline=None)
@given(passages(), st.data())
def test_a_respaced_passage_with_swapped_quotes_and_dashes_is_found_at_its_offsets(passage, data):
    source, start, end = passage
    quote = respace(source.text[start:end], data.draw)
    quote = "".join(SWAPS.get(c, c) if data.draw(st.booleans()) else c for c in quote)
    found = locate_quote(source, quote)
    assert (found.start, found.end) == (start, end)


@settings(max_examples=300, deadline=None)
@given(passages(), st.data())
def test_a_passage_with_one_word_changed_is_not_found(passage, data):
    source, start, end = passage
    words = source.text[start:end].split()
    index = data.draw(st.integers(0, len(words) - 1))
    words[index] = data.draw(st.sampled_from(["zebra", "Quux", "17000", "nonexistentword"]))
    quote = " ".join(words)
    assume(not source.occurrences(quote))
    try:
        locate_quote(source, quote)
    except QuoteError as miss:
        assert miss.code in ("quote-not-found", "quote-near-match")
    else:
        raise AssertionError(f"found a quote that is not in the source: {quote!r}")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_normalisation_maps_every_character_back_into_the_text(text):
    normal = normalise(text)
    origin = [normal.index(i) for i in range(len(normal.text))]
    assert all(0 <= i < len(text) for i in origin)
    assert origin == sorted(origin), "never backwards"
    replaced = [i for i, o in enumerate(origin) if origin.count(o) > 1]  # "…" as "...": three characters of one
    assert all(normal.text[i] == "." and text[origin[i]] == "…" for i in replaced)
    assert all(text[o] == c or c in " -'\"." or unicodedata.normalize("NFC", text[o : o + 8]).startswith(c) for o, c in zip(origin, normal.text))
    start, end = normal.span(0, len(normal.text)) if normal.text else (0, 0)
    assert normal.text == "" or normalise(text[start:end]).text == normal.text, "the span of the whole maps back to all of it"
