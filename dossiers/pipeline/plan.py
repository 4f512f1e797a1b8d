"""Plan: every output a build can make, with its cache key and how to render it.

A key is a hash of exactly what the output shows (its view), how it is rendered (the
format, the templates, the versions of the tool and its renderers). An output whose
key is the one in the manifest, and whose file is as it was written, is current.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..output.session import renderers_key, template_hashes
from ..output.templates import template_files
from ..registry.layout import (
    FONTS_DIR,
    NETWORK_SVG,
    SITE_INDEX,
    dossier_name,
    is_output_name,
    pack_name,
    piece_name,
    source_page_name,
)
from ..views.briefing import Briefing, PackPart, linked_pack, parts
from ..views.dossier import Dossier, linked
from ..views.fingerprint import fingerprint, memo
from ..views.site import SiteIndex, SourcePage
from .manifest import Manifest

__all__ = ["FORMATS", "Output", "fingerprint", "fonts", "outdated", "plan", "renderers_key", "template_hashes"]

FORMATS = ("md", "pdf", "html")


@dataclass(frozen=True)
class Output:
    """One file of the output folder: its name, its key, and what to render it from."""

    name: str
    key: str
    # md, html, pdf, svg; 'piece' for a piece of a pack rendered in pieces; 'site' for the site's own pages; 'font' for
    # a copy
    fmt: str
    view: Dossier | Briefing | SiteIndex | SourcePage | Path  # a font's file in a template folder
    part: PackPart | None = None  # for a piece

    # The view as what its format needs (fmt says which; a mismatch is a bug in the plan, raised as TypeError):
    @property
    def page(self) -> Dossier | SiteIndex | SourcePage:
        """The view of a dossier's file or a page of the site."""
        if isinstance(self.view, (Dossier, SiteIndex, SourcePage)):
            return self.view
        raise TypeError(f"{self.name} is not a dossier or a page of the site")

    @property
    def document(self) -> Dossier | Briefing:
        """The view of a dossier or the pack: what a PDF shows."""
        if isinstance(self.view, (Dossier, Briefing)):
            return self.view
        raise TypeError(f"{self.name} is not a dossier or the pack")

    @property
    def pack(self) -> Briefing:
        """The view of the pack, its pieces or the network drawing."""
        if isinstance(self.view, Briefing):
            return self.view
        raise TypeError(f"{self.name} is not the pack or a piece of it")

    @property
    def font(self) -> Path:
        """The template file a font output copies."""
        if isinstance(self.view, Path):
            return self.view
        raise TypeError(f"{self.name} is not a font")


def plan(
    dossiers: list[Dossier],
    pack: Briefing | None,
    formats: list[str],
    shared: str,
    site: Sequence[SiteIndex | SourcePage] = (),
    signed_by: str = "",
) -> list[Output]:
    """Every output of the build, dossiers first, in a stable order; then the site's own pages (index, sources).

    A PDF's key includes who signs it (`signed_by`, empty when unsigned), so that signing, or
    ceasing to, makes every PDF anew; pieces of a pack are signed by no one and are kept.

    A pack too large for one document is planned as its pieces, each keyed on what it
    shows, and the PDF that joins them, keyed on the pieces' keys: a change re-renders
    the pieces that show it, and the join.
    """
    with memo():
        outputs = _plan(dossiers, pack, formats, shared, signed_by)
        for view in site:
            name = SITE_INDEX if isinstance(view, SiteIndex) else source_page_name(view.source.id)
            outputs.append(Output(name, fingerprint(shared, "site", view), "site", view))
        return outputs


def fonts(dirs: list[Path], shared: str) -> list[Output]:
    """The templates' fonts (and their licence), copied beside the HTML pages whose stylesheet names them; the first
    folder's win."""
    found: dict[str, Path] = {}
    for folder in dirs:
        for name, path in template_files(folder):
            if name.startswith(f"{FONTS_DIR}/") and is_output_name(name):
                found.setdefault(name, path)
    return [Output(name, fingerprint(shared, "font", name), "font", path) for name, path in sorted(found.items())]


def _plan(
    dossiers: list[Dossier], pack: Briefing | None, formats: list[str], shared: str, signed_by: str
) -> list[Output]:
    def signed(fmt: str, key: str) -> str:
        return fingerprint(key, signed_by) if fmt == "pdf" and signed_by else key

    outputs = []
    for view in dossiers:
        for fmt in formats:
            shown = linked(view, dossier_name(view.actor.id, fmt), fmt)  # with the links of its own file
            outputs.append(
                Output(dossier_name(view.actor.id, fmt), signed(fmt, fingerprint(shared, fmt, shown)), fmt, shown)
            )
    if pack is None:
        return outputs
    html = linked_pack(pack, "html")  # the HTML the PDF is printed from too
    key = fingerprint(shared, "pack", html)
    pieces = parts(html) if "pdf" in formats else []
    for fmt in formats:
        if fmt == "pdf" and len(pieces) > 1:
            planned = [
                Output(piece_name(part.name), fingerprint(shared, "piece", part), "piece", html, part)
                for part in pieces
            ]
            outputs += planned
            outputs.append(
                Output(
                    pack_name(fmt), signed(fmt, fingerprint(shared, "pack-pdf", [o.key for o in planned])), fmt, html
                )
            )
        elif fmt == "md":
            markdown = linked_pack(pack, "md")
            outputs.append(Output(pack_name(fmt), fingerprint(shared, "pack", markdown), fmt, markdown))
        else:
            outputs.append(Output(pack_name(fmt), signed(fmt, key), fmt, html))
    outputs.append(Output(NETWORK_SVG, key, "svg", html))
    return outputs


def outdated(outputs: list[Output], manifest: Manifest, out: Path) -> tuple[list[Output], list[Output]]:
    """The outputs to render, and those already current in `out`."""
    stale, current = [], []
    for output in outputs:
        (current if manifest.current(out, output.name, output.key) else stale).append(output)
    return stale, current
