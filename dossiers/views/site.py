"""The views of the static site's own pages: its index, and a page per source with every cited passage marked.

A dossier's page is the dossier view itself; these pages let a reader go from a note
to its passage in the full text, and from the passage back to each claim that cites it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import dates
from ..registry.layout import SITE_INDEX, dossier_name, href, source_page_name
from . import wording
from .dossier import Dossier
from .join import Joined, SourceView


@dataclass(frozen=True)
class Citing:
    """A claim that cites a passage, and where its note is: (actor id, actor name, link to the note) per dossier showing
    it."""

    fact_id: str
    text: str
    notes: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Highlight:
    number: int
    place: str
    citing: tuple[Citing, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph: plain text, or part of passage `passage` (`first` where the passage begins)."""

    text: str
    passage: int = 0
    first: bool = False


@dataclass(frozen=True)
class SourcePage:
    source: SourceView
    format: str
    paragraphs: tuple[tuple[Segment, ...], ...]
    highlights: tuple[Highlight, ...]
    built: str
    draft: str = ""  # on every page of a draft's site: that it is one, and how many claims have open support warnings
    index_href: str = ""  # the link to the site's index


@dataclass(frozen=True)
class SiteIndex:
    title: str  # the project's title, as the pack's cover gives it
    people: tuple[tuple[str, str, str, str], ...]  # (actor id, name, status line: 'Sanctions reported: EU, US', link)
    sources: tuple[tuple[SourceView, int, str, str], ...]  # (source, passages cited, link, '3 passages cited')
    built: str
    built_label: str
    draft: str = ""


def source_pages(joined: Joined, dossiers: list[Dossier]) -> list[SourcePage]:
    """A page per source: its whole text in paragraphs, each cited passage marked and numbered, and who cites it."""
    checked = joined.checked
    with_dossier = {view.actor.id for view in dossiers}
    regions: dict[str, dict[int, list[int]]] = {}
    for (source_id, start, end), number in joined.passages.items():
        span = regions.setdefault(source_id, {}).setdefault(number, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    citing: dict[tuple[str, int], list[Citing]] = {}
    places: dict[tuple[str, int], str] = {}
    for claim in joined.claims.values():
        for note in claim.notes:
            page = source_page_name(note.source.id)
            shown = tuple(
                (a.id, a.name, href(page, dossier_name(a.id, "html"), f"{a.id}-{note.anchor}"))
                for a in claim.actors
                if a.id in with_dossier
            )
            citing.setdefault((note.source.id, note.passage), []).append(Citing(claim.fact.id, claim.fact.text, shown))
            places.setdefault((note.source.id, note.passage), note.place)
    pages = []
    for source_id, source in joined.sources.items():
        if source_id not in checked.texts:
            continue
        text = checked.texts[source_id].text
        marked = sorted((start, end, number) for number, (start, end) in regions.get(source_id, {}).items())
        shown = tuple(_segments(text, begin, finish, marked) for begin, finish in checked.paragraphs(source_id))
        highlights = tuple(Highlight(n, places[(source_id, n)], tuple(citing[(source_id, n)])) for _, _, n in marked)
        index = href(source_page_name(source_id), SITE_INDEX)
        pages.append(
            SourcePage(
                source, checked.formats.get(source_id, "text"), shown, highlights, joined.built, _draft(joined), index
            )
        )
    return pages


def _segments(text: str, begin: int, finish: int, marked: list[tuple[int, int, int]]) -> tuple[Segment, ...]:
    """The paragraph [begin, finish) cut where passages begin and end, white space folded."""
    out, position = [], begin
    for start, end, number in marked:
        if end <= begin or start >= finish:
            continue
        cut_start, cut_end = max(start, begin), min(end, finish)
        if cut_start > position:
            out.append(Segment(text[position:cut_start]))
        out.append(Segment(text[cut_start:cut_end], number, first=start >= begin))
        position = cut_end
    if position < finish:
        out.append(Segment(text[position:finish]))
    return tuple(Segment(_fold(s.text), s.passage, s.first) for s in out)


def _fold(text: str) -> str:
    """White space folded to single spaces, a space at either end kept."""
    if not text.strip():
        return " "
    return (" " if text[0].isspace() else "") + " ".join(text.split()) + (" " if text[-1].isspace() else "")


def site(joined: Joined, dossiers: list[Dossier], title: str) -> list[SiteIndex | SourcePage]:
    """The site's own pages besides the dossiers: its index (headed by `title`), then a page per source."""
    pages = source_pages(joined, dossiers)
    people = tuple(
        (view.actor.id, view.actor.name, view.status_line, href(SITE_INDEX, dossier_name(view.actor.id, "html")))
        for view in dossiers
    )
    sources = tuple(
        (
            page.source,
            len(page.highlights),
            href(SITE_INDEX, source_page_name(page.source.id)),
            f"{wording.counted(len(page.highlights), 'passage')} cited",
        )
        for page in pages
    )
    return [SiteIndex(title, people, sources, joined.built, dates.label(joined.built), _draft(joined)), *pages]


def _draft(joined: Joined) -> str:
    return wording.draft_banner(sum(bool(c.unsupported) for c in joined.claims.values())) if joined.draft else ""
