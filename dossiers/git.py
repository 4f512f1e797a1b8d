"""git, run in the project: the one place a git command is started."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import GitError


def git(root: Path, *args: str) -> bytes:
    """stdout of a git command in `root`; raises GitError with git's last line of complaint."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed: dossiers diff compares git revisions") from None
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(said.splitlines()[-1] if said else f"git {' '.join(args)} failed")
    return done.stdout


def tracked(root: Path, folder: Path) -> bool:
    """Whether git tracks files in `folder` (inside `root`): then someone may have committed them to be trusted."""
    root = root.resolve()
    if not folder.is_relative_to(root) or folder == root:
        return False
    try:
        return bool(git(root, "ls-files", "-z", "--", folder.relative_to(root).as_posix()))
    except GitError:
        return False
