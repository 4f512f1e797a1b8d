"""git, for `dossiers diff`: revisions resolved, and a revision's registry extracted safely."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from ..errors import GitError
from ..git import git
from ..registry.layout import REGISTRY_FILE, SEEDS_DIR, TEMPLATES_DIR

WORKING_TREE = "working tree"


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


def materialise(root: Path, revision: str, into: Path) -> Path:
    """The registry, sources and templates as they were at `revision`, extracted under `into`."""
    try:
        commit = git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"'{revision}' is not a revision of this repository: use a branch, tag or commit") from None
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    paths = [f"{prefix}{REGISTRY_FILE}", f"{prefix}{SEEDS_DIR}", *_present(root, commit, f"{prefix}{TEMPLATES_DIR}")]
    archive = git(root, "archive", "--format=tar", commit, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(into, filter="data")
        except tarfile.FilterError as error:
            raise GitError(f"{revision} holds a file that cannot be extracted safely ({error}): dossiers refuses links that leave the project") from None
    return into / prefix


def _present(root: Path, commit: str, path: str) -> list[str]:
    listed = git(root, "ls-tree", "--name-only", commit, "--", path).decode().strip()
    return [path] if listed else []


def short(root: Path, label: str) -> str:
    """A revision as people write it: a full hash shortened."""
    if label == WORKING_TREE or len(label) < 40:
        return label
    return git(root, "rev-parse", "--short", label).decode().strip()
