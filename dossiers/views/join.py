"""Join stage: registry ⋈ facts ⋈ sources → claims with their notes, ready to print. No I/O.

A view holds everything a template shows, already decided: the claim's words with who
says so and when, its status label, the sources it cites. Templates only lay it out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import quote as quote_url

import pycountry

from ..registry import countries, dates
from ..registry.layout import seeds_file
from ..registry.model import Actor, ActorKind, Fact, FactKind, Source
from ..verify.check import Checked
from ..verify.quotes import Passage
from . import wording
from .fingerprint import memoised
from .plain import plain


def country_name(code: str) -> str:
    """A country's name as every output and rule gives it (`registry.countries`), else its code."""
    return countries.country_name(code) or code.upper()


def language_label(tag: str | None) -> str:
    """'be' → 'Belarusian'; 'ru-Latn' → 'Russian, Latin script'."""
    if not tag:
        return ""
    language, *rest = tag.split("-")
    found = pycountry.languages.get(alpha_2=language) or pycountry.languages.get(alpha_3=language)
    label = found.name if found else language
    script = next((pycountry.scripts.get(alpha_4=part.title()) for part in rest if len(part) == 4), None)
    return f"{label}, {script.name} script" if script else label


@memoised
@dataclass(frozen=True)
class SourceView:
    source: Source
    label: str  # S1, S2, ... in the order of seeds/sources.yaml, the same in every output
    reliability_meaning: str
    published_label: str
    file_label: str = ""  # 'seeds/NAME': where the project keeps its file

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def publisher(self) -> str:
        return self.source.known_publisher or wording.PUBLISHER_UNKNOWN


@memoised
@dataclass(frozen=True)
class Note:
    """One citation as the reader sees it: its source and exact words, and whose words they are."""

    key: tuple[str, int]  # (fact id, citation index)
    source: SourceView
    quote: str  # the source's own words, white space folded
    attribution: str | None  # whom the source relays here, if anyone
    line: int
    start: int
    end: int
    repeats: str | None = None  # label of the earlier source whose words this passage repeats ("S1")
    place: str = ""  # where in the source: 'line 12', or 'p. 7, line 412' in a PDF
    link: str | None = None  # the passage on the web: a text fragment of an HTML source's URL, a PDF's page
    translation: str | None = None  # the analyst's translation of the quote
    passage: int = 0  # the number of the highlighted passage it falls in, on its source's page and in the appendix
    context: tuple[str, str, str] = ("", "", "")  # its paragraph: the words before, the quoted words, the words after

    @property
    def anchor(self) -> str:
        """The id of the note in any page, stable whatever order the notes are numbered in."""
        return f"cite-{self.key[0]}-{self.key[1]}"

    @property
    def ref(self) -> str:
        return f"{self.key[0]}#{self.key[1]}"

    @property
    def marks(self) -> tuple[str, str]:
        """The quotation marks around the quote: single ones where it begins or ends with a double one itself."""
        inner = self.quote[:1] in '“"' or self.quote[-1:] in '”"' or self.quote.rstrip(".")[-1:] in '”"'
        return ("‘", "’") if inner else ("“", "”")

    @property
    def voice(self) -> str:
        """Who says it: the party relayed, else the publisher, else the source's label."""
        if self.attribution:
            return self.attribution
        return self.source.source.known_publisher or self.source.label


def passage_link(
    source: Source, fmt: str | None, quote: str, page: int | None, prefix: str | None = None, suffix: str | None = None
) -> str | None:
    """Where a reader's click lands on the passage: an HTML page's text fragment (#:~:text=), a PDF's page (#page=).

    A quote told apart by its `prefix` or `suffix` (it occurs more than once) carries them as the fragment's
    context, `#:~:text=prefix-,start,end,-suffix` (URL Fragment Text Directives), so that the browser marks the
    occurrence cited, not the first.
    """
    if not source.url:
        return None
    url = source.url.split("#", 1)[0]
    if fmt == "pdf" and page:
        return f"{url}#page={page}"
    if fmt != "html":
        return None
    return f"{url}#:~:text={text_directive(quote, prefix, suffix)}"


def text_directive(quote: str, prefix: str | None = None, suffix: str | None = None) -> str:
    """The value of `text=`: [prefix-,]textStart[,textEnd][,-suffix], each part percent-encoded; a long quote by its
    first and last four words, a context by its words with white space folded."""
    words = quote.split()
    long = len(words) > 8  # textStart,textEnd: a long quote by its first and last words
    directive = (
        f"{_fragment(' '.join(words[:4]))},{_fragment(' '.join(words[-4:]))}" if long else _fragment(" ".join(words))
    )
    before, after = " ".join((prefix or "").split()), " ".join((suffix or "").split())
    return f"{_fragment(before) + '-,' if before else ''}{directive}{',-' + _fragment(after) if after else ''}"


def _fragment(text: str) -> str:
    """Percent-encoded for a text directive, where '-', ',' and '&' are syntax."""
    return quote_url(text, safe="").replace("-", "%2D")


