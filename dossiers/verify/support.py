"""Does a quote support its claim? Checks on a fact and the passages its citations anchor to.

A quote that occurs in the source is not yet a claim the source supports. These are the
mechanical signs that it may not be: a quote too short to mean anything, one that runs
across paragraphs, an actor or a number in the claim that no quote carries, and a
passage that relays someone else without saying whom.
"""

from __future__ import annotations

import math
import re
import weakref
from array import array
from bisect import bisect_right
from dataclasses import dataclass

from ..registry.model import Actor, Citation, Fact, Source
from .quotes import Passage, SourceText, normalise
from .reading import name_pattern, names_of, split_sentences

MIN_QUOTE_WORDS = 4  # fewer words than this can be made to match almost anywhere
DATE_FIELDS = ("date", "startDate", "endDate", "listingDate")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")

# Who a sentence relays, and which part: "according to X" and "cited X as saying" the whole sentence; "X said
# that ..." what follows the verb; "..., X noted." and "“...,” said X" what comes before.
_VERBS = r"(?:has |have |had )?(?:said|says|noted|wrote|writes|learned|learnt|revealed|reported|recalled|told|added|stated|unveiled)"
_ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;:!?”\"]+)")
_CITED = re.compile(r"\bcited (.{1,300}?) as saying\b")  # bounded: each "cited" looks no further than 300 characters on
_SAID_BY = re.compile(r"\bsaid ((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*)*)")
# A run of words is tried from its first word only (the lookbehinds), so a long run costs one pass, not one per word.
_BY_VERB = re.compile(rf"(?<![\w'’().-])(?<![\w'’().-] )((?:[\w'’().-]+ )*[\w'’().-]+)(?:, (?:however|meanwhile|also|though|in turn),)? {_VERBS}\b")
_AFTER_VERB_ONLY = re.compile(r"^\W*+(?:(?:from|in a statement|in a report|on \w+day)\b.*)?\W*$")  # possessive: \W is never split twice
_PARTY_WORDS = {"the", "a", "an", "of", "for", "and", "daily", "ministry", "agency", "news", "press", "service", "office", "analysts",
                "officials", "spokesman", "spokeswoman", "spokesperson", "government", "publication", "statement", "report", "documents"}


@dataclass(frozen=True)
class SupportWarning:
    """A sign that a citation or a fact may not support its claim: where (a citation's index, or None for the fact's text), code, message."""

    citation: int | None
    code: str
    message: str


def quote_warnings(index: int, passage: Passage, paragraph_spans: list[tuple[int, int]]) -> list[SupportWarning]:
    """A quote too short to mean anything, or one that runs across a paragraph break (see `reading.paragraphs`)."""
    found = []
    words = len(normalise(passage.text).text.split())
    if words < MIN_QUOTE_WORDS:
        message = f"the quote has {words} word{'s' * (words != 1)}; one of fewer than {MIN_QUOTE_WORDS} matches almost anywhere: quote the words that carry the claim"
        found.append(SupportWarning(index, "quote-too-short", message))
    paragraph = _paragraph_at(paragraph_spans, passage.start)
    if not paragraph or passage.end > paragraph[1]:
        found.append(SupportWarning(index, "quote-spans-paragraphs", "the quote runs across a paragraph break: cite each paragraph separately"))
    return found


def actor_patterns(actors: list[Actor]) -> dict[str, re.Pattern]:
    """Each actor's names as one pattern (see `reading.name_pattern`), compiled once for every fact."""
    return {actor.id: name_pattern(names_of(actor)) for actor in actors}


def claim_warnings(fact: Fact, actors: dict[str, Actor], patterns: dict[str, re.Pattern], passages: list[Passage]) -> list[SupportWarning]:
    """Actors and numbers of the claim that none of its quotes carries; `patterns` from `actor_patterns`."""
    found = []
    quoted = [normalise(p.text).text for p in passages]
    for actor_id in dict.fromkeys(fact.actors):
        actor = actors.get(actor_id)
        if actor and not any(patterns[actor_id].search(text) for text in quoted):
            found.append(SupportWarning(
                None, "claim-actor-unquoted",
                f"'{actor_id}' ({actor.name}) is named in none of this fact's quotes: cite the words that name them, or take them out of 'actors'",
            ))
    numbers = {_number(n) for text in quoted for n in NUMBER.findall(text)}
    missing = [n for n in dict.fromkeys(NUMBER.findall(fact.text)) if _number(n) not in numbers and not (fact.dateNote and _is_year(n))]
    years = {getattr(fact, name)[:4]: name for name in reversed(DATE_FIELDS) if getattr(fact, name)}
    missing += [f"{year} ({name})" for year, name in years.items() if year not in numbers and year not in missing and not fact.dateNote]
    if missing:
        found.append(SupportWarning(
            None, "claim-number-unquoted",
            f"{', '.join(missing)} appear{'s' * (len(missing) == 1)} in none of this fact's quotes: cite the words that give it, or say in 'dateNote' how a date was derived",
        ))
    return found


