"""git, run in the project: the one place a git command is started."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import GitError, os_error

NOT_INSTALLED = "git is not installed: dossiers diff compares git revisions"
CHUNK = 2**20  # bytes of a blob held in memory at once


def git(root: Path, *args: str) -> bytes:
    """stdout of a git command in `root`; raises GitError with git's last line of complaint."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(NOT_INSTALLED) from None
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(said.splitlines()[-1] if said else f"git {' '.join(args)} failed")
    return done.stdout


def copy_blobs(root: Path, blobs: Iterable[tuple[str, Path]]) -> None:
    """Write each blob (object id, new file) byte for byte as git stores it, a chunk at a time.

    `git cat-file --batch` applies no smudge filter, no end-of-line conversion and no
    textconv: nothing a revision's .gitattributes names is run.
    """
    try:
        process = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError(NOT_INSTALLED) from None
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None and stdout is not None  # both are pipes
    with process:
        for oid, target in blobs:
            stdin.write(f"{oid}\n".encode())
            stdin.flush()
            header = stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(
                    f"git cannot read the blob {oid} "
                    f"({b' '.join(header[1:]).decode('utf-8', 'replace') or 'no answer'})"
                )
            left = int(header[2])
            try:
                with target.open("xb") as out:
                    while left:
                        chunk = stdout.read(min(left, CHUNK))
                        if not chunk:
                            raise GitError(f"git stopped in the middle of the blob {oid}")
                        out.write(chunk)
                        left -= len(chunk)
            except OSError as error:
                raise os_error(error, "write a file of the revision") from None
            stdout.read(1)  # the newline after each blob
        stdin.close()


def tracked(root: Path, folder: Path) -> bool:
    """Whether git tracks files in `folder` (inside `root`): then someone may have committed them to be trusted."""
    root = Path(os.path.realpath(root))  # not Path.resolve, which raises on a loop of links
    if not folder.is_relative_to(root) or folder == root:
        return False
    try:
        return bool(git(root, "ls-files", "-z", "--", folder.relative_to(root).as_posix()))
    except GitError:
        return False
