"""Screening: candidate matches for the registry's actors in a FollowTheMoney entities file.

Scores are nomenklatura's logic-v2, the matcher behind OpenSanctions' yente, comparing
every name the registry knows for an actor (all scripts) and its countries with each
candidate. Before scoring, candidates are blocked: only an entity that shares a key with
some actor is compared. The keys of a name are its tokens in its own script and in
rigour's transliteration (camel case split, dots and apostrophes dropped, digits read as
the letters they stand for: "Ig0r Sech1n"), the first four letters of each token's
metaphone, each two adjacent tokens written as one ("VladimirPutin"), the consonants of the
whole name ("Andrang Heta", "'Ndrangheta"), and for bodies
their initials ("PLA"). A person named in a non-Latin script (or any person, if the
registry has one with no name in Latin letters) that none of these keys matched is
compared with the people sharing one of rigour's name symbols with it (贝拉克·奥巴马 and
Barack Obama).

The file is read one entity at a time; the fragments of an entity (the same id on
several lines, as OpenSanctions exports them) are merged before scoring, and the
Sanction records of every entity kept are gathered. Scoring runs in a child process with
a fixed hash seed, so that two runs explain their scores in the same words (nomenklatura
picks among equally good names in set order). nomenklatura is the optional extra
`dossiers[screen]`.

`--record` writes what was screened, against what and with what result into
`screenings/DATE.json`; `--since OLD` compares two versions of a list for the registry's
actors: listings, delistings, changed records, new candidates.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from ..errors import UserError
from ..registry import dates
from ..registry.ftm import SCHEMA, SCREENED_AGAINST
from ..registry.load import load_registry
from ..registry.model import Actor, ActorKind
from ..registry.screening import (
    SCREENINGS_DIR,
    ListFile,
    Matcher,
    RecordedCandidate,
    ScreenedActor,
    ScreeningRecord,
)
from ..registry.settings import load_settings

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
SANCTION_PROPERTIES = (
    "authority",
    "program",
    "programId",
    "provisions",
    "reason",
    "startDate",
    "listingDate",
    "endDate",
    "sourceUrl",
)
ALGORITHM = "logic-v2"
# Names of one entity the matcher compares: rigour's analysis of an entity's names is superlinear in their number
# (8,000 names took 60 s, 30,000 past 300 s); past this, the first ones (name, alias, previousName, weakAlias) are
# compared.
MAX_MATCHED_NAMES = 500
# Characters of one entity, at most: OpenSanctions' largest are a few hundred kilobytes; a longer line is no entity
# (a 400 MB line of a gzip given as --since took 916 MB and 12 s before this bound).
MAX_ENTITY_CHARS = 16 * 2**20
MISSING = (
    "dossiers screen needs nomenklatura, OpenSanctions' matcher: pip install 'dossiers[screen]' (about 650 MB with its "
    "dependencies)"
)
BLOCKING = (
    "tokens and transliterated tokens (camel case split, digits as letters), 4-letter metaphone prefixes, adjacent "
    "tokens joined, consonants of the name,"
    " initials of bodies; rigour's name symbols for people named in other scripts"
)


@dataclass(order=True, frozen=True)
class Candidate:
    score: float
    candidate_id: str
    names: tuple[str, ...]
    topics: tuple[str, ...]
    why: tuple[str, ...] = field(default=(), compare=False)  # the features that counted, with the names they compared
    confirmed: bool = field(default=False, compare=False)  # recorded as sameAs on the actor
    schema: str = field(default="", compare=False)


@dataclass
class ListRead:
    """What screening found in one list file: candidates per actor, and the records of every entity kept."""

    found: dict[str, list[Candidate]]
    entities: dict[str, dict]  # entity id → {"schema", "names", "topics"} of every entity kept (blocked or watched)
    sanctions: dict[str, list[dict]]  # entity id → its Sanction records, fragments merged, sorted by id
    datasets: list[str]
    newest_change: str | None
    count: int  # entities read, fragments counted once each


# -- blocking -----------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DROPPED = re.compile(r"[.'’ʼ`]")
_TOKEN = re.compile(r"\w+")
_DIGITS = str.maketrans("013457890", "oieastbgo")
_LATIN = re.compile(r"^[a-z]+$")
_VOWELS = re.compile(r"[aeiouy\W_]")
# never a key alone
_STOPWORDS = frozenset(
    ["and", "the", "for", "with", "und", "der", "die", "das", "von", "des", "les", "pour", "avec", "del", "los", "las"]
)


class _Keys:
    """Blocking keys of names, with rigour's transliteration and metaphone."""

    def __init__(self, ascii_text, metaphone, tokenize):
        self.ascii_text, self.metaphone, self.tokenize = ascii_text, metaphone, tokenize
        self.token = lru_cache(maxsize=1 << 16)(self._token)

    def _token(self, token: str) -> tuple[str, ...]:
        if token in _STOPWORDS:
            return ()
        if not _LATIN.match(token):
            return (token,) if len(token) >= 2 and not token.isdigit() else ()
        if len(token) < 3:
            return ()
        return (token, "~" + self.metaphone(token)[:4])

    def sequences(self, text: str) -> list[list[str]]:
        """The token sequences of a name made ready (`_ready`): in its own script, and transliterated if it is not
        ASCII."""
        if text.isascii():
            return [_TOKEN.findall(text)]
        native = self.tokenize(text)
        latin = _TOKEN.findall(_DROPPED.sub("", (self.ascii_text(text) or "")).lower())
        return [native, latin] if latin != native else [native]

    def __call__(self, names: Iterable[str], body: bool) -> set[str]:
        keys: set[str] = set()
        # "KHRENIN" and "Khrenin" once
        for text in {_DROPPED.sub("", _CAMEL.sub(" ", name)).casefold() for name in names}:
            for tokens in self.sequences(text):
                if any(c.isdigit() for c in text):
                    tokens = [t.translate(_DIGITS) if not t.isdigit() else t for t in tokens]
                for token in tokens:
                    keys.update(self.token(token))
                skeleton = _VOWELS.sub("", "".join(tokens))
                if len(skeleton) >= 5 and skeleton.isascii():
                    keys.add("%" + skeleton)
                for first, second in pairwise(tokens):
                    if len(first) + len(second) >= 6:
                        keys.add(first + second)
                if body:
                    letters = [t[0] for t in tokens if t]
                    if len(letters) >= 3:
                        keys.add("=" + "".join(letters))
                    keys.update("=" + t for t in tokens if 2 <= len(t) <= 5 and t.isalpha() and t not in _STOPWORDS)
        return keys


