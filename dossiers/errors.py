"""Problems found in the inputs, and the one family of exceptions every stage raises.

The CLI has one handler for the family (`dossiers.cli.app.run`): a `UserError` prints
each problem at its file, line and column with how to fix it; a `BadRequest` prints the
valid choices; a `GitError` what git said. Anything else is a bug.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, pointing at a file, line and column (1-based)."""

    file: str  # relative to the project root, with forward slashes
    line: int
    col: int
    severity: str  # "error", "warning" or "info"
    code: str  # stable, kebab-case
    message: str  # says what is wrong and how to fix it

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

    def __init__(self, message: str = "", problems: list[Problem] = ()):
        self.problems = list(problems)
        self.message = message
        super().__init__(message or "\n".join(f"{p.file}:{p.line}:{p.col}: {p.message}" for p in self.problems))


class BadRequest(DossiersError):
    """The request names something that does not exist; `choices` are the valid ones."""

    def __init__(self, message: str, choices: list[str] = ()):
        self.message = message
        self.choices = list(choices)
        super().__init__(message)


class GitError(DossiersError):
    """git could not give what `dossiers diff` asked of it."""


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
    reason = _REASONS.get(error.errno, error.strerror or str(error))
    path = error.filename or "a file"
    return UserError(f"could not {doing}: {path}: {reason}")
