"""A source as the check reads it: its bytes, their sha256, and its text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..registry.layout import SEEDS_DIR, Layout
from ..registry.model import Source
from .cache import TextCache
from .extract import Extracted, extract
from .files import Unreadable, source_path
from .formats import FTM, sniff
from .ftm import EntityList, read_list

MAX_SOURCES_TEXT = 128 * 2**20  # characters of text all of a project's sources may hold together: what bounds a check's time and memory


@dataclass(frozen=True)
class SourceDocument:
    raw: bytes
    sha256: str
    extracted: Extracted  # a list's is empty: it has no prose
    listed: EntityList | None = None  # a list's entities (format 'ftm')


class SourceReader:
    """Reads the project's sources, with one text cache for all of them, and counts the text they hold together."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.cache = TextCache(layout.root)
        self.text_read = 0

    def read(self, source: Source) -> SourceDocument:
        """The source's bytes and text; raises Unreadable, also when it takes the sources read so far past MAX_SOURCES_TEXT."""
        name = f"{SEEDS_DIR}/{source.file}"
        document = self.document(source_path(self.layout.seeds, source).read_bytes(), name)
        self.text_read += document.listed.size if document.listed else len(document.extracted.text)
        if self.text_read > MAX_SOURCES_TEXT:
            raise Unreadable(
                "file", "sources-too-large",
                f"{name} takes the text of the sources, this one and those listed before it, past {MAX_SOURCES_TEXT // 2**20} Mi characters, "
                "more than a check can read in a minute: cite the parts of the long documents that matter as sources of their own",
            )
        return document

    def prose(self, source: Source) -> Extracted:
        """The source's text, for the commands that read text (cite, text); a list has none: Unreadable (source-is-a-list)."""
        document = self.read(source)
        if document.listed is not None:
            raise Unreadable(
                "file", "source-is-a-list",
                f"'{source.id}' is a list ({len(document.listed.entities):,} FollowTheMoney entities), which has no text to quote or show: "
                "its records are cited by naming its entity in an actor's sameAs",
            )
        return document.extracted

    def document(self, raw: bytes, name: str) -> SourceDocument:
        digest = hashlib.sha256(raw).hexdigest()
        fmt = sniff(raw, name)
        if fmt == FTM:
            return SourceDocument(raw, digest, Extracted(FTM, ""), read_list(raw, name))
        extracted = self.cache.get(digest, fmt)
        if extracted is None:
            extracted = extract(raw, fmt, name)
            self.cache.put(digest, extracted)
        return SourceDocument(raw, digest, extracted)
