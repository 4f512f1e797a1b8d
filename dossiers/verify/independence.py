"""Which sources are one line of reporting: long passages they share word for word.

Two articles that carry the same twelve or more consecutive words did not find them
independently: one copied the other, or both a third. Their agreement is not
corroboration. Words are compared after normalisation, lowercased, without punctuation.
Every source's twelve-word runs are hashed at once (numpy), so this stays linear in the
size of the sources; a source's words are held as one number each, never as strings.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .quotes import SourceText

SHARED_WORDS = 12  # consecutive identical words that make two sources one line of reporting
COMMON_RUN = 50  # a run of words found in more sources than this is boilerplate, not copying
# pairs of places where two sources share a run, at most (128 MB); past this the runs in most sources count as
# boilerplate
MAX_PAIRS = 8_000_000
SHOWN_PER_PAIR = 20  # shared passages kept for two sources: more say nothing the first ones do not
_SLICE = 1 << 20  # characters of text tokenised at a time
_WORD = re.compile(r"\w+(?:['-]\w+)*")
_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class SharedText:
    """A passage two sources share: `first` (earlier in seeds/sources.yaml) and `second`, with [start, end) in each
    text."""

    first: str
    second: str
    first_span: tuple[int, int]
    second_span: tuple[int, int]
    words: int
    text: str  # the passage as the first source has it


@dataclass(frozen=True)
class _Words:
    """Where a normalised text's words are, found again on demand: the slices it was read in, and the first word of
    each."""

    text: str
    slices: list[int]
    firsts: list[int]

    def bounds(self, wanted: set[int]) -> dict[int, tuple[int, int]]:
        """[start, end) in the normalised text of each wanted word (by its index), reading only the slices that hold
        them."""
        by_slice: dict[int, set[int]] = defaultdict(set)
        for index in wanted:
            by_slice[bisect_right(self.firsts, index) - 1].add(index)
        found = {}
        for number, indices in by_slice.items():
            end = self.slices[number + 1] if number + 1 < len(self.slices) else len(self.text)
            first = self.firsts[number]
            for offset, match in enumerate(_WORD.finditer(self.text, self.slices[number], end)):
                if first + offset in indices:
                    found[first + offset] = match.span()
                    if len(found) == len(wanted):
                        return found
        return found

    def tokens(self, start: int, end: int) -> list[str]:
        return [word.lower() for word in _WORD.findall(self.text, start, end)]


def _read(text: SourceText) -> tuple[_Words, np.ndarray, np.ndarray]:
    """A text's words; a hash of each run of SHARED_WORDS of them, sorted, and the word each begins at.

    The text is read a slice at a time, so no word outlives its slice.
    """
    normal = text.normal.text
    codes, slices, firsts, start = array("q"), [], [], 0
    while start < len(normal):
        end = normal.find(" ", start + _SLICE)  # white space is one space once normalised, and never inside a word
        end = len(normal) if end < 0 else end
        slices.append(start)
        firsts.append(len(codes))
        codes.extend(map(hash, map(str.lower, _WORD.findall(normal, start, end))))
        start = end
    runs = _runs(np.frombuffer(codes, dtype=np.uint64)) if len(codes) >= SHARED_WORDS else np.zeros(0, dtype=np.uint64)
    del codes
    order = np.argsort(runs, kind="stable")
    return _Words(normal, slices, firsts), runs[order], order.astype(np.int32)  # a text has fewer than 2**31 words


def _runs(codes: np.ndarray) -> np.ndarray:
    """A hash of each run of SHARED_WORDS words, computed in place."""
    count = len(codes) - SHARED_WORDS + 1
    hashed = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHARED_WORDS):
            np.multiply(hashed, _BASE, out=hashed)
            np.add(hashed, codes[k : k + count], out=hashed)
    return hashed


def _pairs(runs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """(first source, second source, word in the first, word in the second) of every run two sources share, one row
    each.

    `runs` are each source's runs, sorted, and where they begin (see `_read`); they are
    compared a sixteenth of the hash range at a time, so that only a
    sixteenth is ever copied. A run shared by more than COMMON_RUN sources is boilerplate;
    so are the most shared ones while the pairs would be more than MAX_PAIRS.
    """
    edges = np.array([k << 60 for k in range(1, 16)], dtype=np.uint64)
    cuts = [np.r_[0, np.searchsorted(hashes, edges), len(hashes)] for hashes, _ in runs]
    groups = []  # per sixteenth: the owner and place of each member of a shared run, and where each run's members begin
    for k in range(16):
        parts = [
            (i, runs[i][0][cut[k] : cut[k + 1]], runs[i][1][cut[k] : cut[k + 1]])
            for i, cut in enumerate(cuts)
            if cut[k + 1] > cut[k]
        ]
        if len(parts) < 2:
            continue
        every = np.concatenate([hashes for _, hashes, _ in parts])
        order = np.argsort(every, kind="stable")  # stable: within a run, sources in their order, and places in order
        every = every[order]
        repeated = every[1:] != every[:-1]
        shared = ~(np.r_[repeated, True] & np.r_[True, repeated])  # in a run with another member
        owner = np.concatenate([np.full(len(hashes), i, dtype=np.int32) for i, hashes, _ in parts])[order[shared]]
        place = np.concatenate([where for _, _, where in parts])[order[shared]]
        every = every[shared]
        starts = np.flatnonzero(np.r_[True, every[1:] != every[:-1]]) if len(every) else np.zeros(0, dtype=np.int64)
        groups.append((owner, place, starts, np.diff(np.r_[starts, len(every)])))
    largest = COMMON_RUN
    while (
        largest >= 2
        and sum(int((sizes * (sizes - 1) // 2)[sizes <= largest].sum()) for *_, sizes in groups) > MAX_PAIRS
    ):
        largest -= 1
    rows = []
    for owner, place, starts, sizes in groups:
        for size in np.unique(sizes[sizes <= largest]).tolist():
            group = starts[sizes == size]
            for i in range(size):
                for j in range(i + 1, size):
                    row = np.stack([owner[group + i], owner[group + j], place[group + i], place[group + j]], axis=1)
                    rows.append(row[row[:, 0] != row[:, 1]])  # a source repeating itself is not sharing
    return np.concatenate(rows) if rows else np.zeros((0, 4), dtype=np.int32)


def shared_passages(texts: dict[str, SourceText]) -> list[SharedText]:
    """Passages of SHARED_WORDS or more words that two sources share (at most SHOWN_PER_PAIR for two), in the order of
    `texts`."""
    ids = list(texts)
    read = [_read(texts[source_id]) for source_id in ids]
    words = [found for found, _, _ in read]
    pairs = _pairs([(hashes, where) for _, hashes, where in read])
    del read
    if not len(pairs):
        return []
    first, second, p1, p2 = pairs.T
    order = np.lexsort((p1, p1 - p2, second, first))  # along each diagonal of each two sources
    first, second, p1, p2 = first[order], second[order], p1[order], p2[order]
    begins = np.flatnonzero(
        np.r_[
            True,
            (first[1:] != first[:-1])
            | (second[1:] != second[:-1])
            | (p1[1:] - p2[1:] != p1[:-1] - p2[:-1])
            | (p1[1:] != p1[:-1] + 1),
        ]
    )
    lengths = np.diff(np.r_[begins, len(first)]) + SHARED_WORDS - 1
    first, second, p1, p2 = first[begins], second[begins], p1[begins], p2[begins]
    order = np.lexsort((p2, p1, second, first))  # each two sources' passages in the order of the first's text
    first, second, p1, p2, lengths = first[order], second[order], p1[order], p2[order], lengths[order]
    counted = np.arange(len(first))
    rank = counted - np.maximum.accumulate(
        np.where(np.r_[True, (first[1:] != first[:-1]) | (second[1:] != second[:-1])], counted, 0)
    )
    kept: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for a, b, w1, w2, length in zip(
        *(column[rank < SHOWN_PER_PAIR].tolist() for column in (first, second, p1, p2, lengths))
    ):
        kept[(a, b)].append((w1, w2, length))
    wanted: dict[int, set[int]] = defaultdict(set)
    for (a, b), passages in kept.items():
        for w1, w2, length in passages:
            wanted[a] |= {w1, w1 + SHARED_WORDS - 1, w1 + length - 1}
            wanted[b] |= {w2, w2 + SHARED_WORDS - 1, w2 + length - 1}
    bounds = {index: words[index].bounds(indices) for index, indices in wanted.items()}
    found = []
    for (a, b), passages in sorted(kept.items()):
        (words_a, words_b), (at_a, at_b) = (words[a], words[b]), (bounds[a], bounds[b])
        for w1, w2, length in passages:
            if words_a.tokens(at_a[w1][0], at_a[w1 + SHARED_WORDS - 1][1]) != words_b.tokens(
                at_b[w2][0], at_b[w2 + SHARED_WORDS - 1][1]
            ):
                continue  # a hash collision
            span_a = texts[ids[a]].normal.span(at_a[w1][0], at_a[w1 + length - 1][1])
            span_b = texts[ids[b]].normal.span(at_b[w2][0], at_b[w2 + length - 1][1])
            found.append(SharedText(ids[a], ids[b], span_a, span_b, length, texts[ids[a]].text[span_a[0] : span_a[1]]))
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