# -- reading ------------------------------------------------------------------------------


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
        number = 0
        while line := text.readline(MAX_ENTITY_CHARS + 1):
            number += 1
            if len(line) > MAX_ENTITY_CHARS:
                raise UserError(f"{path}:{number}: a line of over {MAX_ENTITY_CHARS:,} characters is no FtM entity")
            line = line.strip()
            if line:
                yield _entity(path, number, line)


def _entity(path: Path, number: int, text: str) -> dict:
    try:
        entity = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{path}:{number}: not a JSON entity ({error.msg}): give FtM entities as JSON lines or a JSON array"
        ) from None
    except RecursionError:
        raise UserError(
            f"{path}:{number}: nested too deep to be an FtM entity: give FtM entities as JSON lines or a JSON array"
        ) from None
    return _an_entity(path, number, entity)


def _an_entity(path: Path, number: int, entity: object) -> dict:
    """`entity` if it is one: a JSON object with a text id and schema and an object of properties."""
    if not isinstance(entity, dict):
        raise UserError(f"{path}:{number}: a {type(entity).__name__} where an FtM entity (a JSON object) should be")
    if not (
        isinstance(entity.get("id"), str)
        and isinstance(entity.get("schema"), str)
        and isinstance(entity.get("properties", {}), dict)
    ):
        raise UserError(
            f"{path}:{number}: not an FtM entity: it needs an 'id' and a 'schema' (text) and 'properties' (an object)"
        )
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
            if more and len(buffer) > MAX_ENTITY_CHARS:
                too_long = f"{path}:{line}: an entity of over {MAX_ENTITY_CHARS:,} characters is no FtM entity"
                raise UserError(too_long) from None
            if more:
                buffer += more
                continue
            done = True
            if not buffer:
                continue
            raise UserError(
                f"{path}:{line}: not a JSON entity ({error.msg}): give FtM entities as JSON lines or a JSON array"
            ) from None
        line += buffer[:end].count("\n")
        buffer = buffer[end:]
        yield _an_entity(path, line, item)


