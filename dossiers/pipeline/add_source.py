"""`dossiers add-source FILE`: a document copied into seeds/ unchanged and recorded in seeds/sources.yaml.

The entry is appended by a ruamel.yaml round trip, and only if every byte of the file
before it stays as it was; the document is copied without overwriting anything. Either
both happen or neither does: runs are serialised by a lock on seeds/; the document is
written and synced under a temporary name, then linked in under its own; the new
sources.yaml is written whole under a temporary name and renamed over the old. A run
killed midway leaves at most a temporary `.NAME.dossiers-adding`, which the next run
removes, or the document in seeds/ without its entry, which the next run adopts.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import io
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..disk import write_new, write_replacing
from ..errors import UserError, os_error
from ..registry.layout import SEEDS_DIR, SOURCES_FILE, Layout
from ..registry.load import load_sources
from ..registry.model import ID_PATTERN, UNKNOWN_PUBLISHER, Reliability, Source
from ..sources.archive import Capture
from ..sources.files import Unreadable, too_large
from ..sources.metadata import Found, guessed_language, metadata, printed_date
from ..sources.read import SourceDocument, SourceReader

UNGRADED = "F"
PARTIAL = ".{}.dossiers-adding"  # a file of seeds/ while it is being written


@dataclass
class AddedSource:
    source: Source
    format: str
    copied: bool  # copied into seeds/, or already there
    inferred: dict[str, Found] = field(default_factory=dict)  # key of the entry → where its value was read
    to_fill: list[str] = field(default_factory=list)  # keys the analyst must still fill in or check
    # notes: an id taken by another source, what of the metadata was not read and why
    skipped: list[str] = field(default_factory=list)


def add_source(
    root: Path,
    file: Path,
    url: str | None = None,
    source_id: str | None = None,
    dataset: str | None = None,
    version: str | None = None,
) -> AddedSource:
    """Copy `file` into seeds/ and record it. Of a web archive, its page at `url` (needed when it holds several), with
    the
    capture's URL, time and signature; of a list (a FollowTheMoney file), its dataset and version: the entities' own
    (`datasets`, the newest `last_change`), else `dataset` and `version` as given, else left to fill in."""
    layout = Layout(root)
    load_sources(root)  # a missing or broken sources.yaml is named before the document is read
    raw, name = _read(file)
    try:
        document = SourceReader(layout).document(raw, name, url)  # its text is read, so it is usable, and cached
    except Unreadable as problem:
        raise UserError(f"{problem.code}: {problem.message}") from None
    if not layout.seeds.resolve().is_relative_to(layout.root.resolve()):
        raise UserError(f"{SEEDS_DIR}/ leads out of the project: make it a folder of the project")
    listed = {}
    if document.listed is not None:
        listed = _list_fields(document.listed, name, dataset, version)
    elif dataset or version:
        raise UserError(
            f"--dataset and --version are for lists (FollowTheMoney entities files), and {name} is "
            f"{document.extracted.format}"
        )
    with _locked(layout.seeds):
        return _add(layout, file, raw, name, document, url, source_id, listed)


def _list_fields(listed, name: str, dataset: str | None, version: str | None) -> dict[str, Found | None]:
    """A list's dataset and version: its entities' own, else as given; None where neither says (left to fill in)."""
    own = {
        "dataset": Found(", ".join(listed.datasets), "the entities' datasets") if listed.datasets else None,
        "version": Found(listed.version, "the entities' newest last_change") if listed.version else None,
    }
    given = {"dataset": dataset, "version": version}
    for key, found in own.items():
        if found and given[key] and given[key] != found.value:
            raise UserError(
                f"{name} gives its {key} as '{found.value}', not '{given[key]}': leave out --{key}, or check the file"
            )
    return {key: own[key] or _given(given[key], key) for key in own}


def _given(value: str | None, key: str) -> Found | None:
    return Found(value, f"--{key}") if value else None


@contextmanager
def _locked(seeds: Path) -> Iterator[None]:
    """Hold the lock on seeds/ (the folder itself, so it outlives any rename of sources.yaml) and clear what a killed
    run left."""
    try:
        handle = os.open(seeds, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise os_error(error, f"open {SEEDS_DIR}/") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            for leftover in seeds.glob(PARTIAL.format("*")):
                leftover.unlink(missing_ok=True)
        except OSError as error:
            raise os_error(error, f"clear {SEEDS_DIR}/ of an interrupted add-source") from None
        yield
    finally:
        os.close(handle)  # releases the lock


def _add(
    layout: Layout,
    file: Path,
    raw: bytes,
    name: str,
    document: SourceDocument,
    url: str | None,
    source_id: str | None,
    listed: dict[str, Found | None],
) -> AddedSource:
    """The entry added and the document placed, with seeds/ locked."""
    digest, fmt, page = document.sha256, document.extracted.format, document.capture
    sources = load_sources(layout.root).sources  # read under the lock: another run may just have added one
    for known in sources:
        if known.sha256 == digest:
            raise UserError(
                f"{file} is already registered as source '{known.id}' ({SEEDS_DIR}/{known.file}): cite that source"
            )
    relative, copied = _place(layout.seeds, file, raw)
    found, skipped = metadata(page.body if page else raw, fmt, f"{name}, its page {page.url}" if page else name)
    if fmt == "pdf" and "published" not in found:
        printed = printed_date(document.extracted.text)
        found = {**found, **({"published": printed} if printed else {})}
    if not _language(found.get("language")):
        guessed = guessed_language(document.extracted.text)
        found = {**found, **({"language": guessed} if guessed else {})}
    found |= {key: value for key, value in listed.items() if value is not None}
    taken = {s.id: s for s in sources}
    renamed = []
    if source_id is None:  # from the file's name: the next free one when another source has it
        # capture.warc.gz: 'capture'
        wanted = source_id = _slug(Path(relative).stem.removesuffix(".warc") if page else Path(relative).stem)
        number = 2
        while source_id in taken:
            source_id, number = f"{wanted[: 60 - len(str(number)) - 1].rstrip('-')}-{number}", number + 1
        if source_id != wanted:
            renamed.append(
                f"the id '{wanted}' is taken by {SEEDS_DIR}/{taken[wanted].file}, so this source is "
                f"'{source_id}' (--id to choose another)"
            )
    if not ID_PATTERN.fullmatch(source_id):
        raise UserError(
            f"'{source_id}' is not a valid id: use lowercase letters, digits and single hyphens, like "
            "'dw-2020-01-19' (--id)"
        )
    if source_id in taken:
        raise UserError(f"a source with the id '{source_id}' already exists: give another with --id")
    entry, inferred, to_fill = _entry(source_id, relative, digest, found, url, page, is_list=bool(listed))
    try:
        source = Source.model_validate(
            {
                key: (value.isoformat() if isinstance(value, dt.date) else value)
                for key, value in entry.items()
                if value is not None
            }
        )
    except ValidationError as error:
        raise UserError(
            f"the entry for {name} would not be valid ({error.errors()[0]['msg']}): pass --id or --url to correct it"
        ) from None
    said = _text_notes(document.extracted)
    skipped = [*skipped, *(f"{name}: {line}" for line in said)]
    text = _appended(layout.sources, entry, inferred, to_fill, found.get("created"), said)
    _write(layout, relative, raw, copied, text)
    return AddedSource(
        source,
        fmt,
        copied,
        {key: Found(str(getattr(source, key)), where) for key, where in inferred.items()},
        to_fill,
        renamed + skipped,
    )


def _read(file: Path) -> tuple[bytes, str]:
    if not file.is_file():
        raise UserError(f"{file} is not a file: give the path of the document to add")
    try:
        too_large(file.stat().st_size, str(file))
        return file.read_bytes(), str(file)
    except Unreadable as problem:
        raise UserError(f"{problem.code}: {problem.message}") from None
    except OSError as error:
        raise os_error(error, f"read {file}") from None


def _place(seeds: Path, file: Path, raw: bytes) -> tuple[str, bool]:
    """The file's name under seeds/, and whether it must be copied there (never over another file)."""
    seeds = seeds.resolve()
    resolved = file.resolve()
    if resolved.is_relative_to(seeds):
        return resolved.relative_to(seeds).as_posix(), False
    target = seeds / file.name
    if target.exists() or target.is_symlink():
        if target.is_file() and not target.is_symlink() and target.read_bytes() == raw:
            return file.name, False
        raise UserError(
            f"{SEEDS_DIR}/{file.name} already exists and holds something else: rename {file} before adding it"
        )
    return file.name, True


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-") or "source"


