"""Does every printed field of a fact say what its quotes say? One table of rules, each a small function.

A quote that occurs in the source is not yet a claim the source supports. Each rule below
compares one field that prints (the text, the status, a date, an authority, a reason, a
relationship, a citation's attribution) with the quoted words, and is registered once in
`RULES` with its code, severity, the field it looks at and its docstring, as nomenklatura
lists its matching features. A rule reads a `Cited` fact and yields (field, message); the
field is a path under the fact (("text",), ("authority", 1), ("citations", 0, "attribution"))
so that every warning points at the line and column of what it judges.

A warning is a judgement owed. The analyst who has made it records it on the fact,
`waive: {code: reason}`; the warning then stays visible, as waived, and a waiver of a code
that does not fire is itself a warning (`waiver-unused`).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ..registry.countries import country_name
from ..registry.model import DATE_FIELDS, Actor, Citation, Fact, FactKind, Source, Status
from . import language as lang
from .independence import SharedText
from .names import Mention, Names
from .quotes import Passage, SourceText, normalise
from .relays import Relaying

MIN_QUOTE_WORDS = 4  # fewer words than this can be made to match almost anywhere
WAIVER_UNUSED = "waiver-unused"
Path = tuple[str | int, ...]
Findings = Iterator[tuple[Path, str]]  # what a rule yields: where in the fact, and what is wrong there
Check = Callable[["Cited"], Findings]


@dataclass(frozen=True)
class SupportWarning:
    """A sign that a fact's quotes may not carry one of its fields: the field's path under the fact, code, message;
    `waived` holds the analyst's reason when the fact waives the code."""

    field: Path
    code: str
    message: str
    severity: str = "warning"
    waived: str | None = None

    @property
    def citation(self) -> int | None:
        """The index of the citation it is about, if any."""
        index = self.field[1] if self.field[:1] == ("citations",) else None
        return index if isinstance(index, int) else None

    @property
    def open(self) -> bool:
        """A warning nobody has judged yet: it keeps the fact out of print."""
        return self.severity == "warning" and self.waived is None


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "warning" (keeps the fact out of print until fixed or waived) or "info" (printed beside it)
    looks_at: str  # the field it judges, for people
    check: Check
    doc: str


RULES: dict[str, Rule] = {}


def rule(code: str, looks_at: str, severity: str = "warning") -> Callable[[Check], Check]:
    """Register a rule in `RULES`."""

    def register(check: Check) -> Check:
        RULES[code] = Rule(code, severity, looks_at, check, " ".join((check.__doc__ or "").split()))
        return check

    return register


# -- what the rules read ----------------------------------------------------------------------


@dataclass
class Around:
    """What rules read besides the fact: the registry's names, the sources' texts, whom they relay, which copy which."""

    actors: dict[str, Actor]
    texts: dict[str, SourceText]
    sources: dict[str, Source]
    paragraphs: Callable[[str], list[tuple[int, int]]]
    lines: dict[str, str]  # source id → its line of reporting
    shared: list[SharedText]
    denied: set[str] = field(default_factory=set)  # ids of the facts a denial answers
    # (source, sentence) → each citation of it
    cited: dict[tuple[str, int], list[tuple[str, Passage, Citation]]] = field(default_factory=dict)
    _relaying: dict[str, Relaying] = field(default_factory=dict)
    _mentions: dict[str, list[Mention]] = field(default_factory=dict)
    _starts: dict[str, list[int]] = field(default_factory=dict)

    @cached_property
    def names(self) -> Names:
        return Names(list(self.actors.values()))

    def relaying(self, source_id: str) -> Relaying:
        if source_id not in self._relaying:
            self._relaying[source_id] = Relaying(
                self.texts[source_id].text, self.sources[source_id].known_publisher, self.paragraphs(source_id)
            )
        return self._relaying[source_id]

    def mentions(self, source_id: str) -> list[Mention]:
        """Every name in a source, at its offsets in the source's own text."""
        if source_id not in self._mentions:
            normal = self.texts[source_id].normal
            found = []
            for m in self.names.mentions(normal.text):
                start, end = normal.span(m.start, m.end)
                found.append(Mention(start, end, m.actor, m.full, m.ambiguous))
            self._mentions[source_id] = found
        return self._mentions[source_id]

    def mentions_in(self, source_id: str, start: int, end: int) -> list[Mention]:
        """The names that lie within [start, end) of a source."""
        found = self.mentions(source_id)
        if source_id not in self._starts:
            self._starts[source_id] = [m.start for m in found]
        first = bisect_left(self._starts[source_id], start)
        out = []
        for mention in found[first:]:
            if mention.start >= end:
                break
            if mention.end <= end:
                out.append(mention)
        return out

    def note_citations(self, facts: list[Fact], anchors: dict[tuple[str, int], Passage]) -> None:
        """Record, for each sentence cited, which facts cite it and whether as relayed: `attribution-inconsistent`
        compares them."""
        for fact in facts:
            self.denied.update(fact.denies)
            for index, citation in enumerate(fact.citations):
                passage = anchors.get((fact.id, index))
                if passage and citation.source in self.texts:
                    for sentence in self.relaying(citation.source).overlapping(passage.start, passage.end):
                        self.cited.setdefault((citation.source, sentence), []).append((fact.id, passage, citation))


