"""`dossiers verify FILE.pdf`: a dossier or pack checked on its own, for one who has only the PDF; `dossiers verify
DIR`: a build folder.

A PDF is checked for everything it can be, and each failure is named:
- its signature (PAdES, pyHanko): intact, covering the whole file or followed by
  validation data only, by whom, when, with which timestamp; trusted if it leads to a
  certificate given with --trust. Unsigned, it is consistent at best: anyone could have made it.
- its /DossiersEvidenceSHA256 against the attached evidence;
- the evidence against the pages as extracted: each claim printed where the evidence
  says, and nothing else printed that the build did not print (`dossiers.output.printed`);
- each attached source against its sha256, and each quote against the source's text at
  its offsets, the text extracted again here.
The PDF is hostile until checked: it is read in children limited in time and memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError
from ..output.printed import PAGE_READER, normalised, page_texts, printed_texts, rest_digest
from ..registry.layout import MANIFEST, MANIFEST_SIGNATURE, PIECES_DIR, is_output_name
from ..sources import child
from ..sources.files import MAX_SOURCE_BYTES, Unreadable
from ..sources.ftm import EntityList
from ..sources.read import read_document
from ..verify.listings import listing
from ..views.evidence import EVIDENCE_NAME, EVIDENCE_VERSION, Evidence

MAX_PDF_BYTES = 1 << 30  # the 2,234-page pack of the benchmark registry is about 60 MB
MAX_SIGNATURE_BYTES = 1 << 20
MAX_TRUST_BYTES = 4 << 20
READERS = 2  # children that read a PDF's pages at once, besides the one that checks its signature
PAGE_WINDOW = 10  # pages added or removed beyond which verify says only how many
UNSIGNED = "not signed: consistent, but anyone could have made it"


@dataclass
class Signature:
    """Who signed, when, and how far that can be trusted."""

    signer: str
    fingerprint: str  # sha256 of the signer's certificate
    level: str  # PAdES B-B, B-T, B-LT
    signed_at: str | None  # as the signer says
    timestamp: str | None  # "TIME by AUTHORITY", from a timestamp token
    trusted: bool | None  # None: no trust anchor given


@dataclass
class Verification:
    claims: int = 0
    quotes: int = 0
    verified: int = 0
    sources: int = 0
    pages: int = 0
    listings: int = 0  # records of registered lists printed, each found in its attached list with the values printed
    signature: Signature | None = None
    # each names the claim, page, source or signature and what is wrong
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what holds but is worth saying


@dataclass
class FolderVerification:
    files: int = 0
    signature: Signature | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _in_child(function, raw: bytes) -> tuple | None:
    """function(raw) in the time- and memory-limited child of `sources.child`; None when it ran out of time."""
    kind, value = child.in_child(function, raw)
    if kind == "timeout":
        return None
    if kind == "memory":
        return "malformed", f"reading it needed more than {value} GiB"
    return kind, value


def read_trust(path: Path) -> list[bytes]:
    """The certificates (DER) of a PEM bundle or a DER certificate; a UserError if there are none."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if not path.is_file() or path.stat().st_size > MAX_TRUST_BYTES:
        raise UserError(f"--trust {path}: give a certificate or CA bundle file (PEM or DER)")
    data = path.read_bytes()
    try:
        certificates = (
            x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data else [x509.load_der_x509_certificate(data)]
        )
    except ValueError:
        raise UserError(
            f"--trust {path} holds no certificate that can be read: give a PEM bundle or a DER certificate"
        ) from None
    return [certificate.public_bytes(Encoding.DER) for certificate in certificates]


def verify_pdf(path: Path, trust: list[bytes] | None = None, require_signature: bool = False) -> Verification:
    """Check a dossier or pack PDF; raises UserError if it is no PDF or carries no evidence."""
    raw = _pdf_bytes(path)
    # each thread waits for a child of its own: the PDF is read on every core
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        signatures = pool.submit(_signatures, raw, trust)
        attached, evidence, texts, digest = _read(path, raw, pool)
        result = Verification(claims=len(evidence["claims"]), pages=len(texts))
        _check_signature(signatures.result(), trust, require_signature, result)
    recorded = hashlib.sha256(attached[EVIDENCE_NAME]).hexdigest()
    if digest is None:
        result.failures.append(
            f"its metadata has no /DossiersEvidenceSHA256 for the attached {EVIDENCE_NAME}: it was removed"
        )
    elif digest != recorded:
        result.failures.append(
            f"its /DossiersEvidenceSHA256 is {digest[:64]}, but the attached {EVIDENCE_NAME} has "
            f"sha256 {recorded}: the evidence was replaced after the build"
        )
    if not evidence["claims"]:
        result.failures.append(
            f"its {EVIDENCE_NAME} holds no claims: nothing this PDF prints can be checked against it"
        )
    _check_pages(evidence, texts, result)
    _check_quotes(path, attached, evidence, result)
    return result


