"""Rendering fetches nothing but the project's own templates: no network, no other files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import replace, run
from dossiers.output.pdf import fetcher as make_fetcher
from dossiers.output.templates import Templates
from dossiers.registry.layout import Layout


def test_fetcher_serves_template_files_and_refuses_everything_else(tmp_path: Path, loopback_server):
    url, requests = loopback_server
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY", "utf-8")
    dirs = Templates(Layout(tmp_path)).dirs
    fetcher = make_fetcher(dirs)
    font = dirs[0] / "fonts" / "NotoSerif-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    for refused in (f"{url}/style.css", canary.as_uri(), "file:///etc/passwd", (font.parent / ".." / ".." / "pyproject.toml").as_uri(), "data:text/css,body{}", "https://example.org/x.css"):
        with pytest.raises(ValueError, match="fetches nothing"):
            fetcher.fetch(refused)
    assert requests == []


def test_markup_in_registry_text_is_printed_not_fetched(project: Path, tmp_path: Path, loopback_server):
    url, requests = loopback_server
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-CONTENT", "utf-8")
    hostile = (
        f'<img src="{url}/img.png"> <link rel=stylesheet href="{url}/x.css"> '
        f'<img src="{canary.as_uri()}"> [x]({url}/md) ![y]({canary.as_uri()})'
    )
    replace(project / "actors.yaml", "text: Zimbabwe's foreign affairs minister.", f"text: '{hostile}'")
    result = run("build", "shava", "--root", str(project), "--format", "md,pdf,html", "--draft")  # the quote supports none of that text
    assert result.exit_code == 0, result.output
    built = project / "build" / "dossiers"
    pdf_text = "".join(page.extract_text() for page in PdfReader(built / "shava.pdf").pages)
    assert "<img src=" in pdf_text and "CANARY-CONTENT" not in pdf_text
    html = (built / "shava.html").read_text("utf-8")
    assert "&lt;img src=" in html and "<img" not in html
    markdown = (built / "shava.md").read_text("utf-8")
    assert r"\<img src=" in markdown and r"\[x\]" in markdown and r"\!\[y\]" in markdown
    for path in built.iterdir():
        assert b"CANARY-CONTENT" not in path.read_bytes()
    assert requests == []
