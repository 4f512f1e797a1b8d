"""A source as the check reads it: its bytes, their sha256, and its text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..registry.layout import SEEDS_DIR, Layout
from ..registry.model import Source
from .cache import TextCache
from .extract import Extracted, extract
from .files import source_path
from .formats import sniff


@dataclass(frozen=True)
class SourceDocument:
    raw: bytes
    sha256: str
    extracted: Extracted


class SourceReader:
    """Reads the project's sources, with one text cache for all of them."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.cache = TextCache(layout.root)

    def read(self, source: Source) -> SourceDocument:
        """The source's bytes and text; raises Unreadable."""
        raw = source_path(self.layout.seeds, source).read_bytes()
        return self.document(raw, f"{SEEDS_DIR}/{source.file}")

    def document(self, raw: bytes, name: str) -> SourceDocument:
        digest = hashlib.sha256(raw).hexdigest()
        fmt = sniff(raw, name)
        extracted = self.cache.get(digest, fmt)
        if extracted is None:
            extracted = extract(raw, fmt, name)
            self.cache.put(digest, extracted)
        return SourceDocument(raw, digest, extracted)
