"""`dossiers cite`: a passage of one source as citation blocks, whatever state the rest of the registry is in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError, fail
from ..registry.layout import SOURCES_FILE, Layout
from ..sources.files import Unreadable
from ..sources.read import SourceReader
from ..verify.quotes import QuoteError, SourceText, Suggestion, normalise, suggest_citations
from .text import find_source


@dataclass
class Cited:
    source: str  # the source's id
    suggestions: list[Suggestion]  # the first passages found of each kind (CITATIONS_SUGGESTED)
    exact: list[bool]  # per suggestion: found word for word
    count: str  # how many passages hold the words word for word: '3', or 'at least 100'
    inside: int  # how many more hold them only inside longer words


def cite(root: Path, source: str, words: str) -> Cited:
    """Citations for `words` in the source with this id or file name; needs only seeds/sources.yaml and that file."""
    entry = find_source(root, source)
    wanted = normalise(words).text
    if not wanted:
        raise UserError("give some words of the passage to look for")
    try:
        text = SourceText.of(SourceReader(Layout(root)).prose(entry))
    except Unreadable as problem:
        raise fail(SOURCES_FILE, problem.code, problem.message) from None
    try:
        suggestions, count, inside = suggest_citations(text, words)
    except QuoteError as miss:
        raise UserError(miss.message) from None
    exact = [normalise(s.quote).text == wanted for s in suggestions]
    return Cited(entry.id, suggestions, exact, count, inside)
