"""What a document says about itself, each value with where it was read: for `dossiers add-source`."""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass

from .child import in_child
from .formats import HTML, PDF

MAX_JSON_LD_BYTES = 2**20  # a JSON-LD block larger than this is skipped: an article's takes a few kilobytes
MAX_JSON_LD_DEPTH = 32  # nor is one nested deeper read, as no YAML is
MAX_TITLE = 300  # characters of a heading taken as a title, as a title may hold
MIN_LANGUAGE_WORDS = 20  # a text shorter than this is not guessed a language
MIN_LANGUAGE_CONFIDENCE = 0.9  # nor one that py3langid is less sure of


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# '10 January 2020', 'January 10, 2020', 'Jan. 10, 2020': a month in words and a four-digit year, never 03/06/2022
_PRINTED_DATES = (
    re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
    ),
)
# what a browser prints at a page's top and foot
_PRINT_HEADER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}|^https?://\S+ \d+/\d+$")
PRINTED_DATE_LINES = 40  # lines of the first page searched for a printed date: a dateline is at the top


def printed_date(text: str) -> Found | None:
    """A date printed near the top of a document's first page (of its text), with where; never a browser's print
    header."""
    for number, line in enumerate(text.split("\n\n", 1)[0].split("\n")[:PRINTED_DATE_LINES], 1):
        if _PRINT_HEADER.match(line.strip()):
            continue
        for pattern in _PRINTED_DATES:
            found = pattern.search(line)
            if found:
                year, month, day = int(found["year"]), _MONTHS[found["month"].lower()], int(found["day"])
                if 1 <= day <= 31:
                    return Found(
                        f"{year:04d}-{month:02d}-{day:02d}",
                        f"the date printed on page 1, line {number} "
                        f'("{found.group()}"): check that it is when the document was published',
                    )
    return None


def guessed_language(text: str) -> Found | None:
    """The language of `text` (its first 20,000 characters) as py3langid tells it, flagged as inferred; None if too
    short or unsure."""
    if len(text.split()) < MIN_LANGUAGE_WORDS:
        return None
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        return None
    try:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # py3langid unpacks its model through a temporary file: a full disk leaves the language to the analyst
    except OSError:
        return None
    code, confidence = identifier.classify(text[:20_000])
    if confidence < MIN_LANGUAGE_CONFIDENCE:
        return None
    return Found(code, f"its text, inferred by py3langid (confidence {confidence:.2f}): the document does not say")


@dataclass(frozen=True)
class Found:
    value: str
    where: str  # 'og:title', 'JSON-LD datePublished', 'PDF Info /Title', ...


def metadata(raw: bytes, fmt: str, name: str) -> tuple[dict[str, Found], list[str]]:
    """title, published, modified, publisher, url, language and pages as far as the document carries them (of a PDF,
    `created`: when
    its file was made, never its publication date), and what was skipped.

    HTML and PDF are read in a child process limited in time and memory, as for their text.
    """
    if fmt not in (HTML, PDF):
        return {}, []
    kind, value = in_child(_html if fmt == HTML else _pdf, raw)
    if kind == "metadata":
        found, skipped = value
        return found, [f"{name}: {why}: fill in what it would have given by hand" for why in skipped]
    if kind == "timeout":
        return {}, [
            f"{name}: reading its metadata took longer than {value} s, so it was stopped: fill in the entry by hand"
        ]
    if kind == "memory":
        return {}, [
            f"{name}: reading its metadata needed more than {value} GiB, so it was stopped: fill in the entry by hand"
        ]
    return {}, [
        f"{name}: its metadata could not be read ({value}): fill in the entry by hand"
    ] if kind == "failed" else []


def _first(*candidates: tuple[str | None, str]) -> Found | None:
    for value, where in candidates:
        if isinstance(value, str) and value.strip():
            return Found(" ".join(value.split()), where)
    return None


