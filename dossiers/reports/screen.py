"""Screening: candidate matches for the registry's people in a FollowTheMoney entities file.

Names are transliterated to ASCII (normality, as the FtM ecosystem does), spelling
variants of transliteration are folded (sh/s, kh/h, y/j/i, x/ks, ...), and each token of
a registry name is matched to its closest token in the candidate's name (rapidfuzz), so
that patronymics, middle names, upper-case surnames and "SURNAME, Given" order do not
matter. The file is read one line at a time, keeping only the best candidates, so that a
multi-gigabyte export screens in bounded memory.
"""

from __future__ import annotations

import gzip
import heapq
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from normality import ascii_text
from rapidfuzz import fuzz

from ..errors import UserError
from ..registry.load import load_registry
from ..registry.model import Actor
from ..registry.settings import load_settings

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
SCREENED_SCHEMATA = {"Person", "LegalEntity"}
FOLDS = [("sch", "s"), ("shch", "s"), ("sh", "s"), ("zh", "z"), ("ch", "c"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("x", "ks"), ("w", "v"), ("j", "i"), ("y", "i"), ("ck", "k"), ("ph", "f")]
MIN_TOKEN = 60.0  # a registry token matched worse than this rules the candidate out


@dataclass(order=True, frozen=True)
class Candidate:
    score: float
    candidate_id: str
    names: tuple[str, ...]
    topics: tuple[str, ...]


def fold(name: str) -> list[str]:
    """A name as lowercase ASCII tokens with transliteration variants folded together."""
    text = (ascii_text(name) or "").lower()
    text = re.sub(r"[^a-z ]+", " ", text)
    for old, new in FOLDS:
        text = text.replace(old, new)
    text = re.sub(r"(.)\1+", r"\1", text)
    return text.split()


def name_score(query: list[str], candidate: list[str]) -> float:
    """How well every token of the registry name is found in the candidate's name, 0–1."""
    if not query or not candidate:
        return 0.0
    best = [max(fuzz.ratio(token, other) for other in candidate) for token in query]
    if min(best) < MIN_TOKEN:
        return 0.0
    return round(sum(best) / len(best) / 100, 3)


def _entities(path: Path) -> Iterator[dict]:
    """Every entity of an FtM file: JSON lines or one JSON array, gzipped or not (told by the content)."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    with (gzip.open if gzipped else open)(path, "rt", encoding="utf-8") as text:
        first = text.read(1)
        while first and first.isspace():
            first = text.read(1)
        text.seek(0)
        if first == "[":
            yield from _array(path, text)
            return
        for number, line in enumerate(text, 1):
            line = line.strip()
            if line:
                yield _entity(path, number, line)


def _entity(path: Path, number: int, text: str) -> dict:
    try:
        entity = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"{path}:{number}: not a JSON entity ({error.msg}): give FtM entities as JSON lines or a JSON array") from None
    if not isinstance(entity, dict):
        raise UserError(f"{path}:{number}: a {type(entity).__name__} where an FtM entity (a JSON object) should be")
    return entity


def _array(path: Path, text) -> Iterator[dict]:
    """The objects of a JSON array, decoded one at a time so that a large file screens in bounded memory."""
    decoder = json.JSONDecoder()
    start = text.read(1 << 16)
    line, done = 1 + start[: len(start) - len(start.lstrip())].count("\n"), False
    buffer = start.lstrip()[1:]  # past the "["
    while True:
        stripped = buffer.lstrip(" \t\r\n,")
        line += buffer[: len(buffer) - len(stripped)].count("\n")
        buffer = stripped
        if buffer.startswith("]"):
            return
        if not buffer and done:
            raise UserError(f"{path}:{line}: the JSON array is not closed with ]")
        try:
            item, end = decoder.raw_decode(buffer)
        except json.JSONDecodeError as error:
            more = text.read(1 << 16)
            if more:
                buffer += more
                continue
            done = True
            if not buffer:
                continue
            raise UserError(f"{path}:{line}: not a JSON entity ({error.msg}): give FtM entities as JSON lines or a JSON array") from None
        if not isinstance(item, dict):
            raise UserError(f"{path}:{line}: a {type(item).__name__} where an FtM entity (a JSON object) should be")
        line += buffer[:end].count("\n")
        buffer = buffer[end:]
        yield item


def screen(actors: list[Actor], path: Path, threshold: float = 0.85, limit: int = 10) -> dict[str, list[Candidate]]:
    """For each person, the best candidates (at most `limit`) scoring at least `threshold`."""
    people = [a for a in actors if a.kind.is_person]
    variants = {a.id: [fold(n) for n in dict.fromkeys([a.name] + [alias.name for alias in a.alias])] for a in people}
    # blocking: a candidate is scored against a person only if some token starts alike
    starts = {actor_id: {token[:2] for q in queries for token in q} for actor_id, queries in variants.items()}
    found: dict[str, list[Candidate]] = {a.id: [] for a in people}
    for entity in _entities(path):
        if entity.get("schema") not in SCREENED_SCHEMATA:
            continue
        properties = entity.get("properties") or {}
        names = tuple(dict.fromkeys(n for prop in NAME_PROPERTIES for n in properties.get(prop, []) if isinstance(n, str)))
        folded = [fold(n) for n in names]
        candidate_starts = {token[:2] for tokens in folded for token in tokens}
        for actor_id, queries in variants.items():
            if not candidate_starts & starts[actor_id]:
                continue
            score = max((name_score(q, c) for q in queries for c in folded), default=0.0)
            if score >= threshold:
                candidate = Candidate(score, str(entity.get("id")), names, tuple(properties.get("topics", [])))
                heap = found[actor_id]
                (heapq.heappush if len(heap) < limit else heapq.heappushpop)(heap, candidate)
    return {actor_id: sorted(heap, reverse=True) for actor_id, heap in found.items()}


def screen_registry(root: Path, path: Path, threshold: float | None = None) -> tuple[dict[str, list[Candidate]], dict[str, str]]:
    """Candidates for the people of the registry under `root` (only actors.yaml and dossiers.toml are read), and their names.

    `threshold` defaults to the project's [screen] threshold.
    """
    actors = load_registry(root).actors
    threshold = load_settings(root).screen.threshold if threshold is None else threshold
    if not path.is_file():
        raise UserError(f"{path} is not a file: give an FtM entities file (.json, .jsonl or .gz)")
    try:
        found = screen(actors, path, threshold)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise UserError(f"{path} cannot be read: {error}") from None
    return found, {a.id: a.name for a in actors}
