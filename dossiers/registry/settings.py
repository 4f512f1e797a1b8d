"""dossiers.toml: a project's settings, read by every command; the command line overrides them.

    [pack]
    title = "Briefing pack"
    handling = "OFFICIAL"

    [build]
    formats = ["md", "pdf"]
    out = "build"

    [screen]
    threshold = 0.7

Every key is optional; an unknown key is an error at its line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem, UserError, fail
from .layout import SETTINGS_FILE, project_file

MAX_SETTINGS_BYTES = 64 * 1024


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackSettings(_Table):
    title: Annotated[str, Field(min_length=1, max_length=300)] = "Briefing pack"
    handling: Annotated[str, Field(min_length=1, max_length=300)] = "For internal use"


class BuildSettings(_Table):
    formats: list[Literal["md", "pdf", "html"]] = Field(default_factory=lambda: ["md", "pdf"], min_length=1)
    out: Annotated[str, Field(min_length=1, max_length=1000)] = "build"


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
    """The project's settings: dossiers.toml under `root` if there is one, else the defaults."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    resolved = project_file(root, SETTINGS_FILE)
    if resolved is None:
        raise fail(SETTINGS_FILE, "file-outside-project", f"{SETTINGS_FILE} must be a regular file inside the project, not a link out of it")
    if resolved.stat().st_size > MAX_SETTINGS_BYTES:
        raise fail(SETTINGS_FILE, "file-too-large", f"{SETTINGS_FILE} is larger than {MAX_SETTINGS_BYTES // 1024} KiB: it holds a few settings")
    text = resolved.read_bytes().decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        raise fail(SETTINGS_FILE, "toml-syntax", f"TOML cannot be read: {str(error).split(' (at line')[0]}", line, col) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise UserError(problems=[_problem(text, e) for e in error.errors()]) from None


def _problem(text: str, error: dict) -> Problem:
    """A validation error at the line of its key ([table] then key = ...)."""
    loc = [str(part) for part in error["loc"]]
    line, col = _position(text, loc)
    if error["type"] == "extra_forbidden":
        known = {"pack": PackSettings, "build": BuildSettings, "screen": ScreenSettings}.get(loc[0]) if len(loc) > 1 else Settings
        keys = ", ".join(known.model_fields) if known else ""
        message = f"unknown setting '{'.'.join(loc)}': the settings here are {keys}"
        return Problem(SETTINGS_FILE, line, col, "error", "unknown-setting", message)
    return Problem(SETTINGS_FILE, line, col, "error", "invalid-setting", f"{'.'.join(loc)}: {error['msg']}")


def _position(text: str, loc: list[str]) -> tuple[int, int]:
    """1-based line and column of `loc`'s key: a [table] header, or a key within its table."""
    table = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([\w-]+)\s*\]", line)
        if header:
            table = header.group(1)
            if loc == [table]:
                return number, raw.index("[") + 1
            continue
        key = re.match(r"([\w-]+)\s*=", line)
        if key and ((len(loc) == 1 and not table and key.group(1) == loc[0]) or (len(loc) >= 2 and table == loc[0] and key.group(1) == loc[1])):
            return number, raw.index(key.group(1)) + 1
    return 1, 1
