"""`dossiers pack`: the briefing pack read back: outline, table of contents, matrix, network."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PROJECT, replace, run, shared_once
from dossiers import check
from dossiers.registry.load import load_project
from dossiers.views import briefing as pieces
from dossiers.views import wording
from dossiers.views.join import join

SECTIONS = ["Contents", "Summary", "Sanctions matrix", "Network of relationships", "Timeline", "People", "Sources", "Method"]


@contextmanager
def rendered_as(mode: str):
    """Render the pack as one document, or in pieces of 6 chapters and 12 timeline rows as a large pack is."""
    sizes = pieces.CHAPTERS_PER_PIECE, pieces.TIMELINE_ROWS_PER_PIECE
    if mode == "in pieces":
        pieces.CHAPTERS_PER_PIECE, pieces.TIMELINE_ROWS_PER_PIECE = 6, 12
    try:
        yield
    finally:
        pieces.CHAPTERS_PER_PIECE, pieces.TIMELINE_ROWS_PER_PIECE = sizes


@pytest.fixture(scope="module", params=["one document", "in pieces"])
def mode(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def pack(request, mode: str) -> Path:
    """One document: the pack of the session's build; in pieces: the pack rendered in pieces."""
    return request.getfixturevalue("built" if mode == "one document" else "pieces_pack")


@pytest.fixture(scope="module")
def pieces_pack(tmp_path_factory, worker_id) -> Path:
    """The pack rendered once per run in pieces, scaled down."""

    def make(out: Path) -> None:
        with rendered_as("in pieces"):
            checked = check(PROJECT)
            assert len(pieces.parts(pieces.briefing(join(checked, "2023-11-02")))) >= 5, "front, two timeline pieces or more, two chapter pieces, back"
            result = run("pack", "--root", str(PROJECT), "--out", str(out), "--format", "md,pdf,html", "--handling", "OFFICIAL", "--jobs", "2")
        assert result.exit_code == 0, result.output

    return shared_once(tmp_path_factory, worker_id, "pack-in-pieces", make)


@pytest.fixture(scope="module")
def registry():
    return load_project(PROJECT).registry


@functools.cache
def page_texts(pdf: Path) -> list[str]:
    """The text of every page of a PDF, extracted once per run (pypdf takes seconds on the pack)."""
    return [page.extract_text() for page in PdfReader(pdf).pages]


def outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return found


def test_pack_has_a_bookmark_for_every_section_and_person(pack: Path, registry):
    reader = PdfReader(pack / "briefing-pack.pdf")
    marks = outline(reader)
    top = [title for depth, title, _ in marks if depth == 0]
    assert top == SECTIONS
    people = [a.name for a in registry.actors if a.kind.value == "person"]
    assert [title for depth, title, _ in marks if depth == 1 and title in people] == people


def test_contents_page_numbers_are_where_chapters_start(pack: Path, registry):
    reader = PdfReader(pack / "briefing-pack.pdf")
    texts = page_texts(pack / "briefing-pack.pdf")
    contents = texts[1]
    printed = dict(re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE))
    starts = {title: page for depth, title, page in outline(reader) if depth <= 1}
    expected = SECTIONS[1:] + [a.name for a in registry.actors if a.kind.value == "person"]
    assert sorted(printed) == sorted(expected)
    for title in expected:
        assert int(printed[title]) == starts[title], title
        assert title in texts[starts[title] - 1]


def test_cover_gives_scope_date_and_handling(pack: Path, registry):
    cover = page_texts(pack / "briefing-pack.pdf")[0]
    people = sum(a.kind.value == "person" for a in registry.actors)
    assert f"{people} people · {len(registry.facts)} facts · 4 sources (3 independent lines of reporting)" in cover  # the three articles and the EU list
    assert "Dated 2 November 2023" in cover and cover.count("OFFICIAL") == 2


