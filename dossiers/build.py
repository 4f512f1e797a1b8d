"""The whole pipeline, load → check → join → render → write, behind one call."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .check import Checked, check_project
from .join import Joined, briefing, dossier, join
from .load import REGISTRY_FILE, SEEDS_DIR, SOURCES_FILE, load_project
from .problems import InputError, Problem
from .render import Renderer
from .write import sha256, write_outputs

FORMATS = ("md", "pdf", "html")
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
    with ProcessPoolExecutor(max_workers=min(jobs, len(htmls)), initializer=_ignore_interrupt) as pool:
        pdfs = []
        for pdf in pool.map(_pdf_job, [(root, html) for html in htmls]):
            pdfs.append(pdf)
            done()
        return pdfs


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


def _prepare(root: Path) -> tuple[Checked, Joined, Renderer]:
    checked = check_project(load_project(root))
    if checked.errors:
        raise InputError(checked.errors)
    return checked, join(checked), Renderer(root)


def _formats(formats: Iterable[str]) -> list[str]:
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BuildError(f"unknown format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}")
    return formats


def _no_progress(label: str, total: int) -> Callable[[], None]:
    return lambda: None


def dossier_outputs(root: Path, joined: Joined, renderer: Renderer, ids: list[str], formats: list[str], jobs: int, progress) -> dict[str, bytes]:
    """The rendered dossiers of the people named, by output path."""
    people = [a.id for a in joined.people]
    for actor_id in ids:
        if actor_id not in joined.actors:
            raise BuildError(f"no actor has the id '{actor_id}'; the people are: {', '.join(people)}")
        if actor_id not in people:
            raise BuildError(f"'{actor_id}' is not a person: dossiers are built for people ({', '.join(people)})")
    outputs: dict[str, bytes] = {}
    views = [dossier(joined, actor_id) for actor_id in ids]
    tick = progress("Markdown", len(views))
    for view in views:
        if "md" in formats:
            outputs[f"{DOSSIERS_DIR}/{view.actor.id}.md"] = renderer.dossier_markdown(view).encode("utf-8")
        if "html" in formats:
            outputs[f"{DOSSIERS_DIR}/{view.actor.id}.html"] = renderer.dossier_html(view, "html").encode("utf-8")
        tick()
    if "pdf" in formats:
        htmls = [renderer.dossier_html(view, "pdf") for view in views]
        with source_date_epoch(joined.built):
            pdfs = render_pdfs(root, htmls, jobs, progress("PDF", len(views)))
        outputs.update({f"{DOSSIERS_DIR}/{view.actor.id}.pdf": pdf for view, pdf in zip(views, pdfs)})
    return outputs


def pack_outputs(joined: Joined, renderer: Renderer, options: PackOptions, formats: list[str], progress) -> dict[str, bytes]:
    """The rendered briefing pack (and its network drawing), by output path."""
    from .network import network_svg

    tick = progress("Briefing pack", len(formats))
    view = briefing(joined)
    svg = network_svg(view)
    outputs = {f"{PACK}-network.svg": svg.encode("utf-8")}
    if "md" in formats:
        outputs[f"{PACK}.md"] = renderer.pack_markdown(view, options.title, options.handling).encode("utf-8")
        tick()
    html = renderer.pack_html(view, options.title, options.handling, svg)
    if "html" in formats:
        outputs[f"{PACK}.html"] = html.encode("utf-8")
        tick()
    if "pdf" in formats:
        with source_date_epoch(joined.built):
            outputs[f"{PACK}.pdf"] = renderer.pdf(html)
        tick()
    return outputs


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

    Raises InputError when the registry does not check, BuildError for a bad request.
    `progress(label, total)` returns a function called once per finished item.
    Everything is rendered before anything is written.
    """
    formats = _formats(formats)
    checked, joined, renderer = _prepare(root)
    progress = progress or _no_progress
    ids = list(dict.fromkeys(ids))
    outputs = dossier_outputs(root, joined, renderer, ids or [a.id for a in joined.people], formats, jobs or os.cpu_count() or 1, progress)
    if not ids and pack:
        outputs.update(pack_outputs(joined, renderer, pack, formats, progress))
    return write_outputs(out or root / "build", outputs, input_hashes(root, checked, renderer), __version__)


def build_pack(
    root: Path,
    out: Path | None = None,
    options: PackOptions = PackOptions(),
    formats: Iterable[str] = ("md", "pdf"),
    progress: Callable[[str, int], Callable[[], None]] | None = None,
) -> list[Path]:
    """Build only the briefing pack into `out`."""
    formats = _formats(formats)
    checked, joined, renderer = _prepare(root)
    outputs = pack_outputs(joined, renderer, options, formats, progress or _no_progress)
    return write_outputs(out or root / "build", outputs, input_hashes(root, checked, renderer), __version__)
