"""Attacks that make the tool read files outside the project: links in place of the registry, FIFOs, huge sources."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import run

SECRET = "DOSSIERS_TEST_SECRET=hunter2"


@pytest.fixture
def secret_environment(monkeypatch):
    monkeypatch.setenv("DOSSIERS_TEST_SECRET", "hunter2")


@pytest.mark.parametrize("file", ["actors.yaml", "seeds/sources.yaml"])
@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
@pytest.mark.parametrize("command", [["check", "--format", "github"], ["check"], ["build", "--format", "md"], ["export"]])
def test_a_registry_file_linked_outside_is_refused_unread(project: Path, secret_environment, file: str, target: str, command: list[str]):
    (project / file).unlink()
    (project / file).symlink_to(target)
    result = run(*command, "--root", str(project))
    assert result.exit_code == 1
    assert f"{file} leads outside the project (to {target.split('/')[1]}" in result.output.replace("(to /", "(to ")
    assert "root:x:0:0" not in result.output and "hunter2" not in result.output


def test_diff_of_the_working_tree_does_not_read_through_a_link(project: Path, secret_environment):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (project / "actors.yaml").unlink()
    (project / "actors.yaml").symlink_to("/proc/self/environ")
    result = run("diff", "main", "--root", str(project), "--format", "text")
    assert "hunter2" not in result.output
    assert "leads outside the project" in result.output


def test_a_link_out_that_no_source_registers_is_not_read_from_a_revision(project: Path):
    """A registered link is refused (test_diff_revision_reads.py); one nobody registered is never opened."""
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (project / "seeds" / "passwd.txt").symlink_to("/etc/passwd")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "link"], check=True)
    result = run("diff", "main~1", "main", "--root", str(project), "--format", "text")
    assert result.exit_code == 0, result.output
    assert "root:" not in result.output


def test_a_fifo_in_place_of_the_registry_is_refused_not_waited_on(project: Path):
    (project / "actors.yaml").unlink()
    os.mkfifo(project / "actors.yaml")
    done = subprocess.run(
        [os.sys.executable, "-c", "from dossiers.cli.app import run; run()", "check", "--root", str(project)],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 1
    assert "actors.yaml is not a regular file" in done.stdout + done.stderr


def test_a_source_over_the_size_limit_is_an_error_at_its_entry(project: Path):
    from dossiers.sources.files import MAX_SOURCE_BYTES

    (project / "seeds" / "huge.txt").write_bytes(b"")
    os.truncate(project / "seeds" / "huge.txt", MAX_SOURCE_BYTES + 1)
    registry = project / "seeds" / "sources.yaml"
    registry.write_text(
        registry.read_text("utf-8") + "\n  - id: huge\n    file: huge.txt\n    sha256: " + "a" * 64 + "\n    title: Huge\n    publisher: Nobody\n    language: en\n    reliability: F\n",
        "utf-8",
    )
    result = run("check", "--root", str(project), "--format", "json")
    assert '"code": "source-too-large"' in result.stdout, result.stdout[-2000:]
    assert "larger than 32 MiB" in result.stdout


def test_a_registry_over_the_size_limit_is_refused_before_it_is_parsed(project: Path):
    """16 MiB of YAML would take most of a minute to parse; a larger registry stops at once."""
    from dossiers.registry.yaml import MAX_FILE_BYTES

    registry = project / "actors.yaml"
    with registry.open("a", encoding="utf-8") as out:
        out.write("#" * (MAX_FILE_BYTES - registry.stat().st_size) + "\n")
    result = run("check", "--root", str(project), "--format", "json")
    assert '"code": "file-too-large"' in result.stdout and "larger than 16 MiB" in result.stdout, result.stdout[-2000:]
