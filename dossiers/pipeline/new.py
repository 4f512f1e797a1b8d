"""`dossiers new DIR`: a working project to start from, which checks and builds at once."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from ..disk import write_new
from ..errors import UserError, os_error
from ..registry.layout import REGISTRY_FILE, SEEDS_DIR, SETTINGS_FILE, SOURCES_FILE
from ..registry.model import json_schema

STARTER = "starter"
EXAMPLE_SOURCE = "lukashenko-harare-visit.txt"
# starter file → where it goes in the new project
FILES = {
    "actors.yaml": REGISTRY_FILE,
    "dossiers.toml": SETTINGS_FILE,
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "workflow.yml": ".github/workflows/dossiers.yml",
    f"seeds/{EXAMPLE_SOURCE}": f"{SEEDS_DIR}/{EXAMPLE_SOURCE}",
}


def new_project(folder: Path) -> list[Path]:
    """Create a project in `folder` (new or empty): registry, one source, settings, README, CI workflow,
    pre-commit configuration and the JSON Schemas. Returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UserError(
            f"{folder} exists and is not an empty folder: dossiers new starts a project in a new or empty folder"
        )
    starter = resources.files("dossiers") / STARTER
    contents = {target: (starter / name).read_bytes() for name, target in FILES.items()}
    digest = hashlib.sha256(contents[f"{SEEDS_DIR}/{EXAMPLE_SOURCE}"]).hexdigest()
    contents[SOURCES_FILE] = (starter / "sources.yaml").read_text("utf-8").replace("{sha256}", digest).encode("utf-8")
    for name in ("actors", "sources"):
        contents[f"schema/{name}.schema.json"] = (
            json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
        ).encode("utf-8")
    written = []
    try:
        for name, data in sorted(contents.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(path, data)
            written.append(path)
    except OSError as error:
        raise os_error(error, f"create the project in {folder}") from None
    return written
