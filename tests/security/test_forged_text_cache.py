"""A forged text cache: extracted text that a pull request commits, so that a fabricated quote verifies.

The cache lives in the user's cache folder, never in the project, and an entry is read
only whole; so whatever the project holds, and whether or not git can answer, a quote the
source does not say is `quote-not-found`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import position, run
from dossiers.sources.cache import TextCache
from dossiers.sources.extract import EXTRACTORS, Extracted, extract

DW = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources" / "dw.com.colonial.html"
TRUE = "ISD spokesman Tahir Della"
LIE = "Lukashenko admitted that he rigged every election"
FACT = f"""
  - id: lukashenko-rigged-elections
    actors: [lukashenko]
    kind: event
    text: Admitted that he rigged every election.
    citations:
      - source: dw-com-colonial
        quote: {LIE}
"""


def forged_text() -> str:
    return extract(DW.read_bytes(), "html", DW.name).text.replace(TRUE, LIE)


@pytest.fixture
def forged(tmp_path: Path, monkeypatch) -> Path:
    """A project citing the fabricated quote, with a forged entry where the text cache used to live (.dossiers-cache/text)."""
    monkeypatch.setenv("DOSSIERS_CACHE_DIR", str(tmp_path / "user-cache"))
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    assert run("add-source", str(DW), "--root", str(root)).exit_code == 0
    registry = root / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\nfacts:\n" + FACT, 1), "utf-8")
    old = root / ".dossiers-cache" / "text"
    old.mkdir(parents=True, exist_ok=True)  # where the text cache used to live, and what it held
    name = f"{hashlib.sha256(DW.read_bytes()).hexdigest()}.{re.sub(r'[^A-Za-z0-9.+-]+', '_', EXTRACTORS['html'])}.json"
    (old / name).write_text(json.dumps({"extractor": EXTRACTORS["html"], "text": forged_text(), "pages": []}), "utf-8")
    return root


def refused(root: Path) -> None:
    done = run("check", "--root", str(root), "--format", "json")
    problems = [p for p in json.loads(done.stdout) if p["code"] == "quote-not-found"]
    line, column = position(root / "actors.yaml", LIE)
    assert done.exit_code == 1 and [(p["file"], p["line"], p["col"]) for p in problems] == [(str(root / "actors.yaml"), line, column)], done.stdout
    assert LIE not in run("text", "dw-com-colonial", "--root", str(root)).stdout


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.parametrize("scenario", ["no .git", "git not on PATH", "dubious ownership", "tracked"])
def test_a_forged_entry_in_the_project_never_makes_a_quote_verify(forged: Path, scenario: str, monkeypatch, tmp_path: Path):
    if scenario != "no .git":  # a tarball or `git archive` export has no .git
        git(forged, "init", "-q")
        git(forged, "add", "-f", ".")
    if scenario == "git not on PATH":
        (tmp_path / "empty").mkdir()
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    if scenario == "dubious ownership":  # as git says of a checkout another user owns
        monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    refused(forged)


def forged_entry(folder: Path, monkeypatch) -> None:
    """An entry of the present kind, integrity and all, that says the lie: what a forger who read this code would write."""
    with monkeypatch.context() as patch:
        patch.setenv("DOSSIERS_CACHE_DIR", str(folder))
        TextCache(folder.parent / "elsewhere").put(hashlib.sha256(DW.read_bytes()).hexdigest(), Extracted("html", forged_text()))
    assert len(list((folder / "text").iterdir())) == 1


@pytest.mark.parametrize("where", ["project/.cache/dossiers/text", "project/sub/cache", "checkout-cache"])
def test_a_cache_folder_inside_the_project_or_its_checkout_is_not_used(forged: Path, where: str, monkeypatch):
    folder = forged.parent / where
    forged_entry(folder, monkeypatch)
    if where == "checkout-cache":  # the project is a folder of a git checkout, and the cache a folder of that checkout
        git(forged.parent, "init", "-q")
    monkeypatch.setenv("DOSSIERS_CACHE_DIR", str(folder))
    refused(forged)
    assert len(list((folder / "text").iterdir())) == 1, "nothing is written there either"


def test_no_cache_folder_is_made_in_the_project(forged: Path, monkeypatch):
    monkeypatch.delenv("DOSSIERS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(forged / ".cache"))  # as a CI may set it, to keep its caches in the checkout
    refused(forged)
    assert not (forged / ".cache").exists()


def test_a_cache_folder_others_may_write_to_is_not_used(forged: Path, tmp_path: Path, monkeypatch):
    folder = tmp_path / "shared"
    forged_entry(folder, monkeypatch)
    (folder / "text").chmod(0o777)
    monkeypatch.setenv("DOSSIERS_CACHE_DIR", str(folder))
    refused(forged)


@pytest.mark.parametrize("damage", ["truncated", "empty", "text changed", "pages out of range", "other source"])
def test_a_damaged_entry_in_the_users_cache_is_extracted_again_and_rewritten(forged: Path, tmp_path: Path, damage: str):
    folder = tmp_path / "user-cache" / "text"
    (entry,) = folder.iterdir()
    whole = entry.read_bytes()
    record = json.loads(whole)
    if damage == "truncated":
        entry.write_bytes(whole[: len(whole) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "text changed":  # a flipped bit, or a forger without the integrity digest
        entry.write_text(json.dumps({**record, "text": record["text"].replace(TRUE, LIE)}), "utf-8")
    elif damage == "pages out of range":
        entry.write_text(json.dumps({**record, "pages": [0, 10**9]}), "utf-8")
    else:
        entry.write_text(json.dumps({**record, "sha256": "0" * 64}), "utf-8")
    refused(forged)
    assert entry.read_bytes() == whole
    assert os.stat(folder).st_mode & 0o777 == 0o700
