"""Views → HTML, for print through WeasyPrint (and for the browser)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import markupsafe

from ..views.briefing import Briefing, PackPart, whole_pack
from ..views.dossier import Dossier
from ..views.site import SiteIndex, SourcePage
from .templates import Templates

# A url() of the stylesheet that is relative: no scheme, not from the root, not a fragment.
RELATIVE_URL = re.compile(r"""url\(\s*(["']?)(?![a-z][a-z0-9+.-]*:|/|#)""", re.IGNORECASE)


def dossier_html(templates: Templates, view: Dossier, link_suffix: str = "pdf") -> str:
    """HTML of a dossier; links to other dossiers end in `link_suffix` (pdf or html: a page of the site, one folder
    down)."""
    context = dict(css=templates.css() if link_suffix == "pdf" else site_css(templates, 1), link_suffix=link_suffix)
    (view,) = templates.in_reading_order(
        templates.html, "dossier.html.j2", (view,), lambda people: dict(d=people[0], **context)
    )
    return templates.render(templates.html, "dossier.html.j2", d=view, **context)


def site_css(templates: Templates, depth: int) -> markupsafe.Markup:
    """The stylesheet of a page `depth` folders below the output folder: its relative URLs, the fonts, lead to the
    copies the build puts at the top (a PDF reads them from the template folder instead)."""
    return markupsafe.Markup(RELATIVE_URL.sub(lambda found: f"url({found[1]}{'../' * depth}", templates.css()))


def pack_html(
    templates: Templates,
    view: Briefing,
    network: str,
    network_caption: str,
    part: PackPart | None = None,
    pages: Mapping[str, object] | None = None,
) -> str:
    """HTML of the briefing pack, or of one piece of it; `network` is the SVG drawing, inserted as markup.

    `pages` gives the contents' page numbers (anchor → number) when the pack is rendered in pieces.
    """
    part = part or whole_pack(view)
    context = dict(
        css=templates.css(), network=markupsafe.Markup(network), network_caption=network_caption, pages=pages
    )

    def chapters(people: tuple[Dossier, ...]) -> PackPart:
        return replace(
            part, people=people, shows=replace(part.shows, people=people) if part.shows.people else part.shows
        )

    people = templates.in_reading_order(
        templates.html,
        "pack.html.j2",
        part.people,
        lambda people: dict(b=chapters(people).shows, part=chapters(people), **context),
    )
    return templates.render(templates.html, "pack.html.j2", b=chapters(people).shows, part=chapters(people), **context)


def site_page_html(templates: Templates, view: Dossier | SiteIndex | SourcePage) -> str:
    """A page of the static site: a dossier (its links to other dossiers end in .html), the index, or a source's
    page."""
    if isinstance(view, SiteIndex):
        return templates.render(templates.html, "site-index.html.j2", i=view, css=templates.css())
    if isinstance(view, SourcePage):
        return templates.render(templates.html, "source.html.j2", p=view, css=site_css(templates, 1))
    return dossier_html(templates, view, "html")


def footers_html(templates: Templates, pages: int) -> str:
    """`pages` blank pages that carry only "Page X of Y", to stamp on a pack joined from pieces."""
    return templates.render(templates.html, "page-footers.html.j2", css=templates.css(), pages=pages)
