"""Where everything lives: every path of a project, and every name in its output folder."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

REGISTRY_FILE = "actors.yaml"
SETTINGS_FILE = "dossiers.toml"
SEEDS_DIR = "seeds"
SOURCES_FILE = f"{SEEDS_DIR}/sources.yaml"
TEMPLATES_DIR = "templates"

# In the output folder
DOSSIERS_DIR = "dossiers"
PACK = "briefing-pack"
NETWORK_SVG = f"{PACK}-network.svg"
MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.json.p7s"  # a detached CMS signature of manifest.json, when the build is signed
SITE_INDEX = "index.html"  # the static site: this index, the dossiers' HTML, and a page per source
SOURCES_DIR = "sources"
PIECES_DIR = ".cache/pack"  # the pieces of a large pack, kept so that a rebuild renders only those that changed
FONTS_DIR = "fonts"  # the templates' fonts, beside the HTML pages that use them, and their licence


@dataclass(frozen=True)
class Layout:
    """The paths of one project, under its root folder (`--root`)."""

    root: Path

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY_FILE

    @property
    def sources(self) -> Path:
        return self.root / SOURCES_FILE

    @property
    def seeds(self) -> Path:
        return self.root / SEEDS_DIR

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR


def real_path(path: Path) -> Path:
    """`path` absolute, with every link followed; a loop of links is left as it is (Path.resolve raises RuntimeError on
    it)."""
    return Path(os.path.realpath(path))


def project_file(root: Path, name: str) -> Path | None:
    """ROOT/name if it is a regular file that, links followed, lies inside the project; else None."""
    path = real_path(root / name)
    return path if path.is_relative_to(real_path(root)) and path.is_file() else None


def dossier_name(actor_id: str, fmt: str) -> str:
    """A dossier's name in the output folder."""
    return f"{DOSSIERS_DIR}/{actor_id}.{fmt}"


def href(page: str, target: str, anchor: str = "") -> str:
    """The link from output `page` to output `target` (both names in the output folder), relative, to `anchor` if
    given."""
    path = posixpath.relpath(target, posixpath.dirname(page) or ".") if target != page else ""
    return f"{path}#{anchor}" if anchor else path


def markdown_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def seeds_file(file: str) -> str:
    """A source's file as the project names it: 'seeds/NAME'."""
    return f"{SEEDS_DIR}/{file}"


def source_page_name(source_id: str) -> str:
    """A source's page of the site, in the output folder."""
    return f"{SOURCES_DIR}/{source_id}.html"


def pack_name(fmt: str) -> str:
    return f"{PACK}.{fmt}"


def piece_name(part: str) -> str:
    """A piece of the pack in the output folder: 'front', 'people-3', 'footers', ..."""
    return f"{PIECES_DIR}/{part}.piece"


_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
OUTPUT_NAME = re.compile(
    rf"{DOSSIERS_DIR}/{_ID}\.(?:md|pdf|html)|{PACK}\.(?:md|pdf|html)|{re.escape(NETWORK_SVG)}|{re.escape(PIECES_DIR)}/{_ID}\.piece"
    rf"|{re.escape(SITE_INDEX)}|{SOURCES_DIR}/{_ID}\.html|{FONTS_DIR}/[A-Za-z0-9][A-Za-z0-9_-]*\.(?:ttf|otf|woff2?|txt)"
)


def is_output_name(name: str) -> bool:
    """Whether `name` is one the build writes; a name read from a manifest is used only if it is."""
    return isinstance(name, str) and OUTPUT_NAME.fullmatch(name) is not None