def _strings(values) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _few_names(entity: dict) -> dict:
    """The entity with at most MAX_MATCHED_NAMES names, in the order of NAME_PROPERTIES, for the matcher."""
    properties, left = dict(entity.get("properties") or {}), MAX_MATCHED_NAMES
    for prop in NAME_PROPERTIES:
        values = properties.get(prop)
        if isinstance(values, list):
            properties[prop], left = values[:left], max(0, left - len(values))
    return {**entity, "properties": properties}


def _merge(kept: dict, entity: dict) -> None:
    """Add a fragment's property values to the entity kept under its id (values in order of first appearance)."""
    properties = kept.setdefault("properties", {})
    for prop, values in (entity.get("properties") or {}).items():
        if isinstance(prop, str):
            merged = properties.setdefault(prop, [])
            merged.extend(v for v in _strings(values) if v not in merged)
    if not kept.get("schema") and isinstance(entity.get("schema"), str):
        kept["schema"] = entity["schema"]


# -- matching -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _matcher():
    try:
        from followthemoney import model
        from nomenklatura.matching.logic_v2.model import LogicV2
        from nomenklatura.matching.types import ScoringConfig
        from rigour.names import tokenize_name
        from rigour.text import ascii_text, metaphone
    except ImportError:
        raise UserError(MISSING) from None
    return model, LogicV2, ScoringConfig.defaults(), _Keys(ascii_text, metaphone, tokenize_name)


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
    for name, feature in sorted(result.explanations.items()):
        if feature.score:
            compared = f": {feature.query} ~ {feature.candidate}" if feature.query and feature.candidate else ""
            detail = f" — {feature.detail}" if feature.detail else ""
            lines.append(f"{name} {feature.score:.2f}{compared}{detail}")
    return tuple(lines)


def _names(properties: dict) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for prop in NAME_PROPERTIES for n in _strings(properties.get(prop))))


