"""Attacks through a project's templates/: code in a template, and links that reach outside the project."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT, run


def override(project: Path, name: str) -> Path:
    (project / "templates").mkdir(exist_ok=True)
    shutil.copy(PROJECT / "templates" / name, project / "templates" / name)
    return project / "templates" / name


def plant(project: Path, name: str, canary: Path) -> None:
    template = override(project, name)
    attack = f'{{{{ cycler.__init__.__globals__.os.system("touch {canary}") or "" }}}}\n'
    template.write_text(attack + template.read_text("utf-8"), "utf-8")


def commit_all(project: Path, message: str) -> None:
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    if not (project / ".git").exists():
        subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", message], check=True)


def test_template_code_cannot_reach_python_in_build(project: Path, tmp_path: Path):
    canary = tmp_path / "ran"
    plant(project, "dossier.md.j2", canary)
    result = run("build", "shava", "--root", str(project), "--format", "md")
    assert result.exit_code == 1
    assert "template dossier.md.j2:1: refused by the sandbox" in result.stderr
    assert "Traceback" not in result.stderr
    assert not canary.exists()
    assert not (project / "build" / "dossiers" / "shava.md").exists()


def test_template_code_from_a_pull_request_cannot_run_in_diff(project: Path, tmp_path: Path):
    canary = tmp_path / "ran"
    commit_all(project, "base")
    plant(project, "diff.md.j2", canary)
    plant(project, "dossier.md.j2", canary)
    result = run("diff", "main", "--root", str(project), "--dossiers")
    assert result.exit_code == 1 and "refused by the sandbox" in result.stderr
    assert not canary.exists()
    shielded = run("diff", "main", "--root", str(project), "--dossiers", "--packaged-templates")
    assert shielded.exit_code == 0, shielded.output
    assert not canary.exists()


def test_packaged_templates_ignore_the_projects_own(project: Path, tmp_path: Path):
    plant(project, "dossier.md.j2", tmp_path / "ran")
    result = run("build", "shava", "--root", str(project), "--format", "md", "--packaged-templates")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "dossiers" / "shava.md").read_text("utf-8") == (PROJECT / "tests" / "golden" / "shava.md").read_text("utf-8")


def test_a_templates_folder_linked_out_of_the_project_is_refused(project: Path):
    (project / "templates").symlink_to("/etc", target_is_directory=True)
    result = run("build", "shava", "--root", str(project), "--format", "md")
    assert result.exit_code == 1
    assert "templates/ leads outside the project (to /etc)" in result.stderr
    assert not (project / "build").exists()


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_a_template_file_linked_out_of_the_project_is_not_read(project: Path, target: str):
    (project / "templates").mkdir()
    (project / "templates" / "dossier.md.j2").symlink_to(target)
    result = run("build", "shava", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "dossiers" / "shava.md").read_text("utf-8") == (PROJECT / "tests" / "golden" / "shava.md").read_text("utf-8")
    manifest = (project / "build" / "manifest.json").read_text("utf-8")
    assert '"templates/dossier.md.j2"' in manifest  # the packaged one, hashed
    assert "root:" not in (project / "build" / "dossiers" / "shava.md").read_text("utf-8")