def _html(raw: bytes) -> tuple[str, object]:
    """('metadata', ({...}, [what was skipped])) from <meta>, <link rel=canonical>, JSON-LD and <title>; runs in a child
    process."""
    import lxml.etree
    import lxml.html

    try:
        page = lxml.html.document_fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return "metadata", ({}, [])
    meta = {}
    for element in page.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key and key not in meta and element.get("content"):
            meta[key] = element.get("content")
    article, skipped = _json_ld_article(page)
    publisher = article.get("publisher")
    publisher = publisher.get("name") if isinstance(publisher, dict) else publisher
    canonical = next(
        (link.get("href") for link in page.iter("link") if "canonical" in (link.get("rel") or "").lower().split()), None
    )
    title = page.find(".//title")
    heading = page.find(".//h1")
    found = {
        "title": _first(
            (meta.get("og:title"), "og:title"),
            (article.get("headline"), "JSON-LD headline"),
            (title.text_content() if title is not None else None, "<title>"),
            (
                heading.text_content()[:MAX_TITLE] if heading is not None else None,
                "its first <h1>, inferred: the page gives no title",
            ),
        ),
        "published": _first(
            (meta.get("article:published_time"), "article:published_time"),
            (article.get("datePublished"), "JSON-LD datePublished"),
        ),
        "modified": _first(
            (meta.get("article:modified_time"), "article:modified_time"),
            (article.get("dateModified"), "JSON-LD dateModified"),
            (meta.get("og:updated_time"), "og:updated_time"),
        ),
        "publisher": _first(
            (publisher, "JSON-LD publisher"),
            (meta.get("og:site_name"), "og:site_name"),
            (meta.get("publisher"), "<meta name=publisher>"),
        ),
        "url": _first((canonical, "<link rel=canonical>"), (meta.get("og:url"), "og:url")),
        "language": _first((page.get("lang"), "<html lang>"), (meta.get("language"), "<meta name=language>")),
    }
    return "metadata", ({key: value for key, value in found.items() if value}, skipped)


def _json_ld_article(page) -> tuple[dict, list[str]]:
    """The first JSON-LD object that has a headline (an Article, NewsArticle, ...), or {}; and the blocks skipped, said
    why."""
    skipped = []
    for number, script in enumerate(
        (s for s in page.iter("script") if (s.get("type") or "").strip().lower() == "application/ld+json"), 1
    ):
        text = script.text or ""
        if len(text) > MAX_JSON_LD_BYTES:
            skipped.append(f"JSON-LD block {number} was skipped: it is larger than {MAX_JSON_LD_BYTES // 2**20} MiB")
            continue
        depth = _nesting(text)
        if depth is None:
            continue  # not JSON
        if depth > MAX_JSON_LD_DEPTH:
            skipped.append(f"JSON-LD block {number} was skipped: it is nested deeper than {MAX_JSON_LD_DEPTH} levels")
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        queue = deque([data])
        while queue:
            item = queue.popleft()
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("headline"), str):
                    return item, skipped
                queue.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return {}, skipped


_BRACKETS_AND_STRINGS = re.compile(r'[\[\]{}]|"(?:[^"\\\n]|\\.)*+"|"')  # possessive: a string is never scanned twice


def _nesting(text: str) -> int | None:
    """How deep arrays and objects nest in a JSON text (brackets inside strings not counted), in one pass; None if a
    string is left open."""
    depth = deepest = 0
    for token in _BRACKETS_AND_STRINGS.finditer(text):
        bracket = token.group()
        if bracket == '"':
            return None
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    return deepest


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?")


def pdf_date(value: str) -> str | None:
    """'D:20220603063048+00'00'' or an XMP date → '2022-06-03' (as much of it as is given)."""
    found = _PDF_DATE.match(value.strip().replace("-", ""))
    return "-".join(part for part in found.groups() if part) if found else None


def _pdf(raw: bytes) -> tuple[str, object]:
    """('metadata', ({...}, [])) from the Info dictionary and the XMP packet; runs in a child process."""
    import io

    import pikepdf

    try:
        document = pikepdf.open(io.BytesIO(raw))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError):
        return "unreadable", None  # extracting its text says why
    info = {str(key): str(value) for key, value in document.docinfo.items()}
    try:
        xmp = document.open_metadata()
        xmp_title, xmp_created = xmp.get("dc:title"), xmp.get("xmp:CreateDate")
    except Exception:  # a broken XMP packet is the document's problem, not a reason to refuse it
        xmp_title = xmp_created = None
    created = _first((xmp_created, "XMP xmp:CreateDate"), (info.get("/CreationDate"), "PDF Info /CreationDate"))
    # None too when the date is not one pdf_date reads: left out
    created_date = pdf_date(created.value) if created else None
    found = {
        "title": _first((xmp_title, "XMP dc:title"), (info.get("/Title"), "PDF Info /Title")),
        # when the file was made (printed, exported), never taken for when the document was published
        "created": Found(created_date, created.where) if created and created_date else None,
        "publisher": _first((info.get("/Author"), "PDF Info /Author")),
        "language": _first((str(document.Root.get("/Lang", "")) or None, "the PDF catalog's /Lang")),
        "pages": Found(str(len(document.pages)), "the page tree"),
    }
    return "metadata", ({key: value for key, value in found.items() if value}, [])
