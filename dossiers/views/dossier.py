"""The view of one person's dossier: identity, status, then one section per kind of claim."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ..registry import dates
from ..registry.layout import SITE_INDEX, dossier_name, href, markdown_anchor, pack_name, source_page_name
from ..registry.model import Actor, FactKind
from ..registry.screening import ScreeningRecord
from . import wording
from .fingerprint import memoised
from .join import Claim, Joined, Note, SourceView, country_name, language_label
from .plain import plain

# The sections of a dossier in reading order: (key, title). Templates show them in this order.
SECTIONS = [
    ("sanctions", "Sanctions"),
    ("positions", "Positions"),
    ("biography", "Biographical details"),
    ("relationships", "Relationships"),
    ("timeline", "Timeline"),
    ("events", "Undated events"),
    ("allegations", "Allegations and denials"),
    ("stances", "Stances"),
    ("statements", "Statements"),
]

# A body's dossier (a company, public body, party, armed force...) has the same sections, some named for what they hold.
BODY_TITLES = {
    "positions": "People connected: positions held",
    "biography": "Details",
    "relationships": "Ownership and relationships",
}


EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class Listed:
    """One record of a registered list for an entity the person is confirmed as, as the dossier prints it: its values
    as the list gives them, and its note (`citation`), to the list file and the record's id."""

    source: str  # the list's source id
    record: str  # the Sanction record's id
    authority: str  # as the list names it: 'European Union'
    program: str  # 'EU-BLR'
    provisions: str  # the measures: 'Asset freeze'
    listed: str  # the date listed, as a label: '21 June 2021'
    ended: str  # the end date, as a label, if delisted
    period: str  # 'listed since 21 June 2021', or 'formerly listed, until ...'
    reason: str  # in the list's own words
    url: str  # the record's sourceUrl, if it has one
    citation: str  # the list's title, dataset and version, the record's id, the file and its sha256

    @property
    def current(self) -> bool:
        return not self.ended


@memoised
@dataclass(frozen=True)
class Section:
    key: str
    title: str
    claims: tuple[Claim, ...]
    listed: tuple[Listed, ...] = ()  # the sanctions section's records of the registered lists, apart from the claims

    @property
    def shown(self) -> bool:
        return bool(self.claims or self.listed)


@dataclass(frozen=True)
class Worded:
    """A claim as printed: `text`, then ` (according to VOICE [n]; VOICE [n], WHEN)` when a part is relayed
    or it is dated, then `end`, then the `numbers` of its notes when nothing is relayed."""

    text: str
    voices: tuple[tuple[str, tuple[int, ...]], ...]  # who says each part, with the numbers of its notes
    when: str
    end: str
    numbers: tuple[int, ...]


