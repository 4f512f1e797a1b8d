"""Load stage: actors.yaml and seeds/sources.yaml → pydantic models, with every node's position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from pydantic import BaseModel

from ..errors import UserError
from . import dates
from .layout import REGISTRY_FILE, SOURCES_FILE, Layout
from .model import Actor, Registry, SourceFile
from .yaml import Document, read_yaml, validate


@dataclass
class Project:
    """Everything the load stage reads: the registry, the source metadata, and their YAML documents."""

    layout: Layout
    registry: Registry
    sources: SourceFile
    documents: dict[str, Document] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def people(self) -> list[Actor]:
        return [a for a in self.registry.actors if a.kind.is_person]


def _load(root: Path, files: dict[str, type[BaseModel]]) -> tuple[dict[str, Document], dict[str, BaseModel]]:
    documents, models, problems = {}, {}, []
    for file, model in files.items():
        try:
            documents[file] = read_yaml(root, file)
            models[file] = validate(documents[file], model)
        except UserError as error:
            problems.extend(error.problems)
    if problems:
        raise UserError(problems=problems)
    return documents, models


def load_project(root: Path) -> Project:
    """Load actors.yaml and seeds/sources.yaml under `root`; raises UserError on any problem."""
    documents, models = _load(root, {REGISTRY_FILE: Registry, SOURCES_FILE: SourceFile})
    return Project(
        Layout(root), cast(Registry, models[REGISTRY_FILE]), cast(SourceFile, models[SOURCES_FILE]), documents
    )


def load_registry(root: Path) -> Registry:
    """Only actors.yaml, for commands that need names and nothing of the sources."""
    _, models = _load(root, {REGISTRY_FILE: Registry})
    return cast(Registry, models[REGISTRY_FILE])


def load_sources(root: Path) -> SourceFile:
    """Only seeds/sources.yaml, for commands that read sources and nothing of the registry."""
    _, models = _load(root, {SOURCES_FILE: SourceFile})
    return cast(SourceFile, models[SOURCES_FILE])


def build_date(project: Project) -> str:
    """The date a build is stamped with: SOURCE_DATE_EPOCH, else the newest source date, else the newest input file.

    Never the wall clock, so that the same inputs give the same bytes.
    """
    epoch = dates.epoch_date()
    if epoch is not None:
        return epoch
    published = [s.published for s in project.sources.sources if s.published]
    if published:
        return dates.floor(max(published, key=dates.floor)).isoformat()
    newest = max((project.root / name).stat().st_mtime for name in project.documents)
    return dt.datetime.fromtimestamp(int(newest), dt.UTC).date().isoformat()
