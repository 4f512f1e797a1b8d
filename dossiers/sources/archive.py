"""A page captured in a web archive (WARC, WARC.gz or WACZ): its HTTP body, its URL, its capture time, its signature.

The archive is the source's file and its sha256 the source's hash; the text is the body
of one response record, read again from the archive by every check, and extracted as any
page is. Archives are hostile input, read in a forked child limited in time and memory:
a .warc.gz is unpacked member by member up to MAX_UNPACKED bytes (a gzip bomb stops
there); a record's claimed length is never trusted, only the bytes that are there; a
body past MAX_SOURCE_BYTES, decoded, is refused; a WACZ is read from its ZIP in memory,
never written out, each member read up to what is left of MAX_UNPACKED, and a resource
path that is absolute or climbs with '..' is refused.

A WACZ's datapackage.json digests are checked; its datapackage-digest.json, when it holds
a signature (WACZ signing and verification 0.1.0), is checked too: an anonymous signature
(ECDSA P-256 with the public key it carries) is verified here; a domain signature (a
certificate chain of a domain) is recorded as signed by that domain, not verified, as
that takes the chain's trust and its timestamp authority, which this tool does not hold.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath

from .child import in_child
from .files import MAX_SOURCE_BYTES, Unreadable

MAX_UNPACKED = 8 * MAX_SOURCE_BYTES  # bytes an archive may unpack to, its members together: past this, it is refused
MAX_MEMBERS = 10_000  # entries of a WACZ's ZIP
MAX_JSON = 16 * 2**20  # bytes of datapackage.json, datapackage-digest.json or pages.jsonl
MAX_LISTED = 20  # pages named in an error
_DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "application/pdf", "text/plain")
_WARC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z")

UNSIGNED, VERIFIED, NOT_VERIFIED = "no", "verified", "not verified"


@dataclass(frozen=True)
class Capture:
    """One page of a web archive, as a source reads it."""

    url: str  # the record's WARC-Target-URI
    retrieved: str  # its WARC-Date, ISO 8601 in UTC
    body: bytes  # the HTTP body, transfer and content encodings undone
    signed: str = UNSIGNED  # UNSIGNED, VERIFIED or NOT_VERIFIED
    signer: str | None = None  # who signed: 'the domain example.org', 'an anonymous key (sha256 ab12…)'
    pages: tuple[str, ...] = field(default=())  # every page the archive holds


class _Refused(Exception):
    """An archive that cannot be a source, said why: becomes Unreadable in the parent."""

    def __init__(self, code: str, message: str, field: str = "file"):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def is_warc(raw: bytes) -> bool:
    """Whether `raw` is a WARC file, plain or gzip-compressed record by record."""
    if raw.startswith(b"WARC/"):
        return True
    if raw.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw[:65536], 16).startswith(b"WARC/")
        except zlib.error:
            return False
    return False


def is_wacz(raw: bytes) -> bool:
    """Whether `raw` is a ZIP holding datapackage.json at its root: a WACZ."""
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return any(info.filename == "datapackage.json" for info in archive.infolist()[:MAX_MEMBERS])
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def capture(raw: bytes, fmt: str, name: str, url: str | None) -> Capture:
    """The page of the archive `raw` (format 'warc' or 'wacz') at `url`, or its only page; raises Unreadable naming
    `name`."""
    kind, value = in_child(partial(_read, fmt=fmt, url=url), raw)
    if kind == "capture":
        return value
    if kind == "refused":
        code, message, blame = value
        raise Unreadable(blame, code, f"{name}: {message}")
    if kind == "timeout":
        raise Unreadable(
            "file",
            "source-archive-timeout",
            f"{name}: reading the archive took longer than {value} s, so it was stopped: export the page again",
        )
    why = f"reading it needed more than {value} GiB" if kind == "memory" else value
    raise Unreadable(
        "file",
        "source-archive-malformed",
        f"{name} is not a web archive that can be read ({why}): export the page again",
    )


def _read(raw: bytes, fmt: str, url: str | None) -> tuple[str, object]:
    """('capture', Capture) or ('refused', (code, message, field)); runs in a child process."""
    try:
        if fmt == "wacz":
            warcs, pages, signed, signer = _wacz(raw)
        else:
            warcs, pages, signed, signer = (
                [_gunzipped(raw) if raw.startswith(b"\x1f\x8b") else raw],
                None,
                UNSIGNED,
                None,
            )
        found = _page(warcs, pages, url)
        return "capture", Capture(*found, signed=signed, signer=signer)
    except _Refused as refusal:
        return "refused", (refusal.code, refusal.message, refusal.field)


def _gunzipped(data: bytes, budget: list[int] | None = None) -> bytes:
    """A gzip file of one member or many (a .warc.gz has one a record), unpacked, never past what `budget` has left."""
    budget = budget if budget is not None else [MAX_UNPACKED]
    out, rest = [], data
    while rest.startswith(b"\x1f\x8b"):
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while pending and not unpacker.eof:
            try:
                chunk = unpacker.decompress(pending, budget[0] + 1)
            except zlib.error as error:
                raise _Refused(
                    "source-archive-malformed", f"its gzip data is damaged ({error}): export the page again"
                ) from None
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _Refused(
                    "source-archive-too-large",
                    f"it unpacks to more than {MAX_UNPACKED // 2**20} MiB (a gzip bomb?): export only the page to cite",
                )
            out.append(chunk)
            pending = unpacker.unconsumed_tail
        if not unpacker.eof:
            raise _Refused(
                "source-archive-malformed",
                "its gzip data ends before its end: the file was cut short; export the page again",
            )
        rest = unpacker.unused_data
    if rest.strip(b"\x00"):
        raise _Refused(
            "source-archive-malformed", "it holds bytes after its gzip data that are not gzip: export the page again"
        )
    return b"".join(out)


def _page(warcs: list[bytes], pages: list[str] | None, url: str | None) -> tuple[str, str, bytes]:
    """(url, WARC-Date, body) of the response at `url`, or of the archive's only page."""
    if url is None:
        listed = pages if pages is not None else _documents(warcs)
        if not listed:
            raise _Refused(
                "source-archive-empty",
                "it holds no captured page (no HTML, PDF or text response): export the page again",
            )
        if len(listed) > 1:
            raise _Refused(
                "source-capture-ambiguous",
                f"it holds {len(listed)} pages: name the one to cite as the source's url (add-source --url URL): "
                f"{_listing(listed)}",
                "url",
            )
        url = listed[0]
    for record, target in _responses(warcs):
        if target == url:
            date = record.rec_headers.get_header("WARC-Date") or ""
            if not _WARC_DATE.fullmatch(date):
                raise _Refused(
                    "source-archive-malformed",
                    f"the record of {target[:200]} has no WARC-Date in ISO 8601 "
                    f"UTC (it says '{date[:40]}'): export the page again",
                )
            if not re.fullmatch(r"https?://\S{1,1990}", target):
                raise _Refused(
                    "source-archive-malformed", f"the captured page's address '{target[:200]}' is not an http(s) URL"
                )
            return target, date, _body(record)
    raise _Refused(
        "source-capture-missing",
        f"it holds no response captured from {url[:200]}: the pages it holds are "
        f"{_listing(pages if pages is not None else _documents(warcs))}",
        "url",
    )


