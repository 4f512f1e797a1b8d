"""HTML → PDF through WeasyPrint, behind a URL fetcher that serves the template folders and nothing else."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .pack_pdf import Piece, piece_from_document

MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png"}


def fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that serves files under `allowed` folders and refuses all else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(folder) for folder in allowed) and path.is_file():
                    media = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media})
            raise ValueError(f"dossiers fetches nothing outside its templates: refused {url[:200]}")

    return TemplateFetcher()


def _document(dirs: list[Path], html: str):
    import weasyprint

    return weasyprint.HTML(string=html, base_url=dirs[0].as_uri() + "/", url_fetcher=fetcher(dirs))


def pdf(dirs: list[Path], html: str) -> bytes:
    """PDF bytes of an HTML document (PDF/UA-1), fetching nothing from outside the template folders."""
    return _document(dirs, html).write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"dossiers", uncompressed_pdf=False)


def pdf_piece(dirs: list[Path], html: str) -> Piece:
    """One piece of a pack rendered in pieces; its links to other pieces are kept for joining."""
    document = _document(dirs, html).render()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addFilter(_other_piece_links)
    try:
        return piece_from_document(document)
    finally:
        weasyprint_log.removeFilter(_other_piece_links)


def _other_piece_links(record: logging.LogRecord) -> bool:
    """Drop WeasyPrint's complaint about links into other pieces: joining restores them."""
    return not str(record.msg).startswith("No anchor #")
