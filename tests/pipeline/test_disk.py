"""dossiers/disk.py, the one atomic writer: new files never over another, replacements in one rename, all on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossiers import disk
from dossiers.pipeline.new import new_project


@pytest.fixture
def synced(monkeypatch) -> list[str]:
    """The paths fsync was called on, in order."""
    paths: list[str] = []
    real = os.fsync

    def fsync(descriptor: int) -> None:
        paths.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    return paths


def test_a_new_file_is_synced_with_its_folder_and_never_written_over_a_file_or_a_link(tmp_path: Path, synced: list[str]):
    disk.write_new(tmp_path / "a", b"one", mode=0o640)
    assert (tmp_path / "a").read_bytes() == b"one" and (tmp_path / "a").stat().st_mode & 0o777 == 0o640
    assert synced == [str(tmp_path / "a"), str(tmp_path)]
    with pytest.raises(FileExistsError):
        disk.write_new(tmp_path / "a", b"two")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileExistsError):
        disk.write_new(tmp_path / "link", b"two")
    assert (tmp_path / "a").read_bytes() == b"one" and not (tmp_path / "elsewhere").exists()


def test_a_replacement_is_synced_renamed_in_and_leaves_no_temporary_file(tmp_path: Path, synced: list[str]):
    target = tmp_path / "sources.yaml"
    target.write_bytes(b"old")
    disk.write_replacing(target, b"new")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["sources.yaml"]
    assert synced[-1] == str(tmp_path) and len(synced) == 2, "the temporary file, then the folder"


def test_a_replacement_that_cannot_be_renamed_in_names_the_file_and_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "taken"
    (target / "inside").mkdir(parents=True)  # a folder with something in it cannot be replaced by a file
    with pytest.raises(OSError) as raised:
        disk.write_replacing(target, b"new", temporary=tmp_path / ".taken.partial")
    assert raised.value.filename is not None and "taken" in raised.value.filename
    assert sorted(os.listdir(tmp_path)) == ["taken"]


def test_dossiers_new_puts_every_file_on_disk(tmp_path: Path, synced: list[str]):
    """new wrote with open(path, 'xb') and never synced: a crash could leave a project of empty files."""
    written = new_project(tmp_path / "project")
    assert {str(path) for path in written} <= set(synced)
