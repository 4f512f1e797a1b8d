"""Text extraction, one function per format, deterministic, named with its version.

Offsets of quotes are code points into the extracted text; for a PDF, `pages` says
where each page begins in it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from importlib import metadata

from .child import in_child
from .files import MAX_SOURCE_BYTES, Unreadable
from .formats import FTM, HTML, PDF, TEXT

SHAPING = 2  # the version of what dossiers does to an extractor's output; raise it when that changes
MAX_TEXT_CHARS = MAX_SOURCE_BYTES  # an HTML page or PDF whose text is longer is refused, as a text source that large is
# Completeness of an HTML page's text (measured in benchmarks/extraction.py and docs/data.md):
# the visible body kept is a stub when it has fewer words than this share of the JSON-LD articleBody: the articleBody is
# taken
STUB = 0.5
MIN_ARTICLE_BODY = 100  # words an articleBody needs to be taken or compared: a shorter one is a summary
COMPLETE = 0.8  # the text kept is incomplete when it has fewer words than this share of the articleBody...
# ...or, with no articleBody, than this share of the words the page shows (a weak sign: docs/data.md)
VISIBLE_SHARE = 0.05
MIN_VISIBLE = 400  # words a page must show for the second comparison: a short page is mostly menus
_CREDIT = re.compile(
    r"(originally (appeared|published|ran)|first (appeared|published)|(re)?published (here )?(with|by) (kind "
    r")?permission|"
    r"republished (from|under|with)|reprinted (from|with)|appears courtesy of|is republished|this (article|story|post) "
    r"(is|was) (produced|published) (by|in partnership))",
    re.IGNORECASE,
)
MAX_CREDIT_WORDS = 40  # a credit line is a sentence, not a paragraph


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
    # of an HTML page: the words of the text kept, of the page's visible text, and of its JSON-LD articleBody (0: none)
    words: tuple[int, int, int] | None = None
    origin: str | None = None  # where the text is from, when not the page's visible body: 'JSON-LD articleBody'

    @property
    def incomplete(self) -> str | None:
        """Why the text kept looks much shorter than the page's, with the figures; None when it does not."""
        if not self.words:
            return None
        kept, visible, body = self.words
        if body >= MIN_ARTICLE_BODY and kept < COMPLETE * body:
            return f"the text kept has {kept:,} words, the article's JSON-LD articleBody {body:,}"
        if visible >= MIN_VISIBLE and kept < VISIBLE_SHARE * visible:
            return f"the text kept has {kept:,} words of the {visible:,} the page shows"
        return None

    @property
    def extractor(self) -> str:
        return EXTRACTORS[self.format]


RUNNING_REACH = 3  # lines at the top and at the bottom of a page where a running header or footer is looked for


def running_lines(text: str, pages: tuple[int, ...]) -> list[tuple[int, int]]:
    """Where a PDF's running headers and footers are: [start, end) of each line that recurs, digits aside, among the
    first or last RUNNING_REACH lines of most of its pages (a browser's print header "03/06/2022, 08:30 Title…",
    its footer "https://… 1/11", a page number). Empty for text that is not paged or has fewer than three pages."""
    if len(pages) < 3:
        return []
    ends = [*pages[1:], len(text) + 2]
    edges: list[list[tuple[str, int, int]]] = []  # per page: (line with digits masked, start, end) of its edge lines
    for begin, finish in zip(pages, ends):
        lines, at = [], begin
        for line in text[begin : finish - 2].split("\n"):
            lines.append((line, at, at + len(line)))
            at += len(line) + 1
        lines = [entry for entry in lines if entry[0].strip()]
        chosen = lines[:RUNNING_REACH] + lines[RUNNING_REACH:][-RUNNING_REACH:]
        edges.append([(_DIGITS.sub("#", " ".join(line.split())), start, end) for line, start, end in chosen])
    counts: dict[str, int] = {}
    for page in edges:
        for key in {key for key, _, _ in page}:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, count in counts.items() if count * 2 > len(pages)}
    return [(start, end) for page in edges for key, start, end in page if key in running]


_DIGITS = re.compile(r"\d+")


def blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span turned to spaces, offsets unchanged: what quotes and coverage read of a PDF whose
    running headers and footers (`running_lines`) stand between the end of a page and the next."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


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
            raise Unreadable(
                "file", "source-not-utf8", f"{name} is not UTF-8 (byte {error.start}): store the text as UTF-8"
            ) from None
    if fmt == HTML:
        import trafilatura  # noqa: F401 -- imported here once, not again in every child

        kind, value = in_child(_html_text, raw)
    else:
        import pypdfium2  # noqa: F401

        kind, value = in_child(_pdf_pages, raw)
    what = "an HTML page" if fmt == HTML else "a PDF"
    if kind == "timeout":
        raise Unreadable(
            "file",
            f"source-{fmt}-timeout",
            f"{name}: reading its text took longer than {value} s, so it was stopped: {_RESAVE[fmt]}",
        )
    if kind in ("memory", "failed"):
        why = f"reading it needed more than {value} GiB" if kind == "memory" else value
        raise Unreadable(
            "file", f"source-{fmt}-malformed", f"{name} is not {what} that can be read ({why}): {_RESAVE[fmt]}"
        )
    if kind == "too-long":
        raise Unreadable(
            "file",
            "source-text-too-large",
            f"{name} is {what} whose text is longer than {MAX_TEXT_CHARS:,} characters: cite the part of the document "
            "that matters as a source of its own",
        )
    if kind == "encrypted":
        raise Unreadable(
            "file",
            "source-pdf-encrypted",
            f"{name} is encrypted with a password: save a copy without the password (qpdf --decrypt) and add that file",
        )
    if kind == "no-main-text":
        raise Unreadable(
            "file",
            "source-no-main-text",
            f"{name} is an HTML page with no main text that dossiers can find: save the article's own page (not an "
            "index or a login page), "
            "or store the passage as a text source",
        )
    if fmt == HTML:
        text, words, origin = value
        return Extracted(HTML, text, (), words, origin)
    return _paged(value, name)


_RESAVE = {
    HTML: "save the article again from the browser, or store the passage as a text source",
    PDF: "re-save the PDF (print it to PDF) and add that file",
}


def _trafilatura(raw: bytes, *, favor_recall: bool) -> str | None:
    """trafilatura's plain text of a page (None when it finds no article), with dossiers' options."""
    import trafilatura

    return trafilatura.extract(
        raw,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
        favor_recall=favor_recall,
    )


def _html_text(raw: bytes) -> tuple[str, object]:
    """('text', (the article's text, words, origin)) or why not; runs in a child process.

    The text is one paragraph per block, blank lines between: the union, in the page's
    order, of what trafilatura keeps by default and with favor_recall (each loses what the
    other keeps: a notice's operative paragraph, a list, its headings), with the credit and
    syndication lines ("This post originally appeared on Grist.") it leaves out; or, when
    that is a stub beside a much longer JSON-LD articleBody, the articleBody.
    """
    import lxml.etree
    import lxml.html

    runs = [_blocks(_trafilatura(raw, favor_recall=False)), _blocks(_trafilatura(raw, favor_recall=True))]
    try:
        page = lxml.html.document_fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        page = None
    body = _article_body(page) if page is not None else []
    visible = _visible(page) if page is not None else ""  # (takes the scripts out of `page`)
    blocks = _union(runs, visible)
    blocks = _with_credits(blocks, page, visible) if page is not None else blocks
    kept, shown, body_words = _words(blocks), len(visible.split()), _words(body)
    origin = None
    if body_words >= MIN_ARTICLE_BODY and kept < STUB * body_words:
        blocks, origin, kept = body, "JSON-LD articleBody", body_words
    if not blocks:
        return "no-main-text", None
    text = "\n\n".join(blocks) + "\n"
    return ("too-long", None) if len(text) > MAX_TEXT_CHARS else ("text", (text, (kept, shown, body_words), origin))


def _blocks(text: str | None) -> list[str]:
    """Non-empty lines, white space folded; a list item that is only its dash is none."""
    blocks = [" ".join(line.split()) for line in (text or "").splitlines()]
    return [block for block in blocks if block and block != "-"]


