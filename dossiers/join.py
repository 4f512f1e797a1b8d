"""Join stage: registry ⋈ facts ⋈ sources → one view per person, and the export data.

Views hold everything a template shows, already ordered and numbered, so that the
templates only lay it out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field

import pycountry

from .check import Checked, date_floor
from .model import RELIABILITY_MEANING, Actor, ActorKind, Fact, FactKind, Source

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
KIND_LABELS = {
    "person": "Person", "organization": "Organization", "company": "Company", "public-body": "Public body",
    "political-party": "Political party", "armed-force": "Armed force", "state": "State",
}


def date_label(value: str | None) -> str:
    """'2023-05-17' → '17 May 2023'; '2023-05' → 'May 2023'; '2023' → '2023'."""
    if not value:
        return ""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", code.upper())


def language_label(tag: str | None) -> str:
    """'be' → 'Belarusian'; 'ru-Latn' → 'Russian, Latin script'."""
    if not tag:
        return ""
    language, *rest = tag.split("-")
    found = pycountry.languages.get(alpha_2=language) or pycountry.languages.get(alpha_3=language)
    label = found.name if found else language
    script = next((pycountry.scripts.get(alpha_4=part.title()) for part in rest if len(part) == 4), None)
    return f"{label}, {script.name} script" if script else label


@dataclass(frozen=True)
class SourceView:
    source: Source
    label: str  # S1, S2, ... in the order of seeds/sources.yaml, the same in every output
    reliability_meaning: str
    published_label: str

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def publisher(self) -> str:
        return "publisher unknown" if self.source.publisher.lower() == "unknown" else self.source.publisher


@dataclass(frozen=True)
class Note:
    """One citation as the reader sees it: numbered, with its source and exact words."""

    key: tuple[str, int]  # (fact id, citation index)
    source: SourceView
    quote: str  # the source's own words, white space folded
    attribution: str | None
    line: int
    start: int
    end: int

    @property
    def ref(self) -> str:
        return f"{self.key[0]}#{self.key[1]}"


@dataclass(frozen=True)
class ActorRef:
    id: str
    name: str
    has_dossier: bool


@dataclass
class Claim:
    """A fact as shown on a dossier."""

    fact: Fact
    notes: list[Note]
    actors: list[ActorRef]
    date: str
    attribution: str | None  # shared by every citation, if one is
    denials: list[Claim] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.fact.status.value

    @property
    def subject(self) -> ActorRef:
        return self.actors[0]

    @property
    def objects(self) -> list[ActorRef]:
        return self.actors[1:]


@dataclass
class Dossier:
    """Everything one person's dossier shows, in reading order."""

    actor: Actor
    kind: str
    countries: list[str]
    aliases: list[tuple[str, str]]  # (name, language label)
    authorities: list[str]
    sanctions: list[Claim]
    positions: list[Claim]
    relationships: list[Claim]
    timeline: list[Claim]
    allegations: list[Claim]
    statements: list[Claim]
    notes: list[Note]
    sources: list[SourceView]
    built: str  # the date the build is stamped with, ISO

    @property
    def built_label(self) -> str:
        return date_label(self.built)

    @property
    def sections(self) -> list[tuple[str, list[Claim]]]:
        return [
            ("Sanctions", self.sanctions), ("Positions", self.positions), ("Relationships", self.relationships),
            ("Timeline", self.timeline), ("Allegations and denials", self.allegations), ("Statements", self.statements),
        ]

    note_numbers: dict[str, int] = field(default_factory=dict)  # note ref → number

    def numbers(self, claim: Claim) -> list[int]:
        """The note numbers of a claim's citations."""
        return [self.note_numbers[note.ref] for note in claim.notes]


@dataclass
class Joined:
    """The registry joined to its facts and sources."""

    checked: Checked
    actors: dict[str, Actor]
    sources: dict[str, SourceView]
    claims: dict[str, Claim]  # fact id → claim, in registry order
    built: str
    about: dict[str, list[Claim]] = field(default_factory=dict)  # actor id → its claims, in reading order
    views: dict[str, Dossier] = field(default_factory=dict)  # dossiers made so far

    @property
    def people(self) -> list[Actor]:
        return [a for a in self.actors.values() if a.kind == ActorKind.person]


