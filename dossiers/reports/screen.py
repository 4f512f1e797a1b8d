"""Screening: candidate matches for the registry's actors in a FollowTheMoney entities file.

Scores are nomenklatura's logic-v2, the matcher behind OpenSanctions' yente, comparing
every name the registry knows for an actor (all scripts) and its countries with each
candidate. Before scoring, candidates are blocked: only an entity that shares a name
token, or its metaphone, with some actor is compared. The file is read one entity at a
time and only the best candidates are kept, so a full sanctions dataset screens in
bounded memory. nomenklatura is the optional extra `dossiers[screen]`.
"""

from __future__ import annotations

import gzip
import heapq
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..registry.ftm import SCHEMA, SCREENED_AGAINST
from ..registry.load import load_registry
from ..registry.model import Actor
from ..registry.settings import load_settings

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
MISSING = "dossiers screen needs nomenklatura, OpenSanctions' matcher: pip install 'dossiers[screen]' (about 650 MB with its dependencies)"


@dataclass(order=True, frozen=True)
class Candidate:
    score: float
    candidate_id: str
    names: tuple[str, ...]
    topics: tuple[str, ...]
    why: tuple[str, ...] = field(default=(), compare=False)  # the features that counted, with the names they compared
    confirmed: bool = field(default=False, compare=False)  # recorded as sameAs on the actor


def _keys(names, ascii_text, metaphone) -> set[str]:
    """Blocking keys of some names: their ASCII tokens of three letters or more, and each token's metaphone."""
    keys = set()
    for name in names:
        for token in re.findall(r"[a-z]{3,}", (ascii_text(name) or "").lower()):
            keys.add(token)
            keys.add("~" + metaphone(token))
    return keys


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
    except RecursionError:
        raise UserError(f"{path}:{number}: nested too deep to be an FtM entity: give FtM entities as JSON lines or a JSON array") from None
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


def matcher():
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
        from nomenklatura.matching.types import ScoringConfig
        from rigour.text import ascii_text, metaphone
    except ImportError:
        raise UserError(MISSING) from None
    return model, LogicV2, ScoringConfig.defaults(), ascii_text, metaphone


def query_entity(model, actor: Actor):
    """The actor as an FtM entity to match: its schema, every name it has in every script, its countries."""
    query = model.make_entity(SCHEMA[actor.kind])
    query.id = f"registry-{actor.id}"
    names = list(dict.fromkeys([actor.name] + [alias.name for alias in actor.alias]))
    query.add("name", names[0])
    query.add("alias", names[1:])
    query.add("country", list(actor.country))
    return query


def _why(result) -> tuple[str, ...]:
    """What counted, as nomenklatura explains it: each feature's score and the names it compared."""
    lines = []
    for name, feature in result.explanations.items():
        if feature.score:
            compared = f": {feature.query} ~ {feature.candidate}" if feature.query and feature.candidate else ""
            detail = f" — {feature.detail}" if feature.detail else ""
            lines.append(f"{name} {feature.score:.2f}{compared}{detail}")
    return tuple(lines)


def screen(actors: list[Actor], path: Path, threshold: float = 0.7, limit: int = 10) -> dict[str, list[Candidate]]:
    """For each actor screened, the best candidates (at most `limit`) scoring at least `threshold`; never one rejected as notSame."""
    model, algorithm, config, ascii_text, metaphone = matcher()
    queries, schemata, rejected, confirmed = {}, {}, {}, {}
    by_key: dict[str, set[str]] = defaultdict(set)
    for actor in actors:
        if actor.kind not in SCREENED_AGAINST:
            continue
        schemata[actor.id] = SCREENED_AGAINST[actor.kind]
        queries[actor.id] = query = query_entity(model, actor)
        for key in _keys(query.get("name") + query.get("alias"), ascii_text, metaphone):
            by_key[key].add(actor.id)
        rejected[actor.id] = {j.id for j in actor.notSame}
        confirmed[actor.id] = {j.id for j in actor.sameAs}
    found: dict[str, list[Candidate]] = {actor_id: [] for actor_id in queries}
    for entity in _entities(path):
        schema = entity.get("schema")
        properties = entity.get("properties") or {}
        names = tuple(dict.fromkeys(n for prop in NAME_PROPERTIES for n in properties.get(prop, []) if isinstance(n, str)))
        actor_ids = {actor_id for key in _keys(names, ascii_text, metaphone) for actor_id in by_key.get(key, ())}
        actor_ids = {a for a in actor_ids if schema in schemata[a] and str(entity.get("id")) not in rejected[a]}
        if not actor_ids:
            continue
        try:
            candidate = model.get_proxy(entity, cleaned=False)
        except Exception as error:  # an entity FtM cannot read is the dataset's problem: say which
            raise UserError(f"{path}: entity {str(entity.get('id'))[:100]!r} is not valid FtM ({error}): fix or drop it") from None
        for actor_id in actor_ids:
            result = algorithm.compare(queries[actor_id], candidate, config)
            if result.score >= threshold or candidate.id in confirmed[actor_id]:
                shown = Candidate(round(result.score, 3), str(candidate.id), names, tuple(properties.get("topics", [])), _why(result), candidate.id in confirmed[actor_id])
                heap = found[actor_id]
                (heapq.heappush if len(heap) < limit else heapq.heappushpop)(heap, shown)
    return {actor_id: sorted(heap, reverse=True) for actor_id, heap in found.items()}


def screen_registry(root: Path, path: Path, threshold: float | None = None) -> tuple[dict[str, list[Candidate]], dict[str, str]]:
    """Candidates for the actors of the registry under `root` (only actors.yaml and dossiers.toml are read), and their names.

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
