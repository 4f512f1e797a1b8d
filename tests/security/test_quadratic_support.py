"""Attack: the relay check ('the source relays X here') on long sentences and on many quotes of one paragraph.

Its pattern for "X said" tried every word of a sentence as the start of X and ran to the
verb or the sentence's end from each: a sentence of 100,000 words without a verb never
finished. And every quote read its paragraph's sentences again from the start: 100,000
facts citing one paragraph took 84 s. Now a run of words is tried from where it begins,
and each paragraph's sentences are read once.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from conftest import run
from dossiers.verify.quotes import SourceText, locate_quote
from dossiers.verify.reading import paragraphs
from dossiers.verify.relays import Relaying, relays

QUOTE = "Lukashenko met Mnangagwa in Harare."


def test_a_sentence_of_100000_words_without_a_verb_is_checked_at_once(project: Path):
    text = " ".join(f"Word{i}" for i in range(100_000)) + " and then " + QUOTE + "\n"
    (project / "seeds" / "long.txt").write_text(text, "utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with (project / "seeds" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"\n  - id: long\n    file: long.txt\n    sha256: {sha}\n    title: Long\n    publisher: X\n    language: en\n    reliability: F\n")
    fact = f"\nfacts:\n  - id: long-fact\n    kind: event\n    actors: [lukashenko, mnangagwa]\n    text: Lukashenko met Mnangagwa.\n    citations:\n      - source: long\n        quote: {QUOTE}\n"
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", fact, 1), "utf-8")
    began = time.perf_counter()
    result = run("check", "--root", str(project))
    assert result.exit_code == 0, result.stdout
    assert time.perf_counter() - began < 20


def test_relays_finds_who_speaks_as_before():
    assert relays("Talks went well, NewsDay reported.") == [("NewsDay", (0, 17), False)]
    assert relays("Mr. Jones (AP) said that") == [("Mr. Jones (AP)", (19, 24), False)]
    assert relays("X, however, said Y said Z") == [("X", (16, 25), False), ("Y", (23, 25), False), ("Y", (0, 12), False), ("Z", (0, 19), False)]  # a run just after a verb


def test_many_quotes_of_one_long_paragraph_read_it_once():
    sentences = [f"Delegation {i} arrived in the capital." for i in range(3_000)]
    text = SourceText(" ".join(["According to BelTA, talks began.", *sentences, QUOTE]) + "\n")
    passage = locate_quote(text, QUOTE)
    began = time.perf_counter()
    relaying = Relaying(text.text, "X", paragraphs(text.text))
    for _ in range(3_000):
        party = relaying.relayed_party(passage.start, passage.end)
    assert party == "BelTA"
    assert time.perf_counter() - began < 10