def build_date(checked: Checked) -> str:
    """The date a build is stamped with: SOURCE_DATE_EPOCH, else the newest source date.

    Never the wall clock, so that the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    dates = [s.published for s in checked.project.sources.sources if s.published]
    if dates:
        newest = max(dates, key=date_floor)
        return date_floor(newest).isoformat()
    newest_file = max((checked.project.root / name).stat().st_mtime for name in checked.project.documents)
    return dt.datetime.fromtimestamp(int(newest_file), dt.timezone.utc).date().isoformat()


def join(checked: Checked) -> Joined:
    """Join the checked registry into claims; requires a check without errors."""
    project = checked.project
    sources = {
        s.id: SourceView(s, f"S{number}", RELIABILITY_MEANING[s.reliability.value], date_label(s.published) or "undated")
        for number, s in enumerate(project.sources.sources, 1)
    }
    actors = {a.id: a for a in project.registry.actors}
    refs = {a.id: ActorRef(a.id, a.name, a.kind == ActorKind.person) for a in actors.values()}
    claims = {}
    for fact in project.registry.facts:
        notes = []
        for index, citation in enumerate(fact.citations):
            passage = checked.anchors[(fact.id, index)]
            notes.append(Note((fact.id, index), sources[citation.source], " ".join(passage.text.split()), citation.attribution, passage.line, passage.start, passage.end))
        attributions = {note.attribution for note in notes}
        shared = attributions.pop() if len(attributions) == 1 else None
        claims[fact.id] = Claim(fact, notes, [refs[a] for a in fact.actors], _claim_date(fact), shared)
    about = defaultdict(list)
    for claim in claims.values():
        for target in claim.fact.denies:
            claims[target].denials.append(claim)
        for actor_id in dict.fromkeys(claim.fact.actors):
            about[actor_id].append(claim)
    for mine in about.values():  # a stable sort: facts of the same date keep registry order
        mine.sort(key=lambda c: (_when(c.fact) is None, _when(c.fact) or (0, 0, 0)))
    return Joined(checked, actors, sources, claims, build_date(checked), dict(about))


def _claim_date(fact: Fact) -> str:
    """'17 May 2023', 'from 1994', 'from 2004 to 2008', or '' for an undated fact."""
    if fact.date:
        return date_label(fact.date)
    if fact.startDate:
        return f"from {date_label(fact.startDate)}" + (f" to {date_label(fact.endDate)}" if fact.endDate else "")
    if fact.endDate:
        return f"until {date_label(fact.endDate)}"
    return date_label(fact.listingDate)


def _when(fact: Fact) -> tuple[int, int, int] | None:
    """Sort key of a fact's date; a year alone sorts after that year's dated months and days."""
    value = fact.date or fact.startDate or fact.listingDate or fact.endDate
    if not value:
        return None
    parts = [int(part) for part in value.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 13, parts[2] if len(parts) > 2 else 32)


def dossier(joined: Joined, actor_id: str) -> Dossier:
    """The view of one person's dossier: status first, then what they are, then what they did."""
    if actor_id in joined.views:
        return joined.views[actor_id]
    actor = joined.actors[actor_id]
    mine = joined.about.get(actor_id, [])
    by_kind = defaultdict(list)
    for claim in mine:
        by_kind[claim.fact.kind].append(claim)
    allegations = list(by_kind[FactKind.allegation])
    shown_beside = {d.fact.id for c in allegations for d in c.denials}
    allegations += [c for c in by_kind[FactKind.denial] if c.fact.id not in shown_beside]
    sanctions = by_kind[FactKind.sanction]
    authorities = sorted({a for c in sanctions for a in c.fact.authority})
    view = Dossier(
        actor=actor,
        kind=KIND_LABELS[actor.kind.value],
        countries=[country_name(code) for code in actor.country],
        aliases=[(alias.name, language_label(alias.lang)) for alias in actor.alias],
        authorities=authorities,
        sanctions=sanctions,
        positions=by_kind[FactKind.position] + by_kind[FactKind.biographical],
        relationships=by_kind[FactKind.relationship],
        timeline=[c for c in mine if _when(c.fact)],
        allegations=allegations,
        statements=by_kind[FactKind.statement],
        notes=[],
        sources=[],
        built=joined.built,
    )
    _number_notes(view, list(joined.sources.values()))
    joined.views[actor_id] = view
    return view


