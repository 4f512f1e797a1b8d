"""Quote anchoring on the real sources and on small texts."""

from __future__ import annotations

import pytest

from conftest import PROJECT
from dossiers.verify.quotes import QuoteError, SourceText, locate_quote, normalise

SEEDS = PROJECT / "seeds"


def seed(name: str) -> SourceText:
    return SourceText((SEEDS / name).read_text("utf-8"))


def test_offsets_are_code_points_into_the_source():
    source = seed("000_ebd73d712e692767.txt")
    found = locate_quote(source, "Lukashenko has been in power since 1994.")
    assert source.text[found.start : found.end] == "Lukashenko has been in power since 1994."
    assert found.line == 15


def test_space_after_hyphen_in_source_is_ignored():
    source = seed("000_ebd73d712e692767.txt")
    found = locate_quote(source, "Oppah Muchinguri-Kashiri on the sidelines")
    assert source.text[found.start : found.end] == "Oppah Muchinguri- Kashiri on the sidelines"


def test_straight_quotes_match_typographic_ones():
    source = seed("003_1741a1b77b0aa551.txt")
    found = locate_quote(source, '"We have embassies in each other\'s countries,"')
    assert source.text[found.start : found.end] == "“We have embassies in each other's countries,”"


def test_typographic_apostrophe_matches_straight_one():
    source = SourceText("Belarus' prosecutor-general")
    found = locate_quote(source, "Belarus’ prosecutor–general")
    assert (found.start, found.end) == (0, len(source.text))


def test_white_space_runs_and_line_breaks_are_folded():
    source = SourceText("The two\n  leaders, who have   both")
    found = locate_quote(source, "two leaders,\twho have both")
    assert source.text[found.start : found.end] == "two\n  leaders, who have   both"


def test_case_and_words_are_not_normalised():
    source = SourceText("Lukashenko has been in power since 1994.")
    with pytest.raises(QuoteError) as miss:
        locate_quote(source, "lukashenko has been in power since 1994.")
    assert miss.value.code == "quote-near-match"


def test_miss_reports_closest_passage_and_similarity():
    source = seed("000_ebd73d712e692767.txt")
    with pytest.raises(QuoteError) as miss:
        locate_quote(source, "Lukashenko has been in office since 1994.")
    assert miss.value.code == "quote-near-match"
    closest = miss.value.passages[0]
    assert closest.text == "Lukashenko has been in power since 1994."
    assert 85 <= closest.similarity < 100
    assert "Lukashenko has been in power since 1994." in miss.value.message


def test_unrelated_words_are_not_found():
    source = seed("004_e117c70d6816a0ff.txt")
    with pytest.raises(QuoteError) as miss:
        locate_quote(source, "The moon is made of green cheese and nothing else.")
    assert miss.value.code == "quote-not-found"


def test_repeated_quote_is_ambiguous_until_prefix_or_suffix_picks_one():
    source = seed("000_ebd73d712e692767.txt")
    with pytest.raises(QuoteError) as miss:
        locate_quote(source, "Belarus and Zimbabwe")
    assert miss.value.code == "quote-ambiguous"
    assert len(miss.value.passages) == 3
    found = locate_quote(source, "Belarus and Zimbabwe", prefix="relations between ", suffix=", the press")
    assert source.text[found.start - 18 : found.end] == "relations between Belarus and Zimbabwe"
    with pytest.raises(QuoteError) as wrong:
        locate_quote(source, "Belarus and Zimbabwe", prefix="no such words")
    assert wrong.value.code == "quote-context-mismatch"


def test_normalise_keeps_a_map_back_to_the_original():
    text = "a  –  b’s\n“c”"
    normal = normalise(text)
    assert normal.text == "a-b's \"c\""
    assert [text[normal.index(i)] for i in range(len(normal.text))] == ["a", "–", "b", "’", "s", "\n", "“", "c", "”"]


def test_a_near_miss_says_which_words_differ_and_suggests_the_whole_passage():
    source = SourceText((PROJECT / "seeds" / "000_ebd73d712e692767.txt").read_text("utf-8"))
    with pytest.raises(QuoteError) as miss:
        locate_quote(source, "Lukashenko has ruled since 1994.")
    assert "(Lukashenko has [-ruled-]{+been in power+} since 1994.)" in miss.value.message
    assert miss.value.passages[0].text == "Lukashenko has been in power since 1994.", "the whole quote aligned, not 'Moscow. Lukashenko has been in power'"
