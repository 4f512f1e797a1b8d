"""Quote anchoring: find a citation's exact words in a source text.

Matching normalises only what typesetting changes and the words do not: runs of white
space, typographic quotes, dashes, and spaces around hyphens ("Muchinguri- Kashiri").
Offsets are code points into the decoded source text (W3C TextPositionSelector).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import bounded
from ..sources.extract import Extracted, blanked, page_at, running_lines

APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4\u0060"  # ’ ‘ ‚ ‛ ′ ʼ ´ ` all read as '
QUOTE_MARKS = {c: "'" for c in APOSTROPHES} | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"}
DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
FOLD = QUOTE_MARKS | DASHES
NEAR_MATCH = 90.0  # similarity (0-100) from which a miss counts as a near match
# Characters a reader never sees: zero-width spaces and joiners, the word joiner, a byte-order mark, a soft hyphen
# inside a line, and the controls and non-characters that YAML cannot hold (white space among them is folded, not
# dropped).
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\uffff"
# PDFium's mark of a hyphen at a line's end whose line break it dropped ("low\ufffecarbon"); a hyphen where not a break.
PDF_HYPHEN = "\ufffe"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"

_FOLD_CHARS = re.compile(f"[{''.join(FOLD)}]")
_LETTER = r"[^\W\d_]"
# In a PDF, a word broken at a line's end: "gov-" then "ernment" on the next line, whatever marks the break
# (hyphen-minus, soft hyphen, U+2010, U+2011, or PDFium's U+FFFE with the line break already dropped).
_BREAK = rf"(?<={_LETTER})(?:[-\u00ad\u2010\u2011][^\S\n]*\n\s*|{PDF_HYPHEN}\s*)(?={_LETTER})"
# What normalising changes, besides folding one character for another: characters no reader sees (dropped),
# a PDF's hyphen mark (a hyphen), "…" (three dots), combining marks after a letter (NFC), spaces around a
# hyphen, and white space other than one plain space. Each begins with one of a few characters, which a
# lookahead tests first (passing over a lone space between words): a scan of ordinary text then costs about what a
# scan for white space alone does.
# not a lone space between words
_FIRST = rf"(?=[\s\-\u00ad\u2010\u2011{PDF_HYPHEN}\u2026{INVISIBLE}{_COMBINING}])(?! [^\s-])"
_EDITS = (
    rf"(?P<invisible>[{INVISIBLE}]+)|(?P<pdf_hyphen>{PDF_HYPHEN}\s*)|(?P<ellipsis>\u2026)|(?P<combined>(?<=\S)[{_COMBINING}]+)"
    r"|(?P<run>\s+-\s*|-\s+|\s{2,}|[^\S ])"
)
_PLAIN = re.compile(rf"{_FIRST}(?:{_EDITS})")
# A drop cap: a line of one capital letter, the word it begins going on at the next line's start ("J" / "ust a week");
# the match is the line break after the letter.
_DROP_CAP = rf"(?<=^{_LETTER})[^\S\n]*\n[^\S\n]*(?={_LETTER})"
_PDF = re.compile(rf"{_FIRST}(?:(?P<broken>{_BREAK})|(?P<drop_cap>{_DROP_CAP})|{_EDITS})", re.MULTILINE)
_BROKEN_WORD = re.compile(_BREAK)
_WORD_END = re.compile(rf"{_LETTER}+\Z")
_WORD_START = re.compile(rf"{_LETTER}+")
_COMPOUND = re.compile(rf"{_LETTER}+-{_LETTER}+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Normalised:
    """Normalised text, and where each stretch of it came from in the original.

    `starts[i]` is where stretch i begins in the normalised text and `origins[i]` where it
    begins in the original; a stretch runs in the original to where the next begins (the
    last to `end`). Within a stretch as long as its original, characters map one to one;
    a stretch that replaces its original ("…" by "...", a run of white space by one space,
    a letter and its accent by one character) maps every character to the whole original.
    """

    text: str
    starts: array  # of 'q': eight bytes a stretch, where a list of ints takes about forty
    origins: array
    end: int = 0  # where the last stretch ends in the original

    def _stretch(self, position: int) -> tuple[int, int, int]:
        """(stretch, its offset into it, its original length)."""
        stretch = bisect_right(self.starts, position) - 1
        after = self.origins[stretch + 1] if stretch + 1 < len(self.origins) else self.end
        return stretch, position - self.starts[stretch], after - self.origins[stretch]

    def index(self, position: int) -> int:
        """The original index of the normalised character at `position` (where a replacement begins, inside one)."""
        stretch, offset, size = self._stretch(position)
        return self.origins[stretch] + min(offset, size - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised range [start, end): a range that ends a replacement ends where it
        does."""
        stretch, offset, size = self._stretch(end - 1)
        length = (self.starts[stretch + 1] if stretch + 1 < len(self.starts) else len(self.text)) - self.starts[stretch]
        last = (
            self.origins[stretch] + size if offset == length - 1 else self.origins[stretch] + min(offset, size - 1) + 1
        )
        return self.index(start), last


