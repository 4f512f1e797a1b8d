"""dossiers.toml: a project's settings, read by every command; the command line overrides them.

    [pack]
    title = "Briefing pack"
    handling = "OFFICIAL"

    [build]
    formats = ["md", "pdf"]
    out = "build"

    [screen]
    threshold = 0.7

Every key is optional; an unknown key, a value of the wrong type, and anything the file
may not say (an output folder outside the project) are errors at their line and column.
The file comes with the project, so it is as untrusted as the registry: only the command
line (`--out`) may send outputs outside the project.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ..errors import Problem, UserError, fail
from ..safe_text import LINE_CONTROLS, one_line
from .layout import SETTINGS_FILE, project_file, real_path

MAX_SETTINGS_BYTES = 64 * 1024
NAME_MAX = 255
OUTSIDE = "setting-outside-project"


def _one_line(text: str) -> str:
    found = LINE_CONTROLS.search(text)
    if found:
        raise PydanticCustomError(
            "line_controls",
            "holds a control character or line break ({char}): write it on one line, as plain text",
            {"char": f"U+{ord(found.group()):04X}"},
        )
    return text


def _inside_project(text: str) -> str:
    """An output folder the project may name: a relative path that stays in it, and not in .git."""
    path = PurePosixPath(text)
    if path.is_absolute() or ".." in path.parts or ".git" in path.parts:
        raise PydanticCustomError(
            OUTSIDE,
            "'{out}' is not a folder inside the project: dossiers.toml may name only one (such as build), not "
            "an absolute path, '..' or .git; "
            "to build elsewhere, give --out on the command line",
            {"out": text},
        )
    return text


def _short_names(text: str) -> str:
    """A path whose every name fits the file system (255 bytes)."""
    if any(len(os.fsencode(part)) > NAME_MAX for part in PurePosixPath(text).parts):
        raise PydanticCustomError(
            "name_too_long",
            "a folder name in it is longer than {limit} bytes, which no file system takes",
            {"limit": NAME_MAX},
        )
    return text


OneLine = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_one_line)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PackSettings(_Table):
    title: OneLine = "Briefing pack"
    handling: OneLine = "For internal use"


class BuildSettings(_Table):
    formats: list[Literal["md", "pdf", "html"]] = Field(
        default_factory=lambda: ["md", "pdf"], min_length=1, max_length=3
    )
    out: Annotated[
        str,
        Field(min_length=1, max_length=1000),
        AfterValidator(_one_line),
        AfterValidator(_inside_project),
        AfterValidator(_short_names),
    ] = "build"


class ScreenSettings(_Table):
    threshold: Annotated[float, Field(ge=0, le=1)] = 0.7


class Settings(_Table):
    pack: PackSettings = PackSettings()
    build: BuildSettings = BuildSettings()
    screen: ScreenSettings = ScreenSettings()


def output_folder(root: Path, out: Path | None, settings: Settings | None = None) -> Path:
    """Where a build writes: `--out`, else [build] out of dossiers.toml, under the root."""
    return out if out is not None else root / (settings or load_settings(root)).build.out


def load_settings(root: Path) -> Settings:
    """The project's settings: dossiers.toml under `root` if there is one, else the defaults.

    Raises UserError with a problem at the line and column of each thing wrong.
    """
    path = root / SETTINGS_FILE
    if not (path.exists() or path.is_symlink()):
        return Settings()
    text = _read(root)
    try:
        settings = Settings.model_validate(_parse(text))
    except ValidationError as error:
        raise UserError(problems=[_problem(text, e) for e in error.errors()]) from None
    out = real_path(root / settings.build.out)
    if not out.is_relative_to(real_path(root)):
        line, col = _position(text, ["build", "out"])
        message = (
            f"'{settings.build.out}' leads outside the project (to {out}) through a link: dossiers.toml may name only "
            "a folder inside it; to build elsewhere, give --out on the command line"
        )
        raise fail(SETTINGS_FILE, OUTSIDE, message, line, col)
    return settings


def _read(root: Path) -> str:
    """The text of dossiers.toml: a regular UTF-8 file inside the project, of at most MAX_SETTINGS_BYTES."""
    resolved = project_file(root, SETTINGS_FILE)
    if resolved is None:
        raise fail(
            SETTINGS_FILE,
            "file-outside-project",
            f"{SETTINGS_FILE} must be a regular file inside the project, not a link out of it or a folder",
        )
    try:
        with open(resolved, "rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)
    except OSError as error:
        raise fail(SETTINGS_FILE, "file-unreadable", f"{SETTINGS_FILE} cannot be read: {error.strerror}") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise fail(
            SETTINGS_FILE,
            "file-too-large",
            f"{SETTINGS_FILE} is larger than {MAX_SETTINGS_BYTES // 1024} KiB: it holds a few settings",
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8")
        line, col = _line_col(before, len(before))
        raise fail(
            SETTINGS_FILE, "not-utf8", f"byte 0x{raw[error.start]:02x} is not UTF-8: save the file as UTF-8", line, col
        ) from None


def _parse(text: str) -> dict:
    """The TOML data; a syntax error, or nesting too deep for the parser, at its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        raise fail(
            SETTINGS_FILE, "toml-syntax", f"TOML cannot be read: {str(error).split(' (at line')[0]}", line, col
        ) from None
    except RecursionError:
        line, col = _line_col(text, _too_deep_at(text))
        raise fail(
            SETTINGS_FILE,
            "toml-too-deep",
            "arrays or tables are nested too deeply to read: a setting is a value or a list of values",
            line,
            col,
        ) from None