def _language(found: Found | None) -> str | None:
    code = re.match(r"[A-Za-z]{2,3}(?![A-Za-z])", found.value) if found else None
    return code.group().lower() if code else None


def _date(found: Found | None) -> dt.date | str | None:
    value = found.value if found else ""
    full = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if full:
        try:
            return dt.date(*map(int, full.groups()))
        except ValueError:
            return None
    partial = re.match(r"\d{4}(-\d{2})?(?!\d)", value)
    return partial.group() if partial else None


def _entry(
    source_id: str,
    relative: str,
    digest: str,
    found: dict[str, Found],
    url: str | None,
    page: Capture | None = None,
    is_list: bool = False,
):
    """The new entry (in the order of the other entries), what was inferred, and what is left to fill."""
    values = {
        "title": found["title"].value if "title" in found else None,
        "publisher": found["publisher"].value if "publisher" in found else None,
        "published": _date(found.get("published")),
        "modified": _date(found.get("modified")),
        "url": url
        or (found["url"].value if "url" in found and re.match(r"https?://\S+$", found["url"].value) else None),
        "language": _language(found.get("language")),
    }
    inferred = {
        key: found[key].where
        for key, value in values.items()
        if value is not None and key in found and not (key == "url" and url)
    }
    if page:  # the page's address is the archive's record of it, whatever the page says its canonical URL is
        values["url"] = page.url
        inferred["url"] = "the WARC-Target-URI of its record"
        inferred["retrieved"] = "the WARC-Date of its record"
        if page.signed != "no":
            inferred["signed"] = f"signed by {page.signer}" + (
                "" if page.signed == "verified" else ": dossiers cannot verify such a signature"
            )
    to_fill = [key for key in ("title", "publisher", "published", "language") if values[key] is None]
    if "published" in inferred and "printed on page" in inferred["published"]:
        to_fill.append("published")  # read from the text: to check
    entry = {
        "id": source_id,
        "file": relative,
        "sha256": digest,
        "title": values["title"] or f"[{Path(relative).stem}]",
        "publisher": values["publisher"] or UNKNOWN_PUBLISHER,
        "published": values["published"],
        "modified": values["modified"],
        "url": values["url"],
        "retrieved": page.retrieved if page else None,
        "signed": page.signed if page else None,
        "signer": page.signer if page and page.signer else None,
        "language": values["language"] or "und",
        "reliability": UNGRADED,
        "notes": None,
    }
    for key in ("modified", "retrieved", "signed", "signer"):  # written only when known: most sources have none of them
        if entry[key] is None:
            del entry[key]
    if is_list:
        for key in ("dataset", "version"):
            entry[key] = found[key].value if key in found else None
            if key in found:
                inferred[key] = found[key].where
            else:
                to_fill.append(key)
    return entry, inferred, [*to_fill, "reliability", "notes"]


