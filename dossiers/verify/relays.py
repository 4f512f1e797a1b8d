"""Whom a source relays, sentence by sentence: "according to X", "X said", "..., X noted", and the account that goes on.

A source speaks in its own voice unless a sentence says whom it relays. An account begun
by a relay goes on through the rest of its paragraph, and into the next paragraph when
that one opens by going on with it: a quotation mark (the same speech, continued), or
"This", "They", "The parties"... (the same event). A sentence the publisher itself signs
("The Zimbabwe Mail has learned") ends any account.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .reading import split_sentences

# Who a sentence relays, and which part: "according to X" and "cited X as saying" the whole sentence; "X said that ..."
# what follows the verb;
# "..., X noted." and "“...,” said X" what comes before.
_VERBS = (
    r"(?:has |have |had "
    r")?(?:said|says|noted|wrote|writes|learned|learnt|revealed|reported|recalled|told|added|stated|unveiled)"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;:!?”\"]+)")
_CITED = re.compile(r"\bcited (.{1,200}?) as saying\b")  # bounded: "cited " twenty thousand times is read in one pass
_SAID_BY = re.compile(r"\bsaid ((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*)*)")
_VERB = re.compile(rf"(?:, (?:however|meanwhile|also|though|in turn),)? {_VERBS}\b")
_PARTY_TAIL = re.compile(r"[\w'’().-]+$")
# Whom a speaker "told": "told DW", "told the Associated Press", "told reporters"; what they said is before, or after
# "that".
_LISTENER = re.compile(r"^ (?:the |a |an )?(?:[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*|[a-z]+)")
# possessive: a run of marks is read once
_AFTER_VERB_ONLY = re.compile(r"^\W*+(?:(?:from|in a statement|in a report|on \w+day)\b.*)?\W*+$")
_PARTY_WORDS = {
    "the",
    "a",
    "an",
    "of",
    "for",
    "and",
    "daily",
    "ministry",
    "agency",
    "news",
    "press",
    "service",
    "office",
    "analysts",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "government",
    "publication",
    "statement",
    "report",
    "documents",
}
# A paragraph that goes on with the account the previous one ended in: more of the same speech, or the same event.
_GOES_ON = re.compile(
    r"^\W*?(?:[\"“‘]|(?:This|These|They|It|The "
    r"(?:parties|event|meeting|talks|conference|delegation|two sides))\b)"
)
# A party named by what it is, after it was named by its name: "the daily", "the agency".
_BACK_REFERENCE = re.compile(
    r"\b[Tt]he (?:daily|newspaper|paper|agency|news agency|outlet|publication|broadcaster|ministry|press "
    r"service|report|channel|website|magazine|weekly) "
    r"(?:cited|quoted|said|says|noted|wrote|reported|added|told)\b"
)
NEAR_SENTENCES = 5  # how far back a relay is near enough to be the party an attribution names


@dataclass(frozen=True)
class Relay:
    party: str
    start: int  # [start, end) of the part of the text that is theirs
    end: int
    whole: bool  # "according to X", "cited X as saying": the whole sentence is theirs


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source: its span, whom it relays, and whose account it goes on with if it relays no one
    itself."""

    start: int
    end: int
    relays: tuple[Relay, ...]
    own: bool  # the publisher signs it
    account: str | None
    account_at: int | None  # index of the sentence that names the account's party


