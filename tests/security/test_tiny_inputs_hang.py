"""Tiny hostile inputs that once kept a command busy for hours: regular expressions that backtrack.

`<!---->` forty times is 280 bytes; the HTML sniffing expression took twice as long for
each comment. A sentence of a few thousand words made the relayed-party expressions
quadratic. Each command here must finish in seconds; the ones that once hung run in a
process of their own with a timeout, so that the old code fails instead of hanging.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from conftest import add_seed, run
from dossiers.verify.relays import relays

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"


def check_in_a_process(project: Path, seconds: float) -> list[dict]:
    """`dossiers check --format json` in a child process; fails the test (TimeoutExpired) past `seconds`."""
    done = subprocess.run(
        [sys.executable, "-m", "dossiers", "check", "--root", str(project), "--format", "json"],
        capture_output=True, text=True, timeout=seconds,
    )
    return json.loads(done.stdout)


def test_a_text_of_empty_html_comments_is_sniffed_in_one_pass(project: Path):
    evil = b"<!---->" * 40 + b" a plain text that only looks like HTML at first\n"
    source_id = add_seed(project, "evil.txt", evil)
    started = time.monotonic()
    problems = check_in_a_process(project, 60)
    assert time.monotonic() - started < 30
    assert not [p for p in problems if p["severity"] == "error"]
    shown = run("text", source_id, "--root", str(project))
    assert shown.exit_code == 0 and "<!---->" * 40 in shown.stdout  # read as text: comments left open or followed by no tag are not HTML


def test_comments_then_a_tag_are_still_html(project: Path):
    page = b"\xef\xbb\xbf" + b" \n<!-- saved -->\r\n<!---->" * 30 + (REAL / "dw.com.colonial.html").read_bytes()
    source_id = add_seed(project, "page.html", page)
    shown = run("text", source_id, "--root", str(project))
    assert shown.exit_code == 0 and "extracted by trafilatura" in shown.stdout and "The German capital has launched a five-year project" in shown.stdout


def test_a_long_sentence_is_read_for_relayed_parties_in_linear_time():
    for sentence in ("word " * 5_000, "w" * 20_000, "cited " * 20_000, "said" + " ," * 20_000 + " x", "X " * 200_000 + "said", "of " * 200_000 + "said",
                     "Officials said" + " ," * 20_000 + " x"):
        started = time.monotonic()
        relays(sentence)
        assert time.monotonic() - started < 2, sentence[:20]


def test_relayed_parties_are_found_as_before():
    """(party, the span that is theirs, whether the whole sentence is): officials relaying a ministry are both found."""
    assert relays("Officials said the Ministry of Defence noted that the visit went well.") == [("Officials", (14, 70), False), ("the Ministry of Defence", (44, 70), False)]
    assert relays("The talks went well, the ministry noted.") == [("the ministry", (0, 21), False)]
    assert relays("According to Belta, the visit was a success.") == [("Belta", (0, 44), True)]
    assert relays("The agency cited Viktor Sheiman as saying the deal was done.") == [("Viktor Sheiman", (0, 60), True)]
    assert relays("“It went well,” said President Lukashenko.") == [("President Lukashenko.", (0, 16), False)]
