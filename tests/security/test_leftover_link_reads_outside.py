"""A build's leftover, committed as a link: `.build.dossiers-old` pointing at a folder outside the project.

A killed build may leave the previous set aside under that name, and the next build puts it
back. A pull request that commits the name as a link to `~/.ssh` (and no `build/`) had a
plain `dossiers build` restore the link as `build/` after the folder was vetted, then copy
every file it reached into the output. A leftover is restored only as a real folder that a
build made (it holds a manifest), what takes the folder's place is vetted again, and a
link is never walked.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run


def test_a_committed_leftover_link_brings_nothing_from_outside(project: Path, tmp_path: Path):
    outside = tmp_path / "victim"
    outside.mkdir()
    (outside / "id_rsa").write_text("SECRET-CANARY-1234\n")
    (outside / "manifest.json").write_text("{}")
    os.symlink(outside, project / ".build.dossiers-old")
    result = run("build", "--root", str(project), "--format", "md", "--no-pack", "lukashenko")
    assert result.exit_code == 0, result.output
    build = project / "build"
    assert build.is_dir() and not build.is_symlink()
    assert not (build / "id_rsa").exists()
    assert all("SECRET-CANARY" not in path.read_text("utf-8", "replace") for path in build.rglob("*") if path.is_file())
    assert (outside / "id_rsa").read_text() == "SECRET-CANARY-1234\n" and not (project / ".build.dossiers-old").exists()


def test_a_committed_leftover_folder_without_a_manifest_is_not_restored(project: Path):
    stranger = project / ".build.dossiers-old"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("not a build")
    result = run("build", "--root", str(project), "--format", "md", "--no-pack", "lukashenko")
    assert result.exit_code == 0, result.output
    assert not (project / "build" / "notes.txt").exists()
