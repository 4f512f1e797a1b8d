"""A briefing pack too large for one WeasyPrint document: its pieces joined into one PDF.

WeasyPrint keeps a whole document's layout in memory (about 3.5 MB a page), so a pack of
a few thousand pages would need gigabytes. A large pack is therefore cut into pieces
(front matter, slices of the timeline, slices of the chapters, back matter), each
rendered on its own in bounded memory, and joined with pypdf. What crosses pieces is put
back afterwards: page numbers (stamped from a document of footers only), the contents'
page numbers (the front matter is rendered again once every piece's length is known),
links between pieces, and one outline.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from itertools import accumulate

PX = 0.75  # CSS pixels to PDF points


@dataclass
class Piece:
    """One rendered piece: its PDF and what joining it to the others needs, in points from the top left."""

    pdf: bytes
    pages: int
    height: float  # page height
    anchors: dict[str, tuple[int, float, float]]  # name → (page, x, y), first occurrence
    links: list[tuple[int, tuple[float, float, float, float], str]]  # (page, (x, y, w, h), anchor) to other pieces
    bookmarks: list[tuple[int, str, int, float]]  # (level, label, page, y)


def piece_from_document(document) -> Piece:
    """Read a rendered WeasyPrint document into a Piece (the PDF is written untagged)."""
    anchors: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(document.pages):
        for name, (x, y, *_) in page.anchors.items():
            anchors.setdefault(name, (index, x * PX, y * PX))
    links, bookmarks = [], []
    for index, page in enumerate(document.pages):
        links += [
            (index, tuple(v * PX for v in rect), target)
            for kind, target, rect, _ in page.links
            if kind == "internal" and target not in anchors
        ]
        bookmarks += [(level, label, index, target[1] * PX) for level, label, target, _ in page.bookmarks]
    height = document.pages[0].height * PX if document.pages else 0.0
    return Piece(document.write_pdf(pdf_identifier=b"dossiers"), len(document.pages), height, anchors, links, bookmarks)


def _first_pages(pieces: list[Piece]) -> list[int]:
    """The index in the joined document of each piece's first page."""
    return list(accumulate((piece.pages for piece in pieces[:-1]), initial=0))


def _joined_anchors(pieces: list[Piece]) -> dict[str, tuple[int, float, float]]:
    """Each anchor of the joined document: (page index, x, y from the bottom), first occurrence."""
    anchors: dict[str, tuple[int, float, float]] = {}
    for piece, first in zip(pieces, _first_pages(pieces)):
        for name, (page, x, y) in piece.anchors.items():
            anchors.setdefault(name, (first + page, x, piece.height - y))
    return anchors


def page_numbers(pieces: list[Piece]) -> dict[str, int]:
    """The page number (from 1) on which each anchor of the joined document falls."""
    return {name: page + 1 for name, (page, _, _) in _joined_anchors(pieces).items()}


def join_pieces(pieces: list[Piece], footers: bytes, metadata: dict[str, str]) -> bytes:
    """One PDF of the pieces in order, with the pages of `footers` stamped on, links and outline restored."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(BytesIO(piece.pdf)), import_outline=False)
    for page, stamp in zip(writer.pages, PdfReader(BytesIO(footers)).pages):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    anchors = _joined_anchors(pieces)
    parents: list[tuple[int, object]] = [(0, None)]
    for piece, offset in zip(pieces, _first_pages(pieces)):
        for page, (x, y, w, h), target in piece.links:
            if target in anchors:
                to_page, to_x, to_y = anchors[target]
                rect = (x, piece.height - y - h, x + w, piece.height - y)
                writer.add_annotation(offset + page, Link(rect=rect, target_page_index=to_page, fit=Fit.xyz(to_x, to_y)))
        for level, label, page, y in piece.bookmarks:
            while parents[-1][0] >= level:
                parents.pop()
            item = writer.add_outline_item(title=label, page_number=offset + page, parent=parents[-1][1], fit=Fit.xyz(0, piece.height - y))
            parents.append((level, item))
    writer.add_metadata(metadata)
    writer.page_mode = "/UseOutlines"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