class Lexicon:
    """A document's own words and hyphenated compounds, which say whether a hyphen at a line's end breaks a word
    ("experi-⏎ence") or belongs to it ("feed-⏎forward" where the text has "feed-forward" elsewhere and no
    "feedforward")."""

    def __init__(self, text: str):
        self.text = text
        self.compounds = {m.group().lower() for m in _COMPOUND.finditer(text)}

    @cached_property
    def words(self) -> Counter[str]:
        return Counter(m.group().lower() for m in _WORD_START.finditer(self.text))

    def drop_cap(self, text: str, begin: int, end: int) -> bool:
        """Whether the letter at text[begin], alone on its line, begins the word at text[end]: a capital, and the
        document has the word it makes ("just") or not the rest alone elsewhere ("ust"); "A" / "man" stays two words."""
        rest = _WORD_START.match(text, end)
        if not text[begin].isupper() or rest is None or not rest.group()[0].islower():
            return False
        return (text[begin] + rest.group()).lower() in self.words or self.words[rest.group().lower()] <= 1

    def joins(self, text: str, begin: int, end: int) -> bool:
        """Whether the break text[begin:end] (its mark and the white space after it) joins the two halves of one
        word."""
        mark, before, after = text[begin], text[begin - 1], text[end]
        if mark == "\u00ad":  # a soft hyphen is only ever a break
            return True
        if not (after.islower() and before.islower()):  # "Muchinguri-⏎Kashiri", "FAA-⏎approved", "ED-⏎7"
            return False
        left = _WORD_END.search(text, max(begin - 64, 0), begin)
        right = _WORD_START.match(text, end)
        if left is None or right is None:
            return True
        halves = left.group().lower(), right.group().lower()
        return not ("-".join(halves) in self.compounds and "".join(halves) not in self.words)