@dataclass(frozen=True)
class ActorRef:
    id: str
    name: str
    # a person, or a body with facts (a company, public body, party, armed force...): states have none
    has_dossier: bool
    person: bool = True  # a person: a chapter of the pack; a body's dossier is a file of its own


@memoised
@dataclass(frozen=True)
class Claim:
    """A fact as shown: its words, status, date, actors and notes."""

    fact: Fact
    notes: tuple[Note, ...]
    actors: tuple[ActorRef, ...]
    date: str  # '17 May 2023', 'from 1994', ...
    lines: int  # independent lines of reporting among its sources: sources that share its text count once
    denials: tuple[Claim, ...] = ()  # the claims that deny it
    unsupported: tuple[str, ...] = ()  # codes of its open support warnings (only a draft prints such a claim)
    # labels of the sources that cite, as a second support, a copy of a passage it cites
    repeated_by: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return self.fact.status.value

    @property
    def status_shown(self) -> str:
        """The status to print beside the claim: '' for a plainly reported one."""
        return "" if self.status == "reported" else self.status

    @property
    def authorities(self) -> tuple[str, ...]:
        """Who imposed a sanction, as the fact gives them, or that the source names no one."""
        return tuple(self.fact.authority) or (wording.NO_AUTHORITY,)

    @property
    def subject(self) -> ActorRef:
        return self.actors[0]

    @property
    def objects(self) -> tuple[ActorRef, ...]:
        return self.actors[1:]

    @property
    def who(self) -> tuple[ActorRef, ...]:
        """Whom the claim is about, for a list of claims across people: its people, else all its actors."""
        return tuple(a for a in self.actors if a.has_dossier) or self.actors

    @property
    def sources(self) -> tuple[SourceView, ...]:
        """The sources the claim cites, each once, in order of citation."""
        return tuple({note.source.id: note.source for note in self.notes}.values())

    @property
    def unanswered(self) -> bool:
        """An allegation no cited source reports a response to."""
        return self.fact.kind == FactKind.allegation and not self.denials

    @property
    def relayed(self) -> bool:
        """Whether a part of the claim is relayed from someone the source names."""
        return any(note.attribution for note in self.notes)

    @property
    def voices(self) -> tuple[tuple[str, tuple[Note, ...]], ...]:
        """Who says each part of a relayed claim, with its notes, in order of citation; () when nothing is relayed."""
        if not self.relayed:
            return ()
        grouped: dict[str, list[Note]] = {}
        for note in self.notes:
            grouped.setdefault(note.voice, []).append(note)
        return tuple((voice, tuple(notes)) for voice, notes in grouped.items())

    @property
    def voice_names(self) -> tuple[str, ...]:
        return tuple(voice for voice, _ in self.voices)


@dataclass
class Joined:
    """The registry joined to its facts and sources."""

    checked: Checked
    actors: dict[str, Actor]
    sources: dict[str, SourceView]
    claims: dict[str, Claim]  # fact id → claim, in registry order
    built: str  # ISO date the outputs are stamped with
    about: dict[str, list[Claim]] = field(default_factory=dict)  # actor id → its claims, in date order
    # (source id, start, end) of a quote → its passage's number
    passages: dict[tuple[str, int, int], int] = field(default_factory=dict)
    draft: bool = False  # rendered with claims that have open support warnings, every page saying so

    @property
    def people(self) -> list[Actor]:
        return [a for a in self.actors.values() if a.kind.is_person]

    @property
    def with_dossiers(self) -> list[Actor]:
        """The actors a dossier is built for, in registry order: every person, and every other actor with facts but a
        state."""
        return [a for a in self.actors.values() if has_dossier(a, self.about)]

    @cached_property
    def published(self) -> dict[str, str]:
        """Source id → the ISO day it was published (the first day of a partial date), for the dated sources."""
        return {s.id: dates.floor(s.source.published).isoformat() for s in self.sources.values() if s.source.published}

    def sources_in_order(self) -> list[Source]:
        return [view.source for view in self.sources.values()]


def has_dossier(actor: Actor, about: Collection[str]) -> bool:
    """Whether a dossier is built for the actor: a person always; a company, public body, party, armed force or other
    body when facts are about it (`about`: the ids of the actors facts name); a state never."""
    return actor.kind.is_person or (actor.kind is not ActorKind.state and actor.id in about)


def by_date(claims: Iterable[Claim]) -> list[Claim]:
    """Claims in date order (a stable sort: the same date keeps registry order), undated last."""
    return sorted(claims, key=lambda c: dates.sort_key(c.fact.when))


def _repeats(checked: Checked, source_id: str, passage: Passage) -> str | None:
    """The earlier source whose words a passage of `source_id` repeats, if it lies in text the two share."""
    for shared in checked.shared:
        start, end = shared.second_span
        if shared.second == source_id and start < passage.end and passage.start < end:
            return shared.first
    return None


CONTEXT_CHARS = 300  # of the paragraph shown on either side of a quote in the source appendix


