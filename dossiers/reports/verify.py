"""`dossiers verify FILE.pdf`: a dossier or pack checked against the sources attached to it, for one who has only the PDF.

Each attached source must have the sha256 the evidence records, and each quote must be
the source's text at its offsets, the text extracted again here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..sources.child import in_child
from ..sources.extract import extract
from ..sources.files import MAX_SOURCE_BYTES, Unreadable
from ..sources.formats import sniff
from ..views.evidence import EVIDENCE_NAME, EVIDENCE_VERSION

MAX_PDF_BYTES = 1 << 30  # the 2,234-page pack of the benchmark registry is about 60 MB


@dataclass
class Verification:
    claims: int = 0
    quotes: int = 0
    verified: int = 0
    sources: int = 0
    failures: list[str] = field(default_factory=list)  # each names the claim or source and what is wrong
    notes: list[str] = field(default_factory=list)  # what holds but is worth saying (another extractor version)


def verify_pdf(path: Path) -> Verification:
    """Check a dossier or pack PDF against its attachments; raises UserError if it carries no evidence."""
    attached, evidence = _attachments(path)
    result = Verification(claims=len(evidence["claims"]))
    texts: dict[str, str] = {}
    for source in evidence["sources"]:
        name = f"{path.name}, attached {source['file']}"
        data = attached.get(source["file"])
        if data is None:
            result.failures.append(f"source {source['id']}: {source['file']} is not attached")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != source["sha256"]:
            result.failures.append(f"source {source['id']}: the attached {source['file']} has sha256 {digest}, but the evidence records {source['sha256']}")
            continue
        try:
            extracted = extract(data, sniff(data, name), name)
        except Unreadable as problem:
            result.failures.append(f"source {source['id']}: {problem.message}")
            continue
        if extracted.extractor != source.get("extractor", extracted.extractor):
            result.notes.append(f"source {source['id']} was extracted by {source['extractor']} and is read here by {extracted.extractor}")
        texts[source["id"]] = extracted.text
        result.sources += 1
    for claim in evidence["claims"]:
        for citation in claim["citations"]:
            result.quotes += 1
            text = texts.get(citation["source"])
            if text is None:
                continue  # its source's failure is already named
            start, end = citation["start"], citation["end"]
            if text[start:end] == citation["quote"]:
                result.verified += 1
            else:
                found = text.find(citation["quote"])
                where = f"; the quote is at {found}-{found + len(citation['quote'])} instead" if found >= 0 else "; the quote is nowhere in it"
                result.failures.append(f"claim {claim['fact']}: its quote from {citation['source']} is not the source's text at {start}-{end}{where}")
    return result


def _read_attachments(raw: bytes) -> tuple[str, object]:
    """('attached', {name: bytes}) or ('malformed', why); runs in a child process."""
    import io

    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(raw)) as document:
            attached = {}
            for name, spec in document.attachments.items():
                data = spec.get_file().read_bytes()
                if len(data) > MAX_SOURCE_BYTES:
                    return "malformed", f"its attachment {name[:100]!r} is larger than {MAX_SOURCE_BYTES // 2**20} MiB, more than any source"
                attached[name] = data
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        return "malformed", str(error)[:200]
    return "attached", attached


def _attachments(path: Path) -> tuple[dict[str, bytes], dict]:
    if not path.is_file():
        raise UserError(f"{path} is not a file: give a dossier or pack PDF")
    if path.stat().st_size > MAX_PDF_BYTES:
        raise UserError(f"{path} is larger than {MAX_PDF_BYTES // 2**20} MiB: no dossier or pack is")
    # The PDF may be hostile too: its attachments are decoded in a child limited in time and memory.
    kind, value = in_child(_read_attachments, path.read_bytes())
    if kind == "timeout":
        raise UserError(f"{path}: reading its attachments took longer than {value} s, so it was stopped")
    if kind == "memory":
        raise UserError(f"{path} is not a readable PDF (reading its attachments needed more than {value} GiB)")
    if kind != "attached":
        raise UserError(f"{path} is not a readable PDF ({value})")
    attached = value
    if EVIDENCE_NAME not in attached:
        raise UserError(f"{path} carries no {EVIDENCE_NAME}: it was not made by dossiers build, or its attachments were removed")
    try:
        evidence = json.loads(attached[EVIDENCE_NAME])
        valid = evidence.get("evidence") == EVIDENCE_VERSION and isinstance(evidence["claims"], list) and isinstance(evidence["sources"], list)
        for claim in evidence["claims"]:
            for citation in claim["citations"]:
                valid = valid and isinstance(citation["quote"], str) and isinstance(citation["start"], int) and isinstance(citation["end"], int)
        for source in evidence["sources"]:
            valid = valid and all(isinstance(source[key], str) for key in ("id", "file", "sha256"))
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise UserError(f"{path}: its {EVIDENCE_NAME} is not the evidence dossiers writes (version {EVIDENCE_VERSION}): it may have been altered")
    return attached, evidence