def relay_warnings(
    index: int, citation: Citation, passage: Passage, source: Source, text: SourceText, paragraph_spans: list[tuple[int, int]]
) -> list[SupportWarning]:
    """A passage whose sentence relays someone else, cited without an `attribution`; `paragraph_spans` are the source's."""
    if citation.attribution or citation.ownVoice:
        return []
    party = relayed_party(text.text, passage, source.publisher, paragraph_spans, _readings(text))
    if not party:
        return []
    message = f"the source relays {party} here: add 'attribution: {party}' (or whom the source names), or 'ownVoice: true' if these words are the source's own"
    return [SupportWarning(index, "relay-unattributed", message)]


def relayed_party(text: str, passage: Passage, publisher: str, paragraph_spans: list[tuple[int, int]], readings: dict | None = None) -> str | None:
    """Whom the source relays in `passage`, if anyone but its publisher: the party of a relayed part of a sentence
    the passage overlaps, or of an "according to" earlier in the same paragraph (`paragraph_spans`, see `reading.paragraphs`).

    Each paragraph is read once for all the passages in it when `readings` (from `_readings`) is given.
    """
    paragraph = _paragraph_at(paragraph_spans, passage.start) or (0, len(text))
    key = (paragraph, publisher)
    reading = readings.get(key) if readings is not None else None
    if reading is None:
        reading = _Reading.of(text, paragraph, publisher)
        if readings is not None:
            readings[key] = reading
    return reading.party(passage)


def _paragraph_at(paragraph_spans: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The paragraph (of `reading.paragraphs`, in order) that holds `position`, by bisection."""
    at = bisect_right(paragraph_spans, (position, math.inf)) - 1
    return paragraph_spans[at] if at >= 0 and position < paragraph_spans[at][1] else None


_READINGS: dict[int, dict] = {}  # id of a SourceText → its paragraphs read for relays; an entry goes when its text does


def _readings(text: SourceText) -> dict:
    key = id(text)
    if key not in _READINGS:
        _READINGS[key] = {}
        weakref.finalize(text, _READINGS.pop, key, None)
    return _READINGS[key]


@dataclass(frozen=True)
class _Reading:
    """A paragraph read for relays: where each sentence begins and ends, whom each relays, and its first "according to"."""

    starts: array
    ends: array
    found: dict[int, list[tuple[str, tuple[int, int]]]]  # sentence → each party but the publisher, and the part that is theirs
    account: tuple[int, str] | None  # the first sentence with an "according to" that names a party, and the party

    @classmethod
    def of(cls, text: str, paragraph: tuple[int, int], publisher: str) -> _Reading:
        own = {_plain(publisher), "unknown"}
        starts, ends, found, account = array("q"), array("q"), {}, None
        for start, end in split_sentences(text[paragraph[0] : paragraph[1]]):
            start, end = start + paragraph[0], end + paragraph[0]
            sentence = text[start:end]
            parties = [(party, part) for party, part in relays(sentence) if _plain(party) not in own]
            if parties:
                found[len(starts)] = parties
                if account is None and _ACCORDING.search(sentence):
                    account = (len(starts), parties[0][0])
            starts.append(start)
            ends.append(end)
        return cls(starts, ends, found, account)

    def party(self, passage: Passage) -> str | None:
        """The party of a relayed part the passage overlaps, or of the paragraph's "according to" before its sentence."""
        sentence = bisect_right(self.ends, passage.start)  # the first that ends after the passage begins
        while sentence < len(self.starts) and self.starts[sentence] < passage.end:
            start, parties = self.starts[sentence], self.found.get(sentence, [])
            for party, (a, b) in parties:
                if start + a < passage.end and passage.start < start + b:
                    return party
            if not parties and self.account and self.account[0] < sentence:
                return self.account[1]
            sentence += 1
        return None


def relays(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """Each party a sentence relays, with the [start, end) of the part that is theirs."""
    found = []
    for pattern in (_ACCORDING, _CITED):
        for match in pattern.finditer(sentence):
            found.append((_trim(match.group(1)), (0, len(sentence))))
    for match in _BY_VERB.finditer(sentence):
        party = _party_before(match.group(1))
        if party:
            rest = sentence[match.end() :]
            theirs = (0, match.start(1) + match.group(1).rfind(party)) if _AFTER_VERB_ONLY.match(rest) else (match.end(), len(sentence))
            found.append((party, theirs))
    for match in _SAID_BY.finditer(sentence):
        found.append((match.group(1), (0, match.start())))
    return found


def _trim(party: str) -> str:
    """'the Belarusian publication Belta dedicated to ...' → up to its last capitalised word among the first six."""
    words = party.split()
    if len(words) > 6:
        capitals = [i for i, w in enumerate(words[:6]) if w[0].isupper()]
        words = words[: capitals[-1] + 1] if capitals else words[:6]
    return " ".join(words)


def _party_before(words_before: str) -> str | None:
    """The run of words just before a verb that names who speaks: capitalised words, or words like 'the ministry'."""
    party = []  # from the verb backwards
    for word in reversed(words_before.split()):
        bare = word.strip("()").lower()
        if word.strip("()")[:1].isupper() or bare in _PARTY_WORDS or bare.endswith(("'s", "’s")):
            party.append(word)
        else:
            break
    while party and party[-1].lower() in {"of", "for", "and", "a", "an"}:
        party.pop()
    return " ".join(reversed(party)) if [w for w in party if w.lower() != "the"] else None


def _plain(party: str) -> str:
    return re.sub(r"^the ", "", party.strip().lower().replace("’", "'"))


def _number(text: str) -> str:
    return text.replace(",", "")


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2999
