"""HTML → PDF through WeasyPrint, behind a URL fetcher that serves the template folders and nothing else."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import cast
from urllib.parse import unquote, urlsplit

from ..registry.layout import real_path
from ..views.evidence import EVIDENCE_NAME, Evidence
from .pack_pdf import Piece, piece_from_document

MEDIA_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that serves files under `allowed` folders and refuses all else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = real_path(Path(unquote(parts.path)))
                if any(path.is_relative_to(folder) for folder in allowed) and path.is_file():
                    media = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media})
            raise ValueError(f"dossiers fetches nothing outside its templates: refused {url[:200]}")

    return TemplateFetcher()


def _document(dirs: list[Path], html: str):
    import weasyprint

    return weasyprint.HTML(string=html, base_url=dirs[0].as_uri() + "/", url_fetcher=fetcher(dirs))


def pdf(dirs: list[Path], html: str) -> bytes:
    """PDF bytes of an HTML document (PDF/UA-1), fetching nothing from outside the template folders.

    Links to other files come out relative (see `relative_links`), so no path of the
    build machine is in the PDF and the same inputs give the same bytes in any folder.
    """
    with tagged_languages():
        data = _document(dirs, html).write_pdf(
            pdf_variant="pdf/ua-1", pdf_identifier=b"dossiers", uncompressed_pdf=False
        )
    return finish(cast(bytes, data), dirs[0].as_uri() + "/")


@contextmanager
def tagged_languages() -> Iterator[None]:
    """While WeasyPrint tags a PDF, give each structure element whose HTML element has a `lang` other than the
    document's that /Lang (PDF/UA-1 7.2: a Cyrillic name in an English dossier says it is Belarusian).

    WeasyPrint 70 writes /Lang only on the catalog. Its tagger builds one element per box
    in `weasyprint.pdf.tags._build_box_tree`, calling itself for the children; this wraps
    that function for the duration, and leaves it as it was.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def with_lang(box, parent, pdf, *args):
        document_lang = getattr(pdf.catalog.get("Lang"), "string", None)
        for element in original(box, parent, pdf, *args):
            node = getattr(box, "element", None)
            lang = node.get("lang") if node is not None and hasattr(node, "get") else None
            if lang and lang != document_lang and element.get("P") == parent.reference and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = with_lang
    try:
        yield
    finally:
        tags._build_box_tree = original


def finish(data: bytes, base: str) -> bytes:
    """What WeasyPrint leaves undone: links made relative again (`relative_links`), header cells given their scope,
    and the running header and footer marked as artifacts (`running_artifacts`)."""
    import pikepdf

    with pikepdf.open(BytesIO(data)) as document:
        changed = relative_links(document, base) | header_scopes(document) | running_artifacts(document)
        if not changed:
            return data
        out = BytesIO()
        document.save(out, static_id=True)
        return out.getvalue()


MIME_TYPES = {"html": "text/html", "pdf": "application/pdf", "text": "text/plain", "ftm": "application/json"}


def attach_evidence(data: bytes, evidence: Evidence, files: dict[str, bytes], tool: str) -> tuple[bytes, list[str]]:
    """The PDF with its sources attached (named as in seeds/), the evidence JSON beside them, and metadata naming the
    tool
    and the sha256 of that evidence, which records each source's sha256; and the claims of the evidence found on no
    page.

    The evidence gains "pages": where each page prints each claim, and a digest of the
    rest of its text (`dossiers.output.printed`), read from `data` as it is before
    anything is attached.
    """
    import hashlib

    import pikepdf

    from .printed import PAGE_READER, normalised, page_records, page_texts, printed_texts

    printed = printed_texts(evidence.model_dump(mode="json"))
    pages = page_records(page_texts(data), printed)
    found = {mark[0] for page in pages for mark in page["marks"] if mark[3] == 0}
    unprinted = [claim.fact for claim in evidence.claims if claim.fact not in found or not normalised(claim.text)]
    paged = Evidence.model_validate(evidence.model_dump() | {"page_reader": PAGE_READER, "pages": pages}, strict=False)
    claims = paged.to_json()
    with pikepdf.open(BytesIO(data)) as document:
        for source in paged.sources:
            document.attachments[source.file] = pikepdf.AttachedFileSpec(
                document,
                files[source.id],
                description=f"Source {source.id}: {source.title}"[:500],
                mime_type=MIME_TYPES[source.format],
            )
        document.attachments[EVIDENCE_NAME] = pikepdf.AttachedFileSpec(
            document,
            claims,
            description="The claims of this PDF, their quotes and offsets in the attached sources, "
            "and where each page prints them",
            mime_type="application/json",
        )
        document.docinfo["/Creator"] = tool
        document.docinfo["/DossiersEvidenceSHA256"] = hashlib.sha256(claims).hexdigest()
        out = BytesIO()
        document.save(out, static_id=True)
        return out.getvalue(), unprinted


