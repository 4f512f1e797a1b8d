"""Attack: the output folder is a mount point (a tmpfs at build/, common in CI), which cannot be renamed.

The build assembles the next set inside the mount and moves it in entry by entry; a
build killed during the move is finished by the next one, one that fails before it puts
the previous entries back, and nothing is left beside or inside the folder. Real mounts
need root (or a user namespace): without them those tests are skipped, and the EBUSY a
mount point gives is simulated.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import run

MOUNT_LEFTOVERS = (".dossiers-staging", ".dossiers-next", ".dossiers-aside", ".dossiers-gone")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def whole(out: Path) -> bool:
    """The folder holds a set and its manifest, matching, and nothing a build left behind, inside or beside."""
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    files = {name: digest for name, digest in snapshot(out).items() if name != "manifest.json"}
    leftovers = [p.name for p in out.parent.iterdir() if ".dossiers-" in p.name] + [name for name in MOUNT_LEFTOVERS if (out / name).exists()]
    return files == {name: entry["sha256"] for name, entry in recorded.items()} and not leftovers


def edit(project: Path) -> None:
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("foreign affairs minister.", "minister of foreign affairs."), "utf-8")


@pytest.fixture
def mount(tmp_path: Path):
    """mount(folder, size): a tmpfs mounted at `folder`, unmounted after the test; skips the test where mounting is not permitted."""
    mounted: list[Path] = []

    def make(folder: Path, size: str = "16m") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip()}): the EBUSY of a mount point is simulated instead")
        mounted.append(folder)
        return folder

    yield make
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_mount_point_gets_a_whole_set_every_build(project: Path, mount):
    out = mount(project / "build")
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    assert whole(out)
    edit(project)
    result = run("build", "--root", str(project), "--format", "md,html")
    assert result.exit_code == 0, result.output
    assert whole(out) and (out / "index.html").is_file()
    assert "minister of foreign affairs" in (out / "dossiers" / "shava.md").read_text("utf-8")
    result = run("build", "--root", str(project), "--format", "md", "--fresh")
    assert result.exit_code == 0 and whole(out) and not (out / "index.html").exists()


def test_a_bind_mount_that_ismount_does_not_see_is_swapped_entry_by_entry(project: Path, tmp_path: Path, mount):
    disk = mount(tmp_path / "disk")
    (disk / "site").mkdir()
    out = project / "build"
    out.mkdir()
    if subprocess.run(["mount", "--bind", str(disk / "site"), str(out)], capture_output=True).returncode != 0:
        pytest.skip("bind mounts are not permitted here")
    try:
        for _ in range(2):
            result = run("build", "--root", str(project), "--format", "md")
            assert result.exit_code == 0, result.output
            assert whole(out)
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)


def test_ebusy_on_the_swap_is_simulated_where_mounting_is_not_permitted(project: Path, monkeypatch):
    from dossiers.pipeline import outdir

    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0

    class BusyLibc:
        def renameat2(self, *args) -> int:
            return -1

    monkeypatch.setattr(outdir.ctypes, "CDLL", lambda *args, **kwargs: BusyLibc())
    monkeypatch.setattr(outdir.ctypes, "get_errno", lambda: errno.EBUSY)
    edit(project)
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    assert whole(out) and "minister of foreign affairs" in (out / "dossiers" / "shava.md").read_text("utf-8")


@pytest.mark.parametrize("where", ["the mount point", "a folder on it"])
def test_a_full_disk_names_the_path_and_leaves_the_previous_set_and_nothing_else(project: Path, mount, where: str):
    disk = mount(project / "build" if where == "the mount point" else project / "disk", size="400k")
    out = disk if where == "the mount point" else disk / "build"
    args = () if where == "the mount point" else ("--out", str(out))
    assert run("build", "--root", str(project), "--format", "md", *args).exit_code == 0
    before = snapshot(out)
    result = run("build", "--root", str(project), "--format", "md,html", *args)
    assert result.exit_code == 1
    assert re.search(rf": {re.escape(str(disk))}/\S+: no space is left on the device", result.stderr), result.stderr
    assert snapshot(out) == before and whole(out)


def test_an_entry_that_cannot_move_puts_the_previous_entries_back(project: Path, mount):
    out = mount(project / "build")
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    before = snapshot(out)
    mount(out / "dossiers")  # a mount inside the mount: it cannot be moved aside
    result = run("build", "--root", str(project), "--format", "md", "--fresh")
    assert result.exit_code == 1
    assert f"{out / 'dossiers'}: it is busy, a mount point perhaps" in result.stderr and "--out" in result.stderr
    assert {name: digest for name, digest in snapshot(out).items() if not name.startswith("dossiers/")} == {
        name: digest for name, digest in before.items() if not name.startswith("dossiers/")
    }
    assert sorted(p.name for p in out.iterdir()) == ["briefing-pack-network.svg", "briefing-pack.md", "dossiers", "manifest.json"]


def test_a_build_killed_at_any_step_of_the_move_is_finished_by_the_next(tmp_path: Path, monkeypatch):
    """Every moment a kill can land: after each rename of the move, the next build's clear-up makes the new set."""
    from dossiers.pipeline import outdir

    monkeypatch.setattr(outdir.os.path, "ismount", lambda path: True)  # a plain folder, moved into as a mount point is
    old = {"manifest.json": b"old", "briefing-pack.md": b"old pack", "dossiers/a.md": b"old a", "mine.txt": b"kept"}
    new = {"manifest.json": b"new", "briefing-pack.md": b"new pack", "dossiers/b.md": b"new b", "index.html": b"site", "mine.txt": b"kept"}
    real_rename, step = outdir.os.rename, 0
    while True:
        out = tmp_path / f"out-{step}"
        for name, data in old.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        calls = 0

        def killed(source, target, *, limit=step):
            nonlocal calls
            calls += 1
            if calls > limit:
                raise KeyboardInterrupt  # stands for SIGKILL: no handler of the move runs
            real_rename(source, target)

        monkeypatch.setattr(outdir.os, "rename", killed)
        try:
            outdir.replace(out, {name: data for name, data in new.items() if name != "mine.txt"}, carried=set(), keep_others=True)
            finished = True
        except KeyboardInterrupt:
            finished = False
        monkeypatch.setattr(outdir.os, "rename", real_rename)
        outdir.clear_leftovers(out)
        assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == (new if calls > 1 or finished else old), step
        if finished:
            break
        step += 1
    assert step > 6, "the move was interrupted at each of its renames"



