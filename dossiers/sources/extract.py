"""Text extraction, one function per format, deterministic, named with its version.

Offsets of quotes are code points into the extracted text; for a PDF, `pages` says
where each page begins in it.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from importlib import metadata

from .child import in_child
from .files import MAX_SOURCE_BYTES, Unreadable
from .formats import FTM, HTML, PDF, TEXT

SHAPING = 1  # the version of what dossiers does to an extractor's output; raise it when that changes
MAX_TEXT_CHARS = MAX_SOURCE_BYTES  # an HTML page or PDF whose text is longer is refused, as a text source that large is


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


EXTRACTORS = {
    HTML: f"trafilatura {_version('trafilatura')}+{SHAPING}",
    PDF: f"pypdfium2 {_version('pypdfium2')}+{SHAPING}",
    TEXT: f"utf-8+{SHAPING}",
    FTM: "followthemoney-json",  # a list: its entities are read, no text is extracted
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
    """The text of a document in format `fmt`; raises Unreadable naming `name`.

    HTML and PDF are read in a child process limited in time and memory (`in_child`).
    """
    if fmt == FTM:  # a list has no prose: its entities are read by sources.ftm
        return Extracted(FTM, "")
    if fmt == TEXT:
        try:
            return Extracted(TEXT, raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise Unreadable("file", "source-not-utf8", f"{name} is not UTF-8 (byte {error.start}): store the text as UTF-8") from None
    if fmt == HTML:
        import trafilatura  # noqa: F401 -- imported here once, not again in every child

        kind, value = in_child(_html_text, raw)
    else:
        import pypdfium2  # noqa: F401

        kind, value = in_child(_pdf_pages, raw)
    what = "an HTML page" if fmt == HTML else "a PDF"
    if kind == "timeout":
        raise Unreadable("file", f"source-{fmt}-timeout", f"{name}: reading its text took longer than {value} s, so it was stopped: {_RESAVE[fmt]}")
    if kind in ("memory", "failed"):
        why = f"reading it needed more than {value} GiB" if kind == "memory" else value
        raise Unreadable("file", f"source-{fmt}-malformed", f"{name} is not {what} that can be read ({why}): {_RESAVE[fmt]}")
    if kind == "too-long":
        raise Unreadable(
            "file", "source-text-too-large",
            f"{name} is {what} whose text is longer than {MAX_TEXT_CHARS:,} characters: cite the part of the document that matters as a source of its own",
        )
    if kind == "encrypted":
        raise Unreadable("file", "source-pdf-encrypted", f"{name} is encrypted with a password: save a copy without the password (qpdf --decrypt) and add that file")
    if kind == "no-main-text":
        raise Unreadable(
            "file", "source-no-main-text",
            f"{name} is an HTML page with no main text that dossiers can find: save the article's own page (not an index or a login page), "
            "or store the passage as a text source",
        )
    if fmt == HTML:
        return Extracted(HTML, value)
    return _paged(value, name)


_RESAVE = {
    HTML: "save the article again from the browser, or store the passage as a text source",
    PDF: "re-save the PDF (print it to PDF) and add that file",
}


def _html_text(raw: bytes) -> tuple[str, object]:
    """('text', the article's main text, one paragraph per block, blank lines between), or why not; runs in a child process."""
    import trafilatura

    text = trafilatura.extract(
        raw, output_format="txt", include_comments=False, include_tables=True, include_images=False,
        include_links=False, include_formatting=False, deduplicate=False, with_metadata=False,
    )
    blocks = [" ".join(line.split()) for line in (text or "").splitlines()]
    blocks = [block for block in blocks if block]
    if not blocks:
        return "no-main-text", None
    text = "\n\n".join(blocks) + "\n"
    return ("too-long", None) if len(text) > MAX_TEXT_CHARS else ("text", text)


def _paged(pages: list[str], name: str) -> Extracted:
    """A PDF's pages, apart by a blank line, as one text; a PDF with no text on any page is Unreadable."""
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
    """('pages', [text, ...]), or ('encrypted' | 'failed', why) or ('too-long', None); runs in a child process.

    Each page's text is in PDFium's reading order, ligatures folded.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        said = str(error)[:200]
        return ("encrypted", said) if "password" in said.lower() else ("failed", said.removeprefix("Failed to load document ").strip("()"))
    pages, length = [], 0
    for page in document:
        text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFKC", text) if any("\ufb00" <= c <= "\ufb06" for c in text) else text
        pages.append("\n".join(line.rstrip() for line in text.replace("\x00", "").split("\n")).strip("\n"))
        length += len(pages[-1]) + 2
        if length > MAX_TEXT_CHARS:
            return "too-long", None
    return "pages", pages
