"""Source documents read from seeds/: confined to it, decoded, ready for quotes to anchor in."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..registry.layout import SEEDS_DIR
from ..registry.model import Source
from .quotes import SourceText

MAX_SOURCE_BYTES = 32 * 2**20  # a source larger than this is refused: its text would take gigabytes to check


class Unreadable(Exception):
    """A source file that cannot be read as a source; `field` is the key of the entry to blame."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def source_path(seeds: Path, source: Source) -> Path:
    """The source's file, which must resolve (symlinks followed) to a file inside seeds/."""
    relative = PurePosixPath(source.file)
    seeds = seeds.resolve()
    path = (seeds / relative).resolve()
    if relative.is_absolute() or ".." in relative.parts or "\\" in source.file or not path.is_relative_to(seeds):
        raise Unreadable("file", "source-outside-seeds", f"'{source.file}' is not inside {SEEDS_DIR}/: give a path relative to {SEEDS_DIR}/, with no '..'")
    if not path.is_file():
        raise Unreadable("file", "source-missing", f"{SEEDS_DIR}/{source.file} does not exist: add the document or fix the file name")
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise Unreadable(
            "file", "source-too-large", f"{SEEDS_DIR}/{source.file} is larger than {MAX_SOURCE_BYTES // 2**20} MiB: cite the part of the document that matters as a source of its own"
        )
    return path


def decode(source: Source, raw: bytes) -> SourceText:
    try:
        return SourceText(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise Unreadable("file", "source-not-utf8", f"{SEEDS_DIR}/{source.file} is not UTF-8 (byte {error.start}): store the text as UTF-8") from None


def read_source(seeds: Path, source: Source) -> SourceText:
    """The decoded text of one source; raises Unreadable."""
    return decode(source, source_path(seeds, source).read_bytes())
