"""A source as the check reads it: its bytes, their sha256, and its text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..registry.layout import SEEDS_DIR, Layout
from ..registry.model import Source
from .archive import Capture, capture
from .cache import TextCache
from .extract import Extracted, extract
from .files import Unreadable, source_path
from .formats import ARCHIVES, FTM, sniff
from .ftm import EntityList, read_list

# characters of text all of a project's sources may hold together: what bounds a check's time and memory
MAX_SOURCES_TEXT = 128 * 2**20
# A list's character counts as three of prose: its entities, held as dicts and tuples for the whole check, take about
# 23 bytes a character of its JSON (four lists of 31 MB: 2.9 GB and 53 s), a prose character about 10.
LIST_WEIGHT = 3


@dataclass(frozen=True)
class SourceDocument:
    raw: bytes
    sha256: str
    extracted: Extracted  # a list's is empty: it has no prose
    capture: Capture | None = None  # the page read, when the file is a web archive
    listed: EntityList | None = None  # a list's entities (format 'ftm')


class SourceReader:
    """Reads the project's sources, with one text cache for all of them, and counts the text they hold together."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.cache = TextCache(layout.root)
        self.text_read = 0

    def read(self, source: Source) -> SourceDocument:
        """The source's bytes and text; raises Unreadable, also when it takes the sources read so far past
        MAX_SOURCES_TEXT."""
        name = f"{SEEDS_DIR}/{source.file}"
        document = self.document(source_path(self.layout.seeds, source).read_bytes(), name, source.url)
        self.text_read += LIST_WEIGHT * document.listed.size if document.listed else len(document.extracted.text)
        if self.text_read > MAX_SOURCES_TEXT:
            raise Unreadable(
                "file",
                "sources-too-large",
                f"{name} takes the text of the sources, this one and those listed before it, past "
                f"{MAX_SOURCES_TEXT // 2**20} Mi characters, "
                "more than a check can read in a minute: cite the parts of the long documents that matter as sources "
                "of their own",
            )
        return document

    def prose(self, source: Source) -> Extracted:
        """The source's text, for the commands that read text (cite, text); a list has none: Unreadable
        (source-is-a-list)."""
        document = self.read(source)
        if document.listed is not None:
            raise Unreadable(
                "file",
                "source-is-a-list",
                f"'{source.id}' is a list ({len(document.listed.entities):,} FollowTheMoney entities), which has no "
                "text to quote or show: "
                "its records are cited by naming its entity in an actor's sameAs",
            )
        return document.extracted

    def document(self, raw: bytes, name: str, url: str | None = None) -> SourceDocument:
        """The document's bytes, sha256 and text; of a web archive, the text of its page at `url` (or of its only
        page)."""
        return read_document(raw, name, url, self.cache)


def read_document(raw: bytes, name: str, url: str | None = None, cache: TextCache | None = None) -> SourceDocument:
    """A document's bytes, sha256 and text (through `cache` if given); of a web archive, of its page at `url` or its
    only page."""
    digest = hashlib.sha256(raw).hexdigest()
    fmt = sniff(raw, name)
    if fmt == FTM:
        return SourceDocument(raw, digest, Extracted(FTM, ""), listed=read_list(raw, name))
    if fmt not in ARCHIVES:
        return SourceDocument(raw, digest, _text(raw, digest, fmt, name, cache))
    page = capture(raw, fmt, name, url)
    page_name = f"{name}, its page {page.url}"
    page_format = sniff(page.body, page_name)
    if page_format == FTM:
        raise Unreadable(
            "file",
            "source-archive-nested",
            f"{page_name} is a FollowTheMoney list, which has no text to "
            "quote: add the list file itself, not an archive of it",
        )
    if page_format in ARCHIVES:
        raise Unreadable(
            "file",
            "source-archive-nested",
            f"{page_name} is itself a web archive: add the page, not an archive of an archive",
        )
    return SourceDocument(
        raw, digest, _text(page.body, hashlib.sha256(page.body).hexdigest(), page_format, page_name, cache), page
    )


def _text(raw: bytes, digest: str, fmt: str, name: str, cache: TextCache | None) -> Extracted:
    """The text of a document that is not an archive, from the cache (by the sha256 of its own bytes) or extracted."""
    extracted = cache.get(digest, fmt) if cache else None
    if extracted is None:
        extracted = extract(raw, fmt, name)
        if cache:
            cache.put(digest, extracted)
    return extracted
