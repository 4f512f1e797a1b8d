"""git, for `dossiers diff`: revisions resolved, and what the check of a revision needs copied out of it, raw and
bounded.

A revision is read with plumbing that applies no filter: `ls-tree` lists the files and
their sizes, `cat-file --batch` copies the blobs. Only the registry, the registered sources
and (if they are to be rendered) the templates are read; nothing else in the revision, an
unregistered 300 MB file in seeds/ included, is opened. A file over its limit, or over the
limit of the whole, is refused by the size git records before a byte of it is read, and a
symbolic link is refused, never followed.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import GitError, UserError
from ..git import copy_blobs, git
from ..registry.layout import REGISTRY_FILE, SEEDS_DIR, SETTINGS_FILE, SOURCES_FILE, TEMPLATES_DIR
from ..registry.load import load_sources
from ..registry.settings import MAX_SETTINGS_BYTES
from ..registry.yaml import MAX_FILE_BYTES
from ..sources.files import MAX_SOURCE_BYTES

WORKING_TREE = "working tree"
MAX_REVISION_BYTES = 2**30  # all that is read from one revision, together
PATHS_PER_CALL = 1000  # paths given to one ls-tree, well under the system's limit on arguments


@dataclass(frozen=True)
class Entry:
    """A file of a revision as `git ls-tree -l` lists it: mode, object id and size (None for a folder or submodule)."""

    path: str  # relative to the project root
    mode: int
    oid: str
    size: int | None


def default_base(root: Path) -> str:
    """The merge-base of HEAD with the default branch (origin's HEAD, else main, else master)."""
    for candidate in ("refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/heads/main", "refs/heads/master"):
        try:
            git(root, "rev-parse", "--verify", "--quiet", candidate)
        except GitError:
            continue
        return git(root, "merge-base", "HEAD", candidate).decode().strip()
    raise GitError("no default branch (origin/HEAD, main or master) to compare with: name the base revision")


def require_repository(root: Path) -> None:
    try:
        git(root, "rev-parse", "--git-dir")
    except GitError:
        raise GitError(f"{root} is not inside a git repository: dossiers diff compares git revisions") from None


def materialise(root: Path, revision: str, into: Path, templates: bool = False) -> Path:
    """The registry, its registered sources and (`templates`) the templates as they were at `revision`, copied under
    `into`."""
    try:
        commit = git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"'{revision}' is not a revision of this repository: use a branch, tag or commit") from None
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    project = into / prefix
    project.mkdir(parents=True)
    reader = _Reader(root, commit, prefix, revision, project)
    reader.copy(reader.list([REGISTRY_FILE, SETTINGS_FILE, SOURCES_FILE]))
    chosen = reader.list(_registered(project))
    if templates:
        chosen += reader.list([TEMPLATES_DIR], recursive=True)
    reader.copy(chosen)
    return project


def _registered(project: Path) -> list[str]:
    """The files under seeds/ that the copied seeds/sources.yaml registers; none if it does not load (the check will say
    why)."""
    try:
        sources = load_sources(project).sources
    except UserError:
        return []
    names = []
    for source in sources:
        relative = PurePosixPath(source.file)
        if relative.parts and not relative.is_absolute() and ".." not in relative.parts and "\\" not in source.file:
            names.append(f"{SEEDS_DIR}/{relative.as_posix()}")
    return list(dict.fromkeys(names))


def _limit(path: str) -> int:
    return (
        MAX_SETTINGS_BYTES
        if path == SETTINGS_FILE
        else MAX_FILE_BYTES
        if path in (REGISTRY_FILE, SOURCES_FILE)
        else MAX_SOURCE_BYTES
    )


@dataclass
class _Reader:
    """Lists and copies the files of one commit, counting what it has read against MAX_REVISION_BYTES."""

    root: Path
    commit: str
    prefix: str  # the project's folder inside the repository, '' or ending in '/'
    revision: str  # as the user named it, for messages
    project: Path
    read: int = 0
    copied: set[str] = field(default_factory=set)

    def list(self, paths: list[str], recursive: bool = False) -> list[Entry]:
        """The entries at exactly `paths` (with `recursive`, every file under them); absent ones are left out."""
        entries = []
        options = ["--literal-pathspecs", "ls-tree", "-z", "-l", "--full-tree", *(["-r"] if recursive else [])]
        for start in range(0, len(paths), PATHS_PER_CALL):
            asked = set(paths[start : start + PATHS_PER_CALL])
            listing = git(self.root, *options, self.commit, "--", *(self.prefix + path for path in asked))
            for record in filter(None, listing.split(b"\0")):
                meta, name = record.split(b"\t", 1)
                mode, _, oid, size = meta.decode().split()
                path = name.decode("utf-8", "surrogateescape").removeprefix(self.prefix)
                if path in asked or (recursive and any(path.startswith(f"{folder}/") for folder in asked)):
                    entries.append(Entry(path, int(mode, 8), oid, None if size == "-" else int(size)))
        return entries

    def copy(self, entries: list[Entry]) -> None:
        """Copy the files among `entries` under the project folder; a link, a file over its limit, or too much in all is
        refused first."""
        blobs = []
        for entry in entries:
            if entry.path in self.copied:
                continue
            if {"", ".", ".."} & set(entry.path.split("/")):
                raise GitError(
                    f"{self.revision} holds a path that leaves its folder ({entry.path!r}): dossiers diff refuses it"
                )
            if stat.S_ISLNK(entry.mode):
                raise GitError(
                    f"{entry.path} at {self.revision} is a symbolic link: dossiers diff follows no link in "
                    "a revision; commit the file itself"
                )
            if not stat.S_ISREG(entry.mode) or entry.size is None:
                continue  # a folder or a submodule where a file was expected: the check says it is missing
            if entry.size > _limit(entry.path):
                raise GitError(
                    f"{entry.path} at {self.revision} is larger than {_size(_limit(entry.path))} ({entry.size:,} "
                    "bytes): "
                    "dossiers diff does not read it; keep each file under the limit"
                )
            self.read += entry.size
            self.copied.add(entry.path)
            if self.read > MAX_REVISION_BYTES:
                raise GitError(
                    f"{self.revision} holds more than {_size(MAX_REVISION_BYTES)} of registry, sources and "
                    "templates: dossiers diff reads no more of one revision"
                )
            target = self.project / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            blobs.append((entry.oid, target))
        copy_blobs(self.root, blobs)


def _size(limit: int) -> str:
    """A limit as people write it: 32 MiB, 64 KiB, 1 GiB, or bytes."""
    for unit, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if limit % unit == 0:
            return f"{limit // unit} {name}"
    return f"{limit:,} bytes"


def short(root: Path, label: str) -> str:
    """A revision as people write it: a full hash shortened."""
    if label == WORKING_TREE or len(label) < 40:
        return label
    return git(root, "rev-parse", "--short", label).decode().strip()
