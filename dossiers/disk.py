"""Files written so that a crash leaves the old file or the new one, never part of one: the one home of atomic writes.

`write_new` makes a file that did not exist; `write_replacing` puts a file in place of
another in one rename. Each returns only when the bytes, and the name in its folder, are on
disk (fsync of the file, then of the folder). An OSError names the file it was about.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """An OSError raised inside names `path` if it names no file (a write or fsync on a full disk does not)."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def sync_folder(folder: Path) -> None:
    """The names in `folder` on disk."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with naming(folder):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_new(path: Path, data: bytes, mode: int | None = None, sync: bool = True) -> None:
    """A new file at `path` (never over a file or a link there), with `mode` or as the umask has it, on disk.

    `sync=False` leaves the folder to the caller, who writes many files into it and syncs it once.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    _fill(descriptor, path, data, mode)
    if sync:
        sync_folder(path.parent)


def write_replacing(path: Path, data: bytes, mode: int | None = None, temporary: Path | None = None) -> None:
    """`data` at `path`, in place of what was there, in one rename: written and synced under `temporary` (else a new
    hidden name beside it, .NAME.XXXXXXXX.partial, mode 0600 unless `mode`), renamed over `path`, the folder synced.
    The temporary file is gone after an error."""
    try:
        if temporary is None:
            descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
            temporary = Path(name)
            _fill(descriptor, temporary, data, mode)
        else:
            write_new(temporary, data, mode, sync=False)
        with naming(path):
            os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def _fill(descriptor: int, path: Path, data: bytes, mode: int | None) -> None:
    """Write `data` to the new file open as `descriptor`, set its mode, sync it and close it."""
    with naming(path), os.fdopen(descriptor, "wb") as out:
        if mode is not None:
            os.fchmod(out.fileno(), mode)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