def test_matrix_marks_every_reported_sanction_and_no_other_cell(pack: Path, registry):
    markdown = (pack / "briefing-pack.md").read_text("utf-8")
    table = markdown[markdown.index("## Sanctions matrix") : markdown.index("## Network of relationships")]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ")]
    assert rows[0][1].strip() == wording.MATRIX_LISTED  # first, the registered lists' records
    authorities = [cell.strip() for cell in rows[0][2:]]
    names = {a.id: a.name for a in registry.actors}
    expected = {(names[p], a) for f in registry.facts if f.kind.value == "sanction" for p in f.actors for a in f.authority or [wording.NO_AUTHORITY]}
    assert {a for _, a in expected} == {a.replace("\\", "") for a in authorities}
    marked, listed = set(), {}
    for row in rows[2:]:
        person = re.sub(r"\[(.*?)\]\(.*?\)", r"\1", row[0]).strip()
        listed[person] = row[1].strip()
        for authority, cell in zip(authorities, row[2:]):
            assert ("**reported**" in cell) != ("no cited source" in cell)
            if "**reported**" in cell:
                marked.add((person, authority.replace("\\", "")))
    assert marked == expected
    assert listed["Viktor Khrenin"] == "**European Union (EU-BLR, since 21 June 2021)**"  # listed, reported by no source
    assert listed["Valery Revenko"] == wording.NOT_LISTED
    pdf = "".join(page_texts(pack / "briefing-pack.pdf")[:6])
    assert "not sanctioned" not in pdf.replace("not that the person is not sanctioned", "")


def test_network_draws_every_relationship(pack: Path, registry):
    svg = (pack / "briefing-pack-network.svg").read_text("utf-8")
    relationships = [f for f in registry.facts if f.kind.value == "relationship"]
    for fact in relationships:
        for other in fact.actors[1:]:
            assert f'id="edge-{fact.id}-{other}"' in svg
    assert svg.count('class="edge ') == sum(len(f.actors) - 1 for f in relationships)
    for kind in ("ally", "family", "ownership", "meeting", "succession", "alleged"):
        assert f">{kind}</text>" in svg
    html = (pack / "briefing-pack.html").read_text("utf-8")
    assert all(f'id="relationship-{f.id}"' in html for f in relationships)


def test_names_link_to_chapters_and_citations_to_the_source_appendix(pack: Path):
    html = (pack / "briefing-pack.html").read_text("utf-8")
    for target in set(re.findall(r'href="#([^"]+)"', html)):
        assert f'id="{target}"' in html, target
    assert 'href="#person-sheiman"' in html and 'href="#source-S2"' in html
    reader = PdfReader(pack / "briefing-pack.pdf")
    internal = [a for page in reader.pages for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert len(internal) > 50


def test_build_without_ids_builds_the_pack_too(project: Path):
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "briefing-pack.md").is_file()
    assert (project / "build" / "dossiers" / "sheiman.md").is_file()
    result = run("build", "--root", str(project), "--format", "md", "--no-pack", "--out", str(project / "only"))
    assert result.exit_code == 0, result.output
    assert (project / "only" / "dossiers" / "sheiman.md").is_file() and not (project / "only" / "briefing-pack.md").exists()


def test_pack_in_pieces_is_reproducible(pieces_pack: Path, tmp_path: Path):
    """Rendered again with --jobs 1 (no worker processes), the pack in pieces has the same bytes.

    A pack of one document is rendered by the same call as a dossier, whose
    reproducibility test_two_builds_are_byte_identical checks.
    """
    pack = pieces_pack
    with rendered_as("in pieces"):
        assert run("pack", "--root", str(PROJECT), "--out", str(tmp_path), "--format", "md,pdf", "--handling", "OFFICIAL", "--jobs", "1").exit_code == 0
    for name in ("briefing-pack.pdf", "briefing-pack.md", "briefing-pack-network.svg"):
        assert (tmp_path / name).read_bytes() == (pack / name).read_bytes(), name


def test_every_page_but_the_cover_is_numbered_out_of_the_total(pack: Path):
    pages = page_texts(pack / "briefing-pack.pdf")
    assert "Page 1 of" not in pages[0]
    for number, page in enumerate(pages[1:], 2):
        assert f"Page {number} of {len(pages)}" in page, number


