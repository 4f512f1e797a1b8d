"""`dossiers diff` reads a revision raw and bounded: no .gitattributes filter runs, nothing unregistered is read, no link is followed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from dossiers.sources.files import MAX_SOURCE_BYTES

GIT = ["-c", "user.name=t", "-c", "user.email=t@t"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project: Path) -> Path:
    """The project committed on main, then checked out on a branch 'pr'."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "registry")
    git(project, "checkout", "-q", "-b", "pr")
    return project


def register(repo: Path, name: str, sha256: str) -> None:
    """Add seeds/NAME to seeds/sources.yaml as a source (no fact cites it)."""
    sources = repo / "seeds" / "sources.yaml"
    entry = f"\n  - id: added\n    file: {name}\n    sha256: {sha256}\n    title: Added\n    publisher: unknown\n    language: en\n    reliability: F\n"
    sources.write_text(sources.read_text("utf-8") + entry, "utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


MEASURE = """
import os, subprocess, sys
process = subprocess.Popen([sys.executable, "-c", "from dossiers.cli.app import run; run()", *sys.argv[1:]], stdout=subprocess.DEVNULL)
print(os.wait4(process.pid, 0)[2].ru_maxrss)
"""


def peak_rss(*args: str) -> tuple[int, str]:
    """The peak resident memory (KiB) of the CLI and the children it waited for, and what it said on stderr.

    It is started from a small process of its own: a child's peak counts the memory of the
    process it was forked from, and pytest's would swamp the measure.
    """
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, timeout=300, check=True)
    return int(done.stdout), done.stderr


def test_a_smudge_filter_named_by_the_revisions_gitattributes_is_not_run(repo: Path, tmp_path: Path):
    marker = tmp_path / "MARKER"
    (repo / ".gitattributes").write_text("* filter=evil\n", "utf-8")
    (repo / "seeds" / ".gitattributes").write_text("* filter=evil diff=evil text eol=crlf\n", "utf-8")
    commit(repo, "a filter on every file")
    git(repo, "config", "filter.evil.smudge", f"touch {marker}; cat")
    git(repo, "config", "diff.evil.textconv", f"touch {marker}; cat")
    result = run("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "a filter driver ran"


def test_an_unregistered_file_of_50_mb_is_never_read(repo: Path):
    baseline, stderr = peak_rss("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert "Error" not in stderr, stderr
    (repo / "seeds" / "bulk.bin").write_bytes(os.urandom(50 * 2**20))
    commit(repo, "50 MB nobody registered")
    peak, stderr = peak_rss("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert "Error" not in stderr, stderr
    assert peak - baseline < 20 * 1024, f"peak {peak} KiB against {baseline} KiB without the file"


def test_an_unregistered_file_whose_object_is_missing_does_not_matter(repo: Path):
    """The proof that the blob is not even opened: git cannot read it, and diff does not notice."""
    (repo / "seeds" / "bulk.txt").write_text("never read\n", "utf-8")
    commit(repo, "a file nobody registered")
    blob = git(repo, "rev-parse", "pr:seeds/bulk.txt").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    result = run("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("target", ["/etc/passwd", "003_1741a1b77b0aa551.txt"])
def test_a_registered_source_that_is_a_link_is_refused_not_followed(repo: Path, target: str):
    (repo / "seeds" / "linked.txt").symlink_to(target)
    register(repo, "linked.txt", hashlib.sha256(b"").hexdigest())
    commit(repo, "a link as a source")
    result = run("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert result.exit_code == 1
    assert "seeds/linked.txt at pr is a symbolic link" in result.stderr and "internal error" not in result.stderr
    assert "root:" not in result.output


@pytest.mark.parametrize("name", ["actors.yaml", "seeds/sources.yaml"])
def test_the_registry_as_a_link_is_refused(repo: Path, name: str):
    path = repo / name
    path.rename(repo / "real.yaml")
    path.symlink_to(os.path.relpath(repo / "real.yaml", path.parent))
    commit(repo, "the registry behind a link")
    result = run("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert result.exit_code == 1
    assert f"{name} at pr is a symbolic link" in result.stderr


def test_a_registered_source_over_the_limit_is_refused_by_its_size(repo: Path):
    big = repo / "seeds" / "big.txt"
    with big.open("wb") as out:  # zeros: git stores it in a few KiB, and it is 32 MiB and one byte to read
        out.truncate(MAX_SOURCE_BYTES + 1)
    register(repo, "big.txt", hashlib.sha256(big.read_bytes()).hexdigest())
    commit(repo, "a source over the limit")
    peak, stderr = peak_rss("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert "seeds/big.txt at pr is larger than 32 MiB (33,554,433 bytes)" in stderr, stderr
    assert peak < 200 * 1024, f"peak {peak} KiB: the blob was read"


def test_a_revision_over_the_total_limit_is_refused_before_reading(repo: Path, monkeypatch):
    from dossiers.reports import git as revision

    monkeypatch.setattr(revision, "MAX_REVISION_BYTES", 10_000)
    result = run("diff", "main", "pr", "--root", str(repo), "--format", "text")
    assert result.exit_code == 1
    assert "main holds more than 10,000 bytes of registry, sources and templates" in result.stderr, result.stderr


def test_a_revisions_templates_are_read_only_to_render_them(repo: Path):
    from conftest import PROJECT, replace

    (repo / "templates").mkdir()
    (repo / "templates" / "dossier.md.j2").write_text("MARK\n" + (PROJECT / "templates" / "dossier.md.j2").read_text("utf-8"), "utf-8")
    replace(repo / "actors.yaml", "    text: Belarusian army general.", "    text: A Belarusian army general.")
    commit(repo, "a template of its own, and a fact changed")
    rendered = run("diff", "main", "pr", "--root", str(repo), "--format", "text", "--dossiers", "--project-templates")
    assert "+MARK" in rendered.stdout, rendered.output
    blob = git(repo, "rev-parse", "pr:templates/dossier.md.j2").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    packaged = run("diff", "main", "pr", "--root", str(repo), "--format", "text", "--dossiers", "--packaged-templates")
    assert packaged.exit_code == 0 and "MARK" not in packaged.stdout, packaged.output
