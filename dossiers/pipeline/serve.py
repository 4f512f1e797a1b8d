"""`dossiers serve`: the site on 127.0.0.1, rebuilt in memory when a file of the project changes, the open page
reloaded.

Only the site's HTML is rendered (no PDF); a page is rendered again only when its view,
or a template, changed. Problems in the registry, and a template that fails, are shown on
the page with their place, and the server keeps running.

The server is for the browser of the one who runs it: it answers only requests addressed
to 127.0.0.1, localhost or [::1] at its port (so a page of another site cannot read it
through DNS rebinding), every response forbids scripts and frames from elsewhere, and a
bounded pool of threads serves it: a connection gets a thread only once its request has
begun to arrive, and is closed if the whole request has not come within `TIMEOUT` seconds.
"""

from __future__ import annotations

import hashlib
import html as escape
import http.server
import io
import os
import selectors
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DossiersError
from ..output import html
from ..output.session import open_session
from ..registry.layout import REGISTRY_FILE, SETTINGS_FILE, SITE_INDEX, Layout
from ..views.dossier import dossier
from ..views.site import site
from .plan import plan

POLL_SECONDS = 0.1  # how often the project's files are looked at
TIMEOUT = 10.0  # seconds a connection has to deliver its whole request, and a response to be taken
WORKERS = 16  # threads that answer requests
CONNECTIONS = 256  # open connections at most; past it the oldest still waiting for its request is closed
VERSION_PATH = "/__dossiers/version"
RELOADER_PATH = "/__dossiers/reload.js"
SERVED_VERSION = "__dossiers_version__"  # replaced, as each page is served, by the version it shows
RELOADER_TAG = f'<script src="{RELOADER_PATH}" data-version="{SERVED_VERSION}"></script>'
RELOADER = (
    "(() => { const shown = document.currentScript.dataset.version; setInterval(async () => { try {"
    " if ((await (await fetch('" + VERSION_PATH + "')).text()) !== shown) location.reload(); } catch (e) {} }, 250); "
    "})();\n"
).encode()
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src "
        "'self' data:;"
        " object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class Site:
    """The pages served, by path, with the key each was rendered from; `version` changes with every rebuild that changed
    a page."""

    root: Path
    project_templates: bool = True
    draft: bool = False  # serve claims with open support warnings, every page marked as a draft
    pages: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    version: int = 0
    rendered: int = 0  # pages rendered by the last rebuild
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """Render what changed; on a problem in the registry or a template that fails, every path serves the problem
        instead."""
        try:
            pages = self._rendered(self._views())
        except Exception as error:
            text = _error_page(error)
            pages = self._rendered({"": (hashlib.sha256(text.encode("utf-8")).hexdigest(), lambda: text)})
        self._publish(pages)

    def _views(self) -> dict[str, tuple[str, Callable[[], str]]]:
        """Every page of the site (name → key, and how to render it), planned as build plans them."""
        session = open_session(self.root, project_templates=self.project_templates, draft=self.draft)
        joined = session.views
        views = [dossier(joined, actor.id) for actor in joined.with_dossiers]
        outputs = plan(views, None, ["html"], session.shared, site(joined, views, session.settings.pack.title))
        return {o.name: (o.key, lambda view=o.page: html.site_page_html(session.templates, view)) for o in outputs}

    def _rendered(self, pages: dict[str, tuple[str, Callable[[], str]]]) -> dict[str, tuple[str, bytes | None]]:
        """Each page's key, and its HTML if the key changed since it was served (None if it did not)."""
        rendered = {}
        for path, (key, render) in pages.items():
            text = (
                None
                if self.keys.get(path) == key
                else render().replace("</body>", RELOADER_TAG + "</body>", 1).encode("utf-8")
            )
            rendered[path] = (key, text)
        return rendered

    def _publish(self, pages: dict[str, tuple[str, bytes | None]]) -> None:
        with self.lock:
            for path in set(self.keys) - set(pages):
                self.pages.pop(path, None)
                self.keys.pop(path, None)
            changed = {path: (key, data) for path, (key, data) in pages.items() if data is not None}
            for path, (key, data) in changed.items():
                self.pages[path], self.keys[path] = data, key
            self.rendered = len(changed)
            if changed:
                self.version += 1

    def page(self, path: str) -> bytes | None:
        """The page at `path` (the problems page while the site cannot be built), stamped with the version it shows."""
        with self.lock:
            data = self.pages[""] if "" in self.pages else self.pages.get(path or SITE_INDEX)
            return data.replace(SERVED_VERSION.encode(), str(self.version).encode(), 1) if data is not None else None


