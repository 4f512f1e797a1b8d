"""A hostile HTML page or PDF is read in a child process bounded in time and memory, which dies with its parent.

trafilatura's time grows faster than the page: `<span>a</span> ` 50,000 times (0.75 MB)
once kept `dossiers text` busy, and the same page attached to a 4 KB PDF did it to
`verify`. Here the limit is lowered to a second (in production it is 60 s) so that the
tests stay fast; without the child, the page is read in the command's own process and
these commands succeed after seconds instead of stopping with the error.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import add_seed, position, run
from dossiers.sources import child, extract
from dossiers.views.evidence import EVIDENCE_NAME, EVIDENCE_VERSION

SPANS = b"<html><body><p>" + b"<span>a</span> " * 50_000 + b"</p></body></html>"
REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"


@pytest.fixture
def one_second(monkeypatch):
    monkeypatch.setattr(child, "READ_SECONDS", 1)


def test_text_of_a_slow_html_page_stops_at_the_limit_with_an_error_naming_the_file(project: Path, one_second):
    source_id = add_seed(project, "spans.html", SPANS)
    started = time.monotonic()
    shown = run("text", source_id, "--root", str(project))
    assert time.monotonic() - started < 5
    assert shown.exit_code == 1
    assert "source-html-timeout" in shown.stderr and "seeds/spans.html: reading its text took longer than 1 s" in shown.stderr


def test_check_reports_the_slow_page_at_its_entry(project: Path, one_second):
    add_seed(project, "spans.html", SPANS)
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    [problem] = [p for p in found if p["code"] == "source-html-timeout"]
    assert problem["file"].endswith("seeds/sources.yaml") and "seeds/spans.html" in problem["message"]
    assert problem["line"] == position(project / "seeds" / "sources.yaml", "file: spans.html")[0]


def test_verify_stops_reading_a_slow_attached_page(tmp_path: Path, one_second):
    from dossiers.output.printed import PAGE_READER
    from dossiers.sources.extract import EXTRACTORS

    source = {"id": "spans", "file": "spans.html", "sha256": hashlib.sha256(SPANS).hexdigest(), "format": "html", "extractor": EXTRACTORS["html"], "title": "Spans"}
    evidence = {"evidence": EVIDENCE_VERSION, "tool": "dossiers", "claims": [], "sources": [source], "pages": [{"marks": [], "rest": ""}], "page_reader": PAGE_READER}
    pdf = tmp_path / "dossier.pdf"
    with pikepdf.new() as document:
        document.add_blank_page()
        document.attachments[EVIDENCE_NAME] = pikepdf.AttachedFileSpec(document, json.dumps(evidence).encode())
        document.attachments["spans.html"] = pikepdf.AttachedFileSpec(document, SPANS)
        document.save(pdf, compress_streams=True)
    started = time.monotonic()
    done = run("verify", str(pdf))
    assert time.monotonic() - started < 5
    assert done.exit_code == 1 and "attached spans.html: reading its text took longer than 1 s" in done.output, done.output


def test_a_pdf_whose_text_is_longer_than_any_source_is_refused(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 10_000)  # a 40 KB PDF can inflate to gigabytes of text; this one has 30,000 characters
    with pytest.raises(extract.Unreadable) as error:
        extract.extract((REAL / "vc-ru-article.pdf").read_bytes(), "pdf", "seeds/long.pdf")
    assert error.value.code == "source-text-too-large" and "seeds/long.pdf" in error.value.message


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_reading_child_dies_with_a_killed_check(project: Path):
    add_seed(project, "spans.html", b"<html><body><p>" + b"<span>a</span> " * 200_000 + b"</p></body></html>")  # minutes of work
    check = subprocess.Popen([sys.executable, "-m", "dossiers", "check", "--root", str(project)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reader = None
    try:
        deadline = time.monotonic() + 60
        while not reader and time.monotonic() < deadline and check.poll() is None:
            time.sleep(0.1)
            reader = next(iter(children(check.pid)), None)
        assert reader, "check started no reading child"
        time.sleep(0.5)  # the child is under way
        check.send_signal(signal.SIGKILL)
        check.wait()
        deadline = time.monotonic() + 2
        while running(reader) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(reader)
    finally:
        check.kill()
        if reader and running(reader):
            os.kill(reader, signal.SIGKILL)