@memoised
@dataclass(frozen=True)
class Dossier:
    """Everything one person's dossier shows, its notes numbered for one output.

    `worded` and `dated` give each claim shown (denials included, by fact id) as printed,
    undated or with its date, with the numbers of its notes; `notes` lists the notes in
    the order of their numbers, `passages` the passages they cite. The numbers run in the
    reading order of the packaged templates; `numbered` numbers them again in the order a
    project's own template reaches them.
    """

    actor: Actor
    kind: str
    countries: tuple[str, ...]
    aliases: tuple[tuple[str, str, str], ...]  # (name, BCP 47 tag, language label)
    curated: tuple[str, ...]  # the other names that are the analyst's own labels, given by no cited source
    # (the dataset, entity id) of each match the analyst confirmed in a list not registered
    same_as: tuple[tuple[str, str], ...]
    authorities: tuple[str, ...]  # as the cited sources report them
    # 'Listed', 'Formerly listed', 'Sanctions reported' (then the authorities), or that none are reported
    status_label: str
    status_line: str  # 'Listed: European Union (EU-BLR, since 21 June 2021). Reported in the sources: EU, US', or ...
    # the same in parts, (label, what follows it), for a template to escape the second
    status_parts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    sources: tuple[SourceView, ...]
    built: str  # the date the build is stamped with, ISO
    built_label: str
    draft: str = ""  # on every page of a draft: that it is one, and how many of its claims have open support warnings
    draft_mark: str = ""  # the same, short, for the running header
    # fact id → the claim as printed undated, its notes numbered
    worded: Mapping[str, Worded] = field(default_factory=lambda: EMPTY)
    dated: Mapping[str, Worded] = field(default_factory=lambda: EMPTY)  # fact id → the claim as printed with its date
    notes: tuple[Note, ...] = ()  # in the order of their numbers
    note_numbers: Mapping[str, int] = field(default_factory=lambda: EMPTY)  # note ref → number
    # The passages the notes cite, by source, then in the text's order: (number, its notes, 'Cited in notes').
    passages: tuple[tuple[SourceView, tuple[tuple[int, tuple[Note, ...], str], ...]], ...] = ()
    # The links of one output (`linked`): to the dossier or chapter of each person it names, to each note's passage
    # in its context (in HTML), to the site's index (on the site); and whether it ends with the source appendix (a PDF).
    links: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # actor id → link
    contexts: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # note ref → link
    index_href: str = ""
    appendix: bool = False
    absence: str = wording.ABSENCE  # what a missing sanction means, said of a person or of a body
    # when the person was last screened (screenings/*.json), against what, with what result; '' if never
    screened: str = ""
    # the authorities that list the person, for the pack's matrix: 'European Union (EU-BLR, since 21 June 2021)'
    listed_summary: str = ""

    @property
    def sanctions(self) -> tuple[Claim, ...]:
        return next(s.claims for s in self.sections if s.key == "sanctions")

    @property
    def listed(self) -> tuple[Listed, ...]:
        return next(s.listed for s in self.sections if s.key == "sanctions")

    @property
    def flagged(self) -> bool:
        """Whether the status line reports a sanction or a listing (it is printed in bold)."""
        return bool(self.authorities or self.listed)

    @property
    def shown(self) -> tuple[Claim, ...]:
        """Every claim the dossier shows, denials beside their allegations included, each once, in section order."""
        claims = {c.fact.id: c for s in self.sections for claim in s.claims for c in (claim, *claim.denials)}
        return tuple(claims.values())


def reading_order(view: Dossier) -> list[str]:
    """The refs of the notes in the order the packaged templates reach them: section by section, each claim's relayed
    voices' notes or else its own, then the denials shown beside an allegation."""
    order: list[str] = []
    for section in view.sections:
        for claim in section.claims:
            for shown in (claim, *claim.denials) if section.key == "allegations" else (claim,):
                order += [note.ref for _, notes in shown.voices for note in notes] or [note.ref for note in shown.notes]
    return order


def note_refs(view: Dossier) -> list[str]:
    """The refs of every note the dossier can show, each once: the probe marks the i-th with `token(i)`."""
    return list(dict.fromkeys(note.ref for claim in view.shown for note in claim.notes))


def numbered(
    view: Dossier, order: Iterable[str] | None = None, token: Callable[[int], object] | None = None
) -> Dossier:
    """The dossier with its notes numbered 1, 2, 3 in `order` (note refs; the packaged templates' reading order by
    default); a note not in `order` has no number, and is not listed. With `token`, each note is marked by
    `token(i)` instead of a number, and nothing is listed: the probe that tells the order a template reaches them."""
    order = reading_order(view) if order is None else order
    notes = {note.ref: note for claim in view.shown for note in claim.notes}
    refs = [ref for ref in dict.fromkeys(order) if ref in notes]
    marked = token is not None
    numbers = (
        {ref: token(index) for index, ref in enumerate(note_refs(view))}
        if token is not None
        else {ref: n for n, ref in enumerate(refs, 1)}
    )

    def of(notes_: Iterable[Note]) -> tuple:
        return tuple(numbers[note.ref] for note in notes_ if note.ref in numbers)

    def worded(claim: Claim, dated: bool) -> Worded:
        voices = tuple((voice, of(voice_notes)) for voice, voice_notes in claim.voices)
        when = claim.date if dated else ""
        shown = () if voices else of(claim.notes)
        if voices or when:
            return Worded(claim.fact.text.rstrip("."), voices, when, ".", shown)
        return Worded(claim.fact.text, (), "", "", shown)

    listed = () if marked else tuple(notes[ref] for ref in refs)
    grouped: dict[str, dict[int, list[Note]]] = {}
    for note in listed:
        grouped.setdefault(note.source.id, {}).setdefault(note.passage, []).append(note)
    passages = tuple(
        (
            source,
            tuple(
                (number, tuple(cited), wording.cited_in(len(cited)))
                for number, cited in sorted(grouped[source.id].items())
            ),
        )
        for source in view.sources
        if source.id in grouped
    )
    return replace(
        view,
        worded=MappingProxyType({c.fact.id: worded(c, False) for c in view.shown}),
        dated=MappingProxyType({c.fact.id: worded(c, True) for c in view.shown}),
        notes=listed,
        note_numbers=MappingProxyType({} if marked else numbers),
        passages=passages,
    )