def _error_page(error: Exception) -> str:
    """The problems, each with its file:line:col; anything but a user error is named in one line, as the CLI names
    it."""
    problems = getattr(error, "problems", None) or []
    said = str(error) if isinstance(error, DossiersError) else f"internal error: {type(error).__name__}: {error}"
    lines = "".join(
        f"<li><code>{escape.escape(p.file)}:{p.line}:{p.col}</code> {escape.escape(p.severity)} "
        f"<strong>{escape.escape(p.code)}</strong>: {escape.escape(p.message)}</li>"
        for p in problems
    )
    title = "The registry does not pass the check" if problems else "The site cannot be built"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>dossiers: '
        "problems</title></head><body><main>"
        f"<h1>{title}</h1><p>{escape.escape(said)}</p><ol>{lines}</ol>"
        "<p>Fix the files and save: this page reloads.</p></main></body></html>"
    )


def watched(root: Path) -> dict[str, tuple[int, int, int]]:
    """The modification time, size and inode of every file the site is built from (a write within one tick of the clock
    still changes the size or, saved by renaming, the inode); a file or folder that vanishes while looked at is
    skipped."""
    layout = Layout(root)
    files = [root / REGISTRY_FILE, root / SETTINGS_FILE]
    for folder in (layout.seeds, layout.templates):
        for parent, _, names in os.walk(folder):
            files += [Path(parent, name) for name in names]
    stamps = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps[str(path)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return stamps


def serve(
    root: Path,
    port: int,
    project_templates: bool = True,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    draft: bool = False,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    connections: int = CONNECTIONS,
) -> None:
    """Serve the site on 127.0.0.1:`port` until `stop` is set (or Ctrl-C), rebuilding whenever a watched file changes.
    A fact with an open support warning keeps the site on the problems page, unless `draft`."""
    site = Site(root, project_templates, draft)
    stamps = watched(root)  # before the first build: a file saved while it runs is a change seen at the first poll
    site.rebuild()
    stop = stop or threading.Event()
    server = PreviewServer(("127.0.0.1", port), _handler(site), timeout, workers, connections)
    thread = threading.Thread(target=server.run, args=(stop,), daemon=True)
    thread.start()
    if ready:
        ready(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        while not stop.wait(POLL_SECONDS):
            now = watched(root)
            if now != stamps:
                stamps = now
                site.rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        thread.join()


class PreviewServer(http.server.HTTPServer):
    """An HTTP server with `workers` threads: a connection is handed to one when its request begins to arrive.

    A connection that sends nothing for `timeout` seconds is closed without taking a thread;
    past `connections` open ones, the oldest still waiting for its request is closed (or the
    newest, if none waits).
    """

    request_queue_size = 64  # connections the system holds before this accepts them

    def __init__(
        self, address: tuple[str, int], handler: type[DeadlineHandler], timeout: float, workers: int, connections: int
    ):
        super().__init__(address, handler)
        self.request_timeout = timeout
        self.connections = connections
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="dossiers-serve")
        self.open: dict[socket.socket, float] = {}  # every accepted connection → when its request must have arrived
        # those no thread has yet, oldest first → client address
        self.waiting: dict[socket.socket, tuple[str, int]] = {}
        self.open_lock = threading.Lock()

    def run(self, stop: threading.Event) -> None:
        """Accept and dispatch until `stop` is set, then close every connection and the socket."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            try:
                while not stop.is_set():
                    for key, _ in selector.select(POLL_SECONDS):
                        ready = key.fileobj  # a socket: only sockets are registered
                        if ready is self.socket:
                            self._accept(selector)
                        # not closed by an accept before it in this round
                        elif isinstance(ready, socket.socket) and ready in self.waiting:
                            selector.unregister(ready)
                            self.pool.submit(self._handle, ready, self.waiting.pop(ready))
                    self._expire(selector)
            finally:
                self._close_all()

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            connection, address = self.socket.accept()
        except OSError:
            return
        with self.open_lock:
            if len(self.open) >= self.connections:
                oldest = next(iter(self.waiting), connection)
                if oldest is not connection:
                    selector.unregister(oldest)
                    del self.waiting[oldest]
                self._drop(oldest)
                if oldest is connection:
                    return
            self.open[connection] = time.monotonic() + self.request_timeout
        self.waiting[connection] = address
        selector.register(connection, selectors.EVENT_READ)

    def _expire(self, selector: selectors.BaseSelector) -> None:
        """Close the connections that have sent nothing in time."""
        now = time.monotonic()
        with self.open_lock:
            for connection in [c for c in self.waiting if self.open[c] <= now]:
                selector.unregister(connection)
                del self.waiting[connection]
                self._drop(connection)

    def _handle(self, connection: socket.socket, address: tuple[str, int]) -> None:
        try:
            self.RequestHandlerClass(connection, address, self)
        except OSError:
            pass  # the client went away
        except Exception:
            self.handle_error(connection, address)
        finally:
            with self.open_lock:
                self._drop(connection)

    def _drop(self, connection: socket.socket) -> None:
        """Close a connection (the caller holds `open_lock`)."""
        self.open.pop(connection, None)
        self.shutdown_request(connection)

    def _close_all(self) -> None:
        """Stop the threads at once, however slow their clients, and close every connection and the listening socket."""
        with self.open_lock:
            for connection in list(self.open):
                try:
                    connection.shutdown(socket.SHUT_RDWR)  # a thread reading or writing it stops at once
                except OSError:
                    pass
        self.pool.shutdown(wait=True, cancel_futures=True)
        with self.open_lock:
            for connection in list(self.open):
                self._drop(connection)
        self.server_close()


def addressed_here(hosts: list[str], port: int) -> bool:
    """Whether a request's Host headers name this server: just one, a loopback name and this port (which a browser
    leaves out for 80).

    A page of another site, even one whose name was made to point at 127.0.0.1, sends its own name.
    """
    names = {f"{host}:{port}" for host in LOCAL_HOSTS} | (set(LOCAL_HOSTS) if port == 80 else set())
    return len(hosts) == 1 and hosts[0].lower() in names


class DeadlineReader(io.RawIOBase):
    """A socket's reading side that gives up at `deadline` (time.monotonic()), however slowly the bytes come."""

    def __init__(self, connection: socket.socket, deadline: float):
        self.connection, self.deadline = connection, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class DeadlineHandler(http.server.BaseHTTPRequestHandler):
    """A request handler of a PreviewServer, which says when the request must have arrived (time.monotonic())."""

    def __init__(self, connection: socket.socket, address: tuple[str, int], server: PreviewServer):
        self.deadline = server.open[connection]
        self.preview = server  # `server`, as the PreviewServer it is
        super().__init__(connection, address, server)


