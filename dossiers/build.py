"""The whole pipeline, load → check → join → render → write, behind one call."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from importlib import metadata
import json
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from . import __version__
from .check import Checked, check_project
from .join import Joined, briefing, dossier, join
from .load import REGISTRY_FILE, SEEDS_DIR, SOURCES_FILE, load_project
from .problems import InputError, Problem
from .render import Renderer
from .text import BIDI_CONTROLS
from .write import Manifest, sha256, write_outputs

FORMATS = ("md", "pdf", "html")
RENDERERS = {name: metadata.version(name) for name in ("dossiers", "jinja2", "weasyprint", "networkx")}
DOSSIERS_DIR = "dossiers"
PACK = "briefing-pack"


class BuildError(Exception):
    """The build cannot go ahead; nothing was written."""


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and writes nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pdf_job(job: tuple[Path, str]) -> bytes:
    root, html = job
    return Renderer(root).pdf(html)


def _piece_job(job: tuple[Path, str]):
    root, html = job
    return Renderer(root).pdf_piece(html)


@contextmanager
def source_date_epoch(day: str):
    """Set SOURCE_DATE_EPOCH (unless the user did) for tools that stamp files with the time.

    fontTools, which subsets the fonts embedded in PDFs, honours it; without it, every
    build would embed the wall-clock time.
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def render_pdfs(root: Path, htmls: list[str], jobs: int, done: Callable[[], None]) -> list[bytes]:
    """PDF bytes for each HTML document, in order, over `jobs` processes."""
    if jobs <= 1 or len(htmls) <= 1:
        renderer, pdfs = Renderer(root), []
        for html in htmls:
            pdfs.append(renderer.pdf(html))
            done()
        return pdfs
    return _pool_map(_pdf_job, [(root, html) for html in htmls], jobs, done)


def _pool_map(job, tasks: list, jobs: int, done: Callable[[], None]) -> list:
    """`job` of each task, in order, over `jobs` worker processes that leave Ctrl-C to this one."""
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_ignore_interrupt) as pool:
        results = []
        for result in pool.map(job, tasks):
            results.append(result)
            done()
        return results


def input_hashes(root: Path, checked, renderer: Renderer) -> dict[str, str]:
    """sha256 of every file a build reads: registry, sources, and templates."""
    files = [REGISTRY_FILE, SOURCES_FILE] + [f"{SEEDS_DIR}/{s.file}" for s in checked.project.sources.sources]
    hashes = {name: sha256((root / name).read_bytes()) for name in files}
    for folder in reversed(renderer.dirs):  # the project's own templates win
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                hashes[f"templates/{path.relative_to(folder).as_posix()}"] = sha256(path.read_bytes())
    return hashes


@dataclass(frozen=True)
class PackOptions:
    title: str = "Briefing pack"
    handling: str = "For internal use"


@dataclass
class _Build:
    """What every step of one build shares."""

    root: Path
    out: Path
    checked: Checked
    joined: Joined
    renderer: Renderer
    manifest: Manifest
    inputs: dict[str, str]  # sha256 of every input file
    jobs: int  # PDF processes
    outputs: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # name → (bytes, key), to write
    kept: dict[str, str] = field(default_factory=dict)  # name → key, current already

    @cached_property
    def _renderers(self) -> str:
        """The fingerprint every output shares: the versions of the tool and its renderers, and the templates."""
        templates = {name: digest for name, digest in self.inputs.items() if name.startswith("templates/")}
        return fingerprint(RENDERERS, templates)

    def key(self, *parts: object) -> str:
        """The cache key of an output: how it is rendered, and what it shows."""
        return fingerprint(self._renderers, *parts)

    def stale(self, name: str, key: str) -> bool:
        """Whether `name` must be rendered; if not, it is kept as it is."""
        if self.manifest.current(self.out, name, key):
            self.kept[name] = key
            return False
        return True

    def write(self, removed: list[str] = ()) -> list[Path]:
        return write_outputs(self.out, self.manifest, self.outputs, self.kept, list(removed), self.inputs, __version__)