def linked(view: Dossier, page: str, fmt: str) -> Dossier:
    """The dossier with the links of the output `page` (its name in the output folder) in format `fmt` (md, pdf, html):
    a dossier's own file, whose links lead to the other dossiers' files (and, on the site, to the sources' pages and
    the index), or the pack, whose links lead to its chapters and to the passages of its appendix."""
    people = {ref.id: ref.name for claim in view.shown for ref in claim.actors if ref.has_dossier}
    chapters = {ref.id for claim in view.shown for ref in claim.actors if ref.person}
    in_pack = page == pack_name(fmt)
    # a body's dossier is a file of its own, even from the pack
    links = {p: href(page, dossier_name(p, fmt)) for p in people}
    if in_pack:
        links |= {
            p: href(page, page, markdown_anchor(name)) if fmt == "md" else href(page, page, f"person-{p}")
            for p, name in people.items()
            if p in chapters
        }
    contexts = {}
    if fmt != "md":
        for note in (note for claim in view.shown for note in claim.notes):
            if fmt == "html" and not in_pack:
                contexts[note.ref] = href(page, source_page_name(note.source.id), f"passage-{note.passage}")
            else:
                contexts[note.ref] = href(page, page, f"{view.actor.id}-passage-{note.source.label}-{note.passage}")
    site = fmt == "html" and not in_pack
    return replace(
        view,
        links=MappingProxyType(links),
        contexts=MappingProxyType(contexts),
        index_href=href(page, SITE_INDEX) if site else "",
        appendix=fmt == "pdf" and not in_pack,
    )


def dossier(joined: Joined, actor_id: str) -> Dossier:
    """The view of one actor's dossier (a person's, or a body's): status first, then what they are, then what they
    did."""
    actor = joined.actors[actor_id]
    mine = joined.about.get(actor_id, [])
    by_kind = defaultdict(list)
    for claim in mine:
        by_kind[claim.fact.kind].append(claim)
    allegations = list(by_kind[FactKind.allegation])
    shown_beside = {d.fact.id for c in allegations for d in c.denials}
    allegations += [c for c in by_kind[FactKind.denial] if c.fact.id not in shown_beside]
    sanctions = by_kind[FactKind.sanction]
    authorities = list(dict.fromkeys(a for c in sanctions for a in c.authorities))  # as the sanctions list gives them
    claims = {
        "sanctions": sanctions,
        "positions": by_kind[FactKind.position],
        "biography": by_kind[FactKind.biographical],
        "relationships": by_kind[FactKind.relationship],
        "timeline": [c for c in mine if c.fact.when],
        # else nowhere: the timeline shows dated claims
        "events": [c for c in by_kind[FactKind.event] if not c.fact.when],
        "allegations": allegations,
        "stances": by_kind[FactKind.stance],
        "statements": by_kind[FactKind.statement],
    }
    shown = {c.fact.id: c for claims_of in claims.values() for claim in claims_of for c in [claim, *claim.denials]}
    cited = {note.source.id for c in shown.values() for note in c.notes}
    built = dossier_date(joined, cited)
    unsupported = sum(bool(c.unsupported) for c in shown.values())
    listed = listed_of(joined, actor)
    current = [
        (r.authority, ", ".join(filter(None, (r.program, wording.listing_period(r.listed, r.ended, short=True)))))
        for r in listed
        if r.current
    ]
    formerly = [
        (r.authority, ", ".join(filter(None, (r.program, wording.listing_period(r.listed, r.ended, short=True)))))
        for r in listed
        if not r.current
    ]
    status_label = (
        wording.LISTED
        if current
        else wording.FORMERLY_LISTED
        if formerly
        else wording.SANCTIONS_REPORTED
        if authorities
        else wording.NO_SANCTIONS
    )
    return numbered(
        Dossier(
            actor=plain(actor),
            kind=actor.kind.label,
            countries=tuple(country_name(code) for code in actor.country),
            aliases=tuple((alias.name, alias.lang or "", language_label(alias.lang)) for alias in actor.alias),
            curated=tuple(alias.name for alias in actor.alias if alias.curated),
            same_as=tuple((j.dataset or "", j.id) for j in actor.sameAs if not j.source),
            authorities=tuple(authorities),
            status_label=status_label,
            status_line=wording.status_line(current, formerly, authorities),
            status_parts=wording.status_parts(current, formerly, authorities),
            sections=tuple(
                Section(
                    key,
                    title if actor.kind.is_person else BODY_TITLES.get(key, title),
                    tuple(claims[key]),
                    listed if key == "sanctions" else (),
                )
                for key, title in SECTIONS
            ),
            sources=tuple(source for source in joined.sources.values() if source.id in cited),
            built=built,
            built_label=dates.label(built),
            draft=wording.draft_banner(unsupported) if joined.draft else "",
            draft_mark=wording.draft_mark(unsupported) if joined.draft else "",
            listed_summary="; ".join(f"{who} ({what})" for who, what in current + formerly),
            screened=last_screened(joined, actor.id),
            absence=wording.ABSENCE if actor.kind.is_person else wording.BODY_ABSENCE,
        )
    )


