"""Nothing unsupported prints: build, pack and serve refuse a fact with an open support warning; a waiver with a reason
lets it print and is counted; --draft renders anyway, every page saying so."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdf
import pytest

from conftest import PROJECT, run
from dossiers.pipeline.serve import Site

SOURCE = (
    "The European Union sanctioned Anna Smith in 2021 for rigging the vote, the council said.\n\n"
    "Anna Smith chaired the electoral commission from 2015 to 2020.\n"
)
REGISTRY = """\
actors:
  - {id: smith, kind: person, name: Anna Smith}
facts:
  - id: smith-sanctioned
    actors: [smith]
    kind: sanction
    authority: [EU]
    reason: Rigging the vote.
    listingDate: 2021
    text: Sanctioned by the European Union in 2021 for rigging the vote.
    citations:
      - source: s
        quote: The European Union sanctioned Anna Smith in 2021 for rigging the vote
        attribution: the council
  - id: smith-chair
    actors: [smith]
    kind: position
    text: Chaired the electoral commission for TEXT.
    startDate: 2015
    endDate: 2020
    citations:
      - source: s
        quote: Anna Smith chaired the electoral commission from 2015 to 2020.
"""


def project(root: Path, years: str = "five years", waive: str = "") -> Path:
    """A one-person project whose second fact says `years` (unquoted unless '2015 to 2020'), waiving `waive` if given."""
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "s.txt").write_text(SOURCE, "utf-8")
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()
    (root / "seeds" / "sources.yaml").write_text(
        f"sources:\n  - {{id: s, file: s.txt, sha256: {digest}, title: Notice, publisher: The Gazette, language: en, reliability: B}}\n", "utf-8"
    )
    registry = REGISTRY.replace("TEXT", years)
    if waive:
        registry += f"    waive: {{{waive}}}\n"
    (root / "actors.yaml").write_text(registry, "utf-8")
    return root


def test_build_and_pack_refuse_a_fact_with_an_open_support_warning_naming_it(tmp_path: Path):
    root = project(tmp_path / "p")
    for command in (["build"], ["build", "smith"], ["pack"]):
        result = run(*command, "--root", str(root), "--format", "md")
        assert result.exit_code == 1, command
        assert "1 fact with an open support warning, and nothing unsupported prints: smith-chair (claim-number-unquoted)" in result.stderr
        line = next(n for n, text in enumerate((root / "actors.yaml").read_text("utf-8").splitlines(), 1) if "text: Chaired the" in text)
        assert f"actors.yaml:{line}:11: warning claim-number-unquoted: smith-chair: five appears in none of this fact's quotes" in result.stderr
    assert not (root / "build").exists(), "nothing is written"


def test_a_fact_the_quotes_carry_prints_with_its_reason(tmp_path: Path):
    root = project(tmp_path / "p", years="2015 to 2020")
    assert run("check", "--root", str(root), "--strict").exit_code == 0
    assert run("build", "--root", str(root), "--format", "md").exit_code == 0
    dossier = (root / "build" / "dossiers" / "smith.md").read_text("utf-8")
    assert "*Reason given:* Rigging the vote." in dossier and "DRAFT" not in dossier
    assert "no support warning was waived" in (root / "build" / "briefing-pack.md").read_text("utf-8")


def test_a_waiver_with_a_reason_prints_the_fact_and_is_counted(tmp_path: Path):
    root = project(tmp_path / "p", waive="claim-number-unquoted: 'the notice gives the years, 2015 to 2020'")
    checked = run("check", "--root", str(root), "--format", "json")
    assert '"severity": "info"' in checked.stdout and "waived (the notice gives the years, 2015 to 2020)" in checked.stdout
    assert run("check", "--root", str(root), "--strict").exit_code == 0
    assert run("build", "--root", str(root), "--format", "md").exit_code == 0
    pack = (root / "build" / "briefing-pack.md").read_text("utf-8")
    assert "1 support warning on 1 claim was judged by the analyst and waived, each with its reason in the registry." in pack


def test_a_waiver_of_a_code_that_does_not_fire_is_a_warning_and_a_reason_is_required(tmp_path: Path):
    root = project(tmp_path / "p", years="2015 to 2020", waive="date-unquoted: the notice dates it")
    result = run("check", "--root", str(root), "--brief")
    assert "warning waiver-unused: 'date-unquoted' is waived, but does not fire on this fact: remove the waiver" in result.stdout
    assert run("check", "--root", str(root), "--strict").exit_code == 1
    blank = project(tmp_path / "q", waive="claim-number-unquoted: ' '")
    assert "a waiver needs a reason" in run("check", "--root", str(blank), "--brief").stdout


def test_a_draft_renders_and_every_page_says_so(tmp_path: Path):
    root = project(tmp_path / "p")
    result = run("build", "--root", str(root), "--format", "md,html,pdf", "--draft", "--jobs", "1")
    assert result.exit_code == 0, result.output
    banner = "DRAFT, not for circulation: 1 claim in it has an open support warning"
    for name in ("dossiers/smith.md", "briefing-pack.md"):
        assert (root / "build" / name).read_text("utf-8").startswith(f"> **{banner}"), name
    dossier = (root / "build" / "dossiers" / "smith.md").read_text("utf-8")
    assert "Chaired the electoral commission for five years (from 2015 to 2020).[^2] **[unsupported: claim-number-unquoted]**" in dossier
    for name in ("dossiers/smith.html", "index.html", "sources/s.html"):
        assert f'<p class="draft-banner" role="note">{banner}' in (root / "build" / name).read_text("utf-8"), name
    for name in ("dossiers/smith.pdf", "briefing-pack.pdf"):
        pages = pypdf.PdfReader(root / "build" / name).pages
        assert len(pages) > 1 and all("DRAFT · 1 unsupported claim" in page.extract_text() for page in pages), name


def test_serve_shows_the_unsupported_facts_and_a_draft_when_asked(tmp_path: Path):
    root = project(tmp_path / "p")
    site = Site(root)
    site.rebuild()
    page = site.page("").decode("utf-8")
    assert "1 fact with an open support warning" in page and "smith-chair" in page and "claim-number-unquoted" in page
    draft = Site(root, draft=True)
    draft.rebuild()
    assert "DRAFT, not for circulation" in draft.page("dossiers/smith.html").decode("utf-8")


@pytest.mark.parametrize("path", ["dossiers/starter/workflow.yml", ".github/workflows/dossiers.yml", "dossiers/starter/pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_new_projects_and_the_shipped_workflow_are_strict(path: str):
    text = (PROJECT / path).read_text("utf-8")
    checks = [line for line in text.splitlines() if "dossiers check" in line and not line.lstrip().startswith(("#", "name:", "- name:"))]
    assert checks and all("--strict" in line for line in checks), checks
