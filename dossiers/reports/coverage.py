"""Coverage: which source sentences that name a registry actor, or an actor's country, are cited, or waived."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from ..verify.check import Checked, check, require_clean
from ..verify.quotes import normalise
from ..verify.reading import mention_patterns, split_sentences


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    line: int
    text: str
    mentions: tuple[str, ...]  # actor ids, and the names of actors' countries


@dataclass
class SourceCoverage:
    source: str
    file: str
    covered: list[Sentence] = field(default_factory=list)
    waived: list[Sentence] = field(default_factory=list)
    uncovered: list[Sentence] = field(default_factory=list)
    running: int = 0  # lines of a PDF's running headers and footers, left out

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.waived) + len(self.uncovered)

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * (self.total - len(self.uncovered)) / self.total


def measure_coverage(checked: Checked) -> list[SourceCoverage]:
    """Sort every actor-naming sentence of every source into covered, waived and uncovered.

    A sentence is covered when a citation's passage overlaps it, waived when a waiver's does.
    A PDF's running headers and footers (`SourceText.running`) are no sentences of it.
    """
    project = checked.project
    patterns = mention_patterns(project.registry.actors)
    cited: dict[str, list] = {}
    for fact in project.registry.facts:
        for index, citation in enumerate(fact.citations):
            cited.setdefault(citation.source, []).append(checked.anchors[(fact.id, index)])
    waived: dict[str, list] = {}
    for source_id, passage in checked.waived:
        waived.setdefault(source_id, []).append(passage)

    report = []
    for source in project.sources.sources:
        if source.id not in checked.texts:  # a list: no sentences, only records
            continue
        source_text = checked.texts[source.id]
        text = source_text.read  # a PDF's running headers and footers blanked
        covers, excuses = _Spans(cited.get(source.id, [])), _Spans(waived.get(source.id, []))
        result = SourceCoverage(source.id, source.file, running=len(source_text.running))
        for start, end in split_sentences(text):
            words = normalise(text[start:end]).text
            mentions = tuple(actor for actor, pattern in patterns.items() if pattern.search(words))
            if not mentions:
                continue
            sentence = Sentence(start, end, source_text.line(start), text[start:end], mentions)
            if covers.overlap(start, end):
                result.covered.append(sentence)
            elif excuses.overlap(start, end):
                result.waived.append(sentence)
            else:
                result.uncovered.append(sentence)
        report.append(result)
    return report


class _Spans:
    """Passages of one source, sorted once, so that whether one overlaps a sentence is a binary search."""

    def __init__(self, passages: list):
        spans = sorted((p.start, p.end) for p in passages)
        self.starts = [start for start, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end in spans), max))  # the furthest end of the first i + 1

    def overlap(self, start: int, end: int) -> bool:
        """Whether a passage begins before `end` and ends after `start`."""
        before = bisect_left(self.starts, end)  # passages that begin before the sentence ends
        return before > 0 and self.reach[before - 1] > start


def total_percent(report: list[SourceCoverage]) -> float:
    total = sum(r.total for r in report)
    return 100.0 if not total else 100.0 * sum(r.total - len(r.uncovered) for r in report) / total


def coverage_of(root: Path) -> list[SourceCoverage]:
    """Coverage of the project under `root`, which must pass the check."""
    return measure_coverage(require_clean(check(root)))
