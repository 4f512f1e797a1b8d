"""What a PDF carries to be checked without the project: the claims it prints, their quotes and offsets, and its sources.

`dossiers verify` reads it back from the PDF's attachments (EVIDENCE_NAME and one
file per source, named as in seeds/).
"""

from __future__ import annotations

from ..sources.extract import EXTRACTORS
from .briefing import Briefing
from .dossier import Dossier
from .join import Claim, Joined

EVIDENCE_NAME = "dossiers-evidence.json"
EVIDENCE_VERSION = 2  # 2: with "pages", where each claim is printed (dossiers.output.printed)


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


def evidence(joined: Joined, view: Dossier | Briefing, tool: str) -> dict:
    """The claims of a dossier or pack with each quote as the source's text has it at its offsets, and the sources cited."""
    checked = joined.checked
    claims, cited = [], {}
    for claim in shown_claims(view):
        citations = []
        for note in claim.notes:
            source = note.source.source
            cited[source.id] = source
            citation = {"source": source.id, "start": note.start, "end": note.end, "quote": checked.texts[source.id].text[note.start : note.end]}
            citations.append(citation)
        claims.append({"fact": claim.fact.id, "text": claim.fact.text, "status": claim.status, "citations": citations})
    sources = [
        {"id": s.id, "file": s.file, "sha256": s.sha256, "format": checked.formats.get(s.id, "text"), "extractor": EXTRACTORS[checked.formats.get(s.id, "text")], "title": s.title,
         **({"page": s.url} if s.retrieved else {})}  # of a web archive, the page whose text the quotes are from
        for s in joined.sources_in_order() if s.id in cited
    ]
    return {"evidence": EVIDENCE_VERSION, "tool": tool, "claims": claims, "sources": sources}
