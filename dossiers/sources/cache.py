"""Extracted text kept in the user's cache folder, so that an unchanged PDF or HTML source is read once.

The cache is a convenience, not evidence, so it lives where a pull request cannot put a
file: $DOSSIERS_CACHE_DIR, else $XDG_CACHE_HOME/dossiers, else ~/.cache/dossiers. A folder
inside the project or the git work tree that holds it, or one that another user owns or
may write to, is not used. An entry is named by the source's sha256, the extractor and
its version, and a fingerprint of dossiers' extraction code and settings; it repeats the
first two and carries the sha256 of its own text, and one that does not match is
extracted again. Text files are not cached: decoding them costs less than reading an
entry. Failing to read or write the cache is never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from functools import cached_property
from pathlib import Path

from ..disk import write_replacing
from . import extract as extraction
from .extract import EXTRACTORS, Extracted
from .formats import TEXT

CACHE_DIR_VARIABLE = "DOSSIERS_CACHE_DIR"
_SAFE = re.compile(r"[^A-Za-z0-9.+-]+")


def cache_folder() -> Path | None:
    """Where extracted text is kept: $DOSSIERS_CACHE_DIR, else $XDG_CACHE_HOME/dossiers, else ~/.cache/dossiers (then
    /text)."""
    given = os.environ.get(CACHE_DIR_VARIABLE)
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = (
            Path(given)
            if given
            else Path(xdg) / "dossiers"
            if xdg and Path(xdg).is_absolute()
            else Path.home() / ".cache" / "dossiers"
        )
    except RuntimeError:  # no home folder
        return None
    return base.absolute() / "text"


def _fingerprint() -> str:
    """A digest of the code that extracts and shapes text, its settings included: an entry made by other code is not
    read."""
    try:
        return hashlib.sha256(Path(extraction.__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _integrity(digest: str, extractor: str, text: str, pages: list[int], words=None, origin=None) -> str:
    return hashlib.sha256(_encoded([digest, extractor, text, pages, words, origin])).hexdigest()


def _encoded(value) -> bytes:
    """JSON as UTF-8, a lone surrogate (which a document may hold) kept as it is."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _checkout(project: Path) -> Path:
    """The git work tree that holds the project, told by its .git without running git; else the project."""
    return next((folder for folder in (project, *project.parents) if (folder / ".git").exists()), project)


class TextCache:
    """The user's cache of extracted text, for the project at `root` (which it may not lie in)."""

    def __init__(self, root: Path):
        self.root = root
        self.fingerprint = _fingerprint()

    @cached_property
    def folder(self) -> Path | None:
        """The cache folder, made if need be; None if there is none that this user alone can write, outside the
        project."""
        folder = cache_folder()
        if folder is None or not self.fingerprint:
            return None
        try:
            checkout = _checkout(self.root.resolve())
            if folder.resolve().is_relative_to(checkout):
                return None
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            real = folder.resolve(strict=True)
            info = real.stat()
        except (OSError, RuntimeError):
            return None
        own = (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.geteuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        )
        return real if own and not real.is_relative_to(checkout) else None

    def _name(self, digest: str, fmt: str) -> str:
        return f"{digest}.{_SAFE.sub('_', EXTRACTORS[fmt])}.{self.fingerprint}.json"

    def get(self, digest: str, fmt: str) -> Extracted | None:
        """The text extracted before from the bytes of sha256 `digest`, if an entry holds it whole; else None."""
        if fmt == TEXT or self.folder is None:
            return None
        try:
            descriptor = os.open(self.folder / self._name(digest, fmt), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as file:
                entry = json.loads(file.read().decode("utf-8", "surrogatepass"))
            text, pages, extractor, words, origin = (
                entry["text"],
                entry["pages"],
                entry["extractor"],
                entry["words"],
                entry["origin"],
            )
            whole = (
                entry["sha256"] == digest
                and extractor == EXTRACTORS[fmt]
                and isinstance(text, str)
                and isinstance(pages, list)
                and all(type(p) is int and 0 <= p <= len(text) for p in pages)
                and pages == sorted(pages)
                and (
                    words is None
                    or (isinstance(words, list) and len(words) == 3 and all(type(w) is int and w >= 0 for w in words))
                )
                and (origin is None or (isinstance(origin, str) and len(origin) < 100))
                and entry["integrity"] == _integrity(digest, extractor, text, pages, words, origin)
            )
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        return Extracted(fmt, text, tuple(pages), tuple(words) if words else None, origin) if whole else None

    def put(self, digest: str, extracted: Extracted) -> None:
        """Keep `extracted` for the bytes of sha256 `digest`: written whole under a temporary name, then renamed."""
        if extracted.format == TEXT or self.folder is None:
            return
        pages, words = list(extracted.pages), list(extracted.words) if extracted.words else None
        entry = {
            "sha256": digest,
            "extractor": extracted.extractor,
            "text": extracted.text,
            "pages": pages,
            "words": words,
            "origin": extracted.origin,
            "integrity": _integrity(digest, extracted.extractor, extracted.text, pages, words, extracted.origin),
        }
        try:
            write_replacing(self.folder / self._name(digest, extracted.format), _encoded(entry))
        except OSError:
            pass  # a convenience, not evidence: an entry not kept is read again next time
