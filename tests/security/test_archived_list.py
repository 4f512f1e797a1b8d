"""Attack: a WARC whose captured page is a FollowTheMoney list (the real EU Belarus list, served as text).

It was refused, but as "itself a web archive", which it is not: the message must say what
the page is, so that the analyst adds the list file itself.
"""

from __future__ import annotations

import pytest

from conftest import PROJECT
from dossiers.sources.files import Unreadable
from dossiers.sources.read import read_document

EU_BELARUS = PROJECT / "tests" / "fixtures" / "screening" / "eu-belarus.ftm.json"


def test_a_warc_whose_page_is_a_followthemoney_list_is_refused_as_a_list_not_as_an_archive():
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + EU_BELARUS.read_bytes()[:200_000].rsplit(b"\n", 1)[0] + b"\n"
    warc = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://data.example.org/eu-belarus.ftm.json\r\n"
        b"WARC-Date: 2025-12-02T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode() + body + b"\r\n\r\n"
    )
    with pytest.raises(Unreadable) as refused:
        read_document(warc, "seeds/eu-belarus.warc")
    assert refused.value.code == "source-archive-nested"
    assert "is a FollowTheMoney list" in str(refused.value) and "web archive" not in str(refused.value)