@dataclass
class Cited:
    """A fact, the passages its citations anchor to (all of them), and what is around them."""

    fact: Fact
    passages: list[Passage]
    around: Around

    @cached_property
    def quotes(self) -> list[str]:
        return [normalise(p.text).text for p in self.passages]

    @cached_property
    def sentences(self) -> list[str]:
        """The whole sentences each quote is in, normalised."""
        return [
            normalise(self.around.relaying(c.source).sentence_text(p.start, p.end)).text
            for c, p in zip(self.fact.citations, self.passages)
        ]

    @cached_property
    def quoted_mentions(self) -> list[list[Mention]]:
        """The names inside each quote."""
        return [self.around.mentions_in(c.source, p.start, p.end) for c, p in zip(self.fact.citations, self.passages)]

    @cached_property
    def sentence_mentions(self) -> list[list[Mention]]:
        """The names in each quote's sentences, at offsets in those sentences (as `sentences_raw` has them)."""
        out = []
        for citation, passage in zip(self.fact.citations, self.passages):
            relaying = self.around.relaying(citation.source)
            indexes = relaying.overlapping(passage.start, passage.end)
            begin = relaying.sentences[indexes[0]].start if indexes else passage.start
            end = relaying.sentences[indexes[-1]].end if indexes else passage.end
            out.append(
                [
                    Mention(m.start - begin, m.end - begin, m.actor, m.full, m.ambiguous)
                    for m in self.around.mentions_in(citation.source, begin, end)
                ]
            )
        return out

    @cached_property
    def sentences_raw(self) -> list[str]:
        return [
            self.around.relaying(c.source).sentence_text(p.start, p.end)
            for c, p in zip(self.fact.citations, self.passages)
        ]

    @cached_property
    def named(self) -> set[str]:
        """The actors some quote names."""
        return {m.actor for found in self.quoted_mentions for m in found}

    @cached_property
    def text(self) -> str:
        return normalise(self.fact.text).text

    @cached_property
    def text_mentions(self) -> list[Mention]:
        return self.around.names.mentions(self.text, set(self.fact.actors))

    @cached_property
    def claim_stems(self) -> frozenset[str]:
        """The content words of every field that prints the claim."""
        fact = self.fact
        return lang.content_stems(
            " ".join(filter(None, [fact.text, fact.reason, fact.program, fact.relationship, *fact.authority]))
        )

    def name(self, actor_id: str) -> str:
        actor = self.around.actors.get(actor_id)
        return f"{actor.name} ({actor_id})" if actor else actor_id


# -- the rules --------------------------------------------------------------------------------


@rule("quote-too-short", "citations: quote")
def quote_too_short(c: Cited) -> Findings:
    """A quote of fewer than four words matches almost anywhere."""
    for index, quote in enumerate(c.quotes):
        words = len(quote.split())
        if words < MIN_QUOTE_WORDS:
            yield (
                ("citations", index, "quote"),
                f"the quote has {words} word{'s' * (words != 1)}; one of fewer than {MIN_QUOTE_WORDS} matches almost "
                "anywhere: quote the words that carry the claim",
            )


