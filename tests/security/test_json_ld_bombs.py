"""JSON-LD in a hostile HTML page: `add-source` reads it for the title and date, bounded in size and depth.

A 200,000-deep array was a RecursionError out of json.loads, and a 1,000,000-element one
cost 70 s (the queue popped from its front). A block nested deeper than 32 levels or
larger than 1 MiB is now skipped, with a note that names the file, before it is parsed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import run

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"
ARTICLE = b'<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline", "datePublished": "2020-01-19"}</script>'


def page_with(tmp_path: Path, json_ld: bytes) -> Path:
    """The real DW article with a JSON-LD block put first in its <head>, then an article's own."""
    page = tmp_path / "article.html"
    page.write_bytes((REAL / "dw.com.colonial.html").read_bytes().replace(b"<head>", b'<head><script type="application/ld+json">' + json_ld + b"</script>" + ARTICLE, 1))
    return page


@pytest.mark.parametrize(
    ("json_ld", "why"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested deeper than 32 levels"),
        (b"[" + b"0," * 1_000_000 + b"0]", "larger than 1 MiB"),
        (b'{"a": ' * 40 + b"1" + b"}" * 40, "nested deeper than 32 levels"),
    ],
)
def test_a_json_ld_bomb_is_skipped_with_a_note_naming_the_file(project: Path, tmp_path: Path, json_ld: bytes, why: str):
    page = page_with(tmp_path, json_ld)
    started = time.monotonic()
    done = run("add-source", str(page), "--root", str(project))
    assert time.monotonic() - started < 15
    assert done.exit_code == 0
    assert f"note: {page}: JSON-LD block 1 was skipped: it is {why}" in done.stdout
    assert "published: 2020-01-19  (from JSON-LD datePublished)" in done.stdout  # the next block is read


def test_brackets_inside_strings_do_not_count_as_nesting(project: Path, tmp_path: Path):
    page = page_with(tmp_path, b'{"text": "' + b"[[[[" * 100 + b'\\" ]"}')
    done = run("add-source", str(page), "--root", str(project))
    assert done.exit_code == 0 and "note:" not in done.stdout