def screened_against(joined: Joined, record: ScreeningRecord) -> tuple[str, str]:
    """What a screening ran against, (the list, the matcher): the registered list of the same sha256 by its title and
    file, else the file's path as recorded; and the matcher with its version."""
    source = next((s for s in joined.sources.values() if s.source.sha256 == record.list.sha256), None)
    against = (
        f"{source.source.title} ({source.file_label}, sha256 {record.list.sha256[:16]}…)"
        if source
        else f"{record.list.path} (sha256 {record.list.sha256[:16]}…)"
    )
    return against, f"{record.matcher.library} {record.matcher.version} {record.matcher.algorithm}"


def last_screened(joined: Joined, actor_id: str) -> str:
    """The dossier's line on the newest screening record of the project that screened the person; '' if none did."""
    for path, record in reversed(joined.checked.screenings):
        screened = next((a for a in record.actors if a.id == actor_id), None)
        if screened is None:
            continue
        against, matcher = screened_against(joined, record)
        candidates = [c for c in screened.candidates if c.score >= record.threshold]
        confirmed = [c.id for c in candidates if c.confirmed]
        return wording.screened(
            _date_label(record.date), path, against, matcher, record.threshold, len(candidates), confirmed
        )
    return ""


def _date_label(value: str | None) -> str:
    """A list's date as a label ('21 June 2021'); one that is no ISO date (FtM allows a time after it) as the list gives
    it."""
    if not value:
        return ""
    day = value[:10]
    return dates.label(day) if dates.is_valid(day) else value


def listed_of(joined: Joined, actor: Actor) -> tuple[Listed, ...]:
    """The person's listings (`Checked.listings`), each as printed, cited to its list's file and the record's id."""
    shown = []
    for record in joined.checked.listings(actor.id):
        source = joined.sources[record.source]
        listed, ended = _date_label(record.listed), _date_label(record.ended)
        shown.append(
            Listed(
                record.source,
                record.record,
                ", ".join(record.authority) or wording.NO_AUTHORITY,
                ", ".join(record.program),
                ", ".join(record.provisions),
                listed,
                ended,
                wording.listing_period(listed, ended),
                " ".join(record.reason),
                # a web address only: no javascript:
                next((url for url in record.urls if url.lower().startswith(("https://", "http://"))), ""),
                wording.listing_citation(
                    source.source.title,
                    source.source.dataset or "",
                    source.source.version or "",
                    record.record,
                    source.file_label,
                    source.source.sha256 or "",
                ),
            )
        )
    return tuple(shown)


def dossier_date(joined: Joined, cited: set[str]) -> str:
    """A dossier is dated by the newest source it cites, so that a new source re-dates only the dossiers that cite it.

    Where the build's date is not the newest source's (SOURCE_DATE_EPOCH set, or no source
    dated), every dossier takes the build's date.
    """
    published = joined.published
    if not published or max(published.values()) != joined.built:
        return joined.built
    mine = [day for source_id, day in published.items() if source_id in cited]
    return max(mine) if mine else joined.built
