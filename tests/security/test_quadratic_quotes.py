"""Attack: a source that repeats the quoted sentence tens of thousands of times.

Locating the quote built a passage (counting lines from the start of the text) and
compared the prefix (slicing the text up to it) at every occurrence: 11.6 s for a
1.4 MB source, 195 s for 5.8 MB, and a 240 KB error message; `cite` took 12.6 s on
144 KB. Now one pass finds the occurrences, counting stops at OCCURRENCES_COUNTED, and
messages show the first OCCURRENCES_SHOWN, `cite` the first CITATIONS_SUGGESTED. The inputs here took minutes
before; the bounds on time are generous, for a shared machine.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from conftest import position, run
from dossiers.verify.quotes import (
    CITATIONS_SUGGESTED,
    OCCURRENCES_EXAMINED,
    OCCURRENCES_SHOWN,
    QuoteError,
    SourceText,
    locate_quote,
    suggest_citations,
)

SENTENCE = "Lukashenko met Mnangagwa in Harare. "
REPEATS = 80_000  # 2.9 MB


@pytest.fixture(scope="module")
def repeated() -> SourceText:
    return SourceText(SENTENCE * REPEATS)


def add_source(project: Path, name: str, text: str) -> None:
    (project / "seeds" / name).write_text(text, "utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with (project / "seeds" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"\n  - id: repeated\n    file: {name}\n    sha256: {sha}\n    title: Repeated\n    publisher: X\n    language: en\n    reliability: F\n")


def cite_repeated(project: Path, quote: str, prefix: str | None = None) -> None:
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    context = f"\n        prefix: {json.dumps(prefix)}" if prefix else ""
    fact = f"\nfacts:\n  - id: repeated-fact\n    kind: event\n    actors: [lukashenko, mnangagwa]\n    text: Lukashenko met Mnangagwa.\n    citations:\n      - source: repeated\n        quote: {quote}{context}\n"
    registry.write_text(text.replace("\nfacts:\n", fact, 1), "utf-8")


def test_check_names_a_few_occurrences_of_an_ambiguous_quote_quickly(project: Path):
    add_source(project, "repeated.txt", SENTENCE * REPEATS)
    cite_repeated(project, SENTENCE.strip())
    began = time.perf_counter()
    result = run("check", "--root", str(project), "--format", "json")
    took = time.perf_counter() - began
    [error] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert error["code"] == "quote-ambiguous"
    assert error["line"] == position(project / "actors.yaml", "quote: Lukashenko met Mnangagwa in Harare.")[0]
    assert "at least 100 times" in error["message"] and error["message"].count("character") == OCCURRENCES_SHOWN
    assert len(error["message"]) < 1000
    assert took < 20, f"check took {took:.1f} s"


def test_a_prefix_that_fits_no_occurrence_is_judged_in_one_pass(repeated: SourceText):
    began = time.perf_counter()
    with pytest.raises(QuoteError) as miss:
        locate_quote(repeated, SENTENCE.strip(), prefix="Putin met ")
    assert miss.value.code == "quote-context-mismatch" and len(miss.value.passages) == OCCURRENCES_SHOWN
    assert len(miss.value.message) < 1000
    with pytest.raises(QuoteError) as miss:
        locate_quote(repeated, SENTENCE.strip(), prefix="Harare. ")
    assert miss.value.code == "quote-ambiguous" and "with this prefix/suffix" in miss.value.message
    assert time.perf_counter() - began < 5


def test_a_prefix_that_fits_one_occurrence_among_thousands_finds_it(repeated: SourceText):
    text = SENTENCE * 30_000 + "Putin met Mnangagwa. " + SENTENCE * 30_000
    passage = locate_quote(SourceText(text), "Mnangagwa in Harare.", prefix="Putin met Mnangagwa. Lukashenko met ")
    assert passage.start == text.index("Putin") + len("Putin met Mnangagwa. Lukashenko met ")


def test_a_quote_matching_inside_words_everywhere_gives_up_with_an_error():
    text = "ab " * 200_000 + "ab."
    began = time.perf_counter()
    with pytest.raises(QuoteError) as miss:
        locate_quote(SourceText(text), "ab ab ab a")  # every match ends inside the next "ab"
    assert miss.value.code == "quote-too-common" and f"{OCCURRENCES_EXAMINED:,}" in miss.value.message
    assert time.perf_counter() - began < 5


def test_cite_shows_the_first_occurrences_and_a_count(repeated: SourceText):
    began = time.perf_counter()
    suggestions, count, _ = suggest_citations(repeated, SENTENCE)
    assert count == "at least 100" and len(suggestions) == CITATIONS_SUGGESTED
    assert time.perf_counter() - began < 5


def test_cite_command_on_a_repeated_source(project: Path):
    add_source(project, "repeated.txt", SENTENCE * 4_000)  # 144 KB: 12.6 s before
    began = time.perf_counter()
    result = run("cite", "--root", str(project), "repeated", "met Mnangagwa in")
    assert result.exit_code == 0
    assert "occur at least 100 times" in result.stdout and result.stdout.count("- source: repeated") == CITATIONS_SUGGESTED
    assert time.perf_counter() - began < 10
