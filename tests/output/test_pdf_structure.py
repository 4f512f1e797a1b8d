"""PDF/UA rules a validator checks, read back from the structure tree with pikepdf (veraPDF's rule numbers)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pikepdf
import pytest


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements in reading order (depth first)."""
    found, todo = [], [pdf.Root.StructTreeRoot]
    while todo:
        element = todo.pop()
        if "/S" in element:
            found.append(element)
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        todo.extend(reversed([k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]))
    return found


@pytest.mark.parametrize("name", ["briefing-pack.pdf", "dossiers/sheiman.pdf", "dossiers/khrenin.pdf"])
def test_figures_have_alt_text_and_header_cells_a_scope(built: Path, name: str):
    with pikepdf.open(built / name) as pdf:
        tagged = elements(pdf)
        figures = [e for e in tagged if e.S == "/Figure"]
        assert all(str(e.get("/Alt", "")).strip() for e in figures), "7.3-1: every figure has /Alt"
        headers = [e for e in tagged if e.S == "/TH"]
        assert headers and all(e.A.get("/Scope") in ("/Column", "/Row") for e in headers), "table header cells carry /Scope"


def test_the_network_figure_says_what_it_shows(built: Path):
    with pikepdf.open(built / "briefing-pack.pdf") as pdf:
        alts = [str(e.Alt) for e in elements(pdf) if e.S == "/Figure" and "/Alt" in e]
    assert any(alt.startswith("Network of relationships: ") and "relationships, each listed in the table" in alt for alt in alts)


@pytest.mark.parametrize("name", ["briefing-pack.pdf", "dossiers/sheiman.pdf"])
def test_headings_do_not_skip_a_level(built: Path, name: str):
    with pikepdf.open(built / name) as pdf:
        levels = [int(str(e.S)[2:]) for e in elements(pdf) if str(e.S) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
    assert levels and all(b <= a + 1 for a, b in itertools.pairwise(levels)), "7.4.2-1: no H1 followed by an H3"


def test_names_in_another_language_carry_their_lang(built: Path):
    """PDF/UA-1 7.2: the alias cells say which language each name is in (the catalog says 'en')."""
    with pikepdf.open(built / "dossiers" / "lukashenko.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"
        tagged = {str(e.Lang) for e in elements(pdf) if e.get("/S") == "/TD" and "/Lang" in e}
    assert tagged == {"be", "ru", "be-Latn", "ru-Latn"}


@pytest.mark.parametrize("name", ["briefing-pack.pdf", "dossiers/sheiman.pdf"])
def test_the_running_header_and_footer_are_artifacts_not_orphans_of_the_structure_tree(built: Path, name: str):
    """PDF/UA-1 7.8: page furniture is an artifact. Every element the parent tree maps marked content to is in the tree
    under /Document, and each page's header and footer ("Viktor Sheiman", "Dossier", "Page X of Y") are /Pagination artifacts."""
    with pikepdf.open(built / name) as pdf:
        listed = {element.objgen for element in elements(pdf)}
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        mapped = [element for _, marked in parents.items() if isinstance(marked, pikepdf.Array) for element in marked if isinstance(element, pikepdf.Dictionary)]
        orphans = [str(element.S) for element in mapped if element.objgen not in listed]
        assert mapped and not orphans, f"{len(orphans)} marked-content elements hang outside the structure tree: {orphans[:5]}"
        furniture = [
            sum(1 for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) == "BDC" and operands[0] == pikepdf.Name.Artifact and isinstance(operands[1], pikepdf.Dictionary)
                and operands[1].get("/Type") == pikepdf.Name.Pagination)
            for page in pdf.pages
        ]
    assert all(count >= 2 for count in furniture[1:]), furniture  # the cover has none, a dossier's first page no running header
