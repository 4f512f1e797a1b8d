"""A document's format, told from its bytes, never from its file name."""

from __future__ import annotations

from .archive import is_wacz, is_warc
from .files import Unreadable
from .ftm import looks_like_a_list

HTML, PDF, TEXT, FTM = "html", "pdf", "text", "ftm"
WARC, WACZ = "warc", "wacz"  # web archives: the source's text is the body of one page they hold (sources/archive.py)
ARCHIVES = (WARC, WACZ)

# WHATWG MIME sniffing's HTML signatures, and the HTML5 sectioning elements a saved fragment starts with
_HTML_TAGS = tuple(
    b"<" + tag
    for tag in (
        b"!doctype html",
        b"html",
        b"head",
        b"script",
        b"iframe",
        b"h1",
        b"div",
        b"font",
        b"table",
        b"a",
        b"style",
        b"title",
        b"b",
        b"body",
        b"br",
        b"p",
        b"meta",
        b"main",
        b"article",
        b"section",
        b"header",
        b"nav",
        b"span",
    )
)
_WHITESPACE = b"\t\n\x0b\x0c\r "
_TAG_ENDS = {b">", *(bytes([byte]) for byte in _WHITESPACE)}  # what may follow the tag's name
_OTHER = {  # what a file that is none of the three most often is, to say in the error
    b"PK\x03\x04": "a ZIP archive that is not a WACZ (a .docx, .xlsx or .odt? save it as PDF)",
    b"\x89PNG": "a PNG image (run OCR on it and save a PDF, or type the passage as a text source)",
    b"\xff\xd8\xff": "a JPEG image (run OCR on it and save a PDF, or type the passage as a text source)",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (save it as PDF)",
    b"{\\rtf": "an RTF file (save it as PDF or text)",
    b"\x1f\x8b": "a gzip archive that is neither a .warc.gz nor a FollowTheMoney list (unpack it first)",
}


def sniff(raw: bytes, name: str) -> str:
    """'pdf', 'html', 'ftm' (a FollowTheMoney list: its first entity is one), 'text', 'warc' or 'wacz' from the content;
    anything else is Unreadable (source-format-unknown)."""
    head = raw[:4096]
    if b"%PDF-" in raw[:1024]:
        return PDF
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[", b"\x1f") and looks_like_a_list(raw):
        return FTM
    if _starts_with_a_tag(head.removeprefix(b"\xef\xbb\xbf")):
        return HTML
    if is_warc(raw):
        return WARC
    if is_wacz(raw):
        return WACZ
    for magic, what in _OTHER.items():
        if head.startswith(magic):
            raise Unreadable(
                "file",
                "source-format-unknown",
                f"{name} is {what}: dossiers reads HTML pages, PDFs, "
                "UTF-8 text, web archives (WARC, WACZ) and FollowTheMoney lists",
            )
    if b"\x00" in head:
        raise Unreadable(
            "file",
            "source-format-unknown",
            f"{name} is neither HTML, PDF nor text (it holds NUL bytes): save the document as PDF, HTML or UTF-8 text",
        )
    return TEXT


def _starts_with_a_tag(head: bytes) -> bool:
    """Whether, past white space and comments, `head` opens with an HTML tag: one pass, no backtracking.

    A comment ends at the first '-->', as an HTML parser ends it ('<!-->' included); one
    left open makes the file text.
    """
    position = _past_whitespace(head, 0)
    while head.startswith(b"<!--", position):
        close = head.find(b"-->", position + 2)
        if close < 0:
            return False
        position = _past_whitespace(head, close + 3)
    opening = head[position : position + 16].lower()
    return any(opening.startswith(tag) and opening[len(tag) : len(tag) + 1] in _TAG_ENDS for tag in _HTML_TAGS)


def _past_whitespace(data: bytes, position: int) -> int:
    while position < len(data) and data[position] in _WHITESPACE:
        position += 1
    return position