def _text_notes(extracted) -> list[str]:
    """What the analyst must know of the text that quotes will match: taken from JSON-LD, or much shorter than the
    page."""
    said = []
    if extracted.origin:
        said.append(
            f"its text is the page's {extracted.origin} ({extracted.words[0]:,} words): the body the page "
            "shows is a stub of it"
        )
    if extracted.incomplete:
        said.append(f"source-text-incomplete: {extracted.incomplete}: see what was kept with dossiers text")
    return said


def _appended(
    path: Path,
    entry: dict,
    inferred: dict[str, str],
    to_fill: list[str],
    created: Found | None = None,
    said: Sequence[str] = (),
) -> str:
    """seeds/sources.yaml with the entry added at the end of `sources:`; refused if any earlier byte would change."""
    original = path.read_text("utf-8")
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    document = yaml.load(original)
    item = CommentedMap(entry)
    for key, where in inferred.items():
        item.yaml_add_eol_comment(f"from {where}", key)
    notes = {
        "reliability": f"grade it: A ({Reliability.A.meaning}) to F ({Reliability.F.meaning})",
        "notes": "how the source was identified, and caveats",
        "published": "as the document gives it; empty if it does not",
        "dataset": "the list's dataset, like 'eu_fsf': neither its entities nor --dataset gave it",
        "version": "the list's version or export date: neither its entities nor --version gave it",
    }
    if said:
        notes["notes"] += "; " + "; ".join(said)
    if created:
        notes["published"] = (
            f"the PDF says only when its file was made ({created.value}, {created.where}), which is not when it was "
            "published: give the date the document prints, or leave it empty"
        )
    for key in to_fill:
        if key in notes and key not in inferred:
            item.yaml_add_eol_comment(f"to fill in: {notes[key]}", key)
    document["sources"].append(item)
    out = io.StringIO()
    yaml.dump(document, out)
    text = out.getvalue()
    kept = original.rstrip("\n")
    if not text.startswith(kept):
        raise UserError(
            f"{SOURCES_FILE} cannot take a new entry without changing what is already in it (is 'sources:' "
            "the last key?): add this entry by hand"
        )
    added = text[len(kept) :].lstrip("\n")
    spaced = re.search(r"\n\n  - ", original) is not None  # entries apart by a blank line, as in the file
    return kept + ("\n\n" if spaced else "\n") + added


def _write(layout: Layout, relative: str, raw: bytes, copied: bool, text: str) -> None:
    seeds = layout.seeds
    target = seeds / relative
    staged = seeds / PARTIAL.format(layout.sources.name)
    try:
        if copied:
            partial = seeds / PARTIAL.format(relative)
            try:
                write_new(partial, raw, sync=False)  # its folder is synced with sources.yaml's
                _linked(partial, target)
            finally:
                partial.unlink(missing_ok=True)
        try:
            write_replacing(layout.sources, text.encode("utf-8"), stat.S_IMODE(layout.sources.stat().st_mode), staged)
        except BaseException:
            staged.unlink(missing_ok=True)
            if copied:
                target.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise os_error(error, f"add {relative} to {SEEDS_DIR}/") from None


def _linked(partial: Path, target: Path) -> None:
    """`partial` under the name `target` too, never over a file of that name."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, some network shares): the lock keeps other runs out
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.rename(partial, target)