def _pdf_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(f"{path} is not a file: give a dossier or pack PDF, or a build folder")
    if path.stat().st_size > MAX_PDF_BYTES:
        raise UserError(f"{path} is larger than {MAX_PDF_BYTES // 2**20} MiB: no dossier or pack is")
    return path.read_bytes()


def _check_quotes(path: Path, attached: dict[str, bytes], evidence: dict, result: Verification) -> None:
    """Each source against its sha256, each quote against the source's text at its offsets."""
    texts: dict[str, str] = {}
    lists: dict[str, EntityList] = {}
    for source in evidence["sources"]:
        name = f"{path.name}, attached {source['file']}"
        data = attached.get(source["file"])
        if data is None:
            result.failures.append(f"source {source['id']}: {source['file']} is not attached")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != source["sha256"]:
            result.failures.append(
                f"source {source['id']}: the attached {source['file']} has sha256 {digest}, but the "
                f"evidence records {source['sha256']}"
            )
            continue
        try:
            document = read_document(data, name, source.get("page"))
            extracted, listed = document.extracted, document.listed
        except Unreadable as problem:
            result.failures.append(f"source {source['id']}: {problem.message}")
            continue
        if extracted.extractor != source["extractor"]:
            result.notes.append(
                f"source {source['id']} was extracted by {source['extractor']} and is read here by "
                f"{extracted.extractor}"
            )
        texts[source["id"]] = extracted.text
        if listed is not None:
            lists[source["id"]] = listed
        result.sources += 1
    for claim in evidence["claims"]:
        for citation in claim["citations"]:
            result.quotes += 1
            text = texts.get(citation["source"])
            if text is None:
                if citation["source"] not in {source["id"] for source in evidence["sources"]}:
                    result.failures.append(
                        f"claim {claim['fact']}: it cites {citation['source']}, which the evidence "
                        "does not list among its sources"
                    )
                continue  # else its source's failure is already named
            start, end = citation["start"], citation["end"]
            if text[start:end] == citation["quote"]:
                result.verified += 1
            else:
                found = text.find(citation["quote"])
                where = (
                    f"; the quote is at {found}-{found + len(citation['quote'])} instead"
                    if found >= 0
                    else "; the quote is nowhere in it"
                )
                result.failures.append(
                    f"claim {claim['fact']}: its quote from {citation['source']} is not the "
                    f"source's text at {start}-{end}{where}"
                )
    _check_listings(evidence, lists, result)


def _check_listings(evidence: dict, lists: dict[str, EntityList], result: Verification) -> None:
    """Each record of a list the PDF prints against the attached list (verified by its sha256 above): the record is
    there,
    for the same entity, with the values the evidence records, which the pages print (their text is checked above)."""
    sources = {source["id"] for source in evidence["sources"]}
    for recorded in evidence.get("listings", []):
        where = f"listing {recorded['record']} of {recorded['source']}"
        listed = lists.get(recorded["source"])
        if listed is None:
            if recorded["source"] not in sources:
                result.failures.append(f"{where}: the evidence does not list {recorded['source']} among its sources")
            continue  # else its source's failure is already named
        record = listed.entities.get(recorded["record"])
        if record is None or record.schema != "Sanction":
            result.failures.append(f"{where}: the attached list holds no such Sanction record")
            continue
        actual = listing(recorded["source"], record)
        found = {
            "entity": actual.entity,
            "authority": list(actual.authority),
            "program": list(actual.program),
            "provisions": list(actual.provisions),
            "reason": list(actual.reason),
            "listed": actual.listed,
            "ended": actual.ended,
            "urls": list(actual.urls),
        }
        differ = [key for key, value in found.items() if recorded.get(key, [] if key == "urls" else None) != value]
        if differ:
            result.failures.append(
                f"{where}: its {', '.join(differ)} in the evidence "
                f"{'is' if len(differ) == 1 else 'are'} not the attached list's"
            )
        else:
            result.listings += 1