class Screener:
    """The registry's actors made ready to screen: queries, blocking keys, judgements."""

    def __init__(self, actors: list[Actor]):
        self.model, self.algorithm, self.config, self.keys = _matcher()
        self.queries, self.schemata, self.rejected, self.confirmed = {}, {}, {}, {}
        self.by_key: dict[str, set[str]] = {}
        for actor in actors:
            if actor.kind not in SCREENED_AGAINST:
                continue
            self.schemata[actor.id] = SCREENED_AGAINST[actor.kind]
            self.queries[actor.id] = query = query_entity(self.model, actor)
            for key in self.keys(query.get("name") + query.get("alias"), actor.kind != ActorKind.person):
                self.by_key.setdefault(key, set()).add(actor.id)
            self.rejected[actor.id] = {j.id for j in actor.notSame}
            self.confirmed[actor.id] = {j.id for j in actor.sameAs}
        self.watched = {i for ids in self.confirmed.values() for i in ids}
        self.people = [a for a in actors if a.kind == ActorKind.person]
        self._by_symbol: dict[str, set[str]] | None = None
        # no name in Latin letters
        self.unlatin = any(all(not n.isascii() for n in [a.name] + [x.name for x in a.alias]) for a in self.people)

    def _symbols(self, names: Iterable[str]) -> set[str]:
        """The name symbols rigour tags person names with (Wikidata's names: 奥巴马 and Obama share one)."""
        from rigour.names.analyze import analyze_names
        from rigour.names.tag import NameTypeTag

        return {
            str(s)
            for name in analyze_names(NameTypeTag.PER, list(names))
            for s in name.symbols
            if str(s).startswith("[NAME:")
        }

    def by_symbol(self, names: Iterable[str]) -> set[str]:
        """The people sharing a name symbol with a candidate that none of its keys matched, named in another script than
        theirs."""
        if self._by_symbol is None:
            self._by_symbol = {}
            for actor in self.people:
                query = self.queries[actor.id]
                for symbol in self._symbols(query.get("name") + query.get("alias")):
                    self._by_symbol.setdefault(symbol, set()).add(actor.id)
        return {a for symbol in self._symbols(names) for a in self._by_symbol.get(symbol, ())}

    def blocked(self, schema: object, entity_id: str, names: Iterable[str]) -> set[str]:
        """The actors an entity of `schema` with these names is compared with."""
        if not isinstance(schema, str) or schema in ("Sanction", "Thing"):
            return set()
        names = list(names)
        keys = self.keys(names, schema != "Person")
        actors = {a for key in keys for a in self.by_key.get(key, ())}
        if not actors and schema == "Person" and self.people:
            foreign = [n for n in names if not n.isascii()]
            if foreign or self.unlatin:
                actors = self.by_symbol(names if self.unlatin else foreign)
        return {a for a in actors if schema in self.schemata[a] and entity_id not in self.rejected[a]}

    def read(
        self, entities: Iterable[dict] | Path, threshold: float, limit: int = 10, watch: Iterable[str] = ()
    ) -> ListRead:
        """Screen a list: its entities read once (twice if an entity's fragment came before the one that blocked it)."""
        watch = self.watched | set(watch)
        kept: dict[str, dict] = {}
        sanctions: dict[str, dict] = {}
        missed = array("q")
        datasets: set[str] = set()
        newest, count = None, 0
        source = (lambda: _entities(entities)) if isinstance(entities, Path) else (lambda e=list(entities): iter(e))
        for entity in source():
            count += 1
            entity_id, schema = str(entity.get("id")), entity.get("schema")
            datasets.update(_strings(entity.get("datasets")))
            change = entity.get("last_change")
            if isinstance(change, str) and (newest is None or change > newest):
                newest = change
            properties = entity.get("properties")
            properties = properties if isinstance(properties, dict) else {}
            if schema == "Sanction":
                targets = _strings(properties.get("entity"))
                if any(t in kept or t in watch for t in targets):
                    _merge(sanctions.setdefault(entity_id, {"id": entity_id, "schema": schema}), entity)
                else:
                    missed.extend(hash(t) for t in targets)
                continue
            if entity_id in kept or entity_id in watch or self.blocked(schema, entity_id, _names(properties)):
                _merge(kept.setdefault(entity_id, {"id": entity_id, "schema": schema}), entity)
            else:
                missed.append(hash(entity_id))
        if missed and kept:
            self._second_pass(source, missed, kept, sanctions)
        return self._score(kept, sanctions, threshold, limit, sorted(datasets), newest, count)

    def _second_pass(self, source, missed: array, kept: dict, sanctions: dict) -> None:
        """Fragments and Sanction records of kept entities that came before the fragment that kept them."""
        hashes = sorted(missed)

        def was_missed(entity_id: str) -> bool:
            h = hash(entity_id)
            at = bisect.bisect_left(hashes, h)
            return at < len(hashes) and hashes[at] == h

        again = {i for i in kept if was_missed(i)}
        if not again:
            return
        fresh = {i: {"id": i, "schema": kept[i].get("schema")} for i in again}
        for entity in source():
            entity_id, properties = (
                str(entity.get("id")),
                entity.get("properties") if isinstance(entity.get("properties"), dict) else {},
            )
            if entity.get("schema") == "Sanction":
                if any(t in again for t in _strings(properties.get("entity"))):
                    _merge(sanctions.setdefault(entity_id, {"id": entity_id, "schema": "Sanction"}), entity)
            elif entity_id in fresh:
                _merge(fresh[entity_id], entity)
        kept.update(fresh)

    def _score(
        self,
        kept: dict,
        sanctions: dict,
        threshold: float,
        limit: int,
        datasets: list[str],
        newest: str | None,
        count: int,
    ) -> ListRead:
        import heapq

        found: dict[str, list[Candidate]] = {actor_id: [] for actor_id in self.queries}
        shown: dict[str, dict] = {}
        for entity_id in sorted(kept):
            entity = kept[entity_id]
            properties = entity.get("properties", {})
            names = _names(properties)
            shown[entity_id] = {
                "schema": entity.get("schema"),
                "names": list(names),
                "topics": _strings(properties.get("topics")),
            }
            actor_ids = self.blocked(entity.get("schema"), entity_id, names)
            actor_ids |= {a for a, ids in self.confirmed.items() if entity_id in ids}
            if not actor_ids:
                continue
            try:
                candidate = self.model.get_proxy(_few_names(entity), cleaned=False)
            except Exception as error:  # an entity FtM cannot read is the dataset's problem: say which
                raise UserError(f"entity {entity_id[:100]!r} is not valid FtM ({error}): fix or drop it") from None
            for actor_id in sorted(actor_ids):
                result = self.algorithm.compare(self.queries[actor_id], candidate, self.config)
                confirmed = entity_id in self.confirmed[actor_id]
                if result.score >= threshold or confirmed:
                    row = Candidate(
                        round(result.score, 3),
                        entity_id,
                        names,
                        tuple(shown[entity_id]["topics"]),
                        _why(result),
                        confirmed,
                        str(entity.get("schema")),
                    )
                    heap = found[actor_id]
                    (heapq.heappush if len(heap) < limit else heapq.heappushpop)(heap, row)
        by_entity: dict[str, list[dict]] = {}
        for sanction_id in sorted(sanctions):
            record = sanctions[sanction_id]
            properties = record.get("properties", {})
            compact = {"id": sanction_id} | {p: properties[p] for p in SANCTION_PROPERTIES if properties.get(p)}
            for target in _strings(properties.get("entity")):
                if target in kept:
                    by_entity.setdefault(target, []).append(compact)
        return ListRead(
            {a: sorted(h, reverse=True) for a, h in found.items()}, shown, by_entity, datasets, newest, count
        )


