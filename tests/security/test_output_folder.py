"""Attacks on where a build writes: --out at an input, a link out of the project, a file, a full disk."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_matches(out: Path) -> bool:
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    files = {name: digest for name, digest in snapshot(out).items() if name != "manifest.json"}
    return files == {name: entry["sha256"] for name, entry in recorded.items()}


@pytest.mark.parametrize(
    ("out", "rule"),
    [
        ("seeds", "is or holds seeds/"),
        (".", "is or holds the project folder"),
        ("..", "is or holds the project folder"),
        ("seeds/build", "lies inside seeds/"),
        ("templates", "is or holds templates/"),
    ],
)
def test_out_at_an_input_is_refused_and_writes_nothing(project: Path, out: str, rule: str):
    before = snapshot(project)
    result = run("build", "--root", str(project), "--out", str(project / out), "--format", "md")
    assert result.exit_code == 1, result.output
    assert rule in result.stderr and str(project / out) in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize("how", ["--out", "committed build"])
def test_a_link_out_of_the_project_is_refused(project: Path, tmp_path: Path, how: str):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = project / ("out-link" if how == "--out" else "build")
    link.symlink_to(elsewhere, target_is_directory=True)
    args = ["--out", str(link)] if how == "--out" else []
    result = run("build", "--root", str(project), *args, "--format", "md")
    assert result.exit_code == 1
    assert "leads outside the project" in result.stderr and str(elsewhere) in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_out_a_file_is_refused_and_kept(project: Path):
    target = project / "notes.txt"
    target.write_text("mine", "utf-8")
    result = run("build", "--root", str(project), "--out", str(target), "--format", "md")
    assert result.exit_code == 1 and "is a file, not a folder" in result.stderr
    assert target.read_text("utf-8") == "mine"


def test_a_folder_dossiers_did_not_build_is_refused(project: Path, tmp_path: Path):
    home = tmp_path / "documents"
    home.mkdir()
    (home / "letter.txt").write_text("mine", "utf-8")
    result = run("build", "--root", str(project), "--out", str(home), "--format", "md")
    assert result.exit_code == 1 and "holds files that dossiers did not build" in result.stderr
    assert [p.name for p in home.iterdir()] == ["letter.txt"]


def test_a_file_or_folder_in_the_way_of_an_output_gives_a_whole_new_set(project: Path):
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    (out / "dossiers" / "sheiman.md").unlink()
    (out / "dossiers" / "sheiman.md").mkdir()
    (out / "dossiers" / "sheiman.md" / "inner").write_text("x", "utf-8")
    result = run("build", "--root", str(project), "--format", "md", "--no-pack")
    assert result.exit_code == 0, result.output
    assert (out / "dossiers" / "sheiman.md").is_file() and manifest_matches(out)


def test_a_link_inside_the_output_folder_is_not_followed(project: Path, tmp_path: Path):
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    outside = tmp_path / "outside.md"
    outside.write_text("not an output", "utf-8")
    (out / "dossiers" / "sheiman.md").unlink()
    (out / "dossiers" / "sheiman.md").symlink_to(outside)
    assert run("build", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    assert outside.read_text("utf-8") == "not an output"
    assert not (out / "dossiers" / "sheiman.md").is_symlink() and manifest_matches(out)


def test_a_file_too_large_for_the_limit_is_a_user_error_and_the_previous_set_stays(project: Path):
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    before = snapshot(out)
    (project / "actors.yaml").write_text((project / "actors.yaml").read_text("utf-8").replace("foreign affairs minister.", "minister of foreign affairs."), "utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    command = [sys.executable, "-c", "from dossiers.cli.app import run; run()", "build", "--root", str(project), "--format", "md"]
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "the file is larger than allowed (ulimit -f)" in done.stderr and "internal error" not in done.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "no space is left on the device"), (errno.EROFS, "the file system is read-only")])
def test_a_full_or_read_only_disk_is_a_user_error_and_the_previous_set_stays(project: Path, monkeypatch, code: int, reason: str):
    from dossiers.pipeline import outdir

    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    before = snapshot(out)
    (project / "actors.yaml").write_text((project / "actors.yaml").read_text("utf-8").replace("foreign affairs minister.", "minister of foreign affairs."), "utf-8")

    def full(path, data):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(outdir, "_write", full)
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 1
    assert reason in result.stderr and "could not write the output folder" in result.stderr
    assert snapshot(out) == before


def test_fresh_renders_everything_and_drops_what_it_did_not_build(project: Path):
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    forged = (out / "dossiers" / "sheiman.md").read_text("utf-8").replace("Sheiman", "Someone else")
    (out / "dossiers" / "sheiman.md").write_text(forged, "utf-8")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["outputs"]["dossiers/sheiman.md"]["sha256"] = hashlib.sha256(forged.encode()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    (out / "dossiers" / "planted.md").write_text("planted", "utf-8")
    (out / "extra.txt").write_text("planted", "utf-8")
    result = run("build", "--root", str(project), "--format", "md", "--no-pack", "--fresh")
    assert result.exit_code == 0, result.output
    assert "Someone else" not in (out / "dossiers" / "sheiman.md").read_text("utf-8")
    assert not (out / "dossiers" / "planted.md").exists() and not (out / "extra.txt").exists()
    assert manifest_matches(out)


def test_a_build_folder_tracked_by_git_gets_a_warning(project: Path):
    assert run("build", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "build/manifest.json"], check=True)
    result = run("build", "--root", str(project), "--format", "md", "--no-pack")
    assert result.exit_code == 0
    assert "is tracked by git" in result.stderr and "--fresh" in result.stderr
    assert "tracked by git" not in run("build", "--root", str(project), "--format", "md", "--no-pack", "--fresh").stderr