def _check_pages(evidence: dict, texts: list[str], result: Verification) -> None:
    """The evidence against the pages: each mark holds its claim's text, the rest of each page is as built, every claim
    is printed."""
    if evidence["page_reader"] != PAGE_READER:
        result.notes.append(
            f"the pages were read by {evidence['page_reader']} when built and are read here by "
            f"{PAGE_READER}: a page that fails may be read differently, not changed"
        )
    claims = {mark: normalised(text) for mark, text in printed_texts(evidence).items()}
    records = evidence["pages"]
    pages = [normalised(text) for text in texts]
    covered: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if len(pages) != len(records):
        result.failures.append(_page_count(pages, records, claims))
    else:
        for number, (page, record) in enumerate(zip(pages, records), 1):
            problems = _mark_problems(page, record, claims, covered)
            result.failures += [f"page {number} {problem}" for problem in problems]
            if not problems and rest_digest(page, record["marks"]) != record["rest"]:
                result.failures.append(
                    f"page {number} prints text the evidence does not account for: the page was changed after the "
                    "build "
                    "(overlaid, replaced, or taken from another PDF), or a claim it prints was taken out of the "
                    "evidence"
                )
    for claim in evidence["claims"]:
        fact = claim["fact"]
        if len(pages) == len(records) and not _covered(covered[fact], len(claims[fact])):
            result.failures.append(f"claim {fact} is in the evidence but printed on no page")


def _mark_problems(
    page: str, record: dict, claims: dict[str, str], covered: dict[str, list[tuple[int, int]]]
) -> list[str]:
    problems, at = [], 0
    for mark, start, end, offset in record["marks"]:
        text = claims.get(mark)
        what = _mark_name(mark)
        if text is None:
            problems.append(f"prints {what}, which the evidence does not hold: it was taken out of the evidence")
        elif (
            not at <= start < end
            or page[start:end] != text[offset : offset + end - start]
            or end - start > len(text) - offset
        ):
            problems.append(f"does not print {what} as the evidence has it: the page or the evidence was changed")
        else:
            covered[mark].append((offset, offset + end - start))
        at = max(at, end)
    return problems


def _mark_name(mark: str) -> str:
    """'claim FACT', or 'quote N of claim FACT' for a quote's mark FACT#N-1."""
    fact, hash_sign, index = mark.partition("#")
    return f"quote {int(index) + 1} of claim {fact}" if hash_sign and index.isdigit() else f"claim {mark}"


def _covered(spans: list[tuple[int, int]], length: int) -> bool:
    reach = 0
    for start, end in sorted(spans):
        if start > reach:
            return False
        reach = max(reach, end)
    return length > 0 and reach >= length


def _page_matches(page: str, record: dict, claims: dict[str, str]) -> bool:
    return (
        not _mark_problems(page, record, claims, defaultdict(list))
        and rest_digest(page, record["marks"]) == record["rest"]
    )


def _page_count(pages: list[str], records: list[dict], claims: dict[str, str]) -> str:
    """Which pages as built are missing, or which pages were not built, when their counts differ."""
    said = f"the PDF has {len(pages)} pages where {len(records)} were built"
    shift = abs(len(pages) - len(records))
    if shift > PAGE_WINDOW:
        return said
    matched, foreign = set(), []
    for number, page in enumerate(pages):
        window = [
            index
            for index in range(number - shift, number + shift + 1)
            if 0 <= index < len(records) and index not in matched
        ]
        found = next((index for index in window if _page_matches(page, records[index], claims)), None)
        if found is None:
            foreign.append(number + 1)
        else:
            matched.add(found)
    missing = [index + 1 for index in range(len(records)) if index not in matched]
    parts = []
    if missing:
        parts.append(
            f"page{'s' * (len(missing) > 1)} {', '.join(map(str, missing[:20]))} as built "
            f"{'are' if len(missing) > 1 else 'is'} missing"
        )
    if foreign:
        parts.append(
            f"page{'s' * (len(foreign) > 1)} {', '.join(map(str, foreign[:20]))} "
            f"{'were' if len(foreign) > 1 else 'was'} not built with this evidence"
        )
    return f"{said}: {'; '.join(parts)}" if parts else said


