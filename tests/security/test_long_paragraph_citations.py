"""A source of one long paragraph, cited many times: each paragraph is read for relayed parties once, not once a citation.

Every citation's relay check split its whole paragraph into sentences and read each for
whom it relays: a one-line 8 MB text cost 8 s a citation, so a handful of facts kept
`check` busy for minutes. Now a paragraph is read once per source text; each citation
looks up the sentences it overlaps by bisection.
"""

from __future__ import annotations

import time

from dossiers.verify.quotes import SourceText
from dossiers.verify.reading import paragraphs
from dossiers.verify.relays import Relaying

SENTENCE = "The delegation visited the plant on Monday and the talks went well. "


def test_citations_into_one_long_paragraph_cost_one_reading_of_it():
    text = SourceText(SENTENCE * 30_000 + "According to Belta, the two leaders signed the deal. The minister noted the new contract. " + SENTENCE * 100)
    spans = paragraphs(text.text)
    assert len(spans) == 1
    at = text.text.index("The minister noted")
    started = time.monotonic()
    relaying = Relaying(text.text, "The Zimbabwe Mail", spans)  # the one reading of the paragraph
    reading = time.monotonic() - started
    timings = []
    for shift in range(5):
        started = time.monotonic()
        party = relaying.relayed_party(at + shift, at + 30)
        timings.append(time.monotonic() - started)
        assert party == "Belta"
    assert sum(timings) < max(reading, 0.05), (reading, timings)  # five citations cost less than the one reading did