def _number_notes(view: Dossier, view_sources: list[SourceView]) -> None:
    """Number the notes in order of first appearance, and list the sources they cite."""
    for _, section in view.sections:
        for claim in section:
            for note in (n for c in [claim, *claim.denials] for n in c.notes):
                if note.ref not in view.note_numbers:
                    view.note_numbers[note.ref] = len(view.notes) + 1
                    view.notes.append(note)
    cited = {note.source.id for note in view.notes}
    view.sources = [source for source in view_sources if source.id in cited]


@dataclass
class MatrixRow:
    person: ActorRef
    cells: list[list[Claim]]  # one list of sanction claims per authority


@dataclass
class Briefing:
    """Everything the briefing pack shows: summary, matrix, network, timeline, chapters."""

    built: str
    people: list[Dossier]
    actors: list[Actor]
    facts: int
    sources: list[SourceView]
    authorities: list[str]
    matrix: list[MatrixRow]
    sanctioned: list[tuple[ActorRef, list[str]]]  # person, authorities
    corroborated: list[Claim]
    allegations: list[Claim]
    relationships: list[Claim]
    timeline: list[Claim]

    @property
    def built_label(self) -> str:
        return date_label(self.built)


def briefing(joined: Joined, corroborated: int = 6) -> Briefing:
    """The pack's view: every person's dossier and the views across them."""
    people = [dossier(joined, a.id) for a in joined.people]
    claims = sorted(joined.claims.values(), key=lambda c: (_when(c.fact) is None, _when(c.fact) or (0, 0, 0)))
    sanctions = [c for c in joined.claims.values() if c.fact.kind == FactKind.sanction]
    authorities = sorted({a for c in sanctions for a in c.fact.authority})
    refs = {a.id: ActorRef(a.id, a.name, True) for a in joined.people}
    matrix = [
        MatrixRow(refs[view.actor.id], [[c for c in view.sanctions if authority in c.fact.authority] for authority in authorities])
        for view in people
    ]
    ranked = sorted(joined.claims.values(), key=lambda c: (-len({n.source.id for n in c.notes}), -len(c.notes)))
    return Briefing(
        built=joined.built,
        people=people,
        actors=list(joined.actors.values()),
        facts=len(joined.claims),
        sources=list(joined.sources.values()),
        authorities=authorities,
        matrix=matrix,
        sanctioned=[(row.person, [a for a, cell in zip(authorities, row.cells) if cell]) for row in matrix if any(row.cells)],
        corroborated=[c for c in ranked if len({n.source.id for n in c.notes}) > 1][:corroborated],
        allegations=[c for c in claims if c.fact.kind == FactKind.allegation],
        relationships=[c for c in joined.claims.values() if c.fact.kind == FactKind.relationship],
        timeline=[c for c in claims if _when(c.fact)],
    )


def export_data(checked: Checked) -> dict:
    """The joined registry as plain data: sources, actors, and facts with anchored citations."""
    project = checked.project
    facts = []
    for fact in project.registry.facts:
        data = fact.model_dump(mode="json", exclude_defaults=True, exclude={"citations"})
        data["status"] = fact.status.value
        data["citations"] = [
            citation.model_dump(mode="json", exclude_none=True)
            | {"start": checked.anchors[(fact.id, index)].start, "end": checked.anchors[(fact.id, index)].end}
            for index, citation in enumerate(fact.citations)
        ]
        facts.append(data)
    return {
        "sources": [source.model_dump(mode="json") for source in project.sources.sources],
        "actors": [actor.model_dump(mode="json") for actor in project.registry.actors],
        "facts": facts,
    }
