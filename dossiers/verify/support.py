"""Does a quote support its claim? Checks on a fact and the passages its citations anchor to.

A quote that occurs in the source is not yet a claim the source supports. These are the
mechanical signs that it may not be: a quote too short to mean anything, one that runs
across paragraphs, an actor or a number in the claim that no quote carries, and a
passage that relays someone else without saying whom.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ..registry.model import Actor, Citation, Fact, Source
from .quotes import Passage, SourceText, normalise
from .reading import name_pattern, names_of, split_sentences

MIN_QUOTE_WORDS = 4  # fewer words than this can be made to match almost anywhere
ACCOUNTS_KEPT = 32  # parties of earlier "according to"s kept per paragraph: the first that is not the publisher is the one
DATE_FIELDS = ("date", "startDate", "endDate", "listingDate")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")

# Who a sentence relays, and which part: "according to X" and "cited X as saying" the whole sentence; "X said
# that ..." what follows the verb; "..., X noted." and "“...,” said X" what comes before.
_VERBS = r"(?:has |have |had )?(?:said|says|noted|wrote|writes|learned|learnt|revealed|reported|recalled|told|added|stated|unveiled)"
_ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;:!?”\"]+)")
_CITED = re.compile(r"\bcited (.{1,200}?) as saying\b")
_SAID_BY = re.compile(r"\bsaid ((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*)*)")
# "X said": X, the run of words before the verb, is looked for where a run begins (not after "word "), so a long
# sentence costs one pass, not one per word; and just after the previous match, where a new run may begin too.
_RUN_BEFORE_VERB = rf"((?:[\w'’().-]+ )*[\w'’().-]+)(?:, (?:however|meanwhile|also|though|in turn),)? {_VERBS}\b"
_BY_VERB = re.compile(rf"(?<![\w'’().-] )(?<![\w'’().-]){_RUN_BEFORE_VERB}")
_BY_VERB_HERE = re.compile(_RUN_BEFORE_VERB)
_AFTER_VERB_ONLY = re.compile(r"^\W*+(?:(?:from|in a statement|in a report|on \w+day)\b.*)?\W*+$")
# Whom a speaker "told": "told DW", "told the Associated Press", "told reporters"; what they said is before, or after "that".
_LISTENER = re.compile(r"^ (?:the |a |an )?(?:[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*|[a-z]+)")
PARTY_WORDS = 12  # words a speaker's name may run to ("the Belarusian Ministry of Defence's press service"): no more are read
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
    within = bisect_right(paragraph_spans, (passage.start, float("inf"))) - 1
    if words < MIN_QUOTE_WORDS:
        message = f"the quote has {words} word{'s' * (words != 1)}; one of fewer than {MIN_QUOTE_WORDS} matches almost anywhere: quote the words that carry the claim"
        found.append(SupportWarning(index, "quote-too-short", message))
    if within < 0 or paragraph_spans[within][1] < passage.end:
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
    party = relayed_party(text, passage, source.publisher, paragraph_spans)
    if not party:
        return []
    message = f"the source relays {party} here: add 'attribution: {party}' (or whom the source names), or 'ownVoice: true' if these words are the source's own"
    return [SupportWarning(index, "relay-unattributed", message)]


def relayed_party(text: SourceText, passage: Passage, publisher: str, paragraph_spans: list[tuple[int, int]]) -> str | None:
    """Whom the source relays in `passage`, if anyone but its publisher: the party of a relayed part of a sentence
    the passage overlaps, or of an "according to" earlier in the same paragraph (`paragraph_spans`, see `reading.paragraphs`)."""
    index = bisect_right(paragraph_spans, (passage.start, float("inf"))) - 1
    paragraph = paragraph_spans[index] if index >= 0 and passage.start < paragraph_spans[index][1] else (0, len(text.text))
    if ("relays", paragraph) not in text.memo:
        text.memo["relays", paragraph] = _paragraph_relays(text.text, *paragraph)
    sentences, ends = text.memo["relays", paragraph]
    own = {_plain(publisher), "unknown"}
    first = bisect_right(ends, passage.start)  # the first sentence the passage overlaps
    for index in range(first, len(sentences)):
        start, _, relayed, account = sentences[index]
        if start >= passage.end:
            break
        found = [(party, part) for party, part in relayed if _plain(party) not in own]
        for party, (a, b) in found:
            if start + a < passage.end and passage.start < start + b:
                return party
        account = next((party for party in account if _plain(party) not in own), None)
        if account and not found:
            return account
    return None


def _paragraph_relays(text: str, begin: int, finish: int) -> tuple[list[tuple[int, int, list, tuple[str, ...]]], list[int]]:
    """Each sentence of the paragraph text[begin:finish] (kept for all the quotes in it): its [start, end) in the
    text, whom it relays (see `relays`), and the parties of the first "according to"s in the sentences before it;
    and the sentences' ends."""
    sentences: list = []
    accounts: tuple[str, ...] = ()
    for start, end in split_sentences(text[begin:finish]):
        sentence = text[begin + start : begin + end]
        relayed = relays(sentence)
        sentences.append((begin + start, begin + end, relayed, accounts))
        if len(accounts) < ACCOUNTS_KEPT and _ACCORDING.search(sentence):
            accounts += tuple(party for party, _ in relayed)
    return sentences, [end for _, end, _, _ in sentences]


