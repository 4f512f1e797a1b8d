"""Render stage: views → Markdown, HTML and PDF, through the Jinja2 templates in templates/.

A `templates/` folder next to the user's registry wins over the packaged defaults, file
by file. Text from the registry is data: HTML output is autoescaped, and Markdown output
escapes every character that Markdown or HTML would read as markup.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import markupsafe

from . import __version__
from .join import Briefing, Dossier
from .model import RELIABILITY_MEANING
from .pieces import PackPart, Piece, piece_from_document, whole_pack
from .text import markdown_escape, visible_controls

TEMPLATES = "templates"
def _finalize(value: object) -> object:
    """Applied to every value a template prints: bidi controls are shown, never obeyed."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible_controls(value)
    return value


def github_anchor(text: str) -> str:
    """The anchor GitHub gives a Markdown heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def default_templates() -> Path:
    """The templates that ship with dossiers (dossiers/templates links to templates/)."""
    return Path(str(resources.files("dossiers") / TEMPLATES))


def template_dirs(root: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the project's own, then the defaults."""
    dirs = [root / TEMPLATES, default_templates()]
    return [d.resolve() for d in dirs if d.is_dir()]


class Renderer:
    """Renders views with the project's templates (or the defaults)."""

    def __init__(self, root: Path, controls: bool = True):
        """`controls`: the inputs may hold bidi controls, so every printed value is screened for them."""
        self.dirs = template_dirs(root)
        loader = jinja2.FileSystemLoader([str(d) for d in self.dirs])
        common = dict(
            loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, extensions=["jinja2.ext.do"], finalize=_finalize if controls else None,
        )
        self.markdown = jinja2.Environment(autoescape=False, **common)
        self.markdown.filters["md"] = markdown_escape
        self.markdown.filters["anchor"] = github_anchor
        self.markdown.filters["fence"] = lambda text: text.rstrip("\n").replace("```", "`\u200b``")
        self.html = jinja2.Environment(autoescape=True, **common)
        for env in (self.markdown, self.html):
            env.globals["version"] = __version__

    def dossier_markdown(self, view: Dossier) -> str:
        return self.markdown.get_template("dossier.md.j2").render(d=view, chapters=False)

    def dossier_html(self, view: Dossier, link_suffix: str = "pdf") -> str:
        """HTML of a dossier; links to other dossiers end in `link_suffix` (pdf or html)."""
        return self.html.get_template("dossier.html.j2").render(d=view, css=self.css(), link_suffix=link_suffix)

    def pack_markdown(self, view: Briefing, title: str, handling: str, network_caption: str) -> str:
        return self.markdown.get_template("pack.md.j2").render(
            b=view, chapters=True, title=title, handling=handling, network_caption=network_caption, grades=RELIABILITY_MEANING.items()
        )

    def pack_html(
        self, view: Briefing, title: str, handling: str, network: str, network_caption: str,
        part: PackPart | None = None, pages: Mapping[str, object] | None = None,
    ) -> str:
        """HTML of the briefing pack, or of one piece of it; `network` is the SVG drawing, inserted as markup.

        `pages` gives the contents' page numbers (anchor → number) when the pack is rendered in pieces.
        """
        part = part or whole_pack(view.people, view.timeline)
        return self.html.get_template("pack.html.j2").render(
            b=view, css=self.css(), title=title, handling=handling, network=markupsafe.Markup(network),
            network_caption=network_caption, grades=RELIABILITY_MEANING.items(), part=part, pages=pages,
        )

    def footers_html(self, pages: int) -> str:
        """`pages` blank pages that carry only "Page X of Y", to stamp on a pack joined from pieces."""
        return self.html.get_template("page-footers.html.j2").render(css=self.css(), pages=pages)

    def diff_markdown(self, report) -> str:
        """The pull-request report: changes grouped per actor, sources apart."""
        groups: dict[str, list] = {}
        for change in report.changes:
            for actor in change.actors:
                groups.setdefault(actor, []).append(change)
        sources = [c for c in report.changes if c.what == "source"]
        return self.markdown.get_template("diff.md.j2").render(r=report, groups=groups, sources=sources)

    def css(self) -> markupsafe.Markup:
        """The print stylesheet, from the first template folder that has one."""
        source, _, _ = self.html.loader.get_source(self.html, "print.css")
        return markupsafe.Markup(source.replace("</", "<\\/"))

    def fetcher(self):
        """A WeasyPrint URL fetcher that serves files under the template folders and refuses all else."""
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        allowed = self.dirs

        class TemplateFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                parts = urlsplit(url)
                if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                    path = Path(unquote(parts.path)).resolve()
                    if any(path.is_relative_to(folder) for folder in allowed) and path.is_file():
                        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": _media_type(path)})
                raise ValueError(f"dossiers fetches nothing outside its templates: refused {url[:200]}")

        return TemplateFetcher()

    def pdf(self, html: str) -> bytes:
        """PDF bytes of an HTML document rendered by WeasyPrint, fetching nothing from outside."""
        import weasyprint

        document = weasyprint.HTML(string=html, base_url=self.dirs[0].as_uri() + "/", url_fetcher=self.fetcher())
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"dossiers", uncompressed_pdf=False)

    def pdf_piece(self, html: str) -> Piece:
        """One piece of a pack rendered in pieces; its links to other pieces are kept for joining."""
        import weasyprint

        document = weasyprint.HTML(string=html, base_url=self.dirs[0].as_uri() + "/", url_fetcher=self.fetcher()).render()
        weasyprint_log = logging.getLogger("weasyprint")
        weasyprint_log.addFilter(_other_piece_links)
        try:
            return piece_from_document(document)
        finally:
            weasyprint_log.removeFilter(_other_piece_links)


def _other_piece_links(record: logging.LogRecord) -> bool:
    """Drop WeasyPrint's complaint about links into other pieces: joining restores them."""
    return not str(record.msg).startswith("No anchor #")


def _media_type(path: Path) -> str:
    return {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix, "application/octet-stream")
