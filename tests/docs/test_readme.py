"""The README stays a front page: short, and every link it gives leads to a file of the repository (and a heading there)."""

from __future__ import annotations

import re

from conftest import PROJECT

README = PROJECT / "README.md"
LINK = re.compile(r"\]\((?!https?://)(?P<path>[^)#\s]+)(?:#(?P<anchor>[^)]*))?\)")


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens."""
    titles = re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles}


def test_the_readme_is_under_200_lines():
    assert len(README.read_text("utf-8").splitlines()) < 200, "the reference belongs in docs/: keep the README to what the project is, the tour and links"


def test_every_link_of_the_readme_leads_to_a_file_and_heading():
    links = [(found["path"], found["anchor"]) for found in LINK.finditer(README.read_text("utf-8"))]
    assert links, "the README links to the documentation"
    assert [path for path, _ in links if not (PROJECT / path).is_file()] == []
    broken = [f"{path}#{anchor}" for path, anchor in links if anchor and anchor not in heading_anchors((PROJECT / path).read_text("utf-8"))]
    assert broken == []
