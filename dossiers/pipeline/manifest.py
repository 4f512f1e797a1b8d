"""Write stage: the output set and its manifest of input and output hashes, swapped in whole."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..about import TOOL
from ..registry.layout import MANIFEST, MANIFEST_SIGNATURE, is_output_name, real_path
from ..sources.extract import EXTRACTORS
from .outdir import replace


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """build/manifest.json: the sha256 and the cache key of every output, and the inputs' sha256."""

    outputs: dict[str, dict] = field(default_factory=dict)  # name → {"sha256": ..., "key": ...}

    @classmethod
    def read(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST).read_text("utf-8"))
            # A manifest is data to validate, not a list of paths to trust: a name the build
            # would not write (../actors.yaml, an absolute path) is dropped, never deleted or kept.
            outputs = {
                name: entry
                for name, entry in data["outputs"].items()
                if is_output_name(name) and isinstance(entry, dict)
            }
        # RecursionError: '[' × 200,000
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            outputs = {}
        return cls(outputs)

    def current(self, out: Path, name: str, key: str) -> bool:
        """Whether the file was built from inputs with this key and is still as it was written."""
        entry = self.outputs.get(name)
        if not entry or entry.get("key") != key:
            return False
        path = plain_file(out, name)
        try:
            return path is not None and sha256(path.read_bytes()) == entry.get("sha256")
        except OSError:
            return False


def plain_file(out: Path, name: str) -> Path | None:
    """OUT/name if it is a regular file reached through no symlink; a link is never followed out."""
    path = out / name
    return path if path.is_file() and real_path(path) == path.absolute() else None


def write_outputs(
    out: Path,
    manifest: Manifest,
    outputs: dict[str, tuple[bytes, str]],
    kept: dict[str, str],
    removed: list[str],
    inputs: dict[str, str],
    fresh: bool = False,
    sign: Callable[[bytes], bytes] | None = None,
) -> list[Path]:
    """Replace the output set in `out` (resolved) by the new outputs (name → (bytes, key)), the kept ones, and a
    manifest.

    `manifest` is the one read when the build began; `kept` are outputs still current
    (name → key); `removed` are outputs to leave out. Outputs of the old manifest that
    this build did not touch stay, unless `fresh`: then the folder holds this build's
    outputs and nothing else. Everything is rendered before this is called, and the
    whole set is swapped in at once. `sign` makes the detached signature of the manifest
    (MANIFEST_SIGNATURE); without it, an earlier build's signature is removed. Returns the paths written.
    """
    previous = {} if fresh else manifest.outputs
    entries = {name: entry for name, entry in previous.items() if name not in removed and plain_file(out, name)}
    entries.update({name: {"sha256": previous[name]["sha256"], "key": key} for name, key in kept.items()})
    entries.update({name: {"sha256": sha256(data), "key": key} for name, (data, key) in outputs.items()})
    recorded = {
        "tool": TOOL,
        "extractors": EXTRACTORS,
        "inputs": dict(sorted(inputs.items())),
        "outputs": dict(sorted(entries.items())),
    }
    files = {name: data for name, (data, _) in outputs.items()} | {
        MANIFEST: (json.dumps(recorded, indent=2) + "\n").encode("utf-8")
    }
    if sign is not None:
        files[MANIFEST_SIGNATURE] = sign(files[MANIFEST])
    replace(out, files, carried=set(entries) - set(outputs), keep_others=not fresh)
    return [out / name for name in sorted(outputs)]
