"""Web archives (WARC, WARC.gz, WACZ) as sources: one captured page, its URL, its capture time, its signature.

The pages captured are real: tests/fixtures/real-sources/dw.com.colonial.html (a DW news
article, from adbar/trafilatura's tests/cache/) and sg-notice-snr-n01-1.html (a Singapore
government notice, from opensanctions/opensanctions @ f33cff23); see PROVENANCE.md. The
archives around them are built here with warcio, as Webrecorder and Browsertrix write them.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from pypdf import PdfReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import PROJECT, run

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"
DW = "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881"
SG = "https://www.mas.gov.sg/regulation/sanctions/notice-snr-n01"
DW_DATE, SG_DATE = "2020-01-20T09:14:03Z", "2022-03-15T11:02:41Z"
MIDDLE = "The most notorious of the three is Carl Peters, who first went to East Africa in the 1880s"
NEAR_END = "in 1884, when Chancellor Otto von Bismarck hosted the infamous Berlin Conference which regulated Europe's colonization in Africa"

FACTS = """
  - id: carl-peters
    kind: person
    name: Carl Peters
  - id: otto-von-bismarck
    kind: person
    name: Otto von Bismarck

facts:
  - id: peters-protection-contracts
    actors: [carl-peters]
    kind: event
    text: Carl Peters first went to East Africa in the 1880s, DW reports.
    citations:
      - source: SOURCE
        quote: 'QUOTE1'
  - id: bismarck-berlin-conference
    actors: [otto-von-bismarck]
    kind: event
    date: 1884
    text: Otto von Bismarck hosted the Berlin Conference in 1884, DW reports.
    citations:
      - source: SOURCE
        quote: QUOTE2
"""


def _response(writer: WARCWriter, url: str, body: bytes, date: str, content_type="text/html; charset=utf-8", encoding: str | None = None, length: int | None = None):
    headers = [("Content-Type", content_type)]
    if encoding == "gzip":
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    http = StatusAndHeaders("200 OK", headers + [("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}, length=length)
    writer.write_record(record)


def warc(pages: list[tuple[str, bytes, str]], gz: bool = False, encoding: str | None = None) -> bytes:
    """A WARC of `pages` (url, body, date), each with a stylesheet beside it, as a browser capture has."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("capture.warc", {"software": "test", "format": "WARC File Format 1.1"}))
    for url, body, date in pages:
        _response(writer, url, body, date, encoding=encoding)
        _response(writer, url.rsplit("/", 1)[0] + "/style.css", b"body { color: black }", date, content_type="text/css")
    return out.getvalue()