def test_committed_links_under_the_move_s_names_lead_nowhere(project: Path, tmp_path: Path):
    """A pull request commits build/.dossiers-next and build/.dossiers-aside as links out: nothing outside is moved or deleted."""
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    outside = tmp_path / "outside"
    (outside / "next").mkdir(parents=True)
    (outside / "next" / "planted.md").write_text("planted", "utf-8")
    (outside / "aside").mkdir()
    (out / ".dossiers-next").symlink_to(outside / "next", target_is_directory=True)
    (out / ".dossiers-aside").symlink_to(outside / "aside", target_is_directory=True)
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    assert whole(out) and not (out / "planted.md").exists()
    assert snapshot(outside) == {"next/planted.md": hashlib.sha256(b"planted").hexdigest()}


def test_a_committed_half_move_with_a_link_aside_moves_nothing_out(project: Path, tmp_path: Path):
    """A real build/.dossiers-next (a half-done move) beside a .dossiers-aside link out: the previous entries stay in the project."""
    out = project / "build"
    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / ".dossiers-next").mkdir()
    (out / ".dossiers-aside").symlink_to(outside, target_is_directory=True)
    result = run("build", "--root", str(project), "--format", "md", "--fresh")
    assert result.exit_code == 0, result.output
    assert whole(out) and list(outside.iterdir()) == []
