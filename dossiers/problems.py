"""Problems found in the inputs, and the three ways of printing them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .text import TERMINAL_CONTROLS, markdown_escape, visible_controls

@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, pointing at a file, line and column (1-based)."""

    file: str  # relative to the project root, with forward slashes
    line: int
    col: int
    severity: str  # "error" or "warning"
    code: str  # stable, kebab-case
    message: str  # says what is wrong and how to fix it


class InputError(Exception):
    """The inputs cannot be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(f"{p.file}:{p.line}:{p.col}: {p.message}" for p in problems))
        self.problems = problems


def display_path(root: str, file: str) -> str:
    """The file as the user named it: joined to --root as they typed it."""
    return file if root in ("", ".") else str(Path(root) / file)


def excerpt(text: str, line: int, col: int) -> str:
    """The line a problem points at, with a caret under its column."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1]
    if len(shown) > 160:  # keep the caret in view on very long lines
        start = max(0, col - 80)
        shown, col = shown[start : start + 160], col - start
    gutter = " " * len(str(line))
    return f" {line} | {shown}\n {gutter} | {' ' * (col - 1)}^"


def format_text(problems: list[Problem], root: str, context: bool = True) -> str:
    """One line per problem, `file:line:col: severity code: message`, then a summary.

    With `context`, each line is followed by the offending line of the file and a caret.
    """
    out, texts = [], {}
    for p in problems:
        message = visible_controls(p.message, TERMINAL_CONTROLS)
        out.append(f"{display_path(root, p.file)}:{p.line}:{p.col}: {p.severity} {p.code}: {message}")
        if context:
            if p.file not in texts:
                try:
                    texts[p.file] = (Path(root) / p.file).read_text("utf-8", errors="replace")
                except OSError:
                    texts[p.file] = ""
            snippet = visible_controls(excerpt(texts[p.file], p.line, p.col), TERMINAL_CONTROLS)
            if snippet:
                out.append(snippet)
    out.append(summary(problems))
    return "\n".join(out)


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "No problems found."
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."


def _github_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


GITHUB_ANNOTATIONS = 10  # GitHub shows at most this many annotations of one kind per step


def format_github(problems: list[Problem], root: str, limit: int = GITHUB_ANNOTATIONS) -> str:
    """GitHub Actions workflow commands: the first `limit` problems as annotations, then a notice."""
    out = []
    for p in problems[:limit]:
        file = _github_escape(display_path(root, p.file), prop=True)
        title = _github_escape(p.code, prop=True)
        message = _github_escape(visible_controls(p.message, TERMINAL_CONTROLS))
        out.append(f"::{p.severity} file={file},line={p.line},col={p.col},title={title}::{message}")
    if len(problems) > limit:
        out.append(f"::notice title=dossiers check::{len(problems) - limit} more problems are not annotated: the job summary lists all {len(problems)}")
    return "\n".join(out)


def format_markdown(problems: list[Problem], root: str) -> str:
    """A Markdown table of every problem, for a job summary."""
    if not problems:
        return "**dossiers check**: no problems found.\n"
    rows = [f"**dossiers check**: {summary(problems)}", "", "| Where | Severity | Code | Message |", "| --- | --- | --- | --- |"]
    for p in problems:
        where = markdown_escape(f"{display_path(root, p.file)}:{p.line}:{p.col}")
        rows.append(f"| {where} | {p.severity} | `{p.code}` | {markdown_escape(visible_controls(p.message, TERMINAL_CONTROLS))} |")
    return "\n".join(rows) + "\n"


def format_json(problems: list[Problem], root: str) -> str:
    items = [asdict(p) | {"file": display_path(root, p.file)} for p in problems]
    return json.dumps(items, indent=2, ensure_ascii=False)
