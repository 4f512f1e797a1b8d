"""add-source run twice at once, or killed midway: every run that says it added a source did, and a retry after a crash succeeds.

Runs are serialised by a lock on seeds/; the document is written under a temporary name
and linked in whole; a killed run's temporary is removed by the next run, and a document
left in seeds/ without its entry is adopted.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, run

LINE = "Lukashenko arrived in Harare for talks with his counterpart on Monday.\n"
LIMIT = 10 * 2**20
UMASK = os.umask(0o022)
os.umask(UMASK)
# python -m dossiers, killed by SIGXFSZ when it writes past a file size limit (Python itself ignores the signal)
KILLABLE = "import runpy, signal; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); runpy.run_module('dossiers', run_name='__main__')"


def dossiers(*args: str, limit: bool = False, killed_at_limit: bool = True) -> subprocess.Popen:
    """The CLI in a process of its own; with `limit`, no file it writes may pass 10 MB."""
    def file_size_limit():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    command = ["-c", KILLABLE] if killed_at_limit else ["-m", "dossiers"]
    return subprocess.Popen(
        [sys.executable, *command, *args], env={**os.environ, "PYTHONPATH": str(PROJECT)}, cwd=PROJECT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=file_size_limit if limit else None,
    )


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    return root


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A 28 MB text source."""
    path = tmp_path_factory.mktemp("large") / "large-report.txt"
    path.write_text(LINE * (28 * 2**20 // len(LINE)), "utf-8")
    return path


def landed(root: Path, *documents: Path) -> None:
    """seeds/ holds each document whole, with one entry each (and its sha256), and nothing else new."""
    listing = (root / "seeds" / "sources.yaml").read_text("utf-8")
    names = {path.name for path in (root / "seeds").iterdir()}
    assert names == {"sources.yaml", "lukashenko-harare-visit.txt", *(d.name for d in documents)}
    for document in documents:
        assert (root / "seeds" / document.name).read_bytes() == document.read_bytes()
        assert (root / "seeds" / document.name).stat().st_mode & 0o777 == 0o666 & ~UMASK
        assert listing.count(f"file: {document.name}\n") == 1 and hashlib.sha256(document.read_bytes()).hexdigest() in listing


def test_eight_runs_at_once_all_land_with_their_entries(fresh: Path, tmp_path: Path):
    documents = []
    for number in range(8):
        documents.append(tmp_path / f"report-{number}.txt")
        documents[-1].write_text(f"Report {number}: {LINE}", "utf-8")
    runs = [dossiers("add-source", str(document), "--root", str(fresh)) for document in documents]
    for each in runs:
        out, err = each.communicate(timeout=300)
        assert each.returncode == 0 and "Added source" in out, err
    landed(fresh, *documents)
    assert run("check", "--root", str(fresh)).exit_code == 0


def test_a_run_killed_while_it_copies_leaves_no_partial_file_and_the_retry_succeeds(fresh: Path, large: Path):
    killed = dossiers("add-source", str(large), "--root", str(fresh), limit=True)  # killed 10 MB into the copy
    killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGXFSZ
    assert large.name not in os.listdir(fresh / "seeds") and "large-report" not in (fresh / "seeds" / "sources.yaml").read_text("utf-8")
    retry = run("add-source", str(large), "--root", str(fresh))
    assert retry.exit_code == 0 and ", already in seeds/" not in retry.stdout, retry.output
    landed(fresh, large)


def test_runs_killed_at_any_moment_are_retried_to_the_same_end(tmp_path: Path, large: Path):
    start = time.perf_counter()
    timed = dossiers("new", str(tmp_path / "timed"))
    timed.communicate(timeout=300)
    timed = dossiers("add-source", str(large), "--root", str(tmp_path / "timed"))
    timed.communicate(timeout=300)
    whole = time.perf_counter() - start
    for number in range(6):
        root = tmp_path / f"project-{number}"
        assert run("new", str(root)).exit_code == 0
        killed = dossiers("add-source", str(large), "--root", str(root))
        time.sleep(whole * (0.2 + 0.16 * number))
        killed.send_signal(signal.SIGKILL)
        killed.communicate(timeout=300)
        retry = run("add-source", str(large), "--root", str(root))
        assert retry.exit_code == 0 or "already registered as source 'large-report'" in retry.stderr, retry.output
        landed(root, large)


def test_an_error_in_the_copy_leaves_nothing(fresh: Path, large: Path):
    before = sorted(os.listdir(fresh / "seeds")), (fresh / "seeds" / "sources.yaml").read_bytes()
    failed = dossiers("add-source", str(large), "--root", str(fresh), limit=True, killed_at_limit=False)  # the write fails (EFBIG), as on a full disk
    _, err = failed.communicate(timeout=300)
    assert failed.returncode == 1 and f"could not add {large.name} to seeds/" in err and "Traceback" not in err, err
    assert (sorted(os.listdir(fresh / "seeds")), (fresh / "seeds" / "sources.yaml").read_bytes()) == before


def test_a_document_left_in_seeds_without_its_entry_is_adopted(fresh: Path, large: Path):
    (fresh / "seeds" / large.name).write_bytes(large.read_bytes())  # as a run killed between the copy and the entry leaves it
    (fresh / "seeds" / f".{large.name}.dossiers-adding").write_bytes(b"half")
    done = run("add-source", str(large), "--root", str(fresh))
    assert done.exit_code == 0 and ", already in seeds/" in done.stdout, done.output
    landed(fresh, large)


def test_without_hard_links_the_document_is_renamed_into_place(fresh: Path, large: Path, monkeypatch):
    def no_links(source, target):
        raise PermissionError(1, "Operation not permitted", str(source))

    monkeypatch.setattr(os, "link", no_links)  # as on FAT or some network shares
    (fresh / "seeds" / "sources.yaml").chmod(0o600)
    assert run("add-source", str(large), "--root", str(fresh)).exit_code == 0
    landed(fresh, large)
    assert (fresh / "seeds" / "sources.yaml").stat().st_mode & 0o777 == 0o600