def screen(
    actors: list[Actor], path: Path | Iterable[dict], threshold: float = 0.7, limit: int = 10
) -> dict[str, list[Candidate]]:
    """For each actor screened, the best candidates (at most `limit`) scoring at least `threshold`; never one rejected
    as notSame.

    In this process: the scores are exact, the names an explanation quotes may differ
    between runs where several tie (see `screen_registry` for a run that never differs).
    """
    return Screener(actors).read(path, threshold, limit).found


# -- the child process --------------------------------------------------------------------

HASH_SEED = "0"


def _lean_imports() -> None:
    """Import logic-v2 without running nomenklatura's package files, which load its resolver, store and
    scikit-learn models (2-3 s of start-up) that logic-v2 never uses. Only in the child, which uses nothing else."""
    import importlib.util
    from importlib.metadata import version

    for name in ("nomenklatura", "nomenklatura.matching"):
        if name in sys.modules:
            return
        spec = importlib.util.find_spec(name)
        if spec is None:
            return  # not installed: _matcher says so
        module = importlib.util.module_from_spec(spec)
        setattr(module, "__version__", version("nomenklatura"))  # noqa: B010 (pyright knows no such attribute)
        sys.modules[name] = module


def _child() -> None:
    """Read a request on stdin, screen, write the result on stdout (the entry point of the child)."""
    request = json.loads(sys.stdin.read())
    try:
        _lean_imports()
        actors = [Actor.model_validate(a) for a in request["actors"]]
        screener = Screener(actors)
        reads, watch = [], set()
        for path in request["lists"]:
            try:
                read = screener.read(Path(path), request["threshold"], request["limit"], watch)
            except (OSError, EOFError, UnicodeDecodeError) as error:
                raise UserError(f"{path} cannot be read: {error}") from None
            except UserError as error:
                raise UserError(
                    error.message if error.message.startswith(path) else f"{path}: {error.message}"
                ) from None
            watch |= {c.candidate_id for cs in read.found.values() for c in cs}
            reads.append(asdict(read))
        json.dump({"reads": reads}, sys.stdout, ensure_ascii=False)
    except UserError as error:
        json.dump({"error": error.message}, sys.stdout)


