"""Quote anchoring: find a citation's exact words in a source text.

Matching normalises only what typesetting changes and the words do not: runs of white
space, typographic quotes, dashes, and spaces around hyphens ("Muchinguri- Kashiri").
Offsets are code points into the decoded source text (W3C TextPositionSelector).
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUOTE_MARKS = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"} | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"}
DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
FOLD = QUOTE_MARKS | DASHES
NEAR_MATCH = 90.0  # similarity (0-100) from which a miss counts as a near match


@dataclass(frozen=True)
class Normalised:
    """Normalised text, and for each of its characters the index it came from."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised range [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    out: list[str] = []
    origin: list[int] = []
    space_at = None  # index where a pending run of white space began
    for index, char in enumerate(text):
        if char.isspace():
            if space_at is None:
                space_at = index
            continue
        char = FOLD.get(char, char)
        if space_at is not None and out and char != "-" and out[-1] != "-":
            out.append(" ")
            origin.append(space_at)
        space_at = None
        out.append(char)
        origin.append(index)
    return Normalised("".join(out), origin)


@dataclass(frozen=True)
class Passage:
    """A stretch of the source: offsets, its line, its words, and how alike a quote it is."""

    start: int
    end: int
    line: int
    text: str
    similarity: float = 100.0


class QuoteError(Exception):
    """A quote that does not anchor to exactly one passage."""

    def __init__(self, code: str, message: str, passages: list[Passage] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.passages = list(passages)


@dataclass
class SourceText:
    """A source's decoded text, normalised once for every quote looked up in it."""

    text: str
    normal: Normalised = field(init=False)

    def __post_init__(self):
        self.normal = normalise(self.text)

    def passage(self, start: int, end: int, similarity: float = 100.0) -> Passage:
        return Passage(start, end, self.text.count("\n", 0, start) + 1, self.text[start:end], similarity)

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every normalised [start, end) where the quote occurs, overlapping ones included."""
        needle = normalise(quote).text
        found, at = [], self.normal.text.find(needle) if needle else -1
        while at >= 0:
            found.append((at, at + len(needle)))
            at = self.normal.text.find(needle, at + 1)
        return found

    def closest(self, quote: str) -> Passage:
        """The passage most like the quote, widened to whole words."""
        from rapidfuzz import fuzz  # only needed on a miss

        needle = normalise(quote).text
        hay = self.normal.text
        best = fuzz.partial_ratio_alignment(needle, hay)
        if best is None or best.dest_end <= best.dest_start:
            return self.passage(0, 0, 0.0)
        start, end = best.dest_start, best.dest_end
        while start < end and hay[start] == " ":
            start += 1
        while end > start and hay[end - 1] == " ":
            end -= 1
        while start > 0 and hay[start - 1].isalnum():
            start -= 1
        while end < len(hay) and hay[end].isalnum():
            end += 1
        return self.passage(*self.normal.span(start, end), round(best.score, 1))


def _fits(source: SourceText, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
    before = source.normal.text[: span[0]].rstrip()
    after = source.normal.text[span[1] :].lstrip()
    return (not prefix or before.endswith(normalise(prefix).text)) and (not suffix or after.startswith(normalise(suffix).text))


def locate_quote(source: SourceText, quote: str, prefix: str | None = None, suffix: str | None = None) -> Passage:
    """The one passage of `source` that `quote` cites; raises QuoteError otherwise.

    A quote found more than once needs `prefix` and/or `suffix`, the words just before
    and after it, to say which occurrence it means.
    """
    spans = source.occurrences(quote)
    if not spans:
        near = source.closest(quote)
        code = "quote-near-match" if near.similarity >= NEAR_MATCH else "quote-not-found"
        what = "differs slightly from the source" if code == "quote-near-match" else "is not in the source"
        raise QuoteError(
            code,
            f"the quote {what}; the closest passage ({near.similarity:g}% alike, line {near.line}) is "
            f'"{" ".join(near.text.split())}": copy the exact words',
            [near],
        )
    chosen = [span for span in spans if _fits(source, span, prefix, suffix)]
    passages = [source.passage(*source.normal.span(*span)) for span in (chosen or spans)]
    if not chosen:
        raise QuoteError(
            "quote-context-mismatch",
            f"the quote occurs {len(spans)} time(s), but never with this prefix/suffix: "
            f"fix them to the words just before and after the passage (line {passages[0].line})",
            passages,
        )
    if len(chosen) > 1:
        lines = ", ".join(str(p.line) for p in passages)
        raise QuoteError(
            "quote-ambiguous",
            f"the quote occurs {len(chosen)} times (lines {lines}): add a prefix or suffix, "
            "the words just before or after the passage you mean",
            passages,
        )
    return passages[0]


@dataclass(frozen=True)
class Suggestion:
    """A citation ready to paste: the source's exact words, and what tells them apart."""

    passage: Passage
    quote: str
    prefix: str | None = None
    suffix: str | None = None


def _context_words(source: SourceText, spans: list[tuple[int, int]], span: tuple[int, int], before: bool) -> str | None:
    """The fewest words next to `span` that no other occurrence shares."""
    text = source.normal.text
    words = (text[: span[0]] if before else text[span[1] :]).split()
    for count in range(1, min(len(words), 12) + 1):
        context = " ".join(words[-count:] if before else words[:count])
        if all(not _fits(source, other, context if before else None, None if before else context) for other in spans if other != span):
            return context
    return None


def suggest_citations(source: SourceText, words: str) -> list[Suggestion]:
    """Citations for every passage that `words` finds, exact or, failing that, nearly.

    Raises QuoteError when nothing in the source comes close.
    """
    spans = source.occurrences(words)
    if not spans:
        near = source.closest(words)
        if near.similarity < NEAR_MATCH:
            raise QuoteError("quote-not-found", f'no passage is close; the nearest ({near.similarity:g}% alike, line {near.line}) is "{" ".join(near.text.split())}"', [near])
        spans = source.occurrences(near.text)
    suggestions = []
    for span in spans:
        passage = source.passage(*source.normal.span(*span))
        prefix = suffix = None
        if len(spans) > 1:
            prefix = _context_words(source, spans, span, before=True)
            suffix = None if prefix else _context_words(source, spans, span, before=False)
        suggestions.append(Suggestion(passage, " ".join(passage.text.split()), prefix, suffix))
    return suggestions