def _too_deep_at(text: str) -> int:
    """Where the parser runs out of stack: the end of the shortest beginning of `text` that still does.

    The parser reads left to right, so a beginning that runs too deep keeps doing so when
    it is longer: a binary search over its length finds the place in about 16 parses.
    """
    shallow, deep = 0, len(text)
    while deep - shallow > 1:
        middle = (shallow + deep) // 2
        try:
            tomllib.loads(text[:middle])
            shallow = middle
        except tomllib.TOMLDecodeError:
            shallow = middle
        except RecursionError:
            deep = middle
    return deep - 1


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _problem(text: str, error: ErrorDetails) -> Problem:
    """A validation error at the line of its key ([table] then key = ...)."""
    loc = [str(part) for part in error["loc"]]
    line, col = _position(text, loc)
    if error["type"] == "extra_forbidden":
        known = (
            {"pack": PackSettings, "build": BuildSettings, "screen": ScreenSettings}.get(loc[0])
            if len(loc) > 1
            else Settings
        )
        keys = ", ".join(known.model_fields) if known else ""
        message = f"unknown setting '{one_line('.'.join(loc))}': the settings here are {keys}"
        return Problem(SETTINGS_FILE, line, col, "error", "unknown-setting", message)
    code = OUTSIDE if error["type"] == OUTSIDE else "invalid-setting"
    return Problem(SETTINGS_FILE, line, col, "error", code, f"{one_line('.'.join(loc))}: {error['msg']}")


_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_KEY_PATH = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_KEY_PATH})\s*\]")
_ASSIGNMENT = re.compile(rf"\s*({_KEY_PATH})\s*=")


def _parts(key_path: str) -> list[str]:
    return [part.strip("\"'") for part in re.findall(_KEY, key_path)]


def _position(text: str, loc: list[str]) -> tuple[int, int]:
    """1-based line and column of the key that sets `loc` (['build', 'out']), or of the nearest key above it.

    A key is found under its [table] header, as a dotted key (build.out = ...), or inside
    an inline table on its line (build = {out = ...}); the first line that sets the most of `loc` wins.
    """
    table: list[str] = []
    best, where = 0, (1, 1)
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        assignment = None if header else _ASSIGNMENT.match(line)
        if not (header or assignment):
            continue
        if header:
            table = path = _parts(header.group(1))
            col = header.start(1)
        else:
            assert assignment is not None
            path = table + _parts(assignment.group(1))
            col = assignment.start(1)
        if path[: len(loc)] != loc[: len(path)]:
            continue
        depth = min(len(path), len(loc))
        for key in loc[depth:]:  # into an inline table on this line
            inner = re.compile(rf"[{{,]\s*([\"']?{re.escape(key)}[\"']?)\s*=").search(line, col)
            if not inner:
                break
            depth, col = depth + 1, inner.start(1)
        if depth > best:
            best, where = depth, (number, col + 1)
        if best == len(loc):
            break
    return where
