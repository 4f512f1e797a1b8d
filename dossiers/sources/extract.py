"""Text extraction, one function per format, deterministic, named with its version.

Offsets of quotes are code points into the extracted text; for a PDF, `pages` says
where each page begins in it.
"""

from __future__ import annotations

import multiprocessing
import resource
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from importlib import metadata

from .files import Unreadable
from .formats import HTML, PDF, TEXT

SHAPING = 1  # the version of what dossiers does to an extractor's output; raise it when that changes
PDF_SECONDS = 60  # a PDF whose text takes longer to extract is refused: a hostile file may never finish
PDF_MEMORY = 2 * 2**30  # address space a PDF's extraction may use


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


EXTRACTORS = {
    HTML: f"trafilatura {_version('trafilatura')}+{SHAPING}",
    PDF: f"pypdfium2 {_version('pypdfium2')}+{SHAPING}",
    TEXT: f"utf-8+{SHAPING}",
}


@dataclass(frozen=True)
class Extracted:
    """A source's text as quotes match it."""

    format: str
    text: str
    pages: tuple[int, ...] = ()  # offset where each page begins, for a PDF

    @property
    def extractor(self) -> str:
        return EXTRACTORS[self.format]


def page_at(pages: tuple[int, ...], position: int) -> int | None:
    """The page (from 1) that the text offset `position` falls on, given where each page begins; None when not paged."""
    return bisect_right(pages, position) if pages else None


def extract(raw: bytes, fmt: str, name: str) -> Extracted:
    """The text of a document in format `fmt`; raises Unreadable naming `name`."""
    if fmt == HTML:
        return Extracted(HTML, _html(raw, name))
    if fmt == PDF:
        return _pdf(raw, name)
    try:
        return Extracted(TEXT, raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise Unreadable("file", "source-not-utf8", f"{name} is not UTF-8 (byte {error.start}): store the text as UTF-8") from None


def _html(raw: bytes, name: str) -> str:
    """The article's main text, one paragraph per block, blank lines between (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(
        raw, output_format="txt", include_comments=False, include_tables=True, include_images=False,
        include_links=False, include_formatting=False, deduplicate=False, with_metadata=False,
    )
    blocks = [" ".join(line.split()) for line in (text or "").splitlines()]
    blocks = [block for block in blocks if block]
    if not blocks:
        raise Unreadable(
            "file", "source-no-main-text",
            f"{name} is an HTML page with no main text that dossiers can find: save the article's own page (not an index or a login page), "
            "or store the passage as a text source",
        )
    return "\n\n".join(blocks) + "\n"


def _pdf(raw: bytes, name: str) -> Extracted:
    """Each page's text in PDFium's reading order, ligatures folded, pages apart by a blank line."""
    outcome = in_child(_pdf_pages, raw, PDF_SECONDS)
    if outcome is None:
        raise Unreadable("file", "source-pdf-timeout", f"{name}: reading its text took longer than {PDF_SECONDS} s, so it was stopped: re-save the PDF (print it to PDF) and add that file")
    kind, value = outcome
    if kind == "encrypted":
        raise Unreadable("file", "source-pdf-encrypted", f"{name} is encrypted with a password: save a copy without the password (qpdf --decrypt) and add that file")
    if kind == "malformed":
        raise Unreadable("file", "source-pdf-malformed", f"{name} is not a readable PDF ({value}): fetch the document again, or re-save it with a PDF viewer")
    pages = value
    if not any(page.strip() for page in pages):
        raise Unreadable(
            "file", "source-no-text",
            f"{name} has no text layer on any of its {len(pages)} pages (a scan?): run OCR on it (ocrmypdf {name} ocr.pdf), "
            "add the OCR'd file as a source of its own, and name the original in its notes",
        )
    starts, parts, offset = [], [], 0
    for page in pages:
        starts.append(offset)
        parts.append(page)
        offset += len(page) + 2
    return Extracted(PDF, "\n\n".join(parts), tuple(starts))


def _pdf_pages(raw: bytes) -> tuple[str, object]:
    """('pages', [text, ...]), or ('encrypted' | 'malformed', why); runs in a child process."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        said = str(error)
        return ("encrypted", said) if "password" in said.lower() else ("malformed", said.removeprefix("Failed to load document ").strip("()"))
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFKC", text) if any("\ufb00" <= c <= "\ufb06" for c in text) else text
        pages.append("\n".join(line.rstrip() for line in text.replace("\x00", "").split("\n")).strip("\n"))
    return "pages", pages


def in_child(function, raw: bytes, seconds: float):
    """function(raw) in a forked child with a time and memory limit; None if it ran out of time or died."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, raw, sending), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            return None
        return receiving.recv()
    except (EOFError, OSError):
        return ("malformed", "the reader stopped on it")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()


def _child(function, raw: bytes, sending) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
    except (ValueError, OSError):
        pass
    try:
        sending.send(function(raw))
    except MemoryError:
        sending.send(("malformed", f"reading it needed more than {PDF_MEMORY // 2**30} GiB"))