def _handler(site: Site) -> type[DeadlineHandler]:
    class Handler(DeadlineHandler):
        # not 0.9, whose answers (to a request line without a version, or a bad one) carry no headers
        default_request_version = "HTTP/1.0"

        def setup(self):
            super().setup()
            self.rfile.close()
            self.rfile = io.BufferedReader(DeadlineReader(self.connection, self.deadline))

        def do_GET(self):
            self._answer(body=True)

        def do_HEAD(self):
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            port = self.preview.server_port  # (HTTPServer's: the second part of server_address)
            if not addressed_here(self.headers.get_all("Host") or [], port):
                self._send(
                    403,
                    f"This server answers only requests for http://127.0.0.1:{port}/ or http://localhost:{port}/.\n".encode(),
                    "text/plain; charset=utf-8",
                    body,
                )
                return
            path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
            if "/" + path == VERSION_PATH:
                self._send(200, str(site.version).encode(), "text/plain; charset=utf-8", body)
                return
            if "/" + path == RELOADER_PATH:
                self._send(200, RELOADER, "text/javascript; charset=utf-8", body)
                return
            data = site.page(path[:-1] + SITE_INDEX if path.endswith("/") else path)
            if data is None:
                self._send(404, b"Not found\n", "text/plain; charset=utf-8", body)
            else:
                self._send(200, data, "text/html; charset=utf-8", body)

        def _send(self, status: int, data: bytes, media: str, body: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """The standard error page, without echoing the request in the status line."""
            super().send_error(code)

        def end_headers(self) -> None:
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)
            self.connection.settimeout(self.preview.request_timeout)  # writing the response has its own time
            super().end_headers()

        def version_string(self) -> str:
            return "dossiers"

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