class Relaying:
    """Every sentence of one source, read once for every citation of it."""

    def __init__(self, text: str, publisher: str | None, paragraph_spans: list[tuple[int, int]]):
        self.text = text
        self.sentences: list[Sentence] = []
        own_names = {_plain(publisher)} if publisher else set()
        carried: tuple[str, int] | None = None  # the account the last paragraph ended in
        for begin, finish in paragraph_spans or [(0, len(text))]:
            spans = split_sentences(text[begin:finish])
            account = carried if spans and _GOES_ON.match(text[begin + spans[0][0] : begin + spans[0][1]]) else None
            for start, end in spans:
                start, end = start + begin, end + begin
                found = relays(text[start:end])
                theirs = tuple(
                    Relay(p, start + a, start + b, w) for p, (a, b), w in found if _plain(p) not in own_names
                )
                own = len(theirs) < len(found)
                self.sentences.append(
                    Sentence(
                        start,
                        end,
                        theirs,
                        own,
                        None if theirs or own else account and account[0],
                        None if theirs or own else account and account[1],
                    )
                )
                if theirs:
                    account = (theirs[-1].party, len(self.sentences) - 1)
                elif own:
                    account = None
            carried = account
        self.starts = [s.start for s in self.sentences]

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indexes of the sentences that [start, end) overlaps."""
        first = max(bisect_right(self.starts, start) - 1, 0)
        out = []
        for index in range(first, len(self.sentences)):
            sentence = self.sentences[index]
            if sentence.start >= end:
                break
            if start < sentence.end:
                out.append(index)
        return out

    def relayed_party(self, start: int, end: int) -> str | None:
        """Whom the source relays in [start, end), if anyone but its publisher: the party of a relayed part it
        overlaps, or the party of the account its sentence goes on with."""
        for index in self.overlapping(start, end):
            sentence = self.sentences[index]
            for relay in sentence.relays:
                if relay.start < end and start < relay.end:
                    return relay.party
            if sentence.account:
                return sentence.account
        return None

    def whole_relay(self, start: int, end: int) -> str | None:
        """The party of an "according to" or "cited ... as saying" in a sentence [start, end) overlaps: the sentence
        itself says whom it relays."""
        for index in self.overlapping(start, end):
            for relay in self.sentences[index].relays:
                if relay.whole:
                    return relay.party
        return None

    def near(self, start: int, end: int) -> str:
        """The text where an attribution of [start, end) must name its party: the sentences it overlaps, the sentence
        that names the account they go on with, and, unless they name whom they relay, the last sentence before them
        that relays anyone (within NEAR_SENTENCES): "the daily cited ..." relays the daily named before."""
        indexes = self.overlapping(start, end)
        if not indexes:
            return ""
        near = set(indexes)
        near |= {at for i in indexes if (at := self.sentences[i].account_at) is not None}
        named = any(self.sentences[i].relays for i in indexes) and not any(
            _BACK_REFERENCE.search(self.text[self.sentences[i].start : self.sentences[i].end]) for i in indexes
        )
        for back in range(indexes[0] - 1, max(indexes[0] - 1 - NEAR_SENTENCES, -1), -1):
            if self.sentences[back].relays and not named:
                near.add(back)
                break
        return " ".join(self.text[self.sentences[i].start : self.sentences[i].end] for i in sorted(near))

    def sentence_text(self, start: int, end: int) -> str:
        """The whole sentences [start, end) overlaps."""
        indexes = self.overlapping(start, end)
        if not indexes:
            return self.text[start:end]
        return self.text[self.sentences[indexes[0]].start : self.sentences[indexes[-1]].end]


def relays(sentence: str) -> list[tuple[str, tuple[int, int], bool]]:
    """Each party a sentence relays, with the [start, end) of the part that is theirs, and whether that is the whole
    sentence."""
    found = []
    for pattern in (_ACCORDING, _CITED):
        for match in pattern.finditer(sentence):
            found.append((_trim(match.group(1)), (0, len(sentence)), True))
    for begin, words, end in _by_verb(sentence):
        party = _party_before(words)
        if party:
            listener = _LISTENER.match(sentence[end:]) if sentence[:end].endswith("told") else None
            said = end + (listener.end() if listener else 0)  # the reporter's words end here: who spoke, to whom
            theirs = (
                (0, begin + words.rfind(party)) if _AFTER_VERB_ONLY.match(sentence[said:]) else (said, len(sentence))
            )
            found.append((party, theirs, False))
    for match in _SAID_BY.finditer(sentence):
        found.append((match.group(1), (0, match.start()), False))
    return found


def _by_verb(sentence: str) -> list[tuple[int, str, int]]:
    """Each reporting verb with the run of words just before it (single spaces between, none of , ; : ! ?): (where the
    run begins, the run, where the verb ends). Read backwards from each verb, so that a long sentence costs one pass."""
    found, floor = [], 0
    for verb in _VERB.finditer(sentence):
        start = verb.start()
        tokens = []
        while start > floor:
            space = sentence.rfind(" ", floor, start)
            token = sentence[space + 1 : start]
            tail = _PARTY_TAIL.search(token)
            if not tail:
                break
            tokens.append(tail.group())
            if tail.start():  # '“Leaked': the word, not the mark before it
                break
            start = space if space >= floor else floor
            if space < floor or space < 0:
                break
        if tokens:
            words = " ".join(reversed(tokens))
            found.append((verb.start() - len(words), words, verb.end()))
            floor = verb.end()
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
    party = []
    for word in reversed(words_before.split()):
        bare = word.strip("()").lower()
        if word.strip("()")[:1].isupper() or bare in _PARTY_WORDS or bare.endswith(("'s", "’s")):
            party.append(word)
        else:
            break
    party.reverse()  # gathered backwards and turned once: inserting at the front made a long run quadratic
    lead = next((i for i, word in enumerate(party) if word.lower() not in {"of", "for", "and", "a", "an"}), len(party))
    party = party[lead:]
    return " ".join(party) if [w for w in party if w.lower() != "the"] else None


def _plain(party: str) -> str:
    return re.sub(r"^the ", "", party.strip().lower().replace("’", "'"))