def passage_numbers(checked: Checked) -> dict[tuple[str, int, int], int]:
    """(source id, start, end) of every anchored quote → the number of its passage in that source.

    Quotes that overlap make one passage; passages are numbered in the order of the text.
    """
    facts = {fact.id: fact for fact in checked.project.registry.facts}
    spans = defaultdict(set)
    for (fact_id, index), passage in checked.anchors.items():
        spans[facts[fact_id].citations[index].source].add((passage.start, passage.end))
    numbers = {}
    for source_id, found in spans.items():
        number, reach = 0, -1
        for start, end in sorted(found):
            if start >= reach:
                number += 1
            reach = max(reach, end)
            numbers[(source_id, start, end)] = number
    return numbers


def in_paragraph(text: str, paragraphs: list[tuple[int, int]], start: int, end: int) -> tuple[str, str, str]:
    """The words of the quote's paragraph before it, the quoted words, and the words after, white space folded."""
    index = bisect_right([begin for begin, _ in paragraphs], start) - 1
    begin, finish = paragraphs[index] if index >= 0 else (start, end)
    before, after = text[begin:start], text[end : max(finish, end)]
    return _clip(before, True), " ".join(text[start:end].split()), _clip(after, False)


def _clip(text: str, before: bool) -> str:
    """At most CONTEXT_CHARS of a paragraph next to a quote, cut at a word, with an ellipsis where cut; the space
    between it and the quote kept."""
    folded = " ".join(text.split())
    if len(folded) > CONTEXT_CHARS:
        cut = folded[-CONTEXT_CHARS:] if before else folded[:CONTEXT_CHARS]
        cut = cut[cut.find(" ") + 1 :] if before else cut[: cut.rfind(" ")]
        folded = "…" + cut if before else cut + "…"
    if before and folded and text[-1:].isspace():
        folded += " "
    if not before and folded and text[:1].isspace():
        folded = " " + folded
    return folded


def join(checked: Checked, built: str, draft: bool = False) -> Joined:
    """Join the checked registry into claims; requires a check without errors. A `draft` keeps the claims that have
    open support warnings, each marked, and says so on every page."""
    project = checked.project
    sources = {
        s.id: SourceView(
            plain(s), f"S{number}", s.reliability.meaning, dates.label(s.published) or "undated", seeds_file(s.file)
        )
        for number, s in enumerate(project.sources.sources, 1)
    }
    actors = {a.id: a for a in project.registry.actors}
    about_ids = {actor_id for fact in project.registry.facts for actor_id in fact.actors}
    refs = {a.id: ActorRef(a.id, a.name, has_dossier(a, about_ids), a.kind.is_person) for a in actors.values()}
    claims = {}
    numbers = passage_numbers(checked)
    for fact in project.registry.facts:
        notes = []
        for index, citation in enumerate(fact.citations):
            passage = checked.anchors[(fact.id, index)]
            repeated = _repeats(checked, citation.source, passage)
            quote = checked.texts[citation.source].shown(passage)
            notes.append(
                Note(
                    (fact.id, index),
                    sources[citation.source],
                    quote,
                    citation.attribution,
                    passage.line,
                    passage.start,
                    passage.end,
                    sources[repeated].label if repeated else None,
                    passage.place,
                    passage_link(
                        sources[citation.source].source,
                        checked.formats.get(citation.source),
                        quote,
                        passage.page,
                        citation.prefix,
                        citation.suffix,
                    ),
                    citation.translation,
                    numbers[(citation.source, passage.start, passage.end)],
                    in_paragraph(
                        checked.texts[citation.source].text,
                        checked.paragraphs(citation.source),
                        passage.start,
                        passage.end,
                    ),
                )
            )
        lines = len({checked.lines.get(note.source.id, note.source.id) for note in notes})
        judged = checked.support.get(fact.id, [])
        unsupported = tuple(dict.fromkeys(w.code for w in judged if w.open))
        repeated = tuple(
            dict.fromkeys(
                sources[fact.citations[w.citation].source].label
                for w in judged
                if w.code == "corroboration-one-line" and w.citation is not None
            )
        )
        claims[fact.id] = Claim(
            plain(fact),
            tuple(notes),
            tuple(refs[a] for a in fact.actors),
            fact.period,
            lines,
            unsupported=unsupported,
            repeated_by=repeated,
        )
    denials = defaultdict(list)
    for claim in claims.values():
        for target in claim.fact.denies:
            denials[target].append(claim.fact.id)
    for _ in range(2):  # twice: a denial shown beside its allegation carries its own denials too
        claims = {
            fact_id: replace(claim, denials=tuple(claims[d] for d in denials[fact_id])) if denials[fact_id] else claim
            for fact_id, claim in claims.items()
        }
    about = defaultdict(list)
    for claim in claims.values():
        for actor_id in dict.fromkeys(claim.fact.actors):
            about[actor_id].append(claim)
    return Joined(
        checked, actors, sources, claims, built, {actor: by_date(mine) for actor, mine in about.items()}, numbers, draft
    )
