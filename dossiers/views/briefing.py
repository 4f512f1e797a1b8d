"""The view of the briefing pack: cover, summary, matrix, network, timeline, chapters; and its parts.

A large pack is rendered in pieces (`parts`): front matter, slices of the timeline,
slices of the chapters, back matter, each small enough for one WeasyPrint document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..registry import dates
from ..registry.model import Actor, FactKind
from . import wording
from .dossier import Dossier, dossier
from .join import ActorRef, Claim, Joined, SourceView, by_date

CHAPTERS_PER_PIECE = 40  # about 100 pages
CLAIMS_PER_PIECE = 1_500  # claims in one piece's chapters, at most (unless one chapter has more): a piece renders in 2 GiB
TIMELINE_ROWS_PER_PIECE = 3000  # about 90 pages
CORROBORATED = 6  # facts listed as best corroborated


@dataclass(frozen=True)
class PackOptions:
    """What the cover says besides the registry; None takes the project's setting (dossiers.toml)."""

    title: str | None = None
    handling: str | None = None


@dataclass
class MatrixRow:
    person: ActorRef
    cells: list[list[Claim]]  # one list of sanction claims per authority


@dataclass
class Briefing:
    """Everything the briefing pack shows."""

    title: str
    handling: str
    built: str
    built_label: str
    people: list[Dossier]
    actors: list[Actor]
    facts: int
    sources: list[SourceView]
    lines: int  # independent lines of reporting among the sources: sources that share text count once
    authorities: list[str]
    matrix: list[MatrixRow]
    sanctioned: list[tuple[ActorRef, list[str]]]  # person, authorities
    unsanctioned: int  # people no cited source reports sanctioned
    corroborated: list[Claim]
    allegations: list[Claim]
    relationships: list[Claim]
    timeline: list[Claim]
    waivers: str = ""  # the note on method's count of waived support warnings
    draft: str = ""  # on every page of a draft: that it is one, and how many claims have open support warnings
    draft_mark: str = ""


def briefing(joined: Joined, options: PackOptions = PackOptions()) -> Briefing:
    """The pack's view: every person's dossier and the views across them."""
    people = [dossier(joined, a.id) for a in joined.people]
    claims = by_date(joined.claims.values())
    sanctions = [c for c in joined.claims.values() if c.fact.kind == FactKind.sanction]
    authorities = sorted({a for c in sanctions for a in c.authorities})
    refs = {a.id: ActorRef(a.id, a.name, True) for a in joined.people}
    matrix = [
        MatrixRow(refs[view.actor.id], [[c for c in view.sanctions if authority in c.authorities] for authority in authorities])
        for view in people
    ]
    unsupported = sum(bool(c.unsupported) for c in joined.claims.values())
    ranked = sorted(joined.claims.values(), key=lambda c: (-c.lines, -len(c.sources), -len(c.notes)))
    sanctioned = [(row.person, [a for a, cell in zip(authorities, row.cells) if cell]) for row in matrix if any(row.cells)]
    return Briefing(
        title=options.title,
        handling=options.handling,
        built=joined.built,
        built_label=dates.label(joined.built),
        people=people,
        actors=list(joined.actors.values()),
        facts=len(joined.claims),
        sources=list(joined.sources.values()),
        lines=len({joined.checked.lines.get(s, s) for s in joined.sources}),
        authorities=authorities,
        matrix=matrix,
        sanctioned=sanctioned,
        unsanctioned=len(people) - len(sanctioned),
        corroborated=[c for c in ranked if c.lines > 1][:CORROBORATED],
        allegations=[c for c in claims if c.fact.kind == FactKind.allegation],
        relationships=[c for c in joined.claims.values() if c.fact.kind == FactKind.relationship],
        timeline=[c for c in claims if c.fact.when],
        waivers=wording.waivers_note(joined.checked.waivers, sum(any(w.waived for w in ws) for ws in joined.checked.support.values())),
        draft=wording.draft_banner(unsupported) if joined.draft else "",
        draft_mark=wording.draft_mark(unsupported) if joined.draft else "",
    )


@dataclass(frozen=True)
class PackPart:
    """What one piece of the pack shows; a small pack is one piece showing everything."""

    name: str  # 'whole', 'front', 'timeline-1', 'people-1', 'back'
    sections: frozenset[str] = frozenset()  # "front": cover to network; "back": sources, method
    people: list = field(default_factory=list)  # chapters (Dossier views)
    timeline: list = field(default_factory=list)  # timeline rows (Claims)
    people_starts: bool = False  # this piece opens the People part (its heading and anchor)
    timeline_starts: bool = False
    pieces: int = 1


def whole_pack(view: Briefing) -> PackPart:
    """The pack as one document."""
    return PackPart("whole", frozenset({"front", "back"}), view.people, view.timeline, people_starts=True, timeline_starts=True)


def parts(view: Briefing) -> list[PackPart]:
    """The pieces a pack is rendered in: one when it is small enough for one document."""
    people, timeline = view.people, view.timeline
    chapters = _chapter_runs(people)
    if len(chapters) <= 1 and len(timeline) <= TIMELINE_ROWS_PER_PIECE:
        return [whole_pack(view)]
    cuts = [dict(name="front", sections=frozenset({"front"}))]
    cuts += [
        dict(name=f"timeline-{n}", timeline=timeline[i : i + TIMELINE_ROWS_PER_PIECE], timeline_starts=i == 0)
        for n, i in enumerate(range(0, max(len(timeline), 1), TIMELINE_ROWS_PER_PIECE), 1)
    ]
    cuts += [dict(name=f"people-{n}", people=people[i:j], people_starts=i == 0) for n, (i, j) in enumerate(chapters or [(0, 0)], 1)]
    cuts.append(dict(name="back", sections=frozenset({"back"})))
    return [PackPart(**cut, pieces=len(cuts)) for cut in cuts]


def _chapter_runs(people: list) -> list[tuple[int, int]]:
    """[i, j) of the chapters each piece holds: CHAPTERS_PER_PIECE at most, and CLAIMS_PER_PIECE claims unless one chapter has more."""
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


def shown_by(view: Briefing, part: PackPart) -> tuple:
    """What one piece of the pack shows, for its cache key: the cover, summary, matrix and network for
    the front; the sources and method for the back; the chapters or timeline rows it holds otherwise.

    The pack's title and date are on every page's running header, so every piece shows them.
    """
    common = (view.title, view.handling, view.built, view.draft, part.name, part.pieces, part.people_starts, part.timeline_starts)
    if "front" in part.sections:
        people = [(d.actor.id, d.actor.name) for d in view.people]
        return common + (people, view.facts, view.sources, view.lines, view.authorities, view.matrix, view.sanctioned,
                         view.unsanctioned, view.corroborated, view.allegations, view.relationships, view.actors)
    if "back" in part.sections:
        return common + (view.sources, view.waivers)
    return common + (part.people, part.timeline)