def _read_pdf(raw: bytes, part: int = 0) -> tuple[str, object]:
    """('read', (attachments, /DossiersEvidenceSHA256, texts of every READERS-th page from `part`)) or ('malformed',
    why);
    runs in a child process. Part 0 reads the attachments, and the pages only if the evidence is attached."""
    import io

    import pikepdf
    import pypdfium2

    attached, digest = {}, None
    try:
        if part == 0:
            with pikepdf.open(io.BytesIO(raw)) as document:
                for name, spec in document.attachments.items():
                    data = spec.get_file().read_bytes()
                    if len(data) > MAX_SOURCE_BYTES:
                        return (
                            "malformed",
                            f"its attachment {name[:100]!r} is larger than {MAX_SOURCE_BYTES // 2**20} MiB, more than "
                            "any source",
                        )
                    attached[name] = data
                digest = document.docinfo.get("/DossiersEvidenceSHA256")
                digest = str(digest) if isinstance(digest, pikepdf.String) else None
        texts = page_texts(raw, part, READERS) if part or EVIDENCE_NAME in attached else []
    except (pikepdf.PdfError, pikepdf.PasswordError, pypdfium2.PdfiumError, ValueError) as error:
        return "malformed", str(error)[:200]
    return "read", (attached, digest, texts)


def _read(path: Path, raw: bytes, pool: ThreadPoolExecutor) -> tuple[dict[str, bytes], dict, list[str], str | None]:
    # The PDF may be hostile too: it is read in children limited in time and memory, each reading some of the pages.
    others = [pool.submit(_in_child, partial(_read_pdf, part=part), raw) for part in range(1, READERS)]
    outcomes = [_in_child(_read_pdf, raw)] + [other.result() for other in others]
    for number, outcome in enumerate(outcomes):
        if outcome is None:
            raise UserError(
                f"{path}: reading its attachments and pages took longer than {child.READ_SECONDS} s, so it was stopped"
            )
        kind, value = outcome
        if kind != "read":
            raise UserError(f"{path} is not a readable PDF ({value})")
        if number == 0 and EVIDENCE_NAME not in value[0]:  # said before what the other readers found
            raise UserError(
                f"{path} carries no {EVIDENCE_NAME}: it was not made by dossiers build, or its attachments were removed"
            )
    values = [outcome[1] for outcome in outcomes if outcome is not None]  # each one, as the loop above made sure
    attached, digest, texts = values[0]
    parts = [texts] + [value[2] for value in values[1:]]
    texts = [text for group in itertools.zip_longest(*parts) for text in group if text is not None]
    try:
        # the model the build writes: strict, no key too many
        read = Evidence.model_validate_json(attached[EVIDENCE_NAME])
    except ValidationError:
        read = None
    if read is None or read.pages is None or read.page_reader is None:
        version = _version(attached[EVIDENCE_NAME])
        if isinstance(version, int) and not isinstance(version, bool) and version < EVIDENCE_VERSION:
            raise UserError(
                f"{path}: its {EVIDENCE_NAME} is of version {version}, from an older dossiers that did not "
                "record what each page prints: build it again"
            )
        raise UserError(
            f"{path}: its {EVIDENCE_NAME} is not the evidence dossiers writes (version "
            f"{EVIDENCE_VERSION}): it may have been altered"
        )
    evidence = read.model_dump(mode="json")  # plain data for the checks, its shape vouched for
    return attached, evidence, texts, digest