@rule("quote-spans-paragraphs", "citations: quote")
def quote_spans_paragraphs(c: Cited) -> Findings:
    """A quote that runs across a paragraph break joins what the source keeps apart."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        if not any(
            start <= passage.start and passage.end <= end for start, end in c.around.paragraphs(citation.source)
        ):
            yield (
                ("citations", index, "quote"),
                "the quote runs across a paragraph break: cite each paragraph separately",
            )


@rule("claim-actor-unquoted", "actors")
def actor_unquoted(c: Cited) -> Findings:
    """An actor of the fact whom no quote names: by name, another name, a person's surname (a surname two people share
    counts for the one the source last named in full), or the first name that tells them apart."""
    for position, actor_id in enumerate(c.fact.actors):
        if actor_id in c.around.actors and actor_id not in c.named and actor_id not in c.fact.actors[:position]:
            yield (
                ("actors", position),
                f"'{actor_id}' ({c.around.actors[actor_id].name}) is named in none of this fact's quotes: cite the "
                "words that name them, or take them out of 'actors'",
            )


@rule("claim-name-unquoted", "text")
def name_unquoted(c: Cited) -> Findings:
    """A person of the registry whom the text names and no quote does ("Viktor Khrenin chaired" where the quote says
    Revenko)."""
    shown = set()
    for mention in c.text_mentions:
        actor = mention.actor
        if mention.ambiguous or actor in shown or actor not in c.around.names.people or actor in c.named:
            continue
        shown.add(actor)
        yield (
            ("text",),
            f"the text names {c.name(actor)}, whom none of this fact's quotes names: say only what the quotes say, or "
            "cite the words that name them",
        )


@rule("claim-actor-confused", "actors")
def actor_confused(c: Cited) -> Findings:
    """The text names one person and `actors` lists another who shares their surname (Sergei Sheiman for Viktor)."""
    names = c.around.names
    in_text = {m.actor for m in c.text_mentions if m.full and not m.ambiguous}
    for mention in c.text_mentions:
        other = mention.actor
        if not mention.full or other in c.fact.actors or other not in names.people:
            continue
        surname = c.around.actors[other].name.split()[-1]
        for position, actor_id in enumerate(c.fact.actors):
            if actor_id != other and actor_id in names.bearers.get(surname, ()) and actor_id not in in_text:
                yield (
                    ("actors", position),
                    f"the text names {c.name(other)}, but 'actors' lists {c.name(actor_id)}, who shares the surname: "
                    "list the person the text means",
                )


_SPEAKS = re.compile(r"^(.*?)\b(?:said|says|told|stated|added|noted|wrote|argued|warned|called|described|announced)\b")


@rule("statement-speaker", "text (of a statement)")
def statement_speaker(c: Cited) -> Findings:
    """A statement whose text gives a speaker that no quote has speaking: the speaker must be whom a quote relays, or
    its attribution."""
    if c.fact.kind != FactKind.statement:
        return
    found = _SPEAKS.match(c.text)
    if not found:
        return
    speaker = found.group(1).split(",")[0].strip()
    wanted = {w for w in lang.tokens(speaker) if w not in lang.STOPWORDS} & {
        w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", speaker)
    }
    if not wanted:
        return
    speakers = []
    for citation, passage in zip(c.fact.citations, c.passages):
        party = c.around.relaying(citation.source).relayed_party(passage.start, passage.end)
        speakers.append(" ".join(filter(None, [citation.attribution, party])))
    if not any(wanted <= set(lang.tokens(s)) for s in speakers):
        yield (
            ("text",),
            f"the text has {speaker} speaking, and no quote does (they relay: "
            f"{'; '.join(s for s in speakers if s) or 'no one'}): give the speaker the quotes give",
        )


ROLE_WORDS = 6  # words at most between two names in a text, for the words between them to say who did what to whom


@dataclass(frozen=True)
class Pair:
    """Two names that follow one another in a clause: who comes first, who second, the content words between them, and
    whether those words are passive ('was welcomed by'): a passive puts the doer second."""

    first: str
    second: str
    words: frozenset[str]
    passive: bool

    def agent_first(self) -> tuple[str, str]:
        """The two actors, the one who acts first."""
        return (self.second, self.first) if self.passive else (self.first, self.second)


def _clause_pairs(
    text: str, mentions: list[Mention], actors: set[str], clause_breaks: str, reach: int = 0
) -> list[Pair]:
    """Each two names that follow one another (of different actors of the fact, in one clause, at most `reach` words
    apart if `reach`), with the content words between them."""
    mine = [m for m in mentions if m.actor in actors and not m.ambiguous]
    merged: list[Mention] = []
    for m in mine:
        if merged and merged[-1].actor == m.actor and m.start <= merged[-1].end:
            continue
        merged.append(m)
    pairs = []
    for a, b in itertools.pairwise(merged):
        between = _untitled(text[a.end : b.start])
        if (
            a.actor != b.actor
            and not re.search(clause_breaks, between)
            and not (reach and len(between.split()) > reach)
        ):
            pairs.append(Pair(a.actor, b.actor, lang.content_stems(between), "by" in lang.tokens(between)))
    return pairs


def _untitled(between: str) -> str:
    """The words between two names without the capitalised words just before the second ('was welcomed by President'):
    a title goes with the name, not with the role."""
    words = between.split()
    while words and words[-1][:1].isupper():
        words.pop()
    return " ".join(words)


def _swapped(told: Pair, quoted: list[Pair]) -> str | None:
    """A word the quote shares with `told` around the same two actors in the other roles, if the quote never has them in
    the same roles around a shared word; active and passive voice ('X welcomed Y', 'Y was welcomed by X') agree."""
    same = [q for q in quoted if told.words & q.words and set(q.agent_first()) == {told.first, told.second}]
    if not same or any(q.agent_first() == told.agent_first() for q in same):
        return None
    return sorted(told.words & same[0].words)[0]


@rule("claim-roles-swapped", "text")
def roles_swapped(c: Cited) -> Findings:
    """Two actors the text puts the other way round from the quote around the same words ("Mnangagwa was welcomed by
    President Lukashenko" where Lukashenko "was welcomed by President Emmerson Mnangagwa"); a change of voice
    ("President Mnangagwa welcomed Lukashenko") keeps the roles."""
    actors = set(c.fact.actors)
    told = _clause_pairs(c.text, c.text_mentions, actors, r"[;.!?]", ROLE_WORDS)
    quoted = [
        pair
        for sentence, mentions in zip(c.sentences_raw, c.sentence_mentions)
        for pair in _clause_pairs(sentence, mentions, actors, r"[;!?]|\.\s")
    ]
    for pair in told:
        word = _swapped(pair, quoted)
        if word:
            yield (
                ("text",),
                f"the text has {c.name(pair.first)} before '{word}…' and {c.name(pair.second)} after; the quote has "
                "them in each other's roles: say who did what as the quote does",
            )
            return


@rule("status-hedged", "status")
def status_hedged(c: Cited) -> Findings:
    """A fact printed as reported while its quoted sentences hedge it (alleged, accused, claimed, reportedly...), and
    its
    text does not; or an allegation printed as reported, which drops its 'Alleged:' label. A hedge counts when the words
    it governs are quoted ("was in Harare on October 30" out of "Sheiman, sanctioned over alleged abuses and suspect
    deals, was in Harare" rests on no hedged word)."""
    fact = c.fact
    if fact.status != Status.reported or fact.kind == FactKind.denial:
        return
    words = _family_words(c.sentences, lang.ALLEGING)
    if fact.kind == FactKind.allegation:
        said = f"; the quotes say '{words[0]}'" if words else ""
        yield (
            ("status",),
            f"an allegation printed as reported loses its 'Alleged:' label{said}: set 'status: alleged' (or denied, "
            "disputed)",
        )
        return
    if set(lang.tokens(fact.text)) & lang.ALLEGING:
        return
    for sentence, quote in zip(c.sentences, c.quotes):
        quoted = lang.content_stems(quote)  # what a hedge governs counts where this citation quotes it
        for match in re.finditer(r"[\w']+", sentence):
            if (
                match.group().lower() in lang.ALLEGING
                and lang.content_stems(lang.clause_after(sentence, match.end())) & c.claim_stems & quoted
            ):
                yield (
                    ("status",),
                    f"the quote says '{match.group()}' of what the text states as fact: set 'status: alleged', or word "
                    "the text as the source does",
                )
                return


@rule("status-denial-unmarked", "status")
def status_denial_unmarked(c: Cited) -> Findings:
    """A claim whose quoted sentences report a denial (denied, rejected, dismissed...) printed without it: neither
    'status: denied' nor a denial fact that answers it."""
    fact = c.fact
    if fact.status in (Status.denied, Status.disputed) or fact.kind == FactKind.denial or fact.id in c.around.denied:
        return
    if set(lang.tokens(fact.text)) & lang.DENYING:
        return
    for sentence in c.sentences:
        found = [w for w in lang.tokens(sentence) if w in lang.DENYING]
        if found and len(lang.content_stems(sentence) & c.claim_stems) >= 2:
            yield (
                ("status",),
                f"the quoted sentence reports a denial ('{found[0]}'): set 'status: denied', or add the denial as a "
                "fact that 'denies' this one",
            )
            return


@rule("status-unsupported", "status")
def status_unsupported(c: Cited) -> Findings:
    """'alleged' where no quoted sentence hedges and nothing is relayed, or 'denied' where no quoted sentence denies and
    no denial fact answers it."""
    fact = c.fact
    if (
        fact.status == Status.alleged
        and not _family_words(c.sentences, lang.ALLEGING)
        and not any(x.attribution for x in fact.citations)
    ):
        yield (
            ("status",),
            "'alleged', but no quote hedges or relays it: the source states it; set 'status: reported', or cite the "
            "words that make it a claim",
        )
    if fact.status == Status.denied and not _family_words(c.sentences, lang.DENYING) and fact.id not in c.around.denied:
        yield (
            ("status",),
            "'denied', but no quote reports a denial and no denial fact answers this one: cite the denial, or set the "
            "status the quotes give",
        )


def _family_words(sentences: list[str], family: frozenset[str]) -> list[str]:
    return [w for s in sentences for w in lang.tokens(s) if w in family]


@rule("claim-negation-mismatch", "text")
def negation_mismatch(c: Cited) -> Findings:
    """A word negated on one side only (not, never, no, n't, neither, nor, and 'refused to', 'failed to'): the text says
    'has not backed' where the quote says 'has backed', or the other way round; two negations cancel."""
    text_words = lang.tokens(c.text)
    quoted = [lang.tokens(s) for s in c.sentences]
    told: dict[str, set[int]] = {}
    for j, word in enumerate(text_words):
        if word not in lang.STOPWORDS and word not in lang.NEGATIONS:
            told.setdefault(lang.stem(word), set()).add(lang.negations_before(text_words, j) % 2)
    said: dict[str, set[int]] = {}
    shown: dict[str, str] = {}
    for q in quoted:
        for j, word in enumerate(q):
            if lang.stem(word) in told:
                said.setdefault(lang.stem(word), set()).add(lang.negations_before(q, j) % 2)
                shown.setdefault(lang.stem(word), word)
    for stem, parities in told.items():
        if stem in said and (1 in parities or 1 in said[stem]) and not parities & said[stem]:
            how = ("negates", "does not") if 1 in parities else ("does not negate", "does")
            yield ("text",), f"the text {how[0]} '{shown[stem]}' and the quote {how[1]}: say what the quote says"
            return


@rule("claim-number-unquoted", "text, reason")
def number_unquoted(c: Cited) -> Findings:
    """A number of the text or the reason (in digits or words: 'five', 'thirty-five thousand') or a magnitude
    ('thousands',
    'tens of thousands', 'dozens') that no quote gives; a year the dateNote names is derived, not quoted."""
    found = lang.quantities(" ".join(c.quotes), pairs=True)
    quoted = {q.value for q in found}
    quoted_shown = list(dict.fromkeys(q.shown for q in found if q.shown.lower() not in lang.PAIRS))
    derived = {str(y) for y in lang.date_parts(c.fact.dateNote or "").years}
    for name in ("text", "reason"):
        value = getattr(c.fact, name)
        if not value:
            continue
        missing = list(
            dict.fromkeys(
                q.shown
                for q in lang.quantities(c.text if name == "text" else normalise(value).text)
                if q.value not in quoted and q.value not in derived
            )
        )
        if missing:
            given = f" (they give: {', '.join(quoted_shown)})" if quoted_shown else ""
            yield (
                (name,),
                (
                    f"{', '.join(missing)} appear{'s' * (len(missing) == 1)} in none of this fact's quotes{given}: "
                    "cite "
                    "the words that give it, "
                    "or say in 'dateNote' how a year was derived"
                ),
            )


@rule("date-unquoted", f"{', '.join(DATE_FIELDS)}; the months the text names")
def date_unquoted(c: Cited) -> Findings:
    """Each part of a date (year, month, day) that no quote gives and the dateNote does not derive by naming it: a note
    that explains the year does not vouch for the day ("MILEX 2023 … on 17 May" gives no 18 May)."""
    quoted = lang.date_parts(" ".join(c.quotes))
    note = lang.date_parts(c.fact.dateNote or "")
    given = [str(y) for y in sorted(quoted.years)] + [
        f"{day} {lang.MONTH_NAMES[month]}" for month, day in sorted(quoted.days)
    ]
    given += [lang.MONTH_NAMES[m] for m in sorted(quoted.months) if not any(month == m for month, _ in quoted.days)]
    they_give = f" (they give: {', '.join(given)})" if given else ""
    for name, value in c.fact.filled_dates():
        parts = [int(p) for p in value.split("-")]
        missing = []
        if parts[0] not in quoted.years | note.years:
            missing.append(f"the year {parts[0]}")
        if len(parts) > 1 and parts[1] not in quoted.months | note.months:
            missing.append(f"the month ({lang.MONTH_NAMES[parts[1]]})")
        if len(parts) > 2 and (parts[1], parts[2]) not in quoted.days | note.days:
            missing.append(f"the day ({parts[2]} {lang.MONTH_NAMES[parts[1]]})")
        if missing:
            yield (
                (name,),
                (
                    f"{name} {value}: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} in none of this "
                    f"fact's quotes{they_give}, "
                    "and the dateNote does not derive it: cite the words that give it, or name in 'dateNote' what you "
                    "derived and how"
                ),
            )
    for month in dict.fromkeys(lang.month_mentions(c.text)):
        if month not in quoted.months | note.months:
            yield (
                ("text",),
                f"the text names {lang.MONTH_NAMES[month]}, which is in none of this fact's quotes{they_give} nor its "
                "dateNote: say what the quotes say",
            )


_AUTHORITIES = {  # an authority as a registry writes it → how sources name it (case-sensitive when in capitals)
    "EU": ("EU", "E.U.", "European Union", "Brussels", "European Council"),
    "US": ("US", "U.S.", "USA", "United States", "Washington", "Treasury", "OFAC", "State Department", "American"),
    "UK": ("UK", "U.K.", "United Kingdom", "Britain", "British", "London", "OFSI", "Foreign Office"),
    "UN": ("UN", "U.N.", "United Nations", "Security Council"),
    "CA": ("Canada", "Canadian", "Ottawa"),
    "CH": ("Switzerland", "Swiss", "SECO"),
    "AU": ("Australia", "Australian", "Canberra"),
    "JP": ("Japan", "Japanese", "Tokyo"),
    "NZ": ("New Zealand",),
    "UA": ("Ukraine", "Ukrainian", "Kyiv"),
}
_AUTHORITY_ALIASES = {alias.lower(): key for key, aliases in _AUTHORITIES.items() for alias in (key, *aliases)}
_VAGUE = lang.vocabulary(
    "western west international unspecified various several multiple foreign other others "
    "community countries the of and"
)


def _vague(authority: str) -> bool:
    """'Western (unspecified)', 'the international community': words that name no one who lists anyone."""
    return all(w in _VAGUE for w in lang.tokens(authority))


@rule("sanction-authority-vague", "authority")
def authority_vague(c: Cited) -> Findings:
    """An authority that names no one ("Western", "international"): a vague phrase is not a listing; record what the
    source says as a statement."""
    for position, authority in enumerate(c.fact.authority):
        if _vague(authority):
            yield (
                ("authority", position),
                (
                    f"'{authority}' names no authority that lists anyone: name the authority the source names (EU, US, "
                    "UK, "
                    "UN...), "
                    "or record the source's words as a statement, not a sanction"
                ),
            )


@rule("sanction-authority-unquoted", "authority")
def authority_unquoted(c: Cited) -> Findings:
    """A sanctioning authority no quote names (EU: EU, European Union; US: US, United States, Washington, Treasury; UK:
    UK, Britain...)."""
    quoted = " ".join(c.quotes)
    for position, authority in enumerate(c.fact.authority):
        if _vague(authority):
            continue
        key = _AUTHORITY_ALIASES.get(authority.lower().strip())
        country = country_name(authority) if re.fullmatch(r"[A-Z]{2}", authority) else None  # 'SG' → 'Singapore' (CLDR)
        forms = (key, *_AUTHORITIES[key]) if key else (authority, country) if country else (authority,)
        if not any(
            re.search(
                rf"(?<![\w.]){re.escape(form)}(?![\w])",
                quoted,
                0 if form.isupper() or len(form) <= 4 else re.IGNORECASE,
            )
            for form in forms
        ):
            yield (
                ("authority", position),
                f"no quote names '{authority}' ({', '.join(forms[1:4]) or authority}) as imposing a sanction: cite the "
                "words that name the authority, or fix it",
            )


@rule("sanction-reason-unquoted", "reason, program")
def reason_unquoted(c: Cited) -> Findings:
    """A sanction's reason (or programme) whose words no quote carries: the reason prints and is exported to
    FollowTheMoney."""
    quoted = lang.content_stems(" ".join(c.quotes))
    for name in ("reason", "program"):
        value = getattr(c.fact, name)
        if value:
            missing = sorted(lang.content_stems(value) - quoted)
            if missing:
                yield (
                    (name,),
                    f"the {name} says what no quote does ({', '.join(missing[:6])}): give the {name} in the source's "
                    "words, or cite them",
                )


_RELATIONS = {
    **dict.fromkeys(("son", "daughter", "child", "sons", "daughters", "children"), "child"),
    **dict.fromkeys(("father", "mother", "parent", "parents"), "parent"),
    **dict.fromkeys(("nephew", "niece"), "nephew"),
    **dict.fromkeys(("uncle", "aunt"), "uncle"),
    **dict.fromkeys(("grandson", "granddaughter", "grandchild"), "grandchild"),
    **dict.fromkeys(("grandfather", "grandmother", "grandparent"), "grandparent"),
    "predecessor": "predecessor",
    "preceded": "predecessor",
    "successor": "successor",
    "succeeded": "successor",
    "owned": "owned",
    "controlled": "owned",
    "owner": "owner",
    "owns": "owner",
    "controls": "owner",
    "co-owner": "owner",
}
_SYMMETRIC = lang.content_stems(
    "met meeting meet ally allies close associate associated partner partners friend "
    "friends rival rivals cousin sibling brother sister married spouse colleague"
)
_INVERSE = {
    "parent": "child",
    "uncle": "nephew",
    "grandparent": "grandchild",
    "successor": "predecessor",
    "owner": "owned",
}
_RELATION_WORD = re.compile(
    r"\b(?:co-)?(" + "|".join(sorted(_RELATIONS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
READING_REACH = 200  # characters either side of a relationship's word where its two names are looked for
_KIN_FILLER = r"(?:(?:late|eldest|elder|younger|youngest|only|former|\w+-year-old)\s+)?"


def _oriented(subject: str, relation: str, other: str) -> tuple[str, str, str]:
    """'X parent Y' as 'Y child X': each relation one way round, to compare."""
    return (other, subject, _INVERSE[relation]) if relation in _INVERSE else (subject, other, relation)


def _readings(sentence: str, mentions: list[Mention]) -> set[tuple[str, str, str]]:
    """What a sentence says of family, ownership and succession: 'Y's son X', 'X, son of Y', 'X is co-owned by Y', 'his
    predecessor X'."""
    found = set()
    starts = [m.start for m in mentions]
    for match in _RELATION_WORD.finditer(sentence):
        relation = _RELATIONS[match.group(1).lower()]
        begin, end = max(0, match.start() - READING_REACH), match.end() + READING_REACH
        before, after = sentence[begin : match.start()], sentence[match.end() : end]
        # the names near the word (a list sorted by where they begin), so that a long sentence costs no more than a
        # short one
        near = mentions[bisect_left(starts, begin) : bisect_left(starts, end)]
        after_by = re.match(r"\s+by\s+", after)
        if relation == "owned" and after_by:
            clause_end = re.search(r"[;.!?](?:\s|$)", after)
            limit = match.end() + (clause_end.start() if clause_end else len(after))
            owned = [
                m
                for m in near
                if m.end <= match.start() and not re.search(r"[;.!?]\s", sentence[m.end : match.start()])
            ]
            for owner in (m for m in near if match.end() < m.start < limit):
                if owned and owned[-1].actor != owner.actor:
                    found.add(_oriented(owned[-1].actor, "owned", owner.actor))
            continue
        nxt = next(
            (
                m
                for m in near
                if m.start >= match.end()
                and re.fullmatch(r"[\s,]*(?:(?:the|a|named|late|his|her)\s+)*", sentence[match.end() : m.start])
            ),
            None,
        )
        possessive = re.search(rf"(?:['’]s|\b(?:his|her|their))\s+{_KIN_FILLER}$", before)
        if possessive:  # its offsets in the sentence
            possessive = (begin + possessive.start(), begin + possessive.end(), possessive.group())
        if possessive and nxt:
            holder = [
                m
                for m in near
                if m.end <= possessive[1]
                and m.actor != nxt.actor
                and (m.end >= possessive[0] or possessive[2].lstrip()[:1] in "hHtT")
            ]
            if holder:
                found.add(_oriented(nxt.actor, relation, holder[-1].actor))
            continue
        of = re.match(r"\s+(?:of|to)\s+", after)
        if of:
            target = next(
                (
                    m
                    for m in near
                    if m.start >= match.end()
                    and re.fullmatch(r"\s+(?:of|to)\s+(?:(?:the|late|former)\s+)*", sentence[match.end() : m.start])
                ),
                None,
            )
            subject = [
                m
                for m in near
                if m.end <= match.start()
                and re.fullmatch(
                    r"[\s,]*(?:(?:is|was|the|a|an|his|her|became|as)\s+)*", sentence[m.end : match.start()]
                )
            ]
            if target and subject and subject[-1].actor != target.actor:
                found.add(_oriented(subject[-1].actor, relation, target.actor))
            continue
        if (
            relation in ("owner", "successor", "predecessor")
            and match.group(1).lower() in ("owns", "controls", "succeeded", "preceded")
            and nxt
        ):
            subject = [
                m for m in near if m.end <= match.start() and not re.search(r"[,;.!?]", sentence[m.end : match.start()])
            ]
            if subject and subject[-1].actor != nxt.actor:
                found.add(_oriented(subject[-1].actor, relation, nxt.actor))
    return found


@rule("relationship-direction", "relationship (with the order of actors)")
def relationship_direction(c: Cited) -> Findings:
    """A relationship the quote words the other way round: family, ownership and succession read from the quote's own
    wording ("Sheiman’s son Sergei", "X, son of Y", "his predecessor X", "co-owned by"), any other relationship by the
    order of the two names around its words ("Lukashenko ... was welcomed by ... Mnangagwa"). The first actor is the
    one the relationship describes: the dossier prints 'first relationship others'."""
    fact = c.fact
    if fact.kind != FactKind.relationship or not fact.relationship or fact.actors[0] not in c.around.actors:
        return
    actors = set(fact.actors)
    others = [o for o in fact.actors[1:] if o != fact.actors[0]]
    word = _RELATION_WORD.search(fact.relationship)
    if word:
        claimed = {_oriented(fact.actors[0], _RELATIONS[word.group(1).lower()], other) for other in others}
        read = set()
        for sentence, mentions in zip(c.sentences_raw, c.sentence_mentions):
            read |= _readings(sentence, [m for m in mentions if m.actor in actors and not m.ambiguous])
        reversed_ = any((y, x, r) in read and (x, y, r) not in read for x, y, r in claimed)
    else:
        words = lang.content_stems(fact.relationship)
        if words <= _SYMMETRIC:
            return  # "met with", "close ally of": either way round says the same
        quoted = [
            pair
            for sentence, mentions in zip(c.sentences_raw, c.sentence_mentions)
            for pair in _clause_pairs(sentence, mentions, actors, r"[;!?]|\.\s")
        ]
        passive = "by" in lang.tokens(fact.relationship)
        reversed_ = any(_swapped(Pair(fact.actors[0], other, words, passive), quoted) for other in others)
    if reversed_:
        names = ", ".join(c.around.actors[o].name for o in others if o in c.around.actors)
        yield (
            ("relationship",),
            (
                f"the quote has it the other way round: this prints '{c.around.actors[fact.actors[0]].name} "
                f"{fact.relationship} {names}'; "
                "put first the actor the relationship describes, or reword the relationship"
            ),
        )


def _parties(attribution: str) -> list[set[str]]:
    """The words that name each party an attribution gives: 'BelTA, from the press service of the Defense Ministry' →
    [{'belta'}, {'press', 'service'}]; 'rivals and the West' → [{'west'}]."""
    out = []
    for part in re.split(r",|;| as cited by | citing | from | via | quoted by | according to ", attribution):
        part = part.split(" of ")[0]  # 'the press service of the Defense Ministry' is named 'the press service'
        capitals = {
            w.lower().replace("’", "'").removesuffix("'s")
            for w in re.findall(r"[A-Z][\w'’-]*", part)
            if w not in ("The", "A", "An")
        }
        words = capitals or {w for w in lang.tokens(part) if w not in lang.STOPWORDS}
        if words:
            out.append(words)
    return out


@rule("attribution-unquoted", "citations: attribution")
def attribution_unquoted(c: Cited) -> Findings:
    """An attribution whose party is named neither in the quoted sentence nor in the account it goes on with (the last
    sentence before it that relays anyone): a passage attributed to a party who is nowhere near it."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        if not citation.attribution:
            continue
        near = {
            w.removesuffix("'s")
            for w in lang.tokens(normalise(c.around.relaying(citation.source).near(passage.start, passage.end)).text)
        }
        parties = _parties(citation.attribution)
        if parties and not any(words <= near for words in parties):
            yield (
                ("citations", index, "attribution"),
                (
                    f"'{citation.attribution}' is named neither in the quoted sentence nor in the account it goes on "
                    "with: "
                    "attribute the passage to whom the source says speaks, or to no one if the words are the source's "
                    "own"
                ),
            )


@rule("own-voice-relayed", "citations: ownVoice")
def own_voice_relayed(c: Cited) -> Findings:
    """`ownVoice: true` on a sentence that itself says whom it relays ("according to The Associated Press"): nothing in
    it is the source's own."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        if citation.ownVoice:
            party = c.around.relaying(citation.source).whole_relay(passage.start, passage.end)
            if party:
                yield (
                    ("citations", index, "ownVoice"),
                    f"the quoted sentence says it relays {party}: its words are not the source's own; add "
                    f"'attribution: {party}' instead of 'ownVoice'",
                )


@rule("relay-unattributed", "citations: quote")
def relay_unattributed(c: Cited) -> Findings:
    """A passage that relays someone ("according to X", "X said", "..., X noted", or a sentence that goes on with X's
    account) cited without an `attribution`."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        if citation.attribution or citation.ownVoice:
            continue
        party = c.around.relaying(citation.source).relayed_party(passage.start, passage.end)
        if party:
            yield (
                ("citations", index, "quote"),
                f"the source relays {party} here: add 'attribution: {party}' (or whom the source names), or 'ownVoice: "
                "true' if these words are the source's own",
            )


# other citations of one sentence compared with each citation of it: a sentence a thousand facts cite costs no more
CITED_COMPARED = 100


@rule("attribution-inconsistent", "citations: attribution")
def attribution_inconsistent(c: Cited) -> Findings:
    """Words this fact cites as the source's own while another fact cites them as relayed by a party the sentence does
    not name (or the other way round): the two readings cannot both be right; make them agree with the text."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        relaying = c.around.relaying(citation.source)
        for sentence in relaying.overlapping(passage.start, passage.end):
            said = set(lang.tokens(normalise(relaying.sentence_text(passage.start, passage.end)).text))
            for fact_id, other, theirs in c.around.cited.get((citation.source, sentence), [])[:CITED_COMPARED]:
                if (
                    fact_id == c.fact.id
                    or not (other.start < passage.end and passage.start < other.end)
                    or theirs.ownVoice
                    or citation.ownVoice
                ):
                    continue
                if bool(theirs.attribution) == bool(citation.attribution):
                    continue
                attribution = theirs.attribution or citation.attribution or ""  # one of them has one
                if any(words <= said for words in _parties(attribution)):
                    continue  # the sentence names the party: the attribution is the text's, not a reading
                how = (
                    "as the source's own words" if theirs.attribution is None else f"as relayed by {theirs.attribution}"
                )
                yield (
                    ("citations", index, "attribution" if citation.attribution else "quote"),
                    (
                        f"'{fact_id}' cites these words {how}, and the sentence names no one it relays: make the two "
                        "agree "
                        "with what the text says of it"
                    ),
                )
                break
            else:
                continue
            break


@rule("citation-padding", "citations: quote")
def citation_padding(c: Cited) -> Findings:
    """A citation that shares nothing with the claim but an actor's name (no number, no other word): cited only so that
    the actor check passes. A sentence just before a cited one that opens with 'He' or 'She' tells who that is, and is
    kept."""
    claim_numbers = {q.value for q in lang.quantities(c.text)}
    for index, (passage, quote) in enumerate(zip(c.passages, c.quotes)):
        names = c.quoted_mentions[index]
        bare = normalise(_without(passage.text, [(m.start - passage.start, m.end - passage.start) for m in names])).text
        if lang.content_stems(bare) & c.claim_stems or {q.value for q in lang.quantities(quote)} & claim_numbers:
            continue
        if _introduces(c, index):
            continue
        yield (
            ("citations", index, "quote"),
            "this quote shares nothing with the claim but a name: it supports none of it; cite the words that carry "
            "the claim, or take it out",
        )


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans (which may overlap) blanked out."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _introduces(c: Cited, index: int) -> bool:
    """Whether the sentence after citation `index` is cited by the fact too and opens with a pronoun that points
    back."""
    citation, passage = c.fact.citations[index], c.passages[index]
    relaying = c.around.relaying(citation.source)
    here = relaying.overlapping(passage.start, passage.end)
    if not here or here[-1] + 1 >= len(relaying.sentences):
        return False
    following = relaying.sentences[here[-1] + 1]
    opens = re.match(r"\W*(He|She|His|Her|They|Their)\b", relaying.text[following.start : following.end])
    return bool(opens) and any(
        other.source == citation.source and p.start < following.end and following.start < p.end
        for other, p in zip(c.fact.citations, c.passages)
    )


@rule("corroboration-one-line", "citations: source", severity="info")
def one_line(c: Cited) -> Findings:
    """A fact that cites a passage and its copy in another source: one line of reporting, printed at the fact as
    such."""
    for index, (citation, passage) in enumerate(zip(c.fact.citations, c.passages)):
        for shared in c.around.shared:
            start, end = shared.second_span
            if shared.second != citation.source or not (start < passage.end and passage.start < end):
                continue
            first_start, first_end = shared.first_span
            if any(
                other.source == shared.first and p.start < first_end and first_start < p.end
                for other, p in zip(c.fact.citations, c.passages)
            ):
                yield (
                    ("citations", index, "source"),
                    f"'{citation.source}' repeats '{shared.first}' word for word here: one line of reporting, which "
                    "counts once",
                )
                break


# -- running them ---------------------------------------------------------------------------


def support_warnings(cited: Cited) -> list[SupportWarning]:
    """Every rule's warnings on a fact, each waived where the fact waives its code; then a warning for each waiver of a
    code that did not fire."""
    waive = cited.fact.waive
    found = []
    for code, entry in RULES.items():
        for path, message in entry.check(cited):
            found.append(SupportWarning(path, code, message, entry.severity, waive.get(code)))
    fired = {w.code for w in found}
    for code in waive:
        if code not in fired:
            known = "" if code in RULES else f" ('{code}' is not a support rule)"
            found.append(
                SupportWarning(
                    ("waive", code),
                    WAIVER_UNUSED,
                    f"'{code}' is waived, but does not fire on this fact{known}: remove the waiver",
                )
            )
    return found
