"""`dossiers new DIR`: a project that checks and builds at once, from a non-editable view of the package."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import PROJECT, replace, run


def test_a_new_project_checks_clean_and_builds(tmp_path: Path):
    folder = tmp_path / "registry"
    result = run("new", str(folder))
    assert result.exit_code == 0, result.output
    for name in ("actors.yaml", "seeds/sources.yaml", "dossiers.toml", "README.md", ".github/workflows/dossiers.yml", ".pre-commit-config.yaml", ".gitignore"):
        assert (folder / name).is_file(), name
    assert (folder / "actors.yaml").read_text("utf-8").startswith("# yaml-language-server: $schema=schema/actors.schema.json")
    assert (folder / "seeds" / "sources.yaml").read_text("utf-8").startswith("# yaml-language-server: $schema=../schema/sources.schema.json")
    assert json.loads((folder / "schema" / "actors.schema.json").read_text("utf-8"))["title"] == "dossiers: actors file"
    checked = run("check", "--root", str(folder), "--strict")
    assert checked.exit_code == 0 and checked.stdout.strip() == "No problems found."
    assert run("build", "--root", str(folder)).exit_code == 0
    assert (folder / "build" / "dossiers" / "lukashenko.pdf").is_file() and (folder / "build" / "briefing-pack.pdf").is_file()


def test_new_refuses_a_folder_that_holds_files(tmp_path: Path):
    (tmp_path / "mine.txt").write_text("keep", "utf-8")
    result = run("new", str(tmp_path))
    assert result.exit_code == 1 and "is not an empty folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_an_empty_sha256_is_answered_with_the_files_hash(tmp_path: Path):
    folder = tmp_path / "p"
    run("new", str(folder))
    sources = folder / "seeds" / "sources.yaml"
    digest = hashlib.sha256((folder / "seeds" / "lukashenko-harare-visit.txt").read_bytes()).hexdigest()
    replace(sources, f'sha256: "{digest}"', "sha256:")
    result = run("check", "--root", str(folder), "--brief")
    assert result.exit_code == 1 and f"source-sha256-missing: record the sha256 of seeds/lukashenko-harare-visit.txt: sha256: {digest}" in result.stdout


def test_the_starter_workflow_is_the_shipped_one():
    assert (PROJECT / "dossiers" / "starter" / "workflow.yml").read_bytes() == (PROJECT / ".github" / "workflows" / "dossiers.yml").read_bytes()
