"""Incremental builds: exactly the outputs whose inputs changed are rendered again."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PROJECT, replace, run


def build(project: Path, *extra: str) -> set[str]:
    """Build the project (Markdown and HTML: the keys work alike for every format); the files written, manifest aside."""
    before = _stamps(project / "build")
    result = run("build", "--root", str(project), "--jobs", "1", "--format", "md,html", *extra)
    assert result.exit_code == 0, result.output
    after = _stamps(project / "build")
    return {name for name, stamp in after.items() if before.get(name) != stamp and name != "manifest.json"}


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    if not out.exists():
        return {}
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}


PACK = {"briefing-pack.md", "briefing-pack.html", "briefing-pack-network.svg"}


def test_nothing_changed_writes_nothing_and_one_fact_rewrites_what_shows_it(project: Path):
    first = build(project)
    assert len([n for n in first if n.startswith("dossiers/")]) == 34 and first >= PACK  # 11 people and 6 bodies, md and html
    assert build(project) == set()
    # Khrenin's position: shown on Khrenin's dossier, in the pack, and beside its passage on its source's page
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Minister of Defence of Belarus.")
    assert build(project) == {"dossiers/khrenin.md", "dossiers/khrenin.html", "sources/zimmail-2023-11-02.html"} | PACK
    # a relationship shows on both people's dossiers
    replace(project / "actors.yaml", "text: Viktor Sheiman is a close ally of Alexander Lukashenko.", "text: Sheiman is a close ally of Lukashenko.")
    assert build(project) - {f"sources/{s}.html" for s in ("zimmail-2023-11-02", "sheiman-harare-visit", "lukashenko-harare-visit")} == {
        "dossiers/sheiman.md", "dossiers/sheiman.html", "dossiers/lukashenko.md", "dossiers/lukashenko.html"
    } | PACK


def test_a_build_that_leaves_out_the_pack_says_when_the_pack_it_keeps_is_out_of_date(project: Path):
    build(project)
    assert run("build", "--root", str(project), "--format", "md,html", "--no-pack").stderr == "", "nothing changed: no word"
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Minister of Defence of Belarus.")
    result = run("build", "--root", str(project), "--jobs", "1", "--format", "md", "--no-pack")
    assert result.exit_code == 0
    warning = f"Warning: briefing-pack-network.svg, briefing-pack.html, briefing-pack.md, dossiers/khrenin.html, sources/zimmail-2023-11-02.html in {project / 'build'} are out of date"
    assert warning + ": this build left them out; `dossiers build` renders them anew" in result.stderr
    assert run("build", "--root", str(project), "--jobs", "1", "--format", "md,html").stderr.count("Warning") == 0
    assert "out of date" not in run("build", "sheiman", "--root", str(project), "--format", "md").stderr, "the rest is current"


def test_a_template_change_rebuilds_everything(project: Path):
    build(project, "--format", "md")
    (project / "templates").mkdir()
    (project / "templates" / "macros.md.j2").write_text(
        (PROJECT / "templates" / "macros.md.j2").read_text("utf-8") + "\n", "utf-8"
    )
    rebuilt = build(project, "--format", "md")
    assert {n for n in rebuilt if n.startswith("dossiers/")} == {f"dossiers/{p.stem}.md" for p in (project / "build" / "dossiers").glob("*.md")}


def test_a_deleted_actor_loses_its_outputs_and_a_tampered_file_is_rebuilt(project: Path):
    build(project, "--format", "md")
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    text = text[: text.index("  - id: putin\n")] + text[text.index("  - id: mugabe\n") :]
    for fact in ("putin-president-of-russia", "lukashenko-close-ally-of-putin"):
        start = text.index(f"  - id: {fact}\n")
        text = text[:start] + text[text.index("\n  - id: ", start + 1) + 1 :]
    registry.write_text(text, "utf-8")
    rebuilt = build(project, "--format", "md")
    assert not (project / "build" / "dossiers" / "putin.md").exists()
    assert "dossiers/putin.md" not in json.loads((project / "build" / "manifest.json").read_text("utf-8"))["outputs"]
    assert {n for n in rebuilt if n.startswith("dossiers/")} == {"dossiers/lukashenko.md"}
    tampered = project / "build" / "dossiers" / "shava.md"
    tampered.write_text("edited by hand", "utf-8")
    assert build(project, "--format", "md") == {"dossiers/shava.md"}
    assert tampered.read_text("utf-8").startswith("# Frederick Shava")
    (project / "build" / "dossiers" / "notes.txt").write_text("a user's own file", "utf-8")
    build(project, "--format", "md")
    assert (project / "build" / "dossiers" / "notes.txt").exists(), "files the build did not make are never removed"
