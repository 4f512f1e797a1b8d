"""The output folder: vetted before use, locked while a build runs, and replaced whole.

A build assembles the complete next set (new files, and hard links to the files it
keeps) in a sibling folder, `.NAME.dossiers-staging`, then swaps the two folders in one
atomic step (`renameat2(RENAME_EXCHANGE)`). Readers, and a build killed at any moment,
see the previous set or the next one, never a mix; a killed build's staging folder is
removed by the next build. Builds of one folder are serialised by a lock on its parent.

A mount point (a tmpfs at build/, say) cannot be renamed. Its next set is assembled
inside it, in OUT/.dossiers-staging, and moved in entry by entry: the previous entries
aside, then the new ones in. A reader may see a mix for those few renames; a build
killed during them is finished by the next build, and one that fails before the first
new entry moves in puts the previous entries back.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..disk import naming, sync_folder, write_new
from ..errors import UserError, os_error
from ..git import tracked
from ..registry.layout import MANIFEST, MANIFEST_SIGNATURE, Layout, is_output_name, real_path

STAGING = ".{}.dossiers-staging"
RETIRED = ".{}.dossiers-old"  # where the previous set waits when the folders cannot be swapped in one step
# Inside an output folder that is a mount point: the set being assembled, the complete next
# set, the previous entries being moved aside, and all of them once aside.
INNER_STAGING, NEXT, ASIDE, GONE = ".dossiers-staging", ".dossiers-next", ".dossiers-aside", ".dossiers-gone"
INNER = (INNER_STAGING, NEXT, ASIDE, GONE)
_RENAME_EXCHANGE = 2
_MOUNT_POINT = (errno.EBUSY, errno.EXDEV)  # what renaming a mount point (or across one) fails with
_AT_FDCWD = -100


def vet(layout: Layout, given: Path) -> Path:
    """The output folder, resolved; a user error naming the folder and the rule it breaks.

    It may not be the project, seeds/ or templates/, lie inside the latter two, or hold
    them; it may not be a file; a symlink (or a folder under the project) may not lead
    outside the project; and an existing folder must be one dossiers built (it holds
    manifest.json) or be empty.
    """
    shown = str(given)
    root = real_path(layout.root)
    target = real_path(given)
    lexical = Path(os.path.abspath(given))
    if not target.is_relative_to(root) and (
        given.is_symlink() or lexical.is_relative_to(Path(os.path.abspath(layout.root)))
    ):
        raise UserError(
            f"output folder {shown} leads outside the project (to {target}): a link may not take outputs "
            "elsewhere; remove it or give --out a real folder"
        )
    for name, folder in (
        ("the project folder", root),
        ("seeds/", real_path(layout.seeds)),
        ("templates/", real_path(layout.templates)),
    ):
        if target == folder or folder.is_relative_to(target):
            raise UserError(
                f"output folder {shown} is or holds {name}: building there would overwrite inputs; use "
                "build/ or another folder"
            )
        if name != "the project folder" and target.is_relative_to(folder):
            raise UserError(
                f"output folder {shown} lies inside {name}: outputs there would be read as inputs; use "
                "build/ or another folder"
            )
    if target.exists() and not target.is_dir():
        raise UserError(f"output folder {shown} is a file, not a folder: remove it or give another --out")
    # a set built, or one half moved into a mount point
    built = (target / MANIFEST).is_file() or _is_folder(target / NEXT)
    if target.is_dir() and not built and any(target.iterdir()):
        raise UserError(
            f"output folder {shown} holds files that dossiers did not build (it has no {MANIFEST}): give "
            "an empty or new folder"
        )
    return target


def tracked_by_git(root: Path, out: Path) -> bool:
    """Whether git tracks files in the output folder: then someone may have committed outputs to be kept."""
    return tracked(root, out)


@contextmanager
def locked(out: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder's lock (on its parent folder) for the whole build; say so when waiting for another."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise os_error(error, "create the output folder's parent") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"Waiting for another build of {out} to finish...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def clear_leftovers(out: Path) -> None:
    """Remove what a killed build left beside (or inside) the output folder; put back a set it had set aside,
    or finish moving a complete set into a mount point."""
    staging, retired = (out.parent / pattern.format(out.name) for pattern in (STAGING, RETIRED))
    # never a link or a committed stranger
    if _is_folder(retired) and not _exists(out) and _is_file(retired / MANIFEST):
        os.rename(retired, out)
    for leftover in (staging, retired):
        _remove(leftover)
    if _is_folder(out / NEXT):
        _move_in(out)
    for name in INNER:
        _remove(out / name)


def replace(out: Path, files: dict[str, bytes], carried: set[str], keep_others: bool) -> None:
    """Make `out` hold exactly `files` (name → bytes), the files named in `carried` as they are, and,
    if `keep_others`, every other regular file that is not an output or a temporary file.

    Everything is written into a staging folder first, then swapped in at once; into a
    mount point, entry by entry. An OSError removes the staging folder; a kill leaves it
    for the next build to remove.
    """
    if not os.path.ismount(out):
        staging = out.parent / STAGING.format(out.name)
        try:
            _assemble(staging, out, files, carried, keep_others)
            swapped = _swap(staging, out)
        except OSError:
            _remove(staging)
            raise
        _remove(staging)  # the previous set, or a set that could not be swapped in
        if swapped:
            sync_folder(out.parent)
            return
    staging = out / INNER_STAGING
    try:
        _assemble(staging, out, files, carried, keep_others)
    except OSError:
        _remove(staging)
        raise
    os.rename(staging, out / NEXT)
    _move_in(out)


def _assemble(staging: Path, out: Path, files: dict[str, bytes], carried: set[str], keep_others: bool) -> None:
    """The complete next set in `staging`: the files carried over from `out` (hard links), then the new ones."""
    _remove(staging)
    staging.mkdir()
    if out.is_dir():
        for name in _carried(out, carried, keep_others, files):
            _link(out / name, staging / name)
    for name, data in files.items():
        _write(staging / name, data)
    sync_folder(staging)


def _move_in(out: Path) -> None:
    """Replace the entries of `out` by those of OUT/.dossiers-next, which holds a complete set.

    The previous entries go aside first, and the folder that holds them is renamed
    .dossiers-gone once all are there; only then do the new entries move in. Run again
    after a kill, it finishes the move. If the previous entries cannot all go aside,
    they are put back and the next set is dropped.
    """
    next_set, aside, gone = out / NEXT, out / ASIDE, out / GONE
    for folder in (aside, gone):
        if not _is_folder(folder):  # a link or a file under that name is no half-done move
            _remove(folder)
    if not _exists(gone):
        aside.mkdir(exist_ok=True)
        try:
            for entry in os.listdir(out):
                if entry not in INNER:
                    os.rename(out / entry, aside / entry)
        except OSError:
            for entry in os.listdir(aside):
                os.rename(aside / entry, out / entry)
            for leftover in (aside, next_set):
                _remove(leftover)
            raise
        sync_folder(out)
        os.rename(aside, gone)
    for entry in os.listdir(next_set):
        os.rename(next_set / entry, out / entry)
    sync_folder(out)
    next_set.rmdir()
    _remove(gone)


def _carried(out: Path, carried: set[str], keep_others: bool, files: dict[str, bytes]) -> Iterator[str]:
    if not _is_folder(out):  # a link in its place is never walked: nothing outside the folder is carried in
        return
    written_dirs = {parent.as_posix() for name in files for parent in Path(name).parents}
    for folder, folders, names in os.walk(out):
        relative = Path(folder).relative_to(out)
        if folder == str(out):
            folders[:] = [name for name in folders if name not in INNER]
        for name in names:
            path = (relative / name).as_posix()
            taken = (
                path in files
                or path in (MANIFEST, MANIFEST_SIGNATURE)
                or path in written_dirs
                or any(p.as_posix() in files for p in Path(path).parents)
            )
            if taken or not _is_file(Path(folder) / name):
                continue
            if path in carried or (keep_others and not is_output_name(path) and not name.endswith(".tmp")):
                yield path


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        with naming(target):
            shutil.copy2(source, target, follow_symlinks=False)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, data, sync=False)  # the staging folder is synced once, when it is complete


def _swap(staging: Path, out: Path) -> bool:
    """Put `staging` where `out` is, in one step if the system can; the previous set ends up at `staging`.

    False, and nothing changed, if `out` is a mount point, which cannot be renamed.
    """
    if not _exists(out):
        os.rename(staging, out)
        return True
    libc = ctypes.CDLL(None, use_errno=True)
    exchange = getattr(libc, "renameat2", None)
    if (
        exchange is not None
        and exchange(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE) == 0
    ):
        return True
    code = ctypes.get_errno() if exchange is not None else errno.ENOSYS
    if code in _MOUNT_POINT:
        return False
    if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        raise OSError(code, os.strerror(code), str(out))
    retired = out.parent / RETIRED.format(out.name)  # two steps: out is briefly absent, never mixed
    try:
        os.rename(out, retired)
    except OSError as error:
        if error.errno in _MOUNT_POINT:
            return False
        raise
    os.rename(staging, out)
    os.rename(retired, staging)
    return True


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _is_file(path: Path) -> bool:
    """A regular file, not a link to one."""
    return path.is_file() and not path.is_symlink()


def _is_folder(path: Path) -> bool:
    """A real folder, not a link to one."""
    return path.is_dir() and not path.is_symlink()


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a folder tree."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