def normalise(text: str, broken_words: bool = False, lexicon: Lexicon | None = None, fold: bool = True) -> Normalised:
    """Fold typographic quotes, apostrophes and dashes, "…" to "...", white space runs to one space, spaces around
    hyphens; drop characters no reader sees (zero-width spaces, soft hyphens, controls); compose letters and accents
    (NFC).

    With `broken_words` (PDF text), a word hyphenated at a line's end is joined when the
    next line goes on in lower case ("gov-⏎ernment" → "government"), unless the
    document's own words say the hyphen belongs to it (`Lexicon`). Without `fold`, quotes
    and dashes are left as they are (the text as a reader sees it, for printing). White
    space at either end is dropped. Only the places that change are visited, so ordinary
    text costs two regular-expression scans.
    """
    # one character for one: offsets unchanged
    folded = _FOLD_CHARS.sub(lambda m: FOLD[m.group()], text) if fold else text
    position, end = len(folded) - len(folded.lstrip()), len(folded.rstrip())
    parts: list[str] = []
    starts, origins = array("q"), array("q")
    length = 0
    pattern = _PDF if broken_words else _PLAIN
    for edit in pattern.finditer(folded, position, end):
        begin, finish = edit.span()
        kind = edit.lastgroup
        pieces: list[tuple[int, str]] = []  # (where in the original, what it becomes); "" marks where a deletion begins
        if kind == "broken":
            if lexicon is None:
                lexicon = Lexicon(folded)
            pieces.append((begin, "" if lexicon.joins(folded, begin, finish) else "-"))
        elif kind == "drop_cap":
            if lexicon is None:
                lexicon = Lexicon(folded)
            pieces.append((begin, "" if lexicon.drop_cap(folded, begin - 1, finish) else " "))
        elif kind in ("invisible", "pdf_hyphen"):
            pieces.append((begin, "" if kind == "invisible" else "-"))
        elif kind == "ellipsis":
            pieces.append((begin, "..." if fold else "\u2026"))
        elif kind == "combined":  # the character before the marks and the marks, composed
            begin -= 1
            if begin < position:  # marks after a character already replaced: left as they are
                continue
            pieces.append((begin, unicodedata.normalize("NFC", folded[begin:finish])))
        else:  # a run of white space, or spaces around a hyphen: the hyphen keeps its own place
            hyphen = edit.group().find("-")
            if hyphen < 0:
                pieces.append((begin, " "))
            elif not fold:  # printed as the source spaces it ("Muchinguri- Kashiri"), white space folded
                pieces.append((begin, _SPACES.sub(" ", edit.group())))
            else:
                pieces += (
                    [(begin, "")] * (hyphen > 0)
                    + [(begin + hyphen, "-")]
                    + [(begin + hyphen + 1, "")] * (begin + hyphen + 1 < finish)
                )
        if begin > position:
            starts.append(length)
            origins.append(position)
            parts.append(folded[position:begin])
            length += begin - position
        position = finish
        for origin, replacement in pieces:
            starts.append(length)
            origins.append(origin)
            parts.append(replacement)
            length += len(replacement)
    if position < end:
        starts.append(length)
        origins.append(position)
        parts.append(folded[position:end])
        position = end
    if parts and (parts[-1][-1:] in ("", " ") or parts[0][:1] in ("", " ")):
        parts, starts, origins, position = _stripped(parts, origins, position)
    return Normalised("".join(parts), starts, origins, position)


def _stripped(parts: list[str], origins: array, end: int) -> tuple[list[str], array, array, int]:
    """The stretches without the white space left at either end by characters dropped beyond it ("a \x1b"), their
    starts counted again, and where the last now ends in the original."""
    while parts and (not parts[-1] or parts[-1].endswith(" ")):
        kept = parts[-1].rstrip(" ")
        if kept:  # a stretch of the text, one to one
            parts[-1], end = kept, origins[-1] + len(kept)
            break
        end = origins.pop()
        parts.pop()
    while parts and (not parts[0] or parts[0].startswith(" ")):
        kept = parts[0].lstrip(" ")
        if kept:
            origins[0] += len(parts[0]) - len(kept)
            parts[0] = kept
            break
        parts.pop(0)
        origins.pop(0)
    starts, length = array("q"), 0
    for part in parts:
        starts.append(length)
        length += len(part)
    return parts, starts, origins, end


def readable(text: str, broken_words: bool = False, lexicon: Lexicon | None = None) -> str:
    """The text as a reader sees it, on one line: a PDF's broken words joined, invisible characters dropped, accents
    composed, white space folded; quotes and dashes as the source has them. Every character is one YAML can hold."""
    return normalise(text, broken_words, lexicon, fold=False).text


@dataclass(frozen=True)
class Passage:
    """A stretch of the source: offsets, its line, its words, and how alike a quote it is."""

    start: int
    end: int
    line: int
    text: str
    similarity: float = 100.0
    page: int | None = None  # in a PDF, the page it begins on

    @property
    def place(self) -> str:
        """Where it is, as notes and reports say it: 'p. 7, line 412' in a PDF, else 'line 12'."""
        return f"p. {self.page}, line {self.line}" if self.page else f"line {self.line}"


class QuoteError(Exception):
    """A quote that does not anchor to exactly one passage; `passages` are at most OCCURRENCES_SHOWN of those it
    found."""

    def __init__(self, code: str, message: str, passages: Iterable[Passage] = ()):
        self.code = code
        self.message = message = bounded(message)
        self.passages = list(passages)
        super().__init__(message)


