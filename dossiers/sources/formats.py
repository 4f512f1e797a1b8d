"""A document's format, told from its bytes, never from its file name."""

from __future__ import annotations

import re

from .files import Unreadable

HTML, PDF, TEXT = "html", "pdf", "text"

# WHATWG MIME sniffing's HTML signatures, and the HTML5 sectioning elements a saved fragment starts with
_HTML_TAGS = "!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|meta|main|article|section|header|nav|span"
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:" + _HTML_TAGS.encode() + rb")[\s>]", re.IGNORECASE | re.DOTALL)
_OTHER = {  # what a file that is none of the three most often is, to say in the error
    b"PK\x03\x04": "a ZIP archive (a .docx, .xlsx or .odt? save it as PDF)",
    b"\x89PNG": "a PNG image (run OCR on it and save a PDF, or type the passage as a text source)",
    b"\xff\xd8\xff": "a JPEG image (run OCR on it and save a PDF, or type the passage as a text source)",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (save it as PDF)",
    b"{\\rtf": "an RTF file (save it as PDF or text)",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
}


def sniff(raw: bytes, name: str) -> str:
    """'pdf', 'html' or 'text' from the content; anything else is Unreadable (source-format-unknown)."""
    head = raw[:4096]
    if b"%PDF-" in raw[:1024]:
        return PDF
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return HTML
    for magic, what in _OTHER.items():
        if head.startswith(magic):
            raise Unreadable("file", "source-format-unknown", f"{name} is {what}: dossiers reads HTML pages, PDFs and UTF-8 text")
    if b"\x00" in head:
        raise Unreadable("file", "source-format-unknown", f"{name} is neither HTML, PDF nor text (it holds NUL bytes): save the document as PDF, HTML or UTF-8 text")
    return TEXT
