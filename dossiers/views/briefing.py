"""The view of the briefing pack: cover, summary, matrix, network, timeline, chapters; and its parts.

A large pack is rendered in pieces (`parts`): front matter, slices of the timeline,
slices of the chapters, back matter, each small enough for one WeasyPrint document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Required, TypedDict

from ..registry import dates
from ..registry.layout import NETWORK_SVG, dossier_name, href, markdown_anchor, pack_name
from ..registry.model import Actor, FactKind
from ..registry.screening import ScreeningRecord
from . import wording
from .dossier import EMPTY, Dossier, dossier, linked, screened_against
from .join import ActorRef, Claim, Joined, SourceView, by_date
from .plain import plain

CHAPTERS_PER_PIECE = 40  # about 100 pages
# claims in one piece's chapters, at most (unless one chapter has more): a piece renders in 2 GiB
CLAIMS_PER_PIECE = 1_500
TIMELINE_ROWS_PER_PIECE = 3000  # about 90 pages
CORROBORATED = 6  # facts listed as best corroborated


@dataclass(frozen=True)
class PackOptions:
    """What the cover says besides the registry; None takes the project's setting (dossiers.toml)."""

    title: str | None = None
    handling: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    person: ActorRef
    cells: tuple[tuple[Claim, ...], ...]  # one list of sanction claims per authority
    # who lists the person, as the registered lists' records say: 'European Union (EU-BLR, since 21 June 2021)'
    listed: str = ""


@dataclass(frozen=True)
class Briefing:
    """Everything the briefing pack shows (or, for a piece of a large pack, everything that piece shows)."""

    title: str
    handling: str
    built: str
    built_label: str
    people: tuple[Dossier, ...]  # the chapters
    contents: tuple[ActorRef, ...]  # the people as the contents and the cover list and count them
    actors: tuple[Actor, ...]
    facts: int
    sources: tuple[SourceView, ...]
    lines: int  # independent lines of reporting among the sources: sources that share text count once
    authorities: tuple[str, ...]
    matrix: tuple[MatrixRow, ...]
    listed_heading: str  # the matrix's column of the registered lists' records, if any person is listed in one; else ''
    sanctioned: tuple[tuple[ActorRef, tuple[str, ...]], ...]  # person, authorities
    unsanctioned: int  # people no cited source reports sanctioned
    sanctions_summary: str  # who else no cited source reports sanctioned, as the summary says it
    corroborated: tuple[Claim, ...]
    allegations: tuple[Claim, ...]
    relationships: tuple[Claim, ...]
    timeline: tuple[Claim, ...]
    # actor id → the link to their chapter (`linked_pack`)
    links: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    network_href: str = ""  # the link to the network's drawing, beside the pack
    waivers: str = ""  # the note on method's count of waived support warnings
    # each screening on the record (screenings/*.json), newest first, as the method lists them
    screenings: tuple[str, ...] = ()
    draft: str = ""  # on every page of a draft: that it is one, and how many claims have open support warnings
    draft_mark: str = ""


