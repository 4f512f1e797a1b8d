"""What the commands say of a real PDF as a reader sees it: vc-ru-article.pdf (tests/fixtures/real-sources, a vc.ru
article printed to PDF by Chrome; from opensanctions/opensanctions, see PROVENANCE.md), and ids that add-source chooses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run
from dossiers.registry.yaml import parse_yaml

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"
TAX_SERVICE = """  - id: federal-tax-service
    kind: public-body
    name: Federal Tax Service
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    assert run("add-source", str(REAL / "vc-ru-article.pdf"), "--root", str(root)).exit_code == 0
    return root


def test_what_cite_prints_for_pdfiums_hyphen_mark_loads_as_yaml_and_verifies(project: Path):
    """cite printed U+FFFE ("ED\ufffe7–14/17@"), which the YAML loader refuses (yaml-character)."""
    cited = run("cite", "vc-ru-article", "Federal Tax Service of Russia dated January 18, 2021 N ED-7-14/17@", "--root", str(project))
    assert cited.exit_code == 0, cited.output
    assert "\ufffe" not in cited.stdout and "N ED-7–14/17@" in cited.stdout
    block = "\n".join(line for line in cited.stdout.splitlines() if not line.startswith("#"))
    data = parse_yaml(f"citations:\n{block}\n", "pasted.yaml").data
    assert data["citations"][0]["quote"].endswith("N ED-7–14/17@")
    registry = project / "actors.yaml"
    fact = (
        "  - id: tax-service-order\n    actors: [federal-tax-service]\n    kind: event\n"
        "    text: Ordered the format of the register's documentation, vc.ru reports.\n    citations:\n" + block + "\n"
    )
    text = registry.read_text("utf-8").replace("\nfacts:\n", "\n" + TAX_SERVICE + "\nfacts:\n" + fact, 1)
    registry.write_text(text, "utf-8")
    checked = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    assert not [p for p in checked if p["severity"] == "error"], checked


def test_running_headers_are_left_out_of_coverage_and_marked_in_text(project: Path):
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\n" + TAX_SERVICE + "\nfacts:\n", 1), "utf-8")
    report = json.loads(run("coverage", "--root", str(project), "--format", "json").stdout)
    [vc_ru] = [s for s in report["sources"] if s["source"] == "vc-ru-article"]
    texts = [" ".join(s["text"].split()) for s in vc_ru["uncovered"]]
    assert not [t for t in texts if "03/06/2022" in t], "the browser's print header on each of the 11 pages counted as a sentence"
    assert vc_ru["running_lines"] == 30
    assert any("Order of the Federal Tax Service of Russia" in t for t in texts), "the body's own mentions still count"
    shown = run("coverage", "--root", str(project)).stdout
    assert "30 lines of running headers and footers left out" in shown
    lines = run("text", "vc-ru-article", "--root", str(project)).stdout.splitlines()
    assert lines[1].startswith("p. 1     1 ~03/06/2022, 08:30 Unified State Register of Legal Entities")
    assert lines[2].startswith("p. 1     2 ~https://vc.ru/finance/385736-") and lines[2].endswith(" 1/11")
    assert lines[3] == "p. 1     3  Finance ITSOFT 23 Mar"
    assert lines[-1].startswith("# ~ marks the 30 lines of running headers and footers")
    assert lines[98].startswith("p. 4    98  documentation for the data (see Order of the Federal Tax Service of Russia dated January 18, 2021 N ED-7–14/17@")
    assert not [line for line in lines if "\ufffe" in line], "PDFium's U+FFFE, which YAML cannot hold, is shown as the page's hyphen"


def test_a_file_whose_stem_is_a_source_id_already_takes_the_next_free_id(project: Path):
    other = project.parent / "vc-ru-article.html"  # another document, the DW page, under the same stem
    shutil.copy(REAL / "dw.com.colonial.html", other)
    done = run("add-source", str(other), "--root", str(project))
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Added source 'vc-ru-article-2': seeds/vc-ru-article.html")
    assert "note: the id 'vc-ru-article' is taken by seeds/vc-ru-article.pdf, so this source is 'vc-ru-article-2'" in done.stdout
    third = project.parent / "elsewhere" / "vc-ru-article.pdf"
    third.parent.mkdir()
    shutil.copy(REAL / "zavod-test.pdf", third)
    assert run("add-source", str(third), "--root", str(project)).exit_code == 1, "seeds/vc-ru-article.pdf holds another document"
    named = project.parent / "vc_ru_article.pdf"
    shutil.copy(REAL / "zavod-test.pdf", named)
    assert run("add-source", str(named), "--root", str(project)).stdout.startswith("Added source 'vc-ru-article-3': seeds/vc_ru_article.pdf")
    assert run("check", "--root", str(project)).exit_code == 0
    chosen = project.parent / "again.html"
    shutil.copy(REAL / "sg-notice-snr-n01-1.html", chosen)
    refused = run("add-source", str(chosen), "--id", "vc-ru-article", "--root", str(project))
    assert refused.exit_code == 1 and "a source with the id 'vc-ru-article' already exists" in refused.stderr, "an id asked for is never changed"


def test_a_note_on_an_occurrence_told_apart_by_its_prefix_links_with_the_prefix(tmp_path: Path):
    """The DW page (dw.com.colonial.html, from adbar/trafilatura's tests/cache) names Berlin six times; the note
    on the last links to `#:~:text=infamous-,Berlin`, not to `#:~:text=Berlin`, the first."""
    from dossiers import check
    from dossiers.views.join import join

    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    assert run("add-source", str(REAL / "dw.com.colonial.html"), "--root", str(root)).exit_code == 0
    registry = root / "actors.yaml"
    fact = (
        "  - id: berlin-conference\n    actors: [berlin]\n    kind: event\n    text: Hosted the infamous conference, DW reports.\n"
        "    waive: {citation-padding: \"one word\"}\n"
        "    citations:\n      - source: dw-com-colonial\n        quote: Berlin\n        prefix: \"infamous \"\n"
    )
    actor = "  - id: berlin\n    kind: public-body\n    name: Berlin\n"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\n" + actor + "\nfacts:\n" + fact, 1), "utf-8")
    [note] = join(check(root), "2026-01-01").claims["berlin-conference"].notes
    assert note.link == "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881#:~:text=infamous-,Berlin"