def test_pack_is_the_same_whatever_the_hash_seed(built: Path, tmp_path: Path):
    """Set iteration order changes from run to run; nothing the pack shows may depend on it.

    The session's build ran under a random hash seed; this one runs under seed 1.
    """
    command = [sys.executable, "-c", "from dossiers.cli.app import run; run()", "pack", "--root", str(PROJECT), "--out", str(tmp_path), "--format", "md", "--handling", "OFFICIAL"]
    subprocess.run(command, check=True, capture_output=True, env=dict(os.environ, PYTHONHASHSEED="1"))
    for name in ("briefing-pack.md", "briefing-pack-network.svg"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_a_one_fact_edit_renders_only_the_pieces_that_show_it(pieces_pack: Path, project: Path):
    """Khrenin's position shows in his chapter only: one piece, the join, his dossier outputs and the pack's text."""
    out = project / "build"
    shutil.copytree(pieces_pack, out)
    before = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Minister of Defence of Belarus.")
    with rendered_as("in pieces"):
        result = run("pack", "--root", str(project), "--format", "md,pdf,html", "--handling", "OFFICIAL", "--jobs", "1")
    assert result.exit_code == 0, result.output
    after = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    written = {name for name, stamp in after.items() if before.get(name) != stamp} - {"manifest.json", "done"}
    chapter = next(name for name in written if name.startswith(".cache/pack/people-"))
    assert written == {"briefing-pack.md", "briefing-pack.html", "briefing-pack.pdf", "briefing-pack-network.svg", chapter}
    assert "Minister of Defence of Belarus" in (out / "briefing-pack.md").read_text("utf-8")


def test_the_covers_lower_handling_line_stands_at_the_foot_of_the_page(built: Path):
    page = PdfReader(built / "briefing-pack.pdf").pages[0]
    heights = []
    page.extract_text(visitor_text=lambda text, cm, tm, fonts, size: heights.append(cm[3] * tm[5] + cm[5]) if "OFFICIAL" in text else None)
    assert len(heights) == 2, heights
    assert min(heights) < 100, f"the lower line is {min(heights):.0f} pt from the bottom of an 842 pt page"


def running_header(page: str) -> str:
    """The running header of a page, as pypdf gives it: on the line before "Page X of Y", before "Briefing pack"."""
    lines = page.splitlines()
    return lines[-2].removesuffix("Briefing pack").strip()


def test_a_chapter_is_headed_by_its_persons_name_from_its_first_page(pack: Path, registry):
    """The first chapter begins on the page of the People part's heading; that page too is headed by its person.
    In pieces, the first page of each piece has its header too."""
    texts = page_texts(pack / "briefing-pack.pdf")
    starts = {title: page for depth, title, page in outline(PdfReader(pack / "briefing-pack.pdf")) if depth == 1}
    people = [a.name for a in registry.actors if a.kind.value == "person"]
    for person in people:
        assert running_header(texts[starts[person] - 1]) == person
    assert {running_header(text) for text in texts[1:]} == set(SECTIONS) - {"People"} | set(people)


def test_no_page_holds_only_the_last_lines_of_the_summary(pack: Path):
    """The sanctions matrix follows the summary on the page where the summary ends."""
    texts = page_texts(pack / "briefing-pack.pdf")
    marks = {title: page for depth, title, page in outline(PdfReader(pack / "briefing-pack.pdf")) if depth == 0}
    last = max(number for number, text in enumerate(texts, 1) if "Pandora Papers, Sheiman" in " ".join(text.split()) and number < marks["Network of relationships"])
    assert marks["Sanctions matrix"] == last, "the last open allegation and the matrix share a page"


def test_a_source_passages_heading_stays_with_its_first_passage(pack: Path):
    texts = page_texts(pack / "briefing-pack.pdf")
    headed = [text for text in texts if "\nSource passages\n" in "\n" + text]
    assert len(headed) == 11
    for text in headed:
        after = text.split("Source passages", 1)[1]
        assert re.search(r"S\d, passage \d+, ", after), after[:300]


def test_the_best_corroborated_facts_name_whom_they_are_about(pack: Path, registry):
    markdown = (pack / "briefing-pack.md").read_text("utf-8")
    best = markdown.split("**Best-corroborated facts.**")[1].split("**Open allegations.**")[0]
    items = [line for line in best.splitlines() if line.startswith("- ")]
    assert len(items) == 6
    assert items[0].startswith("- **[Emmerson Mnangagwa](#emmerson-mnangagwa)**: President of Zimbabwe, in power since 2017.")
    assert items[1].startswith("- **[Alexander Lukashenko](#alexander-lukashenko), [Emmerson Mnangagwa](#emmerson-mnangagwa)**: Lukashenko visited")
    summary = " ".join(" ".join(page_texts(pack / "briefing-pack.pdf")[2:4]).split())
    assert "Emmerson Mnangagwa: President of Zimbabwe, in power since 2017." in summary