def briefing(joined: Joined, options: PackOptions = PackOptions()) -> Briefing:
    """The pack's view: every person's dossier and the views across them."""
    people = tuple(dossier(joined, a.id) for a in joined.people)
    claims = by_date(joined.claims.values())
    sanctions = [c for c in joined.claims.values() if c.fact.kind == FactKind.sanction]
    authorities = tuple(sorted({a for c in sanctions for a in c.authorities}))
    refs = {a.id: ActorRef(a.id, a.name, True) for a in joined.people}
    matrix = tuple(
        MatrixRow(
            refs[view.actor.id],
            tuple(tuple(c for c in view.sanctions if authority in c.authorities) for authority in authorities),
            view.listed_summary,
        )
        for view in people
    )
    unsupported = sum(bool(c.unsupported) for c in joined.claims.values())
    ranked = sorted(joined.claims.values(), key=lambda c: (-c.lines, -len(c.sources), -len(c.notes)))
    sanctioned = tuple(
        (row.person, tuple(a for a, cell in zip(authorities, row.cells) if cell)) for row in matrix if any(row.cells)
    )
    return Briefing(
        title=options.title or "",  # unset only outside a build, which takes dossiers.toml's for an unset one
        handling=options.handling or "",
        built=joined.built,
        built_label=dates.label(joined.built),
        people=people,
        contents=tuple(refs[view.actor.id] for view in people),
        actors=tuple(plain(actor) for actor in joined.actors.values()),
        facts=len(joined.claims),
        sources=tuple(joined.sources.values()),
        lines=len({joined.checked.lines.get(s, s) for s in joined.sources}),
        authorities=authorities,
        matrix=matrix,
        listed_heading=wording.MATRIX_LISTED if any(row.listed for row in matrix) else "",
        sanctioned=sanctioned,
        unsanctioned=len(people) - len(sanctioned),
        sanctions_summary=wording.unsanctioned(len(people) - len(sanctioned), bool(sanctioned)),
        corroborated=tuple(c for c in ranked if c.lines > 1)[:CORROBORATED],
        allegations=tuple(c for c in claims if c.fact.kind == FactKind.allegation),
        relationships=tuple(c for c in joined.claims.values() if c.fact.kind == FactKind.relationship),
        timeline=tuple(c for c in claims if c.fact.when),
        screenings=tuple(screening_entry(joined, path, record) for path, record in reversed(joined.checked.screenings)),
        waivers=wording.waivers_note(
            joined.checked.waivers, sum(any(w.waived for w in ws) for ws in joined.checked.support.values())
        ),
        draft=wording.draft_banner(unsupported) if joined.draft else "",
        draft_mark=wording.draft_mark(unsupported) if joined.draft else "",
    )


def screening_entry(joined: Joined, path: str, record: ScreeningRecord) -> str:
    """The pack's line on one screening of the project: when, its record, how many actors, against what, the result."""
    against, matcher = screened_against(joined, record)
    candidates = [c for a in record.actors for c in a.candidates if c.score >= record.threshold]
    return wording.screening_entry(
        dates.label(record.date) if dates.is_valid(record.date) else record.date,
        path,
        against,
        matcher,
        record.threshold,
        len(record.actors),
        len(candidates),
        sum(c.confirmed for c in candidates),
    )


def linked_pack(view: Briefing, fmt: str) -> Briefing:
    """The pack with the links of its file in format `fmt` (md, or html for HTML and PDF): to each person's chapter
    (its heading's anchor in Markdown), to the network's drawing, and its chapters' own (`linked`)."""
    page = pack_name(fmt)
    links = {
        ref.id: href(page, page, markdown_anchor(ref.name) if fmt == "md" else f"person-{ref.id}")
        for ref in view.contents
    }
    bodies = {
        ref.id
        for claim in view.timeline + view.relationships
        for ref in claim.actors
        if ref.has_dossier and not ref.person
    }
    # a body's dossier, a file of its own
    links |= {actor_id: href(page, dossier_name(actor_id, fmt)) for actor_id in sorted(bodies)}
    return replace(
        view,
        people=tuple(linked(chapter, page, fmt) for chapter in view.people),
        links=MappingProxyType(links),
        network_href=href(page, NETWORK_SVG),
    )


@dataclass(frozen=True)
class PackPart:
    """One piece of the pack and what it shows (`shows`, the briefing with what the piece does not show left empty):
    a piece is rendered from it and keyed on it, so a change re-renders exactly the pieces that show it. A small pack is
    one piece showing everything."""

    name: str  # 'whole', 'front', 'timeline-1', 'people-1', 'back'
    shows: Briefing
    sections: frozenset[str] = frozenset()  # "front": cover to network; "back": sources, method
    people: tuple[Dossier, ...] = ()  # chapters
    timeline: tuple[Claim, ...] = ()  # timeline rows
    people_starts: bool = False  # this piece opens the People part (its heading and anchor)
    timeline_starts: bool = False
    pieces: int = 1