def _responses(warcs: list[bytes]):
    """(record, its target URL) of each successful response or resource record, in the order of the archive."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for warc in warcs:
            for record in ArchiveIterator(io.BytesIO(warc), arc2warc=False, ensure_http_headers=False):
                if record.rec_type not in ("response", "resource"):
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if (status or "").startswith("2"):
                    yield record, (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    except ArchiveLoadFailed as error:
        raise _Refused(
            "source-archive-malformed", f"it is not a WARC that can be read ({str(error)[:200]}): export the page again"
        ) from None


def _documents(warcs: list[bytes]) -> list[str]:
    """The URLs of the HTML, PDF and text documents the WARCs hold: its pages, when no pages.jsonl lists them."""
    found: dict[str, None] = {}  # a dict, not a list: an archive of a million pages is read in linear time
    for record, target in _responses(warcs):
        headers = record.http_headers or record.rec_headers
        kind = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
        if kind in _DOCUMENT_TYPES and target:
            found[target] = None
    return list(found)


def _body(record) -> bytes:
    """The record's HTTP body, chunking and content encoding undone, read no further than MAX_SOURCE_BYTES."""
    stream = record.content_stream()
    parts, size = [], 0
    while size <= MAX_SOURCE_BYTES:
        chunk = stream.read(min(2**20, MAX_SOURCE_BYTES + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    if size > MAX_SOURCE_BYTES:
        raise _Refused(
            "source-too-large",
            f"the page it holds is larger than {MAX_SOURCE_BYTES // 2**20} MiB decoded: cite a smaller capture",
        )
    return b"".join(parts)


def _listing(urls: list[str]) -> str:
    shown = ", ".join(u[:200] for u in urls[:MAX_LISTED])
    return shown + (f" and {len(urls) - MAX_LISTED} more" if len(urls) > MAX_LISTED else "")


def _member_path(path: object) -> str:
    """A resource path of datapackage.json, which must stay inside the archive."""
    if not isinstance(path, str) or not path or len(path) > 1000:
        raise _Refused("source-archive-malformed", "its datapackage.json lists a resource without a path")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\x00" in path:
        raise _Refused(
            "source-archive-unsafe",
            f"its datapackage.json names '{path[:200]}', a path outside the archive: export the page again",
        )
    return path


def _member(archive: zipfile.ZipFile, path: str, budget: list[int], limit: int | None = None) -> bytes:
    """The bytes of one member, read no further than `budget` (and `limit`) allows: its header's sizes are not
    trusted."""
    cap = min(budget[0], limit if limit is not None else budget[0])
    try:
        with archive.open(path) as member:
            data = member.read(cap + 1)
    except KeyError:
        raise _Refused("source-archive-malformed", f"it lacks {path[:200]}, which its datapackage.json lists") from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise _Refused(
            "source-archive-malformed", f"its member {path[:200]} cannot be read ({str(error)[:200]})"
        ) from None
    if len(data) > cap:
        what = (
            f"more than {limit // 2**20} MiB"
            if limit is not None and limit <= budget[0]
            else f"past {MAX_UNPACKED // 2**20} MiB with the rest (a zip bomb?)"
        )
        raise _Refused(
            "source-archive-too-large", f"its member {path[:200]} unpacks to {what}: export only the page to cite"
        )
    budget[0] -= len(data)
    return data


def _json(data: bytes, what: str):
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise _Refused("source-archive-malformed", f"its {what} is not JSON") from None


def _wacz(raw: bytes) -> tuple[list[bytes], list[str] | None, str, str | None]:
    """The WARCs of a WACZ, its pages, and its signature, every digest of datapackage.json checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise _Refused("source-archive-malformed", f"it is not a ZIP that can be read ({error})") from None
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            raise _Refused(
                "source-archive-too-large", f"it holds more than {MAX_MEMBERS:,} files: export only the page to cite"
            )
        budget = [MAX_UNPACKED]
        package_bytes = _member(archive, "datapackage.json", budget, MAX_JSON)
        package = _json(package_bytes, "datapackage.json")
        resources = package.get("resources") if isinstance(package, dict) else None
        if not isinstance(resources, list) or not resources:
            raise _Refused("source-archive-malformed", "its datapackage.json lists no resources")
        warcs, pages = [], None  # pages: a dict, each URL once, so that many pages.jsonl files are read in linear time
        for resource in resources:
            if not isinstance(resource, dict):
                raise _Refused(
                    "source-archive-malformed", "its datapackage.json lists a resource that is not an object"
                )
            path = _member_path(resource.get("path"))
            data = _member(archive, path, budget)
            _digest_matches(data, resource.get("hash"), path)
            if path.startswith("archive/") and path.endswith(".warc.gz"):
                warcs.append(_gunzipped(data, budget))
            elif path.startswith("archive/") and path.endswith(".warc"):
                warcs.append(data)
            elif path.startswith("pages/") and path.endswith(".jsonl"):
                listed = [_json(line, path) for line in data.splitlines()[1:] if line.strip()]
                pages = pages if pages is not None else {}
                pages.update(
                    dict.fromkeys(p["url"] for p in listed if isinstance(p, dict) and isinstance(p.get("url"), str))
                )
        if not warcs:
            raise _Refused("source-archive-empty", "its datapackage.json lists no WARC under archive/")
        signed, signer = _signature(archive, package_bytes, budget)
    return warcs, list(pages) if pages else None, signed, signer


def _digest_matches(data: bytes, declared: object, path: str) -> None:
    algorithm, _, expected = (declared if isinstance(declared, str) else "").partition(":")
    if algorithm not in ("sha256", "sha512", "md5") or not re.fullmatch(r"[0-9a-f]{32,128}", expected):
        raise _Refused("source-archive-malformed", f"its datapackage.json gives {path[:200]} no sha256 digest")
    actual = hashlib.new(algorithm, data).hexdigest()
    if actual != expected:
        raise _Refused(
            "source-archive-digest",
            f"{path[:200]} does not match its {algorithm} in datapackage.json ({actual[:16]}… against "
            f"{expected[:16]}…): "
            "the archive was changed after it was packed; use the archive as its author exported it",
        )


def _signature(archive: zipfile.ZipFile, package_bytes: bytes, budget: list[int]) -> tuple[str, str | None]:
    """(UNSIGNED | VERIFIED | NOT_VERIFIED, who) from datapackage-digest.json; a signature that fails, or a digest that
    does not match, is refused."""
    if "datapackage-digest.json" not in archive.namelist():
        return UNSIGNED, None
    digest = _json(_member(archive, "datapackage-digest.json", budget, MAX_JSON), "datapackage-digest.json")
    if not isinstance(digest, dict):
        raise _Refused("source-archive-malformed", "its datapackage-digest.json is not an object")
    _digest_matches(package_bytes, digest.get("hash"), "datapackage.json (in datapackage-digest.json)")
    signed = digest.get("signedData")
    if not isinstance(signed, dict):
        return UNSIGNED, None
    if signed.get("hash") != digest.get("hash"):
        raise _Refused(
            "source-archive-signature",
            "its signature is over another datapackage.json than the one it "
            "holds: the archive was changed after it was signed",
        )
    if isinstance(signed.get("publicKey"), str) and isinstance(signed.get("signature"), str):
        return _anonymous(signed)
    domain = signed.get("domain")
    return NOT_VERIFIED, f"the domain {domain[:200]}" if isinstance(
        domain, str
    ) and domain else "a certificate it carries"


def _anonymous(signed: dict) -> tuple[str, str]:
    """An anonymous signature: ECDSA P-256 over the UTF-8 hash string, the raw r‖s (or DER) signature, the key's DER,
    all base64."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    try:
        key_der = base64.b64decode(signed["publicKey"], validate=True)
        key = serialization.load_der_public_key(key_der)
        signature = base64.b64decode(signed["signature"], validate=True)
    except (ValueError, TypeError):
        raise _Refused(
            "source-archive-signature", "its signature or public key is not base64 DER that can be read"
        ) from None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise _Refused(
            "source-archive-signature",
            "its public key is not an elliptic-curve key, as the WACZ signing specification has it",
        )
    size = (key.curve.key_size + 7) // 8
    if len(signature) == 2 * size:
        signature = encode_dss_signature(
            int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        )
    try:
        key.verify(signature, signed["hash"].encode("utf-8"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _Refused(
            "source-archive-signature",
            "its signature does not verify against the key it carries: the "
            "archive was changed after it was signed, or the signature is forged",
        ) from None
    return VERIFIED, f"an anonymous key (sha256 {hashlib.sha256(key_der).hexdigest()[:16]}…)"
