"""The template environments: the project's own templates over the packaged ones, sandboxed.

A `templates/` folder in the project wins over the packaged defaults, file by file; it
must lie inside the project, and a template file whose link leaves its folder is ignored.
Templates render in Jinja2's immutable sandbox, so they can read the view they are given
and nothing else. Every value they print has its control characters made visible; HTML
is autoescaped, and Markdown output goes through the `md` filter.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import jinja2
import markupsafe
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..about import __version__
from ..errors import UserError
from ..registry.layout import TEMPLATES_DIR, Layout
from ..safe_text import markdown_escape, visible_controls
from ..views import wording

PACKAGED = "templates"
WORDING = SimpleNamespace(**{name: value for name, value in vars(wording).items() if name.isupper()})


def _finalize(value: object) -> object:
    """Applied to every value a template prints: control characters are shown, never obeyed."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible_controls(value)
    return value


def github_anchor(text: str) -> str:
    """The anchor GitHub gives a Markdown heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def default_templates() -> Path:
    """The templates that ship with dossiers (dossiers/templates links to templates/)."""
    return Path(str(resources.files("dossiers") / PACKAGED))


def template_dirs(layout: Layout, project: bool = True) -> list[Path]:
    """Where templates are looked up, first match wins: the project's own (unless not wanted), then the defaults.

    The project's folder must lie inside the project once links are followed.
    """
    dirs = [default_templates().resolve()]
    if project and layout.templates.is_dir():
        own = layout.templates.resolve()
        if not own.is_relative_to(layout.root.resolve()):
            raise UserError(f"{TEMPLATES_DIR}/ leads outside the project (to {own}): templates must be files of the project; remove the link")
        dirs.insert(0, own)
    return dirs


def template_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every template file of a folder (name, path), links that leave the folder skipped, in a stable order."""
    for parent, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(parent) / name
            if _confined(path, folder):
                yield path.relative_to(folder).as_posix(), path


def _confined(path: Path, folder: Path) -> bool:
    """Whether the file, links followed, is a regular file inside `folder` (resolved)."""
    resolved = path.resolve()
    return resolved.is_relative_to(folder) and resolved.is_file()


class ConfinedLoader(jinja2.BaseLoader):
    """Loads a template from the first folder that has it; a file whose link leaves its folder is not there."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)
        for folder in self.dirs:
            path = folder.joinpath(*parts)
            if _confined(path, folder):
                mtime = path.stat().st_mtime
                return path.read_text("utf-8"), str(path), lambda path=path, mtime=mtime: path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)


class Templates:
    """The Markdown and HTML environments of one project."""

    def __init__(self, layout: Layout, project: bool = True):
        self.dirs = template_dirs(layout, project)
        common = dict(
            loader=ConfinedLoader(self.dirs), undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_finalize,
        )
        self.markdown = ImmutableSandboxedEnvironment(autoescape=False, **common)
        self.markdown.filters["md"] = markdown_escape
        self.markdown.filters["anchor"] = github_anchor
        self.markdown.filters["link_target"] = link_target
        self.markdown.filters["fence"] = lambda text: text.rstrip("\n").replace("```", "`\u200b``")
        self.html = ImmutableSandboxedEnvironment(autoescape=True, **common)
        for env in (self.markdown, self.html):
            env.globals.update(version=__version__, wording=WORDING)

    def render(self, env: jinja2.Environment, name: str, **context) -> str:
        """Render template `name`; a template that fails is a user error naming its file and line."""
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateError as error:
            raise _template_error(error, name) from None

    def css(self) -> markupsafe.Markup:
        """The print stylesheet, from the first template folder that has one."""
        source, _, _ = self.html.loader.get_source(self.html, "print.css")
        return markupsafe.Markup(source.replace("</", "<\\/"))


def _template_error(error: jinja2.TemplateError, name: str) -> UserError:
    """Where in which template it failed: from a syntax error, or from the template frames of the traceback."""
    file, line = getattr(error, "filename", None) or getattr(error, "name", None), getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith((".j2", ".css")):
            file, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    where = f"{Path(file).name if file else name}:{line or 1}"
    kind = "refused by the sandbox" if isinstance(error, jinja2.exceptions.SecurityError) else "failed"
    return UserError(f"template {where}: {kind}: {str(error).rstrip('.')}. Templates may only show the view they are given; fix or remove the template")


def link_target(url: str) -> str:
    """A URL as a Markdown link's target: the characters that would end or break the link percent-encoded."""
    return "".join(f"%{ord(c):02X}" if c in "()<>[]\\ \"'`" or ord(c) < 0x21 else c for c in url)