def _in_child(actors: list[Actor], lists: list[Path], threshold: float, limit: int) -> list[ListRead]:
    """Screen in a fresh interpreter with a fixed hash seed: identical inputs, identical output, explanations
    included."""
    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    env = dict(
        os.environ,
        PYTHONHASHSEED=HASH_SEED,
        PYTHONPATH=os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p),
    )
    request = {
        "actors": [a.model_dump(mode="json") for a in actors],
        "lists": [str(p) for p in lists],
        "threshold": threshold,
        "limit": limit,
    }
    code = "from dossiers.reports.screen import _child; _child()"
    done = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(request), capture_output=True, text=True, env=env
    )
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        if "ImportError" in done.stderr or "ModuleNotFoundError" in done.stderr:
            raise UserError(MISSING) from None
        raise RuntimeError(f"the screening process failed (exit {done.returncode}): {done.stderr[-1500:]}") from None
    if "error" in answer:
        raise UserError(answer["error"])
    reads = []
    for read in answer["reads"]:
        read["found"] = {
            a: [
                Candidate(**{**c, "names": tuple(c["names"]), "topics": tuple(c["topics"]), "why": tuple(c["why"])})
                for c in cs
            ]
            for a, cs in read["found"].items()
        }
        reads.append(ListRead(**read))
    return reads


def _checked(path: Path) -> Path:
    if not path.is_file():
        raise UserError(f"{path} is not a file: give an FtM entities file (.json, .jsonl or .gz)")
    return path


def screen_registry(
    root: Path, path: Path, threshold: float | None = None
) -> tuple[dict[str, list[Candidate]], dict[str, str]]:
    """Candidates for the actors of the registry under `root` (only actors.yaml and dossiers.toml are read), and their
    names.

    `threshold` defaults to the project's [screen] threshold.
    """
    actors = load_registry(root).actors
    threshold = load_settings(root).screen.threshold if threshold is None else threshold
    (read,) = _in_child(actors, [_checked(path)], threshold, 10)
    return read.found, {a.id: a.name for a in actors}