def whole_pack(view: Briefing) -> PackPart:
    """The pack as one document."""
    return PackPart(
        "whole",
        view,
        frozenset({"front", "back"}),
        view.people,
        view.timeline,
        people_starts=True,
        timeline_starts=True,
    )


class _Cut(TypedDict, total=False):
    """What a piece of the pack shows, as PackPart's fields of the same names (the others left at their defaults)."""

    name: Required[str]
    sections: frozenset[str]
    people: tuple[Dossier, ...]
    timeline: tuple[Claim, ...]
    people_starts: bool
    timeline_starts: bool


def parts(view: Briefing) -> list[PackPart]:
    """The pieces a pack is rendered in: one when it is small enough for one document."""
    people, timeline = view.people, view.timeline
    chapters = _chapter_runs(people)
    if len(chapters) <= 1 and len(timeline) <= TIMELINE_ROWS_PER_PIECE:
        return [whole_pack(view)]
    cuts = [_Cut(name="front", sections=frozenset({"front"}))]
    cuts += [
        _Cut(name=f"timeline-{n}", timeline=timeline[i : i + TIMELINE_ROWS_PER_PIECE], timeline_starts=i == 0)
        for n, i in enumerate(range(0, max(len(timeline), 1), TIMELINE_ROWS_PER_PIECE), 1)
    ]
    cuts += [
        _Cut(name=f"people-{n}", people=people[i:j], people_starts=i == 0)
        for n, (i, j) in enumerate(chapters or [(0, 0)], 1)
    ]
    cuts.append(_Cut(name="back", sections=frozenset({"back"})))
    return [PackPart(**cut, shows=_shown_by(view, cut.get("sections", frozenset())), pieces=len(cuts)) for cut in cuts]


# What only some pieces of a large pack show; every other field of the briefing (the title, handling and date on
# every page's running header, the draft banner, and any field added later) every piece shows, and is keyed on.
FRONT_ONLY = frozenset(
    {
        "contents",
        "actors",
        "facts",
        "lines",
        "authorities",
        "matrix",
        "listed_heading",
        "sanctioned",
        "unsanctioned",
        # cover, summary, matrix, network
        "sanctions_summary",
        "corroborated",
        "allegations",
        "relationships",
    }
)
BACK_ONLY = frozenset({"waivers", "screenings"})  # method
FRONT_AND_BACK = frozenset({"sources"})  # counted on the cover, listed at the back
CHAPTERS = frozenset({"people", "timeline"})  # each piece holds its own slice of them (PackPart.people, .timeline)


def _shown_by(view: Briefing, sections: frozenset[str]) -> Briefing:
    """What one piece shows of the pack, as a briefing: what it does not show left empty."""
    hidden = set(CHAPTERS)
    if "front" not in sections:
        hidden |= FRONT_ONLY
    if "back" not in sections:
        hidden |= BACK_ONLY
    if not sections:
        hidden |= FRONT_AND_BACK
    return replace(view, **{f.name: type(getattr(view, f.name))() for f in fields(view) if f.name in hidden})


def _chapter_runs(people: tuple[Dossier, ...]) -> list[tuple[int, int]]:
    """[i, j) of the chapters each piece holds: CHAPTERS_PER_PIECE at most, and CLAIMS_PER_PIECE claims unless one
    chapter has more."""
    runs, start, claims = [], 0, 0
    for index, chapter in enumerate(people):
        size = sum(len(section.claims) for section in chapter.sections)
        if index > start and (index - start == CHAPTERS_PER_PIECE or claims + size > CLAIMS_PER_PIECE):
            runs.append((start, index))
            start, claims = index, 0
        claims += size
    if start < len(people):
        runs.append((start, len(people)))
    return runs
