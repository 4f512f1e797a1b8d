"""One session: what every command that renders needs, prepared once and the same way.

`open_session` reads the settings, loads and checks the registry, joins it into views,
and chooses the template set (the project's own over the packaged ones, or the packaged
ones alone), with the key part every output shares. `build`, `serve` and `diff
--dossiers` open one and differ only in what they do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..registry.layout import TEMPLATES_DIR, Layout
from ..registry.load import build_date, load_project
from ..registry.settings import Settings, load_settings
from ..sources.extract import EXTRACTORS
from ..verify.check import Checked, check_project, require_printable
from ..views.fingerprint import fingerprint, sha256
from ..views.join import Joined, join
from .templates import Templates, template_files

RENDERERS = {name: metadata.version(name) for name in ("dossiers", "jinja2", "weasyprint", "networkx", "pikepdf")}


@dataclass(frozen=True)
class Session:
    """A project ready to render: its settings, its checked registry joined into views, and its template set."""

    settings: Settings
    checked: Checked
    joined: Joined | None  # None when the check found errors (only a session that allows them: `diff`)
    templates: Templates
    template_hashes: dict[str, str]  # sha256 of every template file the set uses, by name
    shared: str  # what every output's key shares: the versions of the tool and its renderers, and the templates

    @property
    def layout(self) -> Layout:
        return self.checked.project.layout

    @property
    def views(self) -> Joined:
        """The joined views of a printable session (open_session raised UserError rather than open one with errors)."""
        if self.joined is None:
            raise ValueError("a session opened with printable=False over a registry with errors has no views to render")
        return self.joined


def open_session(root: Path, *, project_templates: bool = True, draft: bool = False, printable: bool = True) -> Session:
    """The session of the project at `root`: settings, registry loaded, checked and joined, templates chosen once.

    `printable` requires a check without errors and (unless `draft`) without a fact whose
    quotes may not carry it, as a build does (UserError otherwise); without it, a registry
    with errors gives a session without views, for a command that reports on it.
    `project_templates=False` chooses the packaged templates alone.
    """
    settings = load_settings(root)
    checked = check_project(load_project(root))
    if printable:
        checked = require_printable(checked, draft)
    joined = None if checked.errors else join(checked, build_date(checked.project), draft)
    templates = Templates(checked.project.layout, project=project_templates)
    hashes = template_hashes(templates.dirs)
    return Session(settings, checked, joined, templates, hashes, renderers_key(hashes))


def template_hashes(dirs: list[Path]) -> dict[str, str]:
    """sha256 of every template file, the project's own winning over the packaged ones."""
    hashes = {}
    for folder in reversed(dirs):
        for name, path in template_files(folder):
            hashes[f"{TEMPLATES_DIR}/{name}"] = sha256(path.read_bytes())
    return hashes


def renderers_key(templates: dict[str, str]) -> str:
    """What every output's key shares: the versions of the tool, its text extractors and renderers, and the
    templates."""
    return fingerprint(RENDERERS, EXTRACTORS, templates)