def _version(raw: bytes) -> object:
    """The "evidence" version an attachment says it is, if it is a JSON object at all."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return data.get("evidence") if isinstance(data, dict) else None


def _validation_context(trust: list[bytes] | None, other: Iterable = ()):
    from asn1crypto import x509
    from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(der) for der in trust or []]
    return ValidationContext(trust_roots=roots, other_certs=list(other), allow_fetching=False)


def _key_usage():
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


def _signer_facts(status, trust: list[bytes] | None) -> dict:
    """What a pyHanko status says of the signer, the time and the timestamp, as plain data."""
    from ..output.signing import signer_name

    cert = status.signing_cert
    timestamp = status.timestamp_validity
    validity = cert["tbs_certificate"]["validity"]
    return {
        "signer": signer_name(cert),
        "fingerprint": cert.sha256.hex(),
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted) if trust is not None else None,
        "signed_at": status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        "timestamp": timestamp.timestamp.isoformat() if timestamp is not None else None,
        "timestamp_ok": bool(timestamp.intact and timestamp.valid) if timestamp is not None else None,
        "tsa": signer_name(timestamp.signing_cert) if timestamp is not None else None,
        "not_before": validity["not_before"].native.isoformat(),
        "not_after": validity["not_after"].native.isoformat(),
    }


def _read_signatures(raw: bytes, trust: list[bytes] | None) -> tuple[str, object]:
    """('signatures', [facts of each signature]) or ('malformed', why); runs in a child process."""
    import io

    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DiffResult
    from pyhanko.sign.validation import validate_pdf_signature

    from ..output.signing import quiet

    quiet()
    try:
        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        found = []
        for embedded in reader.embedded_regular_signatures:
            status = validate_pdf_signature(embedded, _validation_context(trust), key_usage_settings=_key_usage())
            facts = _signer_facts(status, trust)
            diff = status.diff_result
            facts["coverage"] = status.coverage.name if status.coverage is not None else "UNCLEAR"
            facts["modification"] = status.modification_level.name if status.modification_level is not None else None
            facts["changes"] = (
                None if diff is None or isinstance(diff, DiffResult) else str(diff).strip().splitlines()[0][:200]
            )
            found.append(facts)
        dss = "/DSS" in reader.root
    except (PdfError, ValueError, KeyError, TypeError) as error:
        return "malformed", str(error)[:200]
    return "signatures", (found, dss)


def _signatures(raw: bytes, trust: list[bytes] | None) -> tuple | None:
    """The outcome of reading the PDF's signatures in a child; a PDF without /ByteRange has none that can hold."""
    if b"/ByteRange" not in raw:
        return "signatures", ([], False)
    return _in_child(partial(_read_signatures, trust=trust), raw)


def _check_signature(
    outcome: tuple | None, trust: list[bytes] | None, require: bool, result: Verification | FolderVerification
) -> None:
    """The signature of a PDF or a folder (the outcome of `_read_signatures` or `_read_detached`), or its absence, into
    `result`."""
    if outcome is None:
        result.failures.append(f"checking its signature took longer than {child.READ_SECONDS} s, so it was stopped")
        return
    kind, value = outcome
    if kind != "signatures":
        result.failures.append(f"its signature cannot be read ({value})")
        return
    signatures, dss = value
    if not signatures:
        (result.failures if require else result.notes).append(UNSIGNED + (" (--require-signature)" if require else ""))
        return
    if len(signatures) > 1:
        result.failures.append(
            f"it carries {len(signatures)} signatures where dossiers signs once: something was signed over the first"
        )
    facts = signatures[-1]
    level = "B-LT" if dss and facts["timestamp"] else "B-T" if facts["timestamp"] else "B-B"
    timestamp = f"{facts['timestamp']} by {facts['tsa']}" if facts["timestamp"] else None
    result.signature = Signature(
        facts["signer"], facts["fingerprint"], level, facts["signed_at"], timestamp, facts["trusted"]
    )
    result.failures += _signature_problems(facts, trust)
    if trust is None:
        result.notes.append(
            f"signed by {facts['signer']} (certificate SHA-256 {facts['fingerprint']}), who was not checked against a "
            "trust anchor: "
            "give --trust CERT to check the signer"
        )


def _signature_problems(facts: dict, trust: list[bytes] | None) -> list[str]:
    """What is wrong with one signature, each in words."""
    problems = []
    signer = facts["signer"]
    if not facts["intact"]:
        problems.append(f"the signature of {signer} does not match the bytes it covers: the signed content was changed")
    elif not facts["valid"]:
        problems.append(
            f"the signature of {signer} is not valid (its certificate does not allow signing, or its "
            "algorithm is refused)"
        )
    coverage, modification = facts.get("coverage"), facts.get("modification")
    if coverage is not None and coverage != "ENTIRE_FILE":
        if coverage == "ENTIRE_REVISION" and modification == "LTA_UPDATES":
            pass  # validation data (B-LT) after the signature
        elif facts.get("changes"):
            problems.append(
                "the PDF was changed after it was signed, by an incremental update that pyHanko's "
                f"difference analysis rejects ({facts['changes']})"
            )
        elif coverage == "ENTIRE_REVISION":
            what = {
                "FORM_FILLING": "form fields filled",
                "ANNOTATIONS": "annotations added or changed",
                "OTHER": "content changed",
            }.get(modification or "")
            problems.append(
                f"the PDF was changed after it was signed: {what or 'bytes were added after what the signature covers'}"
            )
        else:
            problems.append("the signature does not cover the file as it is: bytes outside it were changed or added")
    moment = facts["timestamp"] if facts["timestamp"] and facts["timestamp_ok"] else None
    when = dt.datetime.fromisoformat(moment) if moment else dt.datetime.now(dt.UTC)
    not_before, not_after = (
        dt.datetime.fromisoformat(facts["not_before"]),
        dt.datetime.fromisoformat(facts["not_after"]),
    )
    if when > not_after:
        since = f"before the timestamp of {moment}" if moment else "and no timestamp shows it signed before then"
        problems.append(f"the certificate of {signer} expired on {not_after.isoformat()}, {since}")
    elif when < not_before:
        problems.append(
            f"the certificate of {signer} was not yet valid at {when.isoformat()} (from {not_before.isoformat()})"
        )
    if facts["timestamp"] and not facts["timestamp_ok"]:
        problems.append(
            f"the timestamp of the signature (by {facts['tsa']}) is not valid: it does not match the signature"
        )
    if trust is not None and not facts["trusted"]:
        problems.append(
            f"the signer {signer} (certificate SHA-256 {facts['fingerprint']}) is not trusted: "
            "the certificate is not one given with --trust and is not certified by one"
        )
    return problems