WORD_REACH = 300  # characters a span grows by at most to end on a word: a source's "word" may be megabytes long
LINE_BLOCK = 1 << 16  # characters per block of a source's line index
OCCURRENCES_SHOWN = 5  # occurrences a message lists
CITATIONS_SUGGESTED = 20  # passages of each kind (word for word, inside longer words) `cite` prints
OCCURRENCES_COUNTED = 100  # occurrences counted; a quote found more often is found "at least 100 times"
OCCURRENCES_EXAMINED = 10_000  # matches, inside words or not, looked at for one quote before the search gives up


@dataclass(frozen=True)
class Found:
    """What one search for a quote found: its first whole-word spans (normalised), whether the search
    stopped before the end of the text with matches left, and the first match that begins or ends inside a word."""

    spans: list[tuple[int, int]]
    more: bool
    partial: tuple[int, int] | None

    @property
    def count(self) -> str:
        """How many times, as a message says it: '3' or 'at least 100'."""
        return f"at least {len(self.spans)}" if self.more else str(len(self.spans))


@dataclass
class SourceText:
    """A source's text (decoded or extracted), normalised once for every quote looked up in it."""

    text: str
    pages: tuple[int, ...] = ()  # where each page begins, for a PDF; its broken words are joined
    normal: Normalised = field(init=False)
    running: list[tuple[int, int]] = field(init=False, default_factory=list)  # a PDF's running headers and footers
    # the text as quotes match it: a PDF's running headers and footers as spaces
    read: str = field(init=False, repr=False)
    # newlines before each LINE_BLOCK, counted once
    block_lines: list[int] | None = field(init=False, default=None, repr=False)
    memo: dict = field(init=False, default_factory=dict, repr=False)  # what later checks work out once per source

    def __post_init__(self):
        self.running = running_lines(self.text, self.pages)
        self.read = blanked(self.text, self.running)
        self.normal = normalise(self.read, broken_words=bool(self.pages))

    @classmethod
    def of(cls, extracted: Extracted) -> SourceText:
        return cls(extracted.text, extracted.pages)

    def page(self, position: int) -> int | None:
        return page_at(self.pages, position)

    def shown(self, passage: Passage) -> str:
        """The passage's words as a note prints them and `cite` offers them: white space folded, a PDF's broken words
        joined as its matching joins them, no character a reader does not see or YAML cannot hold."""
        return readable(self.read[passage.start : passage.end], bool(self.pages), self.lexicon if self.pages else None)

    @property
    def lexicon(self) -> Lexicon:
        """The source's own words and compounds, which decide its broken words (a PDF's)."""
        if "lexicon" not in self.memo:
            self.memo["lexicon"] = Lexicon(_FOLD_CHARS.sub(lambda m: FOLD[m.group()], self.read))
        return self.memo["lexicon"]

    def line(self, position: int) -> int:
        """The line (1-based) of an index of the text: newlines are counted once per block of it, then within one
        block."""
        if self.block_lines is None:
            counts = [0]
            for begin in range(0, len(self.text), LINE_BLOCK):
                counts.append(counts[-1] + self.text.count("\n", begin, begin + LINE_BLOCK))
            self.block_lines = counts
        block = position // LINE_BLOCK
        return self.block_lines[block] + self.text.count("\n", block * LINE_BLOCK, position) + 1

    def passage(self, start: int, end: int, similarity: float = 100.0) -> Passage:
        return Passage(start, end, self.line(start), self.text[start:end], similarity, self.page(start))

    def whole_words(self, span: tuple[int, int]) -> bool:
        """Whether the normalised span starts and ends on word boundaries ("refused" holds no quote "used")."""
        text, (start, end) = self.normal.text, span
        cut_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
        cut_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        return not (cut_start or cut_end)

    def widened(self, span: tuple[int, int]) -> tuple[int, int]:
        """The normalised span grown to whole words, by WORD_REACH characters at most on each side."""
        text, (start, end) = self.normal.text, span
        first, last = max(start - WORD_REACH, 0), min(end + WORD_REACH, len(text))
        while start > first and text[start - 1].isalnum():
            start -= 1
        while end < last and text[end].isalnum():
            end += 1
        return start, end

    def find(
        self, needle: str, before: str = "", after: str = "", limit: int = OCCURRENCES_COUNTED, whole: bool = True
    ) -> Found:
        """Where the normalised `needle` occurs on whole words (or anywhere, unless `whole`), with `before` just before
        it and `after` just after.

        One pass of str.find for before + needle + after, overlapping matches included,
        that stops after `limit` whole-word matches or OCCURRENCES_EXAMINED matches in all:
        a quote found a million times costs what one found a hundred times does.
        """
        text, pattern = self.normal.text, before + needle + after
        spans: list[tuple[int, int]] = []
        partial = None
        at = text.find(pattern) if needle else -1
        for _ in range(OCCURRENCES_EXAMINED):
            if at < 0:
                break
            span = (at + len(before), at + len(before) + len(needle))
            if not whole or self.whole_words(span):
                spans.append(span)
                if len(spans) == limit:
                    break
            elif partial is None:
                partial = span
            at = text.find(pattern, at + 1)
        more = at >= 0 and (len(spans) < limit or text.find(pattern, at + 1) >= 0)
        return Found(spans, more, partial)

    def occurrences(self, quote: str, limit: int = OCCURRENCES_COUNTED) -> list[tuple[int, int]]:
        """The first `limit` normalised [start, end) where the quote occurs, inside words and overlapping ones
        included."""
        return self.find(normalise(quote).text, limit=limit, whole=False).spans

    def closest(self, quote: str) -> Passage:
        """The passage most like the quote, widened to whole words.

        A short text is compared whole. In a long one, only the places where the quote
        would begin if its phrases are where they occur are compared (see `likely_starts`),
        so that a miss costs well under a second even in a 25 MB source.
        """
        needle = normalise(quote).text
        hay = self.normal.text
        whole = len(needle) * len(hay) <= WHOLE_SEARCH
        found = (
            [_partial(needle, hay, 0, len(hay))]
            if whole
            else [_around(needle, hay, span) for span in likely_spans(needle, hay)]
        )
        best = max((f for f in found if f is not None), default=None)
        if best is None or best[2] <= best[1]:
            return self.passage(0, 0, 0.0)
        score, start, end = best
        while start < end and hay[start] == " ":
            start += 1
        while end > start and hay[end - 1] == " ":
            end -= 1
        start, end = self.widened((start, end))
        if len(needle) <= ALIGNED:  # the whole quote's best alignment: words may have been added or dropped
            score, start, end = _whole_words_alignment(needle, hay, start, end, score)
        return self.passage(*self.normal.span(start, end), round(score, 1))