def fingerprint(*parts: object) -> str:
    """sha256 of plain data, dataclass views and pydantic models, in a stable form."""
    return sha256(json.dumps(parts, default=_plain, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _prepare(root: Path, out: Path | None, jobs: int | None) -> _Build:
    checked = check_project(load_project(root))
    if checked.errors:
        raise InputError(checked.errors)
    controls = any(d.controls for d in checked.project.documents.values()) or any(
        BIDI_CONTROLS.search(t.text) for t in checked.texts.values()
    )
    renderer = Renderer(root, controls)
    out = out or root / "build"
    inputs = input_hashes(root, checked, renderer)
    run = _Build(root, out, checked, join(checked), renderer, Manifest.read(out), inputs, jobs or os.cpu_count() or 1)
    # The registry lives until the build ends: keep the garbage collector from scanning it
    # again and again while WeasyPrint allocates (20% of PDF time at 10,000 facts), here
    # and in the PDF workers forked from this process.
    gc.freeze()
    return run


def _formats(formats: Iterable[str]) -> list[str]:
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BuildError(f"unknown format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}")
    return formats


def _no_progress(label: str, total: int) -> Callable[[], None]:
    return lambda: None


def dossier_outputs(run: _Build, ids: list[str], formats: list[str], progress) -> None:
    """Render the dossiers of the people named whose inputs changed since the last build."""
    joined = run.joined
    people = [a.id for a in joined.people]
    for actor_id in ids:
        if actor_id not in joined.actors:
            raise BuildError(f"no actor has the id '{actor_id}'; the people are: {', '.join(people)}")
        if actor_id not in people:
            raise BuildError(f"'{actor_id}' is not a person: dossiers are built for people ({', '.join(people)})")
    views = [dossier(joined, actor_id) for actor_id in ids]
    stale = {fmt: [] for fmt in formats}
    for view in views:
        for fmt in formats:
            name = f"{DOSSIERS_DIR}/{view.actor.id}.{fmt}"
            key = run.key(fmt, view)
            if run.stale(name, key):
                stale[fmt].append((name, key, view))
    tick = progress("Markdown", len(stale.get("md", [])) + len(stale.get("html", [])))
    for name, key, view in stale.get("md", []):
        run.outputs[name] = (run.renderer.dossier_markdown(view).encode("utf-8"), key)
        tick()
    for name, key, view in stale.get("html", []):
        run.outputs[name] = (run.renderer.dossier_html(view, "html").encode("utf-8"), key)
        tick()
    if stale.get("pdf"):
        htmls = [run.renderer.dossier_html(view, "pdf") for _, _, view in stale["pdf"]]
        with source_date_epoch(joined.built):
            pdfs = render_pdfs(run.root, htmls, run.jobs, progress("PDF", len(htmls)))
        for (name, key, _), pdf in zip(stale["pdf"], pdfs):
            run.outputs[name] = (pdf, key)


def pack_outputs(run: _Build, options: PackOptions, formats: list[str], progress) -> None:
    """Render the briefing pack (and its network drawing), unless nothing it shows changed."""
    from .network import network_caption, network_svg

    view = briefing(run.joined)
    key = run.key("pack", options, view)
    stale = [fmt for fmt in formats if run.stale(f"{PACK}.{fmt}", key)]
    if not stale:
        return
    tick = progress("Briefing pack", len(stale))
    svg, caption = network_svg(view), network_caption(view)
    run.outputs[f"{PACK}-network.svg"] = (svg.encode("utf-8"), key)
    if "md" in stale:
        run.outputs[f"{PACK}.md"] = (run.renderer.pack_markdown(view, options.title, options.handling, caption).encode("utf-8"), key)
        tick()
    if "html" in stale:
        run.outputs[f"{PACK}.html"] = (run.renderer.pack_html(view, options.title, options.handling, svg, caption).encode("utf-8"), key)
        tick()
    if "pdf" in stale:
        with source_date_epoch(run.joined.built):
            run.outputs[f"{PACK}.pdf"] = (pack_pdf(run, view, options, svg, caption, progress), key)
        tick()


def pack_pdf(run: _Build, view, options: PackOptions, svg: str, caption: str, progress) -> bytes:
    """The pack as PDF: one document when small; else in pieces of bounded memory, over the build's processes."""
    from collections import defaultdict

    from .pieces import join_pieces, page_numbers, pack_parts

    renderer = run.renderer
    parts = pack_parts(view.people, view.timeline)

    def html(part, pages=None) -> str:
        return renderer.pack_html(view, options.title, options.handling, svg, caption, part, pages)

    if len(parts) == 1:
        return renderer.pdf(html(parts[0]))
    placeholder = defaultdict(lambda: "0000")  # the front matter's length, before its page numbers are known
    htmls = [html(parts[0], placeholder)] + [html(part) for part in parts[1:]]
    pieces = _pool_map(_piece_job, [(run.root, h) for h in htmls], run.jobs, progress("Briefing pack pieces", len(htmls)))
    for _ in range(3):  # numbers of other widths could change the contents' length: then again
        front = renderer.pdf_piece(html(parts[0], page_numbers(pieces)))
        settled, pieces[0] = front.pages == pieces[0].pages, front
        if settled:
            break
    footers = renderer.pdf(renderer.footers_html(sum(piece.pages for piece in pieces)))
    created = "D:" + run.joined.built.replace("-", "") + "000000Z"
    metadata = {"/Title": options.title, "/Author": f"dossiers {__version__}", "/Creator": f"dossiers {__version__}", "/CreationDate": created, "/ModDate": created}
    return join_pieces(pieces, footers, metadata)


def build(
    root: Path,
    out: Path | None = None,
    ids: Iterable[str] = (),
    formats: Iterable[str] = ("md", "pdf"),
    jobs: int | None = None,
    progress: Callable[[str, int], Callable[[], None]] | None = None,
    pack: PackOptions | None = PackOptions(),
) -> list[Path]:
    """Build the dossiers of the people named into `out`; with no ids, every person's and the pack.

    Only outputs whose inputs changed since the last build are rendered again; with no
    ids, the dossiers of people no longer in the registry are removed. Raises InputError
    when the registry does not check, BuildError for a bad request. `progress(label,
    total)` returns a function called once per finished item. Everything is rendered
    before anything is written. Returns the paths written.
    """
    formats = _formats(formats)
    run = _prepare(root, out, jobs)
    progress = progress or _no_progress
    ids = list(dict.fromkeys(ids))
    people = [a.id for a in run.joined.people]
    dossier_outputs(run, ids or people, formats, progress)
    removed = []
    if not ids:
        if pack:
            pack_outputs(run, pack, formats, progress)
        removed = [name for name in run.manifest.outputs if name.startswith(f"{DOSSIERS_DIR}/") and Path(name).stem not in people]
    return run.write(removed)


def build_pack(
    root: Path,
    out: Path | None = None,
    options: PackOptions = PackOptions(),
    formats: Iterable[str] = ("md", "pdf"),
    progress: Callable[[str, int], Callable[[], None]] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Build only the briefing pack into `out` (unless it is current); returns the paths written."""
    formats = _formats(formats)
    run = _prepare(root, out, jobs)
    pack_outputs(run, options, formats, progress or _no_progress)
    return run.write()