def _read_detached(pair: bytes, trust: list[bytes] | None, split: int) -> tuple[str, object]:
    """('signatures', ([facts], False)) for a detached CMS signature of the data, or ('malformed', why); runs in a child
    process."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation import async_validate_detached_cms

    from ..output.signing import quiet

    quiet()
    data, signature = pair[:split], pair[split:]
    try:
        info = cms.ContentInfo.load(signature)
        signed_data = info["content"]
        certificates = (
            [c.chosen for c in signed_data["certificates"]] if signed_data["certificates"].native is not None else []
        )
        status = asyncio.run(
            async_validate_detached_cms(
                data, signed_data, _validation_context(trust, certificates), key_usage_settings=_key_usage()
            )
        )
    except (ValueError, KeyError, TypeError) as error:
        return "malformed", str(error)[:200]
    return "signatures", ([_signer_facts(status, trust)], False)


def verify_folder(
    folder: Path, trust: list[bytes] | None = None, require_signature: bool = False
) -> FolderVerification:
    """Check a build folder: the signature of its manifest.json, then each file against the manifest's sha256."""
    manifest_file = folder / MANIFEST
    if not manifest_file.is_file():
        raise UserError(f"{folder} holds no {MANIFEST}: give a folder that dossiers build wrote, or a PDF")
    data = manifest_file.read_bytes()
    outputs: dict = {}
    try:
        outputs = json.loads(data)["outputs"]
        valid = isinstance(outputs, dict) and all(
            isinstance(entry, dict) and isinstance(entry.get("sha256"), str) for entry in outputs.values()
        )
    except (ValueError, KeyError, TypeError, RecursionError):
        valid = False
    if not valid:
        raise UserError(f"{manifest_file} is not a manifest dossiers writes")
    result = FolderVerification()
    signature_file = folder / MANIFEST_SIGNATURE
    if signature_file.is_file() and signature_file.stat().st_size <= MAX_SIGNATURE_BYTES:
        outcome = _in_child(partial(_read_detached, trust=trust, split=len(data)), data + signature_file.read_bytes())
    else:
        outcome = "signatures", ([], False)
    _check_signature(outcome, trust, require_signature, result)
    if result.signature is not None:
        result.signature.level = "CMS"
    for name, entry in sorted(outputs.items()):
        path = folder / name
        if not is_output_name(name):
            result.failures.append(f"{MANIFEST} lists {name[:200]!r}, which is no name dossiers writes")
        elif name.startswith(f"{PIECES_DIR}/") and not path.exists():
            continue  # a piece of the pack, kept to build faster: not part of what is delivered
        elif not path.is_file() or path.is_symlink():
            result.failures.append(f"{name} is listed in {MANIFEST} but is not in the folder")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            result.failures.append(
                f"{name} does not have the sha256 {MANIFEST} records: it was changed after the build"
            )
        else:
            result.files += 1
    listed = set(outputs) | {MANIFEST, MANIFEST_SIGNATURE}
    for here, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not (Path(here) / name).is_symlink()]
        for name in names:
            relative = (Path(here) / name).relative_to(folder).as_posix()
            if relative not in listed:
                result.failures.append(f"{relative} is in the folder but not in {MANIFEST}: the build did not make it")
    return result
