"""`dossiers text SOURCE`: a source's text exactly as quotes must match it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BadRequest, fail
from ..registry.layout import SOURCES_FILE, Layout
from ..registry.load import load_sources
from ..registry.model import Source
from ..sources.extract import Extracted, running_lines
from ..sources.files import Unreadable
from ..sources.read import SourceReader


@dataclass
class SourceTextReport:
    source: Source
    extracted: Extracted

    @property
    def running(self) -> list[tuple[int, int]]:
        """[start, end) of each line of a PDF's running headers and footers, which coverage leaves out."""
        return running_lines(self.extracted.text, self.extracted.pages)


def find_source(root: Path, wanted: str) -> Source:
    """The source with this id or file name under seeds/."""
    sources = load_sources(root).sources
    known = {s.id: s for s in sources} | {s.file: s for s in sources}
    if wanted not in known:
        raise BadRequest(f"no source has the id or file '{wanted}'", sorted(s.id for s in sources))
    return known[wanted]


def source_text(root: Path, wanted: str) -> SourceTextReport:
    source = find_source(root, wanted)
    try:
        return SourceTextReport(source, SourceReader(Layout(root)).prose(source))
    except Unreadable as problem:
        raise fail(SOURCES_FILE, problem.code, problem.message) from None
