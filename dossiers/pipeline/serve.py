"""`dossiers serve`: the site on 127.0.0.1, rebuilt in memory when a file of the project changes, the open page reloaded.

Only the site's HTML is rendered (no PDF); a page is rendered again only when its view,
or a template, changed. Problems in the registry are shown on the page with their
file:line:col, and the server keeps running.
"""

from __future__ import annotations

import hashlib
import html as escape
import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DossiersError
from ..output import html
from ..output.templates import Templates
from ..registry.layout import REGISTRY_FILE, SETTINGS_FILE, SITE_INDEX, Layout
from ..registry.load import build_date, load_project
from ..verify.check import check_project, require_printable
from ..views.dossier import dossier
from ..views.join import join
from ..views.site import site
from .plan import plan, renderers_key, template_hashes

POLL_SECONDS = 0.1  # how often the project's files are looked at
VERSION_PATH = "/__dossiers/version"
SERVED_VERSION = "__dossiers_version__"  # replaced, as each page is served, by the version it shows
RELOADER = (
    "<script>(() => { const shown = '" + SERVED_VERSION + "'; setInterval(async () => { try {"
    " if ((await (await fetch('" + VERSION_PATH + "')).text()) !== shown) location.reload(); } catch (e) {} }, 250); })();</script>"
)


@dataclass
class Site:
    """The pages served, by path, with the key each was rendered from; `version` changes with every rebuild that changed a page."""

    root: Path
    project_templates: bool = True
    draft: bool = False  # serve claims with open support warnings, every page marked as a draft
    pages: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    version: int = 0
    rendered: int = 0  # pages rendered by the last rebuild
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """Render what changed; on a problem in the registry, every path serves the problems instead."""
        try:
            pages = self._views()
        except Exception as error:
            page = _error_page(error)
            self._publish({"": (hashlib.sha256(page.encode("utf-8")).hexdigest(), page)}, error_page=True)
            return
        self._publish(pages)

    def _views(self) -> dict[str, tuple[str, Callable[[], str]]]:
        """Every page of the site (name → key, and how to render it), planned as build plans them."""
        checked = require_printable(check_project(load_project(self.root)), self.draft)
        joined = join(checked, build_date(checked.project), self.draft)
        templates = Templates(checked.project.layout, project=self.project_templates)
        views = [dossier(joined, actor.id) for actor in joined.people]
        outputs = plan(views, None, ["html"], renderers_key(template_hashes(templates.dirs)), site(joined, views))
        return {o.name: (o.key, lambda view=o.view: html.site_page_html(templates, view)) for o in outputs}

    def _publish(self, pages: dict[str, tuple[str, Callable[[], str] | str]], error_page: bool = False) -> None:
        rendered = {}
        for path, (key, render) in pages.items():
            if self.keys.get(path) != key:
                text = render if isinstance(render, str) else render()
                rendered[path] = (key, text.replace("</body>", RELOADER + "</body>", 1).encode("utf-8"))
        with self.lock:
            if error_page or "" in self.keys:
                self.pages, self.keys = {}, {}
            for path in set(self.keys) - set(pages):
                self.pages.pop(path, None)
                self.keys.pop(path, None)
            for path, (key, data) in rendered.items():
                self.pages[path], self.keys[path] = data, key
            self.rendered = len(rendered)
            if rendered:
                self.version += 1

    def page(self, path: str) -> bytes | None:
        """The page at `path` (the problems page while the registry does not check), stamped with the version it shows."""
        with self.lock:
            data = self.pages[""] if "" in self.pages else self.pages.get(path or SITE_INDEX)
            return data.replace(SERVED_VERSION.encode(), str(self.version).encode(), 1) if data is not None else None


def _error_page(error: Exception) -> str:
    """The problems, each with its file:line:col; anything but a user error is named in one line, as the CLI names it."""
    problems = getattr(error, "problems", None) or []
    if not isinstance(error, DossiersError):
        error = f"internal error: {type(error).__name__}: {error}"
    lines = "".join(
        f"<li><code>{escape.escape(p.file)}:{p.line}:{p.col}</code> {escape.escape(p.severity)} <strong>{escape.escape(p.code)}</strong>: {escape.escape(p.message)}</li>"
        for p in problems
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>dossiers: problems</title></head><body><main>'
        f"<h1>The registry does not pass the check</h1><p>{escape.escape(str(error))}</p><ol>{lines}</ol>"
        "<p>Fix the files and save: this page reloads.</p></main></body></html>"
    )


def watched(root: Path) -> dict[str, float]:
    """The modification time of every file the site is built from."""
    layout = Layout(root)
    files = [root / REGISTRY_FILE, root / SETTINGS_FILE]
    for folder in (layout.seeds, layout.templates):
        if folder.is_dir():
            files += [path for path in folder.rglob("*") if path.is_file()]
    stamps = {}
    for path in files:
        try:
            stamps[str(path)] = path.stat().st_mtime_ns
        except OSError:
            continue
    return stamps


def serve(
    root: Path, port: int, project_templates: bool = True, ready: Callable[[str], None] | None = None, stop: threading.Event | None = None, draft: bool = False,
) -> None:
    """Serve the site on 127.0.0.1:`port` until `stop` is set (or Ctrl-C), rebuilding whenever a watched file changes.
    A fact with an open support warning keeps the site on the problems page, unless `draft`."""
    site = Site(root, project_templates, draft)
    site.rebuild()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    if ready:
        ready(f"http://127.0.0.1:{server.server_address[1]}/")
    stop = stop or threading.Event()
    stamps = watched(root)
    try:
        while not stop.wait(POLL_SECONDS):
            now = watched(root)
            if now != stamps:
                stamps = now
                site.rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def _handler(site: Site):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
            if "/" + path == VERSION_PATH:
                self._send(200, str(site.version).encode(), "text/plain")
                return
            data = site.page(path[:-1] + SITE_INDEX if path.endswith("/") else path)
            if data is None:
                self._send(404, b"Not found", "text/plain")
            else:
                self._send(200, data, "text/html; charset=utf-8")

        def _send(self, status: int, data: bytes, media: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