def relays(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """Each party a sentence relays, with the [start, end) of the part that is theirs."""
    found = []
    for pattern in (_ACCORDING, _CITED):
        for match in pattern.finditer(sentence):
            found.append((_trim(match.group(1)), (0, len(sentence))))
    for match in _by_verb(sentence):
        party = _party_before(match.group(1))
        if party:
            listener = _LISTENER.match(sentence[match.end() :]) if match.group(0).endswith("told") else None
            said = match.end() + (listener.end() if listener else 0)  # the reporter's words end here: who spoke, to whom
            theirs = (0, match.start(1) + match.group(1).rfind(party)) if _AFTER_VERB_ONLY.match(sentence[said:]) else (said, len(sentence))
            found.append((party, theirs))
    for match in _SAID_BY.finditer(sentence):
        found.append((match.group(1), (0, match.start())))
    return found


def _by_verb(sentence: str) -> Iterator[re.Match]:
    """Each "X said" of a sentence, as a regular expression's finditer that tried every position would find them."""
    match = _BY_VERB.search(sentence)
    while match:
        yield match
        end = match.end()
        match = _BY_VERB_HERE.match(sentence, end) or (sentence.startswith(" ", end) and _BY_VERB_HERE.match(sentence, end + 1)) or _BY_VERB.search(sentence, end)


def _trim(party: str) -> str:
    """'the Belarusian publication Belta dedicated to ...' → up to its last capitalised word among the first six."""
    words = party.split()
    if len(words) > 6:
        capitals = [i for i, w in enumerate(words[:6]) if w[0].isupper()]
        words = words[: capitals[-1] + 1] if capitals else words[:6]
    return " ".join(words)


def _party_before(words_before: str) -> str | None:
    """The run of words just before a verb that names who speaks: capitalised words, or words like 'the ministry'."""
    backwards = []
    for word in reversed(words_before.rsplit(maxsplit=PARTY_WORDS)[-PARTY_WORDS:]):
        bare = word.strip("()").lower()
        if word.strip("()")[:1].isupper() or bare in _PARTY_WORDS or bare.endswith(("'s", "’s")):
            backwards.append(word)
        else:
            break
    while backwards and backwards[-1].lower() in {"of", "for", "and", "a", "an"}:
        backwards.pop()
    party = backwards[::-1]
    return " ".join(party) if [w for w in party if w.lower() != "the"] else None


def _plain(party: str) -> str:
    return re.sub(r"^the ", "", party.strip().lower().replace("’", "'"))


def _number(text: str) -> str:
    return text.replace(",", "")


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2999