def wacz(warc_gz: bytes, pages: list[str], sign: str | None = None, tamper=None, extra: dict[str, bytes] | None = None) -> bytes:
    """A WACZ (1.1.1) around `warc_gz`: datapackage.json with every resource's sha256, and a datapackage-digest.json, signed if asked."""
    members = {
        "archive/data.warc.gz": warc_gz,
        "pages/pages.jsonl": b'{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}\n'
        + b"".join(json.dumps({"url": url, "ts": DW_DATE, "title": "page"}).encode() + b"\n" for url in pages),
        **(extra or {}),
    }
    package = json.dumps({
        "profile": "data-package", "wacz_version": "1.1.1", "software": "test",
        "resources": [{"name": path.rsplit("/", 1)[-1], "path": path, "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)} for path, data in members.items()],
    }).encode()
    package_hash = "sha256:" + hashlib.sha256(package).hexdigest()
    digest: dict = {"path": "datapackage.json", "hash": package_hash}
    if sign == "anonymous":
        key = ec.generate_private_key(ec.SECP256R1())
        r, s = decode_dss_signature(key.sign(package_hash.encode(), ec.ECDSA(hashes.SHA256())))
        digest["signedData"] = {
            "hash": package_hash, "created": DW_DATE, "software": "test",
            "publicKey": base64.b64encode(key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode(),
            "signature": base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode(),
        }
    elif sign == "domain":
        digest["signedData"] = {"hash": package_hash, "created": DW_DATE, "software": "test", "domain": "signing.example.org", "signature": "MEUCIQ==", "domainCert": "-----BEGIN CERTIFICATE-----"}
    if tamper:
        tamper(members, digest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
        archive.writestr("datapackage.json", package)
        archive.writestr("datapackage-digest.json", json.dumps(digest))
    return out.getvalue()


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    return root


def dw_page() -> bytes:
    return (REAL / "dw.com.colonial.html").read_bytes()


def cite(root: Path, source: str, first: str = MIDDLE, second: str = NEAR_END) -> None:
    registry = root / "actors.yaml"
    facts = FACTS.replace("SOURCE", source).replace("QUOTE1", first.replace("'", "''")).replace("QUOTE2", second)
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", facts, 1), "utf-8")


@pytest.mark.parametrize("name, gz, encoding", [("capture.warc", False, None), ("capture.warc.gz", True, "gzip")])
def test_a_warc_capture_of_a_real_page_is_a_source_whose_quotes_verify_against_the_archive(fresh: Path, tmp_path: Path, name, gz, encoding):
    archive = tmp_path / name
    archive.write_bytes(warc([(DW, dw_page(), DW_DATE)], gz=gz, encoding=encoding))
    added = run("add-source", str(archive), "--root", str(fresh))
    assert added.exit_code == 0, added.output
    assert f"url: {DW}  (from the WARC-Target-URI of its record)" in added.stdout
    assert f"retrieved: {DW_DATE}  (from the WARC-Date of its record)" in added.stdout
    listing = (fresh / "seeds" / "sources.yaml").read_text("utf-8")
    assert f"sha256: {hashlib.sha256(archive.read_bytes()).hexdigest()}" in listing, "the archive's hash is the source's"
    assert "signed: no" in listing and "title: Berlin confronts Germany's colonial past" in listing
    assert (fresh / "seeds" / name).read_bytes() == archive.read_bytes()

    cite(fresh, "capture")
    checked = run("check", "--root", str(fresh))
    assert checked.exit_code == 0, checked.output
    built = run("build", "--root", str(fresh), "--format", "md")
    assert built.exit_code == 0, built.output
    dossier = (fresh / "build" / "dossiers" / "otto-von-bismarck.md").read_text("utf-8")
    assert "infamous Berlin Conference which regulated Europe" in dossier
    assert f"Captured from {DW} at {DW_DATE}, not signed." in " ".join(dossier.split()).replace("\\", "")


def test_a_signed_wacz_has_its_digests_and_signature_checked_and_the_dossier_says_so(fresh: Path, tmp_path: Path):
    archive = tmp_path / "capture.wacz"
    archive.write_bytes(wacz(warc([(DW, dw_page(), DW_DATE)], gz=True), [DW], sign="anonymous"))
    added = run("add-source", str(archive), "--root", str(fresh))
    assert added.exit_code == 0, added.output
    assert "signed: verified  (from signed by an anonymous key (sha256 " in added.stdout
    cite(fresh, "capture")
    assert run("check", "--root", str(fresh)).exit_code == 0
    built = run("build", "--root", str(fresh), "--format", "md,pdf")
    assert built.exit_code == 0, built.output
    dossier = " ".join((fresh / "build" / "dossiers" / "carl-peters.md").read_text("utf-8").split()).replace("\\", "")
    assert f"Captured from {DW} at {DW_DATE}, signed by an anonymous key (sha256 " in dossier and ", signature verified." in dossier
    printed = " ".join(" ".join(page.extract_text() for page in PdfReader(fresh / "build" / "dossiers" / "carl-peters.pdf").pages).split())
    assert "Captured from" in printed and f"at {DW_DATE}, signed by an anonymous key" in printed and "signature verified" in printed
    verified = run("verify", str(fresh / "build" / "dossiers" / "carl-peters.pdf"))  # the PDF carries the archive, and its quote is read again from it
    assert verified.exit_code == 0 and "1 quote verified against 1 embedded source" in verified.stdout, verified.output

    listing = fresh / "seeds" / "sources.yaml"  # what the dossier prints of the capture is held to the archive
    listing.write_text(listing.read_text("utf-8").replace("signed: verified", "signed: no").replace(DW_DATE, "2020-01-21T00:00:00Z"), "utf-8")
    checked = run("check", "--root", str(fresh), "--format", "json")
    codes = [(p["code"], p["message"]) for p in json.loads(checked.stdout)]
    assert ("source-capture-mismatch", f"seeds/capture.wacz is a web archive whose page {DW} says otherwise: record retrieved: '{DW_DATE}'") in codes
    assert any(code == "source-capture-mismatch" and "record signed: 'verified'" in message for code, message in codes)


def test_a_domain_signature_is_recorded_as_signed_and_not_verified(fresh: Path, tmp_path: Path):
    archive = tmp_path / "capture.wacz"
    archive.write_bytes(wacz(warc([(DW, dw_page(), DW_DATE)], gz=True), [DW], sign="domain"))
    added = run("add-source", str(archive), "--root", str(fresh))
    assert added.exit_code == 0, added.output
    assert "signed: not verified  (from signed by the domain signing.example.org: dossiers cannot verify such a signature)" in added.stdout


def _forged_signature(members, digest):
    signature = bytearray(base64.b64decode(digest["signedData"]["signature"]))
    signature[5] ^= 1
    digest["signedData"]["signature"] = base64.b64encode(bytes(signature)).decode()


def _changed_after_packing(members, digest):
    members["archive/data.warc.gz"] = warc([(DW, dw_page().replace(b"Carl Peters", b"Karl Peters"), DW_DATE)], gz=True)


@pytest.mark.parametrize("tamper, code, said", [
    (_forged_signature, "source-archive-signature", "its signature does not verify against the key it carries"),
    (_changed_after_packing, "source-archive-digest", "archive/data.warc.gz does not match its sha256 in datapackage.json"),
])
def test_a_wacz_changed_after_it_was_packed_or_signed_is_refused_naming_the_file(fresh: Path, tmp_path: Path, tamper, code, said):
    archive = tmp_path / "capture.wacz"
    archive.write_bytes(wacz(warc([(DW, dw_page(), DW_DATE)], gz=True), [DW], sign="anonymous", tamper=tamper))
    before = (fresh / "seeds" / "sources.yaml").read_bytes()
    added = run("add-source", str(archive), "--root", str(fresh))
    assert added.exit_code == 1 and f"{code}: {archive}: " in added.stderr and said in added.stderr, added.output
    assert (fresh / "seeds" / "sources.yaml").read_bytes() == before and not (fresh / "seeds" / "capture.wacz").exists()


def test_a_capture_of_several_pages_asks_which_and_takes_the_one_named(fresh: Path, tmp_path: Path):
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(warc([(DW, dw_page(), DW_DATE), (SG, (REAL / "sg-notice-snr-n01-1.html").read_bytes(), SG_DATE)], gz=True))
    asked = run("add-source", str(archive), "--root", str(fresh))
    assert asked.exit_code == 1, asked.output
    assert f"source-capture-ambiguous: {archive}: it holds 2 pages: name the one to cite as the source's url (add-source --url URL): {DW}, {SG}" in " ".join(asked.stderr.split())
    added = run("add-source", str(archive), "--url", SG, "--root", str(fresh))
    assert added.exit_code == 0, added.output
    assert f"retrieved: {SG_DATE}" in added.stdout
    registry = fresh / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", """
  - id: singapore
    kind: state
    name: Singapore
    country: [sg]

facts:
  - id: singapore-russia-measures
    actors: [singapore]
    kind: sanction
    authority: [SG]
    text: Singapore imposed financial measures on designated Russian banks.
    citations:
      - source: crawl
        quote: the Singapore Government has imposed financial measures targeted at designated Russian banks
""", 1), "utf-8")
    checked = run("check", "--root", str(fresh))
    assert checked.exit_code == 0, checked.output
    missing = run("add-source", str(archive), "--url", "https://www.dw.com/en/elsewhere", "--root", str(fresh))
    assert "source-capture-missing" in missing.stderr and f"the pages it holds are {DW}, {SG}" in " ".join(missing.stderr.split())


# Hostile archives: each is refused within seconds, in a child limited in time and memory, naming the file.

def _bomb_gz(size: int) -> bytes:
    """A .warc.gz of one member that opens as a WARC and unpacks to `size` bytes of zeros."""
    packer = zlib.compressobj(9, wbits=16 + 15)
    return packer.compress(b"WARC/1.1\r\n") + b"".join(packer.compress(b"\x00" * 2**24) for _ in range(size // 2**24)) + packer.flush()


def _huge_body() -> bytes:
    out = io.BytesIO()
    _response(WARCWriter(out, gzip=True), DW, b"<html><body><p>" + b"a" * (40 * 2**20), DW_DATE, encoding="gzip")
    return out.getvalue()


@pytest.mark.parametrize("name, make, code, said", [
    ("bomb.warc.gz", lambda: _bomb_gz(300 * 2**20), "source-archive-too-large", "it unpacks to more than 256 MiB (a gzip bomb?)"),
    ("big-body.warc.gz", _huge_body, "source-too-large", "the page it holds is larger than 32 MiB decoded"),
    ("traversal.wacz", lambda: wacz(warc([(DW, dw_page(), DW_DATE)], gz=True), [DW], extra={"../../outside.warc.gz": b"x"}),
     "source-archive-unsafe", "its datapackage.json names '../../outside.warc.gz', a path outside the archive"),
    ("huge-member.wacz", lambda: wacz(warc([(DW, dw_page(), DW_DATE)], gz=True), [DW], extra={"archive/zeros.warc": b"\x00" * (300 * 2**20)}),
     "source-archive-too-large", "its member archive/zeros.warc unpacks to past 256 MiB with the rest (a zip bomb?)"),
])
def test_a_hostile_archive_is_refused_quickly_naming_the_file(fresh: Path, tmp_path: Path, name, make, code, said):
    archive = tmp_path / name
    archive.write_bytes(make())
    assert archive.stat().st_size < 32 * 2**20
    started = time.monotonic()
    # in a process of its own, as a user runs it: the reading child's address-space bound counts what it shares with its
    # parent, and a test worker that has run hundreds of tests holds far more than a command does
    added = subprocess.run(
        [sys.executable, "-m", "dossiers", "add-source", str(archive), "--root", str(fresh)],
        capture_output=True, text=True, timeout=120, cwd=PROJECT, env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert added.returncode == 1 and f"{code}: {archive}" in added.stderr, added.stderr
    assert said in " ".join(added.stderr.split()), added.stderr
    assert time.monotonic() - started < 30
    assert not (tmp_path / "outside.warc.gz").exists() and not (fresh.parent / "outside.warc.gz").exists()


def test_a_record_claiming_two_gigabytes_is_read_for_what_it_holds(fresh: Path, tmp_path: Path):
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    _response(writer, DW, dw_page(), DW_DATE)
    data = out.getvalue()
    head, _, rest = data.partition(b"\r\n\r\n")
    claimed = b"\r\n".join(b"Content-Length: 2147483648" if line.startswith(b"Content-Length:") else line for line in head.split(b"\r\n"))
    archive = tmp_path / "claims.warc"
    archive.write_bytes(claimed + b"\r\n\r\n" + rest)
    started = time.monotonic()
    added = run("add-source", str(archive), "--root", str(fresh))
    assert time.monotonic() - started < 30
    assert added.exit_code == 0, added.output  # the page is all there: what the record claims beyond it is not read
    cite(fresh, "claims")
    assert run("check", "--root", str(fresh)).exit_code == 0
