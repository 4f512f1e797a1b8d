"""What a PDF carries to be checked without the project: the claims it prints, their quotes and offsets, and its
sources.

`dossiers verify` reads it back from the PDF's attachments (EVIDENCE_NAME and one
file per source, named as in seeds/).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..sources.extract import EXTRACTORS
from .briefing import Briefing
from .dossier import Dossier
from .join import Claim, Joined

EVIDENCE_NAME = "dossiers-evidence.json"
EVIDENCE_VERSION = 2  # 2: with "pages", where each claim is printed (dossiers.output.printed)


Offset = Annotated[int, Field(ge=0)]


class _Record(BaseModel):
    """Strict: a key too many, a number given as text or a bool, is not the evidence dossiers writes."""

    model_config = ConfigDict(extra="forbid", strict=True)


class EvidenceCitation(_Record):
    source: str
    start: Offset
    end: Offset
    quote: str  # the source's text at [start, end)


class EvidenceClaim(_Record):
    fact: str
    text: str
    status: str
    citations: list[EvidenceCitation]


class EvidenceSource(_Record):
    id: str
    file: str  # its name among the PDF's attachments, as in seeds/
    sha256: str
    format: str
    extractor: str
    title: str
    page: str | None = None  # of a web archive: the captured page the quotes are from


class EvidenceListing(_Record):
    """A record of a registered list the PDF prints, with the values it prints, as the attached list file has them."""

    source: str  # the list's source id, among the evidence's sources
    record: str  # the Sanction record's id in the list
    entity: str
    authority: list[str]
    program: list[str]
    provisions: list[str]
    reason: list[str]
    listed: str | None = None  # listingDate, else startDate
    ended: str | None = None  # endDate
    urls: list[str] = []  # sourceUrl


class PageRecord(_Record):
    marks: list[tuple[str, Offset, Offset, Offset]]  # [id, start, end, offset in its text] (dossiers.output.printed)
    rest: str  # sha256 of the page's text outside its marks


class Evidence(_Record):
    """The evidence a PDF carries: what the build writes (the pages added by `output.pdf.attach_evidence`) and `verify`
    reads."""

    evidence: Literal[2]  # EVIDENCE_VERSION
    tool: str
    claims: list[EvidenceClaim]
    sources: list[EvidenceSource]
    # the records of registered lists it prints (not the whole lists, which are attached)
    listings: list[EvidenceListing] = []
    page_reader: str | None = None  # None until the pages are read back
    pages: list[PageRecord] | None = None

    def to_json(self) -> bytes:
        """The attachment's bytes: compact, keys sorted, one line."""
        data = self.model_dump(mode="json", exclude_none=True)
        return (json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"), sort_keys=True) + "\n").encode(
            "utf-8"
        )


def shown_claims(view: Dossier | Briefing) -> list[Claim]:
    """Every claim the dossier or pack prints, denials included, each once, in the order shown.

    A pack prints claims in its summary (best corroborated, open allegations and their
    denials), its sanctions matrix, its relationships, its timeline (where claims about
    organisations appear that no chapter shows) and its chapters.
    """
    shown: list[Claim] = []
    if isinstance(view, Briefing):
        shown += view.corroborated
        shown += [c for claim in view.allegations for c in (claim, *claim.denials)]
        shown += [claim for row in view.matrix for cell in row.cells for claim in cell]
        shown += view.relationships + view.timeline
    for person in view.people if isinstance(view, Briefing) else [view]:
        for section in person.sections:
            shown += [c for claim in section.claims for c in (claim, *claim.denials)]
    claims: dict[str, Claim] = {}
    for claim in shown:
        claims.setdefault(claim.fact.id, claim)
    return list(claims.values())


def shown_listings(joined: Joined, view: Dossier | Briefing) -> list[EvidenceListing]:
    """The records of registered lists the dossier or pack prints, each once, with the values the list gives them."""
    shown = {
        (listed.source, listed.record)
        for person in (view.people if isinstance(view, Briefing) else [view])
        for listed in person.listed
    }
    records: dict[tuple[str, str], EvidenceListing] = {}
    for actor_id in joined.actors:
        for r in joined.checked.listings(actor_id):
            if (r.source, r.record) in shown:
                records.setdefault(
                    (r.source, r.record),
                    EvidenceListing(
                        source=r.source,
                        record=r.record,
                        entity=r.entity,
                        authority=list(r.authority),
                        program=list(r.program),
                        provisions=list(r.provisions),
                        reason=list(r.reason),
                        listed=r.listed,
                        ended=r.ended,
                        urls=list(r.urls),
                    ),
                )
    return list(records.values())


def evidence(joined: Joined, view: Dossier | Briefing, tool: str) -> Evidence:
    """The claims of a dossier or pack with each quote as the source's text has it at its offsets, the records of lists
    it prints, and the sources cited (the lists among them)."""
    checked = joined.checked
    claims, cited = [], {}
    listings = shown_listings(joined, view)
    for listed in listings:
        cited[listed.source] = joined.sources[listed.source].source
    for claim in shown_claims(view):
        citations = []
        for note in claim.notes:
            source = note.source.source
            cited[source.id] = source
            quote = checked.texts[source.id].text[note.start : note.end]
            citations.append(EvidenceCitation(source=source.id, start=note.start, end=note.end, quote=quote))
        claims.append(EvidenceClaim(fact=claim.fact.id, text=claim.fact.text, status=claim.status, citations=citations))
    sources = [
        EvidenceSource(
            id=s.id,
            file=s.file,
            sha256=s.sha256 or "",
            format=checked.formats.get(s.id, "text"),
            extractor=EXTRACTORS[checked.formats.get(s.id, "text")],
            title=s.title,
            page=s.url if s.retrieved else None,  # of a web archive, the page whose text the quotes are from
        )
        for s in joined.sources_in_order()
        if s.id in cited
    ]
    return Evidence(evidence=EVIDENCE_VERSION, tool=tool, claims=claims, sources=sources, listings=listings)
