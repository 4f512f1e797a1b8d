"""Plan: every output a build can make, with its cache key and how to render it.

A key is a hash of exactly what the output shows (its view), how it is rendered (the
format, the templates, the versions of the tool and its renderers). An output whose
key is the one in the manifest, and whose file is as it was written, is current.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import Enum
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel

from ..registry.layout import NETWORK_SVG, TEMPLATES_DIR, dossier_name, pack_name
from ..views.briefing import Briefing
from ..views.dossier import Dossier
from .manifest import Manifest, sha256

FORMATS = ("md", "pdf", "html")
RENDERERS = {name: metadata.version(name) for name in ("dossiers", "jinja2", "weasyprint", "networkx")}


@dataclass(frozen=True)
class Output:
    """One file of the output folder: its name, its key, and what to render it from."""

    name: str
    key: str
    fmt: str  # md, html, pdf, svg
    view: Dossier | Briefing


def fingerprint(*parts: object) -> str:
    """sha256 of plain data, dataclass views and pydantic models, in a stable form."""
    return sha256(json.dumps(parts, default=_plain, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.compare}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def template_hashes(dirs: list[Path]) -> dict[str, str]:
    """sha256 of every template file, the project's own winning over the packaged ones."""
    hashes = {}
    for folder in reversed(dirs):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                hashes[f"{TEMPLATES_DIR}/{path.relative_to(folder).as_posix()}"] = sha256(path.read_bytes())
    return hashes


def plan(dossiers: list[Dossier], pack: Briefing | None, formats: list[str], templates: dict[str, str]) -> list[Output]:
    """Every output of the build, dossiers first, in a stable order."""
    shared = fingerprint(RENDERERS, templates)
    outputs = [
        Output(dossier_name(view.actor.id, fmt), fingerprint(shared, fmt, view), fmt, view)
        for view in dossiers
        for fmt in formats
    ]
    if pack is not None:
        key = fingerprint(shared, "pack", pack)
        outputs += [Output(pack_name(fmt), key, fmt, pack) for fmt in formats]
        outputs.append(Output(NETWORK_SVG, key, "svg", pack))
    return outputs


def outdated(outputs: list[Output], manifest: Manifest, out: Path) -> tuple[list[Output], list[Output]]:
    """The outputs to render, and those already current in `out`."""
    stale, current = [], []
    for output in outputs:
        (current if manifest.current(out, output.name, output.key) else stale).append(output)
    return stale, current
