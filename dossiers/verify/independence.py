"""Which sources are one line of reporting: long passages they share word for word.

Two articles that carry the same twelve or more consecutive words did not find them
independently: one copied the other, or both a third. Their agreement is not
corroboration. Words are compared after normalisation, lowercased, without punctuation.
Every source's twelve-word runs are hashed at once (numpy), so this stays linear in the
size of the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .quotes import SourceText

SHARED_WORDS = 12  # consecutive identical words that make two sources one line of reporting
COMMON_RUN = 50  # a run of words found more often than this is boilerplate, not copying
_WORD = re.compile(r"\w+(?:['-]\w+)*")
_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class SharedText:
    """A passage two sources share: `first` (earlier in seeds/sources.yaml) and `second`, with [start, end) in each text."""

    first: str
    second: str
    first_span: tuple[int, int]
    second_span: tuple[int, int]
    words: int
    text: str  # the passage as the first source has it


def _words(text: SourceText) -> tuple[list[str], list[tuple[int, int]]]:
    found = list(_WORD.finditer(text.normal.text))
    return [m.group().lower() for m in found], [text.normal.span(m.start(), m.end()) for m in found]


def _runs(tokens: list[str]) -> np.ndarray:
    """A hash of each run of SHARED_WORDS words."""
    if len(tokens) < SHARED_WORDS:
        return np.zeros(0, dtype=np.uint64)
    codes = np.array([hash(t) & 0xFFFFFFFFFFFF for t in tokens], dtype=np.uint64)
    count = len(tokens) - SHARED_WORDS + 1
    hashed = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHARED_WORDS):
            hashed = hashed * _BASE + codes[k : k + count]
    return hashed


def shared_passages(texts: dict[str, SourceText]) -> list[SharedText]:
    """Every passage of SHARED_WORDS or more words that two sources share, in the order of `texts`."""
    ids = list(texts)
    words = {source_id: _words(text) for source_id, text in texts.items()}
    hashes = [_runs(words[source_id][0]) for source_id in ids]
    if not any(len(h) for h in hashes):
        return []
    every = np.concatenate(hashes)
    owner = np.concatenate([np.full(len(h), i, dtype=np.int64) for i, h in enumerate(hashes)])
    place = np.concatenate([np.arange(len(h), dtype=np.int64) for h in hashes])
    order = np.argsort(every, kind="stable")
    every, owner, place = every[order], owner[order], place[order]
    starts = np.flatnonzero(np.r_[True, every[1:] != every[:-1]])
    ends = np.r_[starts[1:], len(every)]
    pairs: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for start, end in zip(starts, ends):
        if end - start < 2 or end - start > COMMON_RUN:
            continue
        members = list(zip(owner[start:end].tolist(), place[start:end].tolist()))
        for i, (a, pa) in enumerate(members):
            for b, pb in members[i + 1 :]:
                if a != b:
                    (first, p1), (second, p2) = sorted(((a, pa), (b, pb)))
                    pairs.setdefault((first, second), set()).add((p1, p2))
    found = []
    for (first, second), matches in sorted(pairs.items()):
        (tokens_a, spans_a), (tokens_b, spans_b) = words[ids[first]], words[ids[second]]
        for p1, p2 in sorted(matches):
            if (p1 - 1, p2 - 1) in matches or tokens_a[p1 : p1 + SHARED_WORDS] != tokens_b[p2 : p2 + SHARED_WORDS]:
                continue  # inside a run already begun, or a hash collision
            length = SHARED_WORDS
            while (p1 + length - SHARED_WORDS + 1, p2 + length - SHARED_WORDS + 1) in matches:
                length += 1
            span_a = (spans_a[p1][0], spans_a[p1 + length - 1][1])
            span_b = (spans_b[p2][0], spans_b[p2 + length - 1][1])
            found.append(SharedText(ids[first], ids[second], span_a, span_b, length, texts[ids[first]].text[span_a[0] : span_a[1]]))
    return found


def reporting_lines(source_ids: list[str], shared: list[SharedText]) -> dict[str, str]:
    """Each source's line of reporting: the first source of the group that shares text with it (itself if none)."""
    line = {source_id: source_id for source_id in source_ids}

    def root(source_id: str) -> str:
        while line[source_id] != source_id:
            source_id = line[source_id]
        return source_id

    for passage in shared:
        a, b = root(passage.first), root(passage.second)
        if a != b:
            first, second = sorted((a, b), key=source_ids.index)
            line[second] = first
    return {source_id: root(source_id) for source_id in source_ids}
