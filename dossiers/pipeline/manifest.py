"""Write stage: outputs land atomically, with a manifest of input and output hashes."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..registry.layout import MANIFEST, is_output_name


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
            outputs = {name: entry for name, entry in data["outputs"].items() if is_output_name(name) and isinstance(entry, dict)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            outputs = {}
        return cls(outputs)

    def current(self, out: Path, name: str, key: str) -> bool:
        """Whether the file was built from inputs with this key and is still as it was written."""
        entry = self.outputs.get(name)
        if not entry or entry.get("key") != key:
            return False
        try:
            return sha256((out / name).read_bytes()) == entry.get("sha256")
        except OSError:
            return False


def write_outputs(
    out: Path, manifest: Manifest, outputs: dict[str, tuple[bytes, str]], kept: dict[str, str], removed: list[str], inputs: dict[str, str], version: str
) -> list[Path]:
    """Write the new outputs (name → (bytes, key)) under `out`, delete `removed`, then the manifest.

    Everything is rendered before this is called, so a build that fails leaves the
    previous outputs as they were. `manifest` is the one read when the build began;
    `kept` are outputs still current (name → key). Returns the paths written.
    """
    written = []
    for name, (data, _) in sorted(outputs.items()):
        path = out / name
        write_atomic(path, data)
        written.append(path)
    for name in removed:
        (out / name).unlink(missing_ok=True)
    previous = manifest.outputs
    entries = {name: entry for name, entry in previous.items() if name not in removed and (out / name).is_file()}
    entries.update({name: {"sha256": previous[name]["sha256"], "key": key} for name, key in kept.items()})
    entries.update({name: {"sha256": sha256(data), "key": key} for name, (data, key) in outputs.items()})
    recorded = {"tool": f"dossiers {version}", "inputs": dict(sorted(inputs.items())), "outputs": dict(sorted(entries.items()))}
    write_atomic(out / MANIFEST, (json.dumps(recorded, indent=2) + "\n").encode("utf-8"))
    return written
