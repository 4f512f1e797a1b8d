"""Extracted text kept by (sha256, extractor and version), so that an unchanged PDF or HTML source is read once.

Text files are not cached: decoding them costs less than reading a cache entry.
The cache is a convenience, not evidence: a cache folder that git tracks may have been
committed to make a forged quote verify, so it is never read; nor is one reached through
a link. Failing to write it is never an error.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..git import tracked
from .extract import EXTRACTORS, Extracted
from .formats import TEXT

_SAFE = re.compile(r"[^A-Za-z0-9.+-]+")


class TextCache:
    def __init__(self, root: Path, folder: Path):
        self.root, self.folder = root, folder
        self._trusted: bool | None = None

    def _name(self, digest: str, fmt: str) -> Path:
        return self.folder / f"{digest}.{_SAFE.sub('_', EXTRACTORS[fmt])}.json"

    @property
    def trusted(self) -> bool:
        """A real folder inside the project, reached through no link, that git does not track."""
        if self._trusted is None:
            top = self.folder.parent
            inside = self.folder.absolute().is_relative_to(self.root.absolute())
            links = any(path.is_symlink() for path in (top, self.folder))
            self._trusted = inside and not links and not tracked(self.root, top.resolve() if top.exists() else top.absolute())
        return self._trusted

    def get(self, digest: str, fmt: str) -> Extracted | None:
        if fmt == TEXT or not self.trusted:
            return None
        try:
            descriptor = os.open(self._name(digest, fmt), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as file:
                entry = json.loads(file.read())
            text, pages = entry["text"], tuple(entry["pages"])
            valid = entry["extractor"] == EXTRACTORS[fmt] and isinstance(text, str) and all(isinstance(p, int) and 0 <= p <= len(text) for p in pages)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Extracted(fmt, text, pages) if valid and list(pages) == sorted(pages) else None

    def put(self, digest: str, extracted: Extracted) -> None:
        if extracted.format == TEXT or not self.trusted:
            return
        target = self._name(digest, extracted.format)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        entry = {"extractor": extracted.extractor, "text": extracted.text, "pages": list(extracted.pages)}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.folder.is_symlink() or self.folder.parent.is_symlink():
                return
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(entry, file, ensure_ascii=False)
            os.replace(temporary, target)
        except OSError:
            temporary.unlink(missing_ok=True)
