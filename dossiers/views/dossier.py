"""The view of one person's dossier: identity, status, then one section per kind of claim."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..registry import dates
from ..registry.model import Actor, FactKind
from . import callable_from_templates, wording
from .join import Claim, Joined, Note, SourceView, country_name, language_label

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


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    claims: list[Claim]


@dataclass(frozen=True)
class Worded:
    """A claim as printed: `text`, then ` (according to VOICE [n]; VOICE [n], WHEN)` when a part is relayed
    or it is dated, then `end`, then the `numbers` of its notes when nothing is relayed."""

    text: str
    voices: list[tuple[str, list[int]]]  # who says each part, with the numbers of its notes
    when: str
    end: str
    numbers: list[int]


@dataclass
class Dossier:
    """Everything one person's dossier shows.

    Notes are numbered as the template reaches them (`numbers`), so they run in reading
    order whatever order a project's own template shows the sections in; `notes` lists
    them in that order once the body is rendered. `renumber` starts again for the next rendering.
    """

    actor: Actor
    kind: str
    countries: list[str]
    aliases: list[tuple[str, str, str]]  # (name, BCP 47 tag, language label)
    curated: list[str]  # the other names that are the analyst's own labels, given by no cited source
    same_as: list[tuple[str, str]]  # (dataset, entity id) of each screening match the analyst confirmed
    authorities: list[str]
    status_label: str  # 'Sanctions reported' (then the authorities), or that none are reported in these sources
    sections: list[Section]
    sources: list[SourceView]
    built: str  # the date the build is stamped with, ISO
    built_label: str
    draft: str = ""  # on every page of a draft: that it is one, and how many of its claims have open support warnings
    draft_mark: str = ""  # the same, short, for the running header
    # Filled while rendering; not part of what the view shows, so not of its cache key (compare=False).
    notes: list[Note] = field(default_factory=list, compare=False)
    note_numbers: dict[str, int] = field(default_factory=dict, compare=False)  # note ref → number

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    @property
    def sanctions(self) -> list[Claim]:
        return self.section("sanctions").claims

    @property
    def status_line(self) -> str:
        """'Sanctions reported: EU, US', or that none are reported in these sources."""
        return f"{self.status_label}: {', '.join(self.authorities)}" if self.authorities else self.status_label

    def numbers(self, claim: Claim) -> list[int]:
        """The note numbers of a claim's citations, numbering new notes in the order asked."""
        return self._numbers(claim.notes)

    def _numbers(self, notes: list[Note]) -> list[int]:
        for note in notes:
            if note.ref not in self.note_numbers:
                self.note_numbers[note.ref] = len(self.notes) + 1
                self.notes.append(note)
        return [self.note_numbers[note.ref] for note in notes]

    @callable_from_templates
    def worded(self, claim: Claim, dated: bool = False) -> Worded:
        """The claim with who says each part of it (when any part is relayed) and, if `dated`, when; numbering its notes."""
        voices = [(voice, self._numbers(notes)) for voice, notes in claim.voices]
        when = claim.date if dated else ""
        numbers = [] if voices else self.numbers(claim)
        if voices or when:
            return Worded(claim.fact.text.rstrip("."), voices, when, ".", numbers)
        return Worded(claim.fact.text, [], "", "", numbers)

    @property
    def passages(self) -> list[tuple[SourceView, list[tuple[int, list[Note]]]]]:
        """The passages the notes numbered so far cite, by source in the order of the sources, then in the text's order."""
        grouped: dict[str, dict[int, list[Note]]] = {}
        for note in self.notes:
            grouped.setdefault(note.source.id, {}).setdefault(note.passage, []).append(note)
        order = {source.id: source for source in self.sources}
        return [(order[source_id], sorted(grouped[source_id].items())) for source_id in order if source_id in grouped]

    def renumber(self) -> Dossier:
        self.notes, self.note_numbers = [], {}
        return self


def dossier(joined: Joined, actor_id: str) -> Dossier:
    """The view of one person's dossier: status first, then what they are, then what they did."""
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
        "events": [c for c in by_kind[FactKind.event] if not c.fact.when],  # else nowhere: the timeline shows dated claims
        "allegations": allegations,
        "stances": by_kind[FactKind.stance],
        "statements": by_kind[FactKind.statement],
    }
    shown = {c.fact.id: c for claims_of in claims.values() for claim in claims_of for c in [claim, *claim.denials]}
    cited = {note.source.id for c in shown.values() for note in c.notes}
    built = dossier_date(joined, cited)
    unsupported = sum(bool(c.unsupported) for c in shown.values())
    return Dossier(
        actor=actor,
        kind=actor.kind.label,
        countries=[country_name(code) for code in actor.country],
        aliases=[(alias.name, alias.lang or "", language_label(alias.lang)) for alias in actor.alias],
        curated=[alias.name for alias in actor.alias if alias.curated],
        same_as=[(judgement.dataset, judgement.id) for judgement in actor.sameAs],
        authorities=authorities,
        status_label=wording.SANCTIONS_REPORTED if authorities else wording.NO_SANCTIONS,
        sections=[Section(key, title, claims[key]) for key, title in SECTIONS],
        sources=[source for source in joined.sources.values() if source.id in cited],
        built=built,
        built_label=dates.label(built),
        draft=wording.draft_banner(unsupported) if joined.draft else "",
        draft_mark=wording.draft_mark(unsupported) if joined.draft else "",
    )


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