def _words(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def _squeezed(text: str) -> str:
    """Text without white space or list dashes: how a block is found in the page's visible text whatever the spacing."""
    return re.sub(r"\s+", "", text.removeprefix("- "))


def _visible(page) -> str:
    """The text a reader sees on the page: its body without scripts, styles, templates and hidden elements."""
    body = page.find("body")
    root = body if body is not None else page
    for element in list(root.iter("script", "style", "noscript", "template", "svg", "head")):
        element.drop_tree() if element.getparent() is not None else None
    for element in list(root.xpath("//*[@hidden or @aria-hidden='true']")):
        if element.getparent() is not None:
            element.drop_tree()
    return " ".join(root.text_content().split())


def _union(runs: list[list[str]], visible: str) -> list[str]:
    """The blocks of every run, each once, in the order the page shows them (a block not found keeps its place after the
    one before)."""
    squeezed = _squeezed(visible)
    placed = []
    for rank, blocks in enumerate(runs):
        cursor = position = 0
        for index, block in enumerate(blocks):
            key = _squeezed(block)[:200]
            found = squeezed.find(key, cursor)
            found = found if found >= 0 else squeezed.find(key)
            if found >= 0:
                position = found
                cursor = found + len(key)
            placed.append((position, rank, index, block))
    placed.sort()
    others = {rank: "\x00".join(_squeezed(block) for block in blocks) for rank, blocks in enumerate(runs)}
    exact = {rank: {_squeezed(block) for block in blocks} for rank, blocks in enumerate(runs)}
    kept: list[str] = []
    for _, rank, _, block in placed:
        key = _squeezed(block)
        # a block of a later run that an earlier run holds, whole or within a block, is there already
        earlier = [other for other in range(rank)]
        if any(key in exact[other] or key in others[other] for other in earlier):
            continue
        kept.append(block)
    return kept


def _with_credits(blocks: list[str], page, visible: str) -> list[str]:
    """`blocks` with the page's credit and syndication lines that they lack, each where the page shows it."""
    have = _squeezed(" ".join(blocks))
    credits = []
    # each text node looked at once; only an element whose own text names a credit is read whole
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for piece, owner in ((element.text, element), (element.tail, element.getparent())):
            if not piece or owner is None or not _CREDIT.search(piece):
                continue
            line = " ".join(owner.text_content().split())
            if (
                len(line.split()) <= MAX_CREDIT_WORDS
                and _squeezed(line) not in have
                and not any(line in other or other in line for other in credits)
            ):
                credits.append(line)
    if not credits:
        return blocks
    return _union([blocks, credits], visible)


def _article_body(page) -> list[str]:
    """The paragraphs of the page's JSON-LD articleBody (of the first object that has one), tags stripped; [] if
    none."""
    from .metadata import MAX_JSON_LD_BYTES, MAX_JSON_LD_DEPTH, _nesting

    for script in page.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if (
            "articleBody" not in text
            or len(text) > MAX_JSON_LD_BYTES
            or (_nesting(text) or MAX_JSON_LD_DEPTH + 1) > MAX_JSON_LD_DEPTH
        ):
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        queue = [data]
        while queue:
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and body.strip():
                    if "<" in body:
                        import lxml.etree
                        import lxml.html

                        try:  # (create_parent=True is a <div> parent, as "div" would be)
                            body = (
                                "\n".join(
                                    p.text_content()
                                    for p in lxml.html.fragment_fromstring(body, create_parent=True).iter("p")
                                )
                                or body
                            )
                        except (ValueError, lxml.etree.ParserError):
                            pass
                    return _blocks(body)
                queue.extend(value for value in item.values() if isinstance(value, (dict, list)))
    return []


def _paged(pages: list[str], name: str) -> Extracted:
    """A PDF's pages, apart by a blank line, as one text; a PDF with no text on any page is Unreadable."""
    if not any(page.strip() for page in pages):
        raise Unreadable(
            "file",
            "source-no-text",
            f"{name} has no text layer on any of its {len(pages)} pages (a scan?): run OCR on it (ocrmypdf {name} "
            "ocr.pdf), "
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
        return (
            ("encrypted", said)
            if "password" in said.lower()
            else ("failed", said.removeprefix("Failed to load document ").strip("()"))
        )
    pages, length = [], 0
    for page in document:
        text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFKC", text) if any("\ufb00" <= c <= "\ufb06" for c in text) else text
        pages.append("\n".join(line.rstrip() for line in text.replace("\x00", "").split("\n")).strip("\n"))
        length += len(pages[-1]) + 2
        if length > MAX_TEXT_CHARS:
            return "too-long", None
    return "pages", pages
