"""Attack: a web archive of a hundred thousand tiny pages, to make every check read it for a minute.

Listing an archive's pages (for the error that asks which one to cite) looked each URL up
in the list of those found so far, and each pages.jsonl's URLs in those of the files before
it: quadratic. A 32 MiB WARC of 120,000 pages took past the reader's 60 s, so it was refused
as a timeout instead of being listed (and a legitimate crawl with it). The pages are now
gathered in a dict: the same archive is listed in seconds.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile

import pytest

from dossiers.sources.archive import capture
from dossiers.sources.files import Unreadable

PAGES = 120_000


def tiny_pages(count: int) -> bytes:
    out = io.BytesIO()
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>"
    for number in range(count):
        out.write(
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/{number}\r\n"
            f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{number}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body + b"\r\n\r\n"
        )
    return out.getvalue()


def test_a_warc_of_120000_pages_is_listed_not_timed_out():
    raw = tiny_pages(PAGES)
    started = time.monotonic()
    with pytest.raises(Unreadable) as refused:
        capture(raw, "warc", "seeds/many.warc", None)
    assert refused.value.code == "source-capture-ambiguous", refused.value
    assert f"it holds {PAGES} pages" in str(refused.value)
    assert time.monotonic() - started < 45


def test_a_wacz_whose_pages_files_list_60000_pages_each_is_listed_not_timed_out():
    warc = tiny_pages(1)
    halves = [
        b'{"format": "json-pages-1.0"}\n' + "".join(json.dumps({"url": f"https://example.org/{half}/{n}"}) + "\n" for n in range(60_000)).encode()
        for half in (1, 2)
    ]
    members = {"archive/data.warc": warc, "pages/pages.jsonl": halves[0], "pages/extraPages.jsonl": halves[1]}
    package = {"resources": [{"path": path, "hash": "sha256:" + hashlib.sha256(data).hexdigest()} for path, data in members.items()]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("datapackage.json", json.dumps(package))
        for path, data in members.items():
            archive.writestr(path, data)
    started = time.monotonic()
    with pytest.raises(Unreadable) as refused:
        capture(buffer.getvalue(), "wacz", "seeds/many.wacz", None)
    assert refused.value.code == "source-capture-ambiguous", refused.value
    assert "it holds 120000 pages" in str(refused.value)
    assert time.monotonic() - started < 45