WHOLE_SEARCH = 20_000_000  # quote length × text length up to which a miss is compared with the whole text
_PROBES, _HITS, _STARTS = 24, 20, 4  # phrases of the quote looked up, hits kept per phrase, places compared
ALIGNED = 2000  # characters up to which a near match is realigned on whole words (ALIGN_TRIES² ratios, each O(quote²))
ALIGN_REACH = 12  # characters at least, else a third of the quote, that the realigned start and end may move
ALIGN_TRIES = 40  # word starts, and word ends, tried in that reach
SHIFTED = 256  # characters up to which a quote is compared around its likely place, not only at it
PHRASE_SLACK = 16  # characters, beyond a quarter of the quote, by which hits that vote for one place may disagree
LONG_WORD = 5  # letters from which a single word is looked up when no phrase of three words is found
DIFF_SHOWN = 60  # similarity (0-100) from which a miss's message lists the words that differ
Alignment = tuple[float, int, int]  # similarity (0-100), start and end in the text


def _whole_words_alignment(needle: str, hay: str, start: int, end: int, score: float) -> Alignment:
    """The run of whole words near [start, end) most like the whole quote (rapidfuzz's ratio), as (score, start,
    end)."""
    from rapidfuzz import fuzz

    reach = max(ALIGN_REACH, len(needle) // 3)
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S", hay[max(start - reach, 0) : start + reach])]
    ends = [m.end() for m in re.finditer(r"\S(?!\S)", hay[max(end - reach, 0) : end + reach])]
    best = (fuzz.ratio(needle, hay[start:end]), start, end)
    for a in starts[:ALIGN_TRIES]:
        a += max(start - reach, 0)
        for b in ends[:ALIGN_TRIES]:
            b += max(end - reach, 0)
            if b > a:
                ratio = fuzz.ratio(needle, hay[a:b])
                if ratio > best[0]:
                    best = (ratio, a, b)
    return best if best[0] >= score or best[1:] != (start, end) else (score, start, end)


def word_diff(quote: str, passage: str, context: int = 3) -> str:
    """The words that differ between a quote and a passage: '…has [-ruled-]{+been in power+} since 1994'."""
    import difflib

    ours, theirs = normalise(quote).text.split(), normalise(passage).text.split()
    parts, last = [], 0
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lead = max(a1 - context, last)
        parts.append(("…" if lead > last or (lead > 0 and not parts) else "") + " ".join(ours[lead:a1]))
        change = (f"[-{' '.join(ours[a1:a2])}-]" if a2 > a1 else "") + (
            f"{{+{' '.join(theirs[b1:b2])}+}}" if b2 > b1 else ""
        )
        parts.append(change)
        last = a2
        parts.append(" ".join(ours[a2 : min(a2 + context, len(ours))]))
        last = min(a2 + context, len(ours))
    if parts and last < len(ours):
        parts.append("…")
    return " ".join(p for p in parts if p).replace(" …", "…")


def _partial(needle: str, hay: str, begin: int, finish: int) -> Alignment | None:
    """The best-matching stretch of hay[begin:finish], as long as the quote (rapidfuzz's partial ratio)."""
    from rapidfuzz import fuzz  # only needed on a miss

    found = fuzz.partial_ratio_alignment(needle, hay[begin:finish])
    return None if found is None else (found.score, begin + found.dest_start, begin + found.dest_end)


def _around(needle: str, hay: str, span: tuple[int, int]) -> Alignment | None:
    """How alike the quote is to the stretch `span` of hay; a short quote may shift to the best place nearby."""
    from rapidfuzz import fuzz

    start, end = span
    if len(needle) <= SHIFTED:
        return _partial(needle, hay, max(start - len(needle), 0), min(end + len(needle), len(hay)))
    return fuzz.ratio(needle, hay[start:end]), start, end


def likely_spans(needle: str, hay: str) -> list[tuple[int, int]]:
    """Where in `hay` the quote most likely stands, judged by where its phrases occur.

    Phrases of three words (failing those, single words of five letters or more) spread
    over the quote are looked up; each hit votes for the place the quote would begin.
    Around each of the most voted places (at least half a quote apart), the stretch runs
    from where the quote's first phrase found says it begins to where its last says it
    ends, so that words changed, dropped or added inside the quote are allowed for.
    """
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", needle)]
    slack = len(needle) // 4 + PHRASE_SLACK
    for size in (3, 1):
        phrases = [
            (words[i][0], " ".join(w for _, w in words[i : i + size])) for i in range(max(len(words) - size + 1, 0))
        ]
        if size == 1:
            phrases = sorted((p for p in phrases if len(p[1]) >= LONG_WORD), key=lambda p: -len(p[1]))
        hits: list[tuple[int, int]] = []  # (where the quote would begin, the phrase's place in the quote)
        for at, phrase in phrases[:: max(len(phrases) // _PROBES, 1)][:_PROBES]:
            hit = hay.find(phrase)
            for _ in range(_HITS):
                if hit < 0:
                    break
                hits.append((max(hit - at, 0), at))
                hit = hay.find(phrase, hit + 1)
        votes: dict[int, int] = {}
        for start, _ in hits:
            votes[start] = votes.get(start, 0) + 1
        spans: list[tuple[int, int]] = []
        for start in sorted(votes, key=lambda s: (-votes[s], s)):
            if any(abs(start - other) <= len(needle) // 2 for other, _ in spans):
                continue
            near = [(s, at) for s, at in hits if abs(s - start) <= slack]
            first, last = min(near, key=lambda h: h[1]), max(near, key=lambda h: h[1])
            spans.append((first[0], min(last[0] + len(needle), len(hay))))
            if len(spans) == _STARTS:
                break
        if spans:
            return spans
    return []


def context_text(text: str) -> str:
    """A prefix or suffix normalised as the source is, but keeping the white space at its ends (W3C
    TextQuoteSelector)."""
    return normalise(f"\ue000{text}\ue000").text[1:-1]  # private-use marks keep the white space at its ends


def _fits(source: SourceText, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
    """Whether the prefix ends immediately before the span and the suffix begins immediately after it."""
    text = source.normal.text
    return (not prefix or text.endswith(context_text(prefix), 0, span[0])) and (
        not suffix or text.startswith(context_text(suffix), span[1])
    )


def locate_quote(
    source: SourceText, quote: str, prefix: str | None = None, suffix: str | None = None, near: bool = True
) -> Passage:
    """The one passage of `source` that `quote` cites; raises QuoteError otherwise.

    A quote must begin and end on word boundaries. A quote found more than once needs
    `prefix` and/or `suffix`: the text immediately before and after it, white space
    included, to say which occurrence it means. A quote that is not found is compared
    with the source for its closest passage, unless `near` is false (a check that has
    spent its budget for that). The work is one pass over the source, whatever the quote.
    """
    needle = normalise(quote).text
    before, after = context_text(prefix or ""), context_text(suffix or "")
    found = source.find(needle, before, after)
    if not found.spans and not found.more and source.pages:
        needle, found = _unhyphenated(source, needle, before, after, found)
    if len(found.spans) > 1:
        shown = [source.passage(*source.normal.span(*span)) for span in found.spans[:OCCURRENCES_SHOWN]]
        raise QuoteError(
            "quote-ambiguous",
            f"the quote occurs {found.count} times{' with this prefix/suffix' if before or after else ''} "
            f"({_places(shown, found)}): "
            "add a prefix or suffix, the words just before or after the passage you mean",
            shown,
        )
    if found.spans and not found.more:
        return source.passage(*source.normal.span(*found.spans[0]))
    if found.more:
        raise QuoteError(
            "quote-too-common",
            f"the quote matches the source more than {OCCURRENCES_EXAMINED:,} times, inside words or overlapping "
            "itself: quote more words",
        )
    bare = source.find(needle) if before or after else found
    if bare.spans:
        passages = [source.passage(*source.normal.span(*span)) for span in bare.spans[:OCCURRENCES_SHOWN]]
        raise QuoteError(
            "quote-context-mismatch",
            f"the quote occurs {bare.count} time(s) ({_places(passages, bare)}), but never with this prefix/suffix: "
            "fix them to the words just before and after the passage",
            passages,
        )
    if bare.partial:
        whole = source.passage(*source.normal.span(*source.widened(bare.partial)))
        raise QuoteError(
            "quote-partial-word",
            f'the quote begins or ends inside a word: the source has "{" ".join(whole.text.split())}" (line '
            f"{whole.line}); "
            "quote whole words",
            [whole],
        )
    if not near:
        raise QuoteError(
            "quote-not-found",
            "the quote is not in the source: copy the exact words (too many quotes of "
            "this check are missing for each to be compared with its source)",
        )
    near_passage = source.closest(quote)
    code = "quote-near-match" if near_passage.similarity >= NEAR_MATCH else "quote-not-found"
    what = "differs slightly from the source" if code == "quote-near-match" else "is not in the source"
    changes = (
        f" ({word_diff(quote, near_passage.text)})"
        if near_passage.text and near_passage.similarity >= DIFF_SHOWN
        else ""
    )
    raise QuoteError(
        code,
        f"the quote {what}{changes}; the closest passage ({near_passage.similarity:g}% alike, line "
        f"{near_passage.line}) is "
        f'"{" ".join(near_passage.text.split())}": copy the exact words',
        [near_passage],
    )


_WORD_HYPHEN = re.compile(rf"(?<={_LETTER})-(?={_LETTER})")
HYPHEN_VARIANTS = 8  # hyphens of a quote tried one by one as a PDF's line-end break


def _unhyphenated(
    source: SourceText, needle: str, before: str, after: str, found: Found, whole: bool = True
) -> tuple[str, Found]:
    """A PDF's quote not found as it is, looked for again without the hyphens inside its words that may stand where the
    PDF broke a line and its text was joined ("low-carbon" where the page has "low-⏎carbon"): all of them, then each."""
    hyphens = [m.start() for m in _WORD_HYPHEN.finditer(needle)]
    variants = [_WORD_HYPHEN.sub("", needle)] if hyphens else []
    if len(hyphens) > 1:
        variants += [needle[:at] + needle[at + 1 :] for at in hyphens[:HYPHEN_VARIANTS]]
    for variant in variants:
        again = source.find(variant, before, after, whole=whole)
        if again.spans:
            return variant, again
    return needle, found


def _places(passages: list[Passage], found: Found) -> str:
    """Where the first few occurrences are: 'line 3, character 120; line 9, character 410; …'."""
    more = len(found.spans) > len(passages) or found.more
    return "; ".join(f"{p.place}, character {p.start}" for p in passages) + ("; …" if more else "")


@dataclass(frozen=True)
class Suggestion:
    """A citation ready to paste: the source's exact words, and what tells them apart."""

    passage: Passage
    quote: str
    prefix: str | None = None
    suffix: str | None = None


CONTEXT_WORDS = 12  # words a suggested prefix or suffix may have
CONTEXT_REACH = 1000  # characters before or after a passage in which a prefix or suffix is looked for


def _context(source: SourceText, spans: list[tuple[int, int]], span: tuple[int, int], before: bool) -> str | None:
    """The shortest run of whole words next to `span`, exactly as the text has it, with which the passage occurs once.

    A run that one of `spans` (other occurrences) shares is passed over at once; the first
    that none does is confirmed by a search of the whole text.
    """
    text = source.normal.text
    if before:
        reach = max(span[0] - CONTEXT_REACH, 0)
        bounds = [reach + m.start() for m in re.finditer(r"\S+", text[reach : span[0]])][::-1]
        bounds = [b for b in bounds if b == 0 or text[b - 1].isspace()]
    else:
        bounds = [span[1] + m.end() for m in re.finditer(r"\S+", text[span[1] : span[1] + CONTEXT_REACH])]
        bounds = [b for b in bounds if b == len(text) or text[b].isspace()]
    needle = text[span[0] : span[1]]
    for bound in bounds[:CONTEXT_WORDS]:
        context = text[bound : span[0]] if before else text[span[1] : bound]
        shared = any(
            _fits(source, other, context if before else None, None if before else context)
            for other in spans
            if other != span
        )
        if not shared:
            found = source.find(needle, context if before else "", "" if before else context, limit=2)
            if len(found.spans) == 1 and not found.more:
                return context
    return None


def suggest_citations(source: SourceText, words: str) -> tuple[list[Suggestion], str, int]:
    """Citations for the first CITATIONS_SUGGESTED passages that hold `words` word for word, then for the first
    CITATIONS_SUGGESTED that hold them inside longer words ("Belarusian" for "Belarus") or, failing both, nearly;
    how many passages hold them word for word ('3', 'at least 100'), or all of them where none does; and how many
    hold them only inside longer words.

    Raises QuoteError when nothing in the source comes close.
    """
    found = source.find(normalise(words).text, whole=False)
    if not found.spans and source.pages:  # "low-carbon" where the PDF broke "low-⏎carbon"
        found = _unhyphenated(source, normalise(words).text, "", "", found, whole=False)[1]
    spans = list(dict.fromkeys(source.widened(span) for span in found.spans))
    if not spans:
        near = source.closest(words)
        if near.similarity < NEAR_MATCH:
            raise QuoteError(
                "quote-not-found",
                f"no passage is close; the nearest ({near.similarity:g}% alike, line "
                f'{near.line}) is "{" ".join(near.text.split())}"',
                [near],
            )
        found = source.find(normalise(near.text).text)
        spans = found.spans
    exact = [span for span in spans if span in found.spans]
    inside = [span for span in spans if span not in found.spans]
    suggestions = []
    for span in exact[:CITATIONS_SUGGESTED] + inside[:CITATIONS_SUGGESTED]:
        passage = source.passage(*source.normal.span(*span))
        prefix = suffix = None
        if len(spans) > 1 or found.more:
            prefix = _context(source, spans, span, before=True)
            suffix = None if prefix else _context(source, spans, span, before=False)
        suggestions.append(Suggestion(passage, source.shown(passage), prefix, suffix))
    counted = exact or spans
    return suggestions, f"at least {len(counted)}" if found.more else str(len(counted)), len(inside)
