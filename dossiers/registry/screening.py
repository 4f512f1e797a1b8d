"""A screening on the record: `screenings/DATE.json`, written by `dossiers screen --record`, as a model; and the
project's records read back, so that a dossier can say when its person was last screened, and with what result."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError
from .model import Judgement

SCREENINGS_DIR = "screenings"
MAX_RECORD_BYTES = 64 * 2**20  # a record of the 1,000,000-entity benchmark's screening is far smaller


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListFile(_Record):
    """The list screened against, as it was."""

    path: str = Field(description="The file, relative to the project if it is inside it.")
    sha256: str
    size: int
    datasets: list[str] = Field(description="The datasets its entities name (FtM `datasets`), if any.")
    newest_change: str | None = Field(
        description="The newest `last_change` of its entities (an OpenSanctions export's version), if any."
    )
    entities: int


class Matcher(_Record):
    library: Literal["nomenklatura"] = "nomenklatura"
    version: str
    algorithm: str
    rigour: str
    blocking: str


class RecordedCandidate(_Record):
    id: str
    schema_name: str = Field(alias="schema")
    names: list[str]
    score: float
    topics: list[str]
    why: list[str]
    confirmed: bool
    sanctions: list[dict] = Field(default_factory=list, description="Its Sanction records in the list, as read.")


class ScreenedActor(_Record):
    id: str
    name: str
    kind: str
    names: list[str]
    sameAs: list[Judgement]
    notSame: list[Judgement]
    candidates: list[RecordedCandidate]


class ScreeningRecord(_Record):
    """`screenings/DATE.json`: a screening as it ran, for the file."""

    record: Literal["dossiers screening"] = "dossiers screening"
    date: str
    list: ListFile
    matcher: Matcher
    threshold: float
    actors: list[ScreenedActor]


def read_record(path: Path) -> ScreeningRecord:
    """A screening record read back, checked against the model."""
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise UserError(f"{path}: larger than {MAX_RECORD_BYTES // 2**20} MiB, more than any screening record")
        return ScreeningRecord.model_validate_json(path.read_bytes())
    except ValidationError as error:
        first = error.errors()[0]
        raise UserError(
            f"{path}: not a screening record ({'.'.join(str(p) for p in first['loc'])}: {first['msg']})"
        ) from None


def screening_records(root: Path) -> tuple[list[tuple[str, ScreeningRecord]], list[tuple[str, str]]]:
    """The project's screening records, (its path in the project, the record), oldest first (by date, then the number
    write_record gives a second record of a day); and each file that is not a record, (its path, why)."""
    folder = root / SCREENINGS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return [], []
    found, bad = [], []
    for path in sorted(folder.glob("*.json")):
        name = f"{SCREENINGS_DIR}/{path.name}"
        if not path.is_file() or path.is_symlink():
            continue
        try:
            found.append((name, read_record(path)))
        except (UserError, OSError) as problem:
            bad.append((name, getattr(problem, "message", None) or str(problem)))
    return sorted(found, key=lambda pair: (pair[1].date, _number(pair[0]))), bad


def _number(name: str) -> tuple[int, str]:
    """'screenings/2025-12-02-3.json' sorts after '…-2.json' and '2025-12-02.json' (DATE-N, as write_record names
    them)."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".json")
    head, _, tail = stem.rpartition("-")
    return (int(tail), head) if len(stem) > 10 and tail.isdigit() else (1, stem)
