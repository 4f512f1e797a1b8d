"""Write stage: outputs land atomically, with a manifest of input and output hashes."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

MANIFEST = "manifest.json"


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


def write_outputs(out: Path, outputs: dict[str, bytes], inputs: dict[str, str], version: str) -> list[Path]:
    """Write every output under `out`, then the manifest; returns the paths written.

    Everything is rendered before this is called, so a build that fails leaves the
    previous outputs as they were.
    """
    written = []
    for name, data in sorted(outputs.items()):
        path = out / name
        write_atomic(path, data)
        written.append(path)
    manifest_path = out / MANIFEST
    try:
        previous = json.loads(manifest_path.read_text("utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        previous = {}
    recorded = {name: digest for name, digest in previous.items() if (out / name).is_file()}
    recorded.update({name: sha256(data) for name, data in outputs.items()})
    manifest = {"tool": f"dossiers {version}", "inputs": dict(sorted(inputs.items())), "outputs": dict(sorted(recorded.items()))}
    write_atomic(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    return written
