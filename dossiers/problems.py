"""Problems found in the inputs, and the three ways of printing them."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

# Characters that reorder or hide text (Trojan Source) or drive a terminal: shown, never obeyed.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str, pattern: re.Pattern = BIDI_CONTROLS) -> str:
    """Replace each control character with a visible ⟨U+XXXX⟩, so it is shown and not obeyed."""
    return pattern.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


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
        message = visible_controls(p.message, _TERMINAL_CONTROLS)
        out.append(f"{display_path(root, p.file)}:{p.line}:{p.col}: {p.severity} {p.code}: {message}")
        if context:
            if p.file not in texts:
                try:
                    texts[p.file] = (Path(root) / p.file).read_text("utf-8", errors="replace")
                except OSError:
                    texts[p.file] = ""
            snippet = visible_controls(excerpt(texts[p.file], p.line, p.col), _TERMINAL_CONTROLS)
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


def format_github(problems: list[Problem], root: str) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    out = []
    for p in problems:
        file = _github_escape(display_path(root, p.file), prop=True)
        title = _github_escape(p.code, prop=True)
        message = _github_escape(visible_controls(p.message, _TERMINAL_CONTROLS))
        out.append(f"::{p.severity} file={file},line={p.line},col={p.col},title={title}::{message}")
    return "\n".join(out)


def format_json(problems: list[Problem], root: str) -> str:
    items = [asdict(p) | {"file": display_path(root, p.file)} for p in problems]
    return json.dumps(items, indent=2, ensure_ascii=False)
