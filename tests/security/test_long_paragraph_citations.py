"""A source of one long paragraph, cited many times: each paragraph is read for relayed parties once, not once a citation.

Every citation's relay check split its whole paragraph into sentences and read each for
whom it relays: a one-line 8 MB text cost 8 s a citation, so a handful of facts kept
`check` busy for minutes. Now a paragraph is read once per source text; each citation
looks up the sentences it overlaps by bisection.
"""

from __future__ import annotations

import time

from dossiers.registry.model import Citation, Source
from dossiers.verify.quotes import Passage, SourceText
from dossiers.verify.reading import paragraphs
from dossiers.verify.support import relay_warnings

SENTENCE = "The delegation visited the plant on Monday and the talks went well. "


def test_citations_into_one_long_paragraph_cost_one_reading_of_it():
    text = SourceText(SENTENCE * 30_000 + "According to Belta, the two leaders signed the deal. The minister noted the new contract. " + SENTENCE * 100)
    source = Source(id="long", file="long.txt", title="Long", publisher="The Zimbabwe Mail", language="en", reliability="F")
    spans = paragraphs(text.text)
    assert len(spans) == 1
    at = text.text.index("The minister noted")
    timings = []
    for shift in range(5):
        passage = Passage(at + shift, at + 30, 1, text.text[at + shift : at + 30])
        started = time.monotonic()
        [warning] = relay_warnings(0, Citation(source="long", quote=passage.text), passage, source, text, spans)
        timings.append(time.monotonic() - started)
        assert warning.code == "relay-unattributed" and "relays Belta" in warning.message
    assert sum(timings[1:]) < max(timings[0], 0.05), timings  # the four after the first cost less than it did
