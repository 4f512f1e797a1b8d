"""A source's file under seeds/: confined to it and bounded in size."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..registry.layout import SEEDS_DIR
from ..registry.model import Source

MAX_SOURCE_BYTES = 32 * 2**20  # a source larger than this is refused: its text would take gigabytes to check


class Unreadable(Exception):
    """A source file that cannot be read as a source; `field` is the key of the entry to blame."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def source_path(seeds: Path, source: Source) -> Path:
    """The source's file, which must resolve (symlinks followed) to a file inside seeds/ no larger than the limit."""
    name = source.file
    relative = PurePosixPath(name)
    seeds = seeds.resolve()
    path = (seeds / relative).resolve()
    if relative.is_absolute() or ".." in relative.parts or "\\" in name or not path.is_relative_to(seeds):
        raise Unreadable(
            "file",
            "source-outside-seeds",
            f"'{name}' is not inside {SEEDS_DIR}/: give a path relative to {SEEDS_DIR}/, with no '..'",
        )
    if not path.is_file():
        raise Unreadable(
            "file", "source-missing", f"{SEEDS_DIR}/{name} does not exist: add the document or fix the file name"
        )
    too_large(path.stat().st_size, f"{SEEDS_DIR}/{name}")
    return path


def too_large(size: int, name: str) -> None:
    if size > MAX_SOURCE_BYTES:
        raise Unreadable(
            "file",
            "source-too-large",
            f"{name} is larger than {MAX_SOURCE_BYTES // 2**20} MiB: cite the part of the "
            "document that matters as a source of its own",
        )