def running_artifacts(document) -> bool:
    """Mark the running header and footer (CSS margin boxes) as pagination artifacts, as PDF/UA-1 asks; whether there
    were any.

    WeasyPrint 70 tags their text with marked content whose structure elements hang under a
    NonStruct that no element lists (only PDF 2.0 would let it tag them as artifacts). Each
    such marked-content sequence becomes `/Artifact <</Type /Pagination>> BDC`, and its
    orphaned elements leave the parent tree (and the file).
    """
    import pikepdf

    root = document.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return False
    listed, todo = set(), [root]
    while todo:
        element = todo.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.is_indirect and kid.objgen not in listed and "/S" in kid:
                listed.add(kid.objgen)
                todo.append(kid)
    parents = pikepdf.NumberTree(root.ParentTree)
    changed = False
    for page in document.pages:
        number = page.obj.get("/StructParents")
        marked = parents.get(int(number)) if number is not None and int(number) in parents else None
        if not isinstance(marked, pikepdf.Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(marked)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in listed
        }
        if not orphans:
            continue
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (
                str(operator) == "BDC"
                and len(operands) == 2
                and isinstance(operands[1], pikepdf.Dictionary)
                and operands[1].get("/MCID") in orphans
            ):
                operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            instructions.append(pikepdf.ContentStreamInstruction(operands, operator))  # pyright: ignore[reportCallIssue, reportArgumentType]  # pikepdf's stubs: an operator of a parsed instruction is an Operator
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
        for mcid in orphans:
            marked[mcid] = None
        changed = True
    return changed


def header_scopes(document) -> bool:
    """Give every table header cell of the structure tree a /Scope: /Column in a header row, /Row otherwise (PDF/UA)."""
    import pikepdf

    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return False
    changed, todo = False, [(root, None)]
    while todo:
        element, parent = todo.pop()
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        if element.get("/S") == "/TH":
            row_parent = parent.get("/P") if parent is not None else None
            scope = (
                pikepdf.Name.Column if row_parent is not None and row_parent.get("/S") == "/THead" else pikepdf.Name.Row
            )
            attributes = element.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                element.A = attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
            attributes.Scope = scope
            changed = True
        todo.extend(
            (kid, element)
            for kid in kids
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and "/S" in kid
        )
    return changed


def relative_links(document, base: str) -> bool:
    """Make each link WeasyPrint made absolute against `base` relative again; whether any was.

    A link to another PDF ('mnangagwa.pdf') becomes a GoToR action, the PDF way to open
    a file beside this one; any other becomes a relative URI.
    """
    import pikepdf

    changed = False
    for page in document.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(base):
                continue
            target = unquote(uri[len(base) :])
            annotation.Contents = pikepdf.String(f"Link to {target}")  # WeasyPrint describes a link by its URL
            if target.lower().endswith(".pdf"):
                annotation.A = pikepdf.Dictionary(
                    S=pikepdf.Name.GoToR,
                    F=pikepdf.String(target),
                    D=pikepdf.Array([0, pikepdf.Name.Fit]),
                    NewWindow=False,
                )
            elif action is not None:
                action.URI = pikepdf.String(target)
            changed = True
    return changed


def pdf_piece(dirs: list[Path], html: str) -> Piece:
    """One piece of a pack rendered in pieces; its links to other pieces are kept for joining."""
    document = _document(dirs, html).render()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addFilter(_other_piece_links)
    try:
        with tagged_languages():
            return piece_from_document(document)
    finally:
        weasyprint_log.removeFilter(_other_piece_links)


def _other_piece_links(record: logging.LogRecord) -> bool:
    """Drop WeasyPrint's complaint about links into other pieces: joining restores them."""
    return not str(record.msg).startswith("No anchor #")
