"""A build, one step after another: load, check, join, plan, outdated, render, write."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..about import TOOL
from ..errors import BadRequest, UserError, os_error
from ..output import html, markdown, pdf
from ..output.pack_pdf import Piece, join_pieces, page_numbers
from ..output.session import open_session
from ..output.signing import SigningKey, sign_detached, sign_pdf
from ..output.templates import Templates
from ..registry.layout import DOSSIERS_DIR, PIECES_DIR, REGISTRY_FILE, SEEDS_DIR, SOURCES_DIR, SOURCES_FILE, piece_name
from ..registry.settings import output_folder
from ..verify.check import Checked
from ..views.briefing import Briefing, PackOptions, briefing, parts
from ..views.dossier import Dossier, dossier
from ..views.evidence import evidence
from ..views.join import Joined
from ..views.site import site
from .manifest import Manifest, sha256, write_outputs
from .outdir import clear_leftovers, locked, tracked_by_git, vet
from .plan import FORMATS, Output, fingerprint, fonts, outdated, plan
from .pool import interruptible, run_tasks

Progress = Callable[[str, int], Callable[[], None]]
CONTENTS_RENDERINGS = 3  # times the front matter may be rendered for its page numbers to settle


def no_progress(label: str, total: int) -> Callable[[], None]:
    return lambda: None


@contextmanager
def source_date_epoch(day: str) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (unless the user did) for tools that stamp files with the time.

    fontTools, which subsets the fonts embedded in PDFs, honours it; without it, every
    build would embed the wall-clock time.
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector from rescanning the registry while WeasyPrint allocates.

    The registry lives until the build ends; scanning it again and again cost 20% of PDF
    time at 10,000 facts, here and in the workers forked from this process. Undone after.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _formats(formats: Iterable[str]) -> list[str]:
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BadRequest(f"unknown format {', '.join(unknown) or '(none)'}", list(FORMATS))
    return formats


def _people(joined: Joined, ids: list[str]) -> list[str]:
    people = [a.id for a in joined.with_dossiers]
    for actor_id in ids:
        if actor_id not in joined.actors:
            raise BadRequest(f"no actor has the id '{actor_id}'", people)
        if actor_id not in people:
            raise BadRequest(
                f"'{actor_id}' has no dossier: dossiers are built for people, and for bodies that facts "
                "are about (a state has none)",
                people,
            )
    return ids or people


def input_hashes(checked: Checked, templates: dict[str, str]) -> dict[str, str]:
    """sha256 of every file a build reads: registry, sources, and templates."""
    root = checked.project.root
    files = [REGISTRY_FILE, SOURCES_FILE] + [f"{SEEDS_DIR}/{s.file}" for s in checked.project.sources.sources]
    return {name: sha256((root / name).read_bytes()) for name in files} | templates


@dataclass
class _Cache:
    """Pieces of a pack kept in the output folder from earlier builds, and those made by this one."""

    out: Path
    manifest: Manifest
    made: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # name → (bytes, key), to write
    kept: dict[str, str] = field(default_factory=dict)  # name → key, current already

    def load(self, name: str, key: str) -> bytes | None:
        if name in self.made and self.made[name][1] == key:
            return self.made[name][0]
        if self.manifest.current(self.out, name, key):
            self.kept[name] = key
            return (self.out / name).read_bytes()
        return None

    def store(self, name: str, key: str, data: bytes) -> bytes:
        self.made[name] = (data, key)
        self.kept.pop(name, None)
        return data


@dataclass
class _Renderer:
    """Renders the outdated outputs of one build."""

    templates: Templates
    shared: str  # the key part every output shares
    jobs: int
    progress: Progress
    check_interrupt: Callable[[], None]
    cache: _Cache
    drawn: dict[str, str] = field(default_factory=dict)  # the network drawing and its caption, once per build

    def ticker(self, label: str, total: int) -> Callable[[], None]:
        done = self.progress(label, total)

        def tick() -> None:
            done()
            self.check_interrupt()

        return tick

    def render(self, stale: list[Output], planned: list[Output]) -> dict[str, bytes]:
        """Bytes of each stale output: text formats here, every PDF and piece (dossiers and pack) over one pool."""
        rendered: dict[str, bytes] = {}
        for output in stale:
            if output.fmt == "font":
                rendered[output.name] = output.font.read_bytes()
        texts = [o for o in stale if o.fmt not in ("pdf", "piece", "font")]
        names = {"md": "Markdown", "html": "HTML", "svg": "SVG", "site": "HTML"}
        tick = self.ticker(" and ".join(dict.fromkeys(names[o.fmt] for o in texts)) or "Markdown", len(texts))
        for output in texts:
            rendered[output.name] = self.text(output).encode("utf-8")
            tick()
        pieces = [o for o in planned if o.fmt == "piece"]

        def joined_from_pieces(output: Output) -> bool:
            return output.fmt == "pdf" and isinstance(output.view, Briefing) and bool(pieces)

        def piece_bytes(piece: Output) -> bytes:
            data = rendered[piece.name] if piece.name in rendered else self.cache.load(piece.name, piece.key)
            if data is None:  # planned as current, yet its file is no longer the one the manifest names
                raise UserError(f"{piece.name} changed in the output folder during the build; build again")
            return data

        jobs = [o for o in stale if o.fmt == "piece" or (o.fmt == "pdf" and not joined_from_pieces(o))]
        tasks = [self.task(output) for output in jobs]
        results = run_tasks(tasks, [len(args[1]) for _, args in tasks], self.jobs, self.ticker("PDF", len(tasks)))
        for output, result in zip(jobs, results):
            rendered[output.name] = result.to_bytes() if output.fmt == "piece" else result
        for output in filter(joined_from_pieces, stale):
            loaded = [Piece.from_bytes(piece_bytes(o)) for o in pieces]
            rendered[output.name] = self.join_pack(output.pack, pieces[0], loaded)
        return rendered

    def task(self, output: Output) -> tuple[Callable, tuple]:
        """How a PDF or a piece is rendered in a worker: the function and its arguments (template folders, HTML)."""
        dirs = self.templates.dirs
        if isinstance(output.view, Briefing):
            svg, caption = self.network(output.view)
            part = output.part or parts(output.view)[0]
            page_html = html.pack_html(self.templates, output.view, svg, caption, part, _placeholders(part))
            return (pdf.pdf_piece if output.fmt == "piece" else pdf.pdf), (dirs, page_html)
        page = output.page
        if not isinstance(page, Dossier):
            raise TypeError(f"{output.name}: a PDF is of a dossier or the pack")
        return pdf.pdf, (dirs, html.dossier_html(self.templates, page, "pdf"))

    def network(self, view: Briefing) -> tuple[str, str]:
        """The network drawing (SVG) and its caption, drawn once per build."""
        if not self.drawn:
            from ..output.network import network_caption, network_svg

            self.drawn.update(svg=network_svg(view), caption=network_caption(view))
        return self.drawn["svg"], self.drawn["caption"]

    def text(self, output: Output) -> str:
        view = output.view
        if not isinstance(view, Briefing):
            page = output.page
            if output.fmt != "md":
                return html.site_page_html(self.templates, page)
            if not isinstance(page, Dossier):
                raise TypeError(f"{output.name}: Markdown is of a dossier or the pack")
            return markdown.dossier_markdown(self.templates, page)
        svg, caption = self.network(view)
        if output.fmt == "svg":
            return svg
        return (
            markdown.pack_markdown(self.templates, view, caption)
            if output.fmt == "md"
            else html.pack_html(self.templates, view, svg, caption)
        )

    def join_pack(self, view: Briefing, front: Output, pieces: list[Piece]) -> bytes:
        """The pack's pieces joined, once the contents' page numbers have settled.

        The front matter is rendered first with placeholder numbers (the planned piece),
        then with the page numbers of the joined pieces, until those numbers hold. That
        rendering and the page footers are kept in the output folder too, keyed on the
        numbers and the page count, so an edit that moves no page renders neither again.
        """
        if self.settled_front(front, pieces):
            return self.joined(view, pieces)
        svg, caption = self.network(view)
        for _ in range(CONTENTS_RENDERINGS):
            numbers = page_numbers(pieces)
            key = fingerprint(front.key, numbers)
            data = self.cache.load(piece_name("front-numbered"), key)
            if data is None:
                numbered = pdf.pdf_piece(
                    self.templates.dirs, html.pack_html(self.templates, view, svg, caption, front.part, numbers)
                )
                data = self.cache.store(piece_name("front-numbered"), key, numbered.to_bytes())
            pieces[0] = Piece.from_bytes(data)
            if page_numbers(pieces) == numbers:
                break
        else:
            raise UserError(
                f"the contents' page numbers of the briefing pack did not settle after {CONTENTS_RENDERINGS} "
                "renderings: "
                "a template override makes the contents change length with its own numbers; fix the template"
            )
        return self.joined(view, pieces)

    def settled_front(self, front: Output, pieces: list[Piece]) -> bool:
        """Whether the numbered front matter kept from the last build still gives the right numbers; if so it replaces
        the draft.

        It was keyed on the numbers it shows, so it is right exactly when the pieces it
        now heads would give those numbers again.
        """
        name = piece_name("front-numbered")
        entry = self.cache.manifest.outputs.get(name) or {}
        kept = self.cache.load(name, str(entry.get("key")))
        try:
            candidate = Piece.from_bytes(kept) if kept is not None else None
        except (ValueError, KeyError, TypeError):
            candidate = None
        if candidate is None or fingerprint(front.key, page_numbers([candidate, *pieces[1:]])) != entry.get("key"):
            self.cache.kept.pop(name, None)
            return False
        pieces[0] = candidate
        return True

    def joined(self, view: Briefing, pieces: list[Piece]) -> bytes:
        """The pieces, their front matter numbered, as one PDF with page footers."""
        total = sum(piece.pages for piece in pieces)
        key = fingerprint(self.shared, "footers", total)
        footers = self.cache.load(piece_name("footers"), key)
        if footers is None:
            footers = self.cache.store(
                piece_name("footers"), key, pdf.pdf(self.templates.dirs, html.footers_html(self.templates, total))
            )
        created = "D:" + view.built.replace("-", "") + "000000Z"
        return join_pieces(
            pieces,
            footers,
            {"/Title": view.title, "/Author": TOOL, "/Creator": TOOL, "/CreationDate": created, "/ModDate": created},
        )


def left_out_of_date(
    joined: Joined, manifest: Manifest, outputs: list[Output], shared: str, pack: PackOptions
) -> list[str]:
    """The outputs of earlier builds, kept in the folder, that this build did not plan and that a build of everything
    would render anew: a pack left out with --no-pack, the dossiers of people not named, after a change that shows in
    them."""
    planned = {o.name for o in outputs}
    others = [name for name in manifest.outputs if name not in planned and not name.startswith(f"{PIECES_DIR}/")]
    if not others:
        return []
    views = [dossier(joined, actor.id) for actor in joined.with_dossiers]
    pack_view = briefing(joined, pack)
    keys = {o.name: o.key for o in plan(views, pack_view, list(FORMATS), shared, site(joined, views, pack_view.title))}
    return sorted(name for name in others if name in keys and manifest.outputs[name].get("key") != keys[name])


def attach_evidence(
    joined: Joined, stale: list[Output], rendered: dict[str, bytes], notice: Callable[[str], None]
) -> None:
    """Each new dossier and pack PDF gets its sources, byte for byte as the check read them, and the evidence of its
    claims attached (`dossiers verify` reads them); a claim its pages do not print (a template left it out) is said."""
    for output in stale:
        if output.fmt == "pdf":
            rendered[output.name], unprinted = pdf.attach_evidence(
                rendered[output.name], evidence(joined, output.document, TOOL), joined.checked.files, TOOL
            )
            if unprinted:
                notice(
                    f"Warning: {output.name} does not print {len(unprinted)} of its claims as the registry words them "
                    f"({', '.join(unprinted[:5])}"
                    f"{', …' if len(unprinted) > 5 else ''}): dossiers verify will fail it; does a template leave them "
                    "out or change their words?"
                )


def sign_pdfs(stale: list[Output], rendered: dict[str, bytes], key: SigningKey, tick: Callable[[], None]) -> None:
    """Sign each new PDF, last of all, over the whole file."""
    for output in stale:
        if output.fmt == "pdf":
            rendered[output.name] = sign_pdf(rendered[output.name], key)
            tick()


class _Placeholders(dict):
    """Contents page numbers before they are known: four digits, as wide as the real ones will be."""

    def __missing__(self, key: str) -> str:
        return "0000"


def _placeholders(part) -> dict | None:
    return _Placeholders() if part.pieces > 1 and "front" in part.sections else None


def build(
    root: Path,
    *,
    out: Path | None = None,
    ids: Iterable[str] = (),
    formats: Iterable[str] | None = None,
    jobs: int | None = None,
    pack: PackOptions | None = PackOptions(),
    dossiers: bool = True,
    fresh: bool = False,
    project_templates: bool = True,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
    sign: SigningKey | None = None,
    draft: bool = False,
) -> list[Path]:
    """Build into `out` (default ROOT/build) the dossiers of the people named, or of everyone and the pack.

    Unset formats, output folder and cover come from the project's dossiers.toml (or its
    defaults). Only outputs whose key changed since the last build are rendered, unless `fresh`:
    then the existing manifest and outputs are ignored, everything is rendered, and the
    folder ends up holding this build's outputs alone. With no ids, the dossiers of
    people no longer in the registry are removed. `pack=None` leaves the pack out,
    `dossiers=False` the dossiers; `project_templates=False` renders with the packaged
    templates only. The output folder is replaced whole, under a lock, once everything
    is rendered. Raises UserError when the registry does not check or a file cannot be
    written, or when a fact has an open support warning (unless `draft`: then everything renders, every page marked as a
    draft that says how many claims are unsupported), BadRequest for an id or format that does not exist.
    `progress(label, total)`
    returns a function called once per finished item; `notice(text)` gets warnings and
    waits. Ctrl-C stops the build and writes nothing. With `sign`, every PDF is signed (PAdES)
    and manifest.json gets a detached signature. Returns the paths written.
    """
    if formats is not None:
        formats = _formats(formats)  # an unknown format is said before the registry is read
    ids = list(dict.fromkeys(ids))
    notice = notice or (lambda text: None)
    session = open_session(root, project_templates=project_templates, draft=draft)
    settings, checked, joined, templates, shared = (
        session.settings,
        session.checked,
        session.views,
        session.templates,
        session.shared,
    )
    formats = _formats(settings.build.formats if formats is None else formats)
    layout = session.layout
    where = output_folder(layout.root, out, settings)  # as the user named it, for messages
    out = vet(layout, where)
    if pack is not None:
        pack = PackOptions(pack.title or settings.pack.title, pack.handling or settings.pack.handling)
    if not fresh and tracked_by_git(layout.root, out):
        notice(
            f"Warning: {out} is tracked by git, so its outputs may come from whoever committed them; build with "
            "--fresh to render everything anew"
        )
    people = _people(joined, ids)
    views = [dossier(joined, actor_id) for actor_id in people] if dossiers else []
    pack_view = briefing(joined, pack) if pack is not None and not ids else None
    title = (pack.title if pack else None) or settings.pack.title
    # with the dossiers' pages, the site
    site_pages = site(joined, views, title) if "html" in formats and dossiers and not ids else []
    outputs = plan(
        views, pack_view, formats, shared, site_pages, signed_by=sign.fingerprint + sign.level if sign else ""
    )
    if "html" in formats:  # the HTML pages' stylesheet names the templates' fonts
        outputs += fonts(templates.dirs, shared)
    try:
        with locked(out, notice):
            clear_leftovers(out)
            vet(layout, where)  # what the leftovers put in its place is vetted like the folder itself
            manifest = Manifest() if fresh else Manifest.read(out)
            stale, current = outdated(outputs, manifest, out)
            cache = _Cache(out, manifest)
            with interruptible() as check_interrupt, frozen_heap(), source_date_epoch(joined.built):
                renderer = _Renderer(
                    templates, shared, jobs or os.cpu_count() or 1, progress or no_progress, check_interrupt, cache
                )
                rendered = renderer.render(stale, outputs)
                attach_evidence(joined, stale, rendered, notice)
                if sign:
                    sign_pdfs(stale, rendered, sign, renderer.ticker("Signing", sum(o.fmt == "pdf" for o in stale)))
            new = {o.name: (rendered[o.name], o.key) for o in stale} | cache.made
            kept = {o.name: o.key for o in current} | cache.kept
            removed = []
            if not ids and dossiers:
                removed = [
                    name
                    for name in manifest.outputs
                    if name.startswith(f"{DOSSIERS_DIR}/") and Path(name).stem not in people
                ]
            if site_pages:  # pages of sources no longer in the registry
                removed += [
                    name
                    for name in manifest.outputs
                    if name.startswith(f"{SOURCES_DIR}/") and name not in {o.name for o in outputs}
                ]
            if pack_view is not None and "pdf" in formats:  # pieces of an earlier pack that this one no longer has
                removed += [
                    name
                    for name in manifest.outputs
                    if name.startswith(f"{PIECES_DIR}/") and name not in new and name not in kept
                ]
            sign_manifest = (lambda data: sign_detached(data, sign)) if sign else None
            written = write_outputs(
                out, manifest, new, kept, removed, input_hashes(checked, session.template_hashes), fresh, sign_manifest
            )
            if not fresh:
                left = left_out_of_date(
                    joined,
                    manifest,
                    outputs,
                    shared,
                    PackOptions(title, pack.handling if pack else settings.pack.handling),
                )
                if left:
                    them = "it" if len(left) == 1 else "them"
                    notice(
                        f"Warning: {', '.join(left)} in {where} {'is' if len(left) == 1 else 'are'} out of date: "
                        f"this build left {them} out; `dossiers build` renders {them} anew"
                    )
            return written
    except OSError as error:
        raise os_error(error, f"write the output folder {out}") from None
