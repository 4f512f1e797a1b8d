"""Problems found in the inputs, and the one family of exceptions every stage raises.

The CLI has one handler for the family (`dossiers.cli.app.command`): a `UserError` prints
each problem at its file, line and column with how to fix it; a `BadRequest` prints the
valid choices; a `GitError` what git said. Anything else is a bug.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass

MAX_MESSAGE = 1000  # characters of a message: one that quotes a source or the registry at length is cut in the middle
_HEAD, _TAIL = 700, 250  # characters kept of a longer message's start (what is wrong) and end (how to fix it)


def bounded(message: str) -> str:
    """The message, or its first and last characters around a mark of the cut if it is longer than MAX_MESSAGE."""
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[:_HEAD]} [… {len(message) - _HEAD - _TAIL:,} characters cut …] {message[-_TAIL:]}"


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, pointing at a file, line and column (1-based)."""

    file: str  # relative to the project root, with forward slashes
    line: int
    col: int
    severity: str  # "error", "warning" or "info"
    code: str  # stable, kebab-case
    message: str  # says what is wrong and how to fix it; cut to MAX_MESSAGE characters

    def __post_init__(self):
        object.__setattr__(self, "message", bounded(self.message))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class DossiersError(Exception):
    """Base of every error the tool reports to its user instead of a traceback."""


class UserError(DossiersError):
    """The inputs are wrong: `problems` say where and how to fix them.

    A failure that has no place in a file (an output folder that cannot be written, say)
    carries only its message.
    """

    def __init__(self, message: str = "", problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        self.message = message = bounded(message)
        super().__init__(message or "\n".join(f"{p.file}:{p.line}:{p.col}: {p.message}" for p in self.problems))


class BadRequest(DossiersError):
    """The request names something that does not exist; `choices` are the valid ones."""

    def __init__(self, message: str, choices: Iterable[str] = ()):
        self.message = message = bounded(message)
        self.choices = list(choices)
        super().__init__(message)


class GitError(DossiersError):
    """git could not give what `dossiers diff` asked of it."""

    def __init__(self, message: str):
        super().__init__(bounded(message))


def fail(file: str, code: str, message: str, line: int = 1, col: int = 1) -> UserError:
    """A UserError of one problem."""
    return UserError(problems=[Problem(file, line, col, "error", code, message)])


_REASONS = {
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space is left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is larger than allowed (ulimit -f)",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOENT: "it does not exist",
    errno.ELOOP: "it is a loop of symbolic links",
    errno.EBUSY: "it is busy, a mount point perhaps, which cannot be moved: give --out a folder inside it",
}


def os_error(error: OSError, doing: str) -> UserError:
    """An OSError as a user error: what could not be done, to which path, and why."""
    reason = (_REASONS.get(error.errno) if error.errno is not None else None) or error.strerror or str(error)
    path = error.filename or "a file"
    return UserError(f"could not {doing}: {path}: {reason}")