# -- the screening record -----------------------------------------------------------------


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _today() -> str:
    return dates.epoch_date() or dt.datetime.now(dt.UTC).date().isoformat()


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _shown_path(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def screening_record(root: Path, path: Path, actors: list[Actor], read: ListRead, threshold: float) -> ScreeningRecord:
    sha256, size = _sha256(path)
    screened = []
    for actor in actors:
        if actor.id not in read.found:
            continue
        candidates = [
            RecordedCandidate(
                id=c.candidate_id,
                schema=c.schema,
                names=list(c.names),
                score=c.score,
                topics=list(c.topics),
                why=list(c.why),
                confirmed=c.confirmed,
                sanctions=read.sanctions.get(c.candidate_id, []),
            )
            for c in read.found[actor.id]
        ]
        names = list(dict.fromkeys([actor.name] + [a.name for a in actor.alias]))
        screened.append(
            ScreenedActor(
                id=actor.id,
                name=actor.name,
                kind=actor.kind.value,
                names=names,
                sameAs=actor.sameAs,
                notSame=actor.notSame,
                candidates=candidates,
            )
        )
    return ScreeningRecord(
        date=_today(),
        list=ListFile(
            path=_shown_path(root, path),
            sha256=sha256,
            size=size,
            datasets=read.datasets,
            newest_change=read.newest_change,
            entities=read.count,
        ),
        matcher=Matcher(
            version=_version("nomenklatura"), algorithm=ALGORITHM, rigour=_version("rigour"), blocking=BLOCKING
        ),
        threshold=threshold,
        actors=screened,
    )


def record_json(record: ScreeningRecord) -> str:
    return (
        json.dumps(record.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    )


def write_record(root: Path, record: ScreeningRecord) -> tuple[Path, bool]:
    """Write the record as screenings/DATE.json, atomically and never over another: (its path, whether it was written).

    The same record already there is left as it is; a different one of the same date
    keeps its name, and this one takes the next free DATE-N.json.
    """
    folder = root / SCREENINGS_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UserError(f"{folder} is not a folder: screening records go in {SCREENINGS_DIR}/ of the project")
    folder.mkdir(exist_ok=True)
    data = record_json(record).encode()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".screening-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        for number in range(1, 1000):
            target = folder / (f"{record.date}.json" if number == 1 else f"{record.date}-{number}.json")
            try:
                os.link(temporary, target)  # fails if the name is taken: never replaces a record
                return target, True
            except FileExistsError:
                if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                    return target, False
        raise UserError(f"{folder}: 999 screening records dated {record.date} already: remove some")
    finally:
        os.unlink(temporary)


def record_screening(
    root: Path, path: Path, threshold: float | None = None
) -> tuple[dict[str, list[Candidate]], dict[str, str], Path, bool]:
    """Screen and write the record: the candidates, the actors' names, the record's path, and whether it was new."""
    actors = load_registry(root).actors
    threshold = load_settings(root).screen.threshold if threshold is None else threshold
    (read,) = _in_child(actors, [_checked(path)], threshold, 10)
    target, written = write_record(root, screening_record(root, path, actors, read, threshold))
    return read.found, {a.id: a.name for a in actors}, target, written


# -- list changes -------------------------------------------------------------------------

WATCHED = ("program", "provisions", "reason", "authority")


@dataclass(frozen=True, order=True)
class ListChange:
    actor: str
    entity: str
    change: str  # listed, delisted, changed, candidate
    record: str  # the Sanction record's id, or "" for the entity itself
    detail: str


def _label(record: dict) -> str:
    parts = ["; ".join(record.get(p, [])) for p in ("authority", "program") if record.get(p)]
    since = (record.get("listingDate") or record.get("startDate") or [""])[0]
    return f"{', '.join(parts) or 'a sanction'}{f' (since {since})' if since else ''}"


def list_changes(actors: list[Actor], old: ListRead, new: ListRead) -> list[ListChange]:
    """What changed between two versions of a list for these actors' confirmed entities and candidates."""
    changes: list[ListChange] = []
    for actor in actors:
        if actor.id not in new.found:
            continue
        confirmed = {j.id for j in actor.sameAs}
        old_candidates = {c.candidate_id for c in old.found.get(actor.id, [])}
        new_candidates = {c.candidate_id for c in new.found.get(actor.id, [])}
        for entity_id in sorted(confirmed | old_candidates | new_candidates):
            was, now = entity_id in old.entities, entity_id in new.entities
            if entity_id in new_candidates and entity_id not in old_candidates and entity_id not in confirmed:
                score = next(c.score for c in new.found[actor.id] if c.candidate_id == entity_id)
                changes.append(
                    ListChange(
                        actor.id,
                        entity_id,
                        "candidate",
                        "",
                        f"new candidate scoring {score:.2f}: {'; '.join(new.entities[entity_id]['names'][:3])}",
                    )
                )
            if was and not now:
                changes.append(
                    ListChange(
                        actor.id,
                        entity_id,
                        "delisted",
                        "",
                        "the entity is gone from the newer list (delisted, or merged into another)",
                    )
                )
                continue
            before = {r["id"]: r for r in old.sanctions.get(entity_id, [])}
            after = {r["id"]: r for r in new.sanctions.get(entity_id, [])}
            for record_id in sorted(before.keys() | after.keys()):
                b, a = before.get(record_id), after.get(record_id)
                if b is None and a is not None:
                    ended = f", ended {a['endDate'][0]}" if a.get("endDate") else ""
                    changes.append(
                        ListChange(actor.id, entity_id, "listed", record_id, f"new listing: {_label(a)}{ended}")
                    )
                elif a is None and b is not None:
                    changes.append(
                        ListChange(
                            actor.id,
                            entity_id,
                            "delisted",
                            record_id,
                            f"the record is gone from the newer list: {_label(b)}",
                        )
                    )
                elif a is not None and b is not None:
                    if a.get("endDate") and a.get("endDate") != b.get("endDate"):
                        changes.append(
                            ListChange(
                                actor.id,
                                entity_id,
                                "delisted",
                                record_id,
                                f"listing ended {a['endDate'][0]}: {_label(a)}",
                            )
                        )
                    for prop in WATCHED:
                        if a.get(prop, []) != b.get(prop, []):
                            shown_b, shown_a = ("; ".join(x.get(prop, [])) or "(none)" for x in (b, a))
                            changes.append(
                                ListChange(actor.id, entity_id, "changed", record_id, f"{prop}: {shown_b} -> {shown_a}")
                            )
    return changes


def watch_lists(
    root: Path, new: Path, old: Path, threshold: float | None = None
) -> tuple[list[ListChange], dict[str, str]]:
    """The changes from `old` to `new` for the registry's actors, and their names."""
    actors = load_registry(root).actors
    threshold = load_settings(root).screen.threshold if threshold is None else threshold
    old_read, new_read = _in_child(actors, [_checked(old), _checked(new)], threshold, 10)
    return list_changes(actors, old_read, new_read), {a.id: a.name for a in actors}
