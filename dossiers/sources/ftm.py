"""A FollowTheMoney list file as a source: its entities read bounded, fragments of one entity merged.

A list (a sanctions list as OpenSanctions exports it) is JSON lines or one JSON array of
entities, gzipped or not. It has no prose: nothing in it is quoted; its records are cited
by entity id. Reading it is bounded as any source is: at most MAX_SOURCE_BYTES unpacked
(a gzip bomb stops there), and JSON nested deeper than the parser's stack is a malformed
list, not a crash.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .files import MAX_SOURCE_BYTES, Unreadable

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 2**20  # what is unpacked and parsed to tell a list from other JSON: its first entity must fit
DATE_PROPERTIES = ("last_change", "last_seen", "first_seen")  # the export's own dates, newest first, for its version


@dataclass(frozen=True)
class Entity:
    """One entity of a list, its fragments (lines with the same id) merged: every value once, in the order read."""

    id: str
    schema: str
    properties: Mapping[str, tuple[str, ...]]
    line: int  # where it first appears: its line in JSON lines, the line its object opens on in an array

    def values(self, name: str) -> tuple[str, ...]:
        return self.properties.get(name, ())

    def first(self, name: str) -> str | None:
        found = self.properties.get(name, ())
        return found[0] if found else None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(n for prop in ("name", "alias", "previousName", "weakAlias") for n in self.values(prop))
        )


@dataclass(frozen=True)
class EntityList:
    """The entities of a list file by id, the datasets they name, and the newest date of the export, if it gives one."""

    entities: Mapping[str, Entity]
    datasets: tuple[str, ...] = ()
    version: str | None = None  # ISO date: the newest last_change (else last_seen, first_seen) of its entities
    # listed entity id → ids of its Sanction records
    sanctions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    size: int = 0  # characters of its JSON text, unpacked

    def sanctions_of(self, entity_id: str) -> tuple[Entity, ...]:
        return tuple(self.entities[record] for record in self.sanctions.get(entity_id, ()))


def unpacked(raw: bytes, name: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a file, gunzipped if gzipped (every member), refused past `limit` bytes unpacked
    (source-too-large)."""
    if not raw.startswith(GZIP_MAGIC):
        return raw
    out, rest = bytearray(), raw
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=31)
        try:
            while True:
                out += inflater.decompress(rest, limit + 1 - len(out))
                if len(out) > limit:
                    raise Unreadable(
                        "file",
                        "source-too-large",
                        f"{name} unpacks to more than {limit // 2**20} MiB: "
                        "split the list, or keep the part that names your actors",
                    )
                rest = inflater.unconsumed_tail
                if not rest or inflater.eof:
                    break
        except zlib.error as error:
            raise Unreadable(
                "file",
                "source-ftm-malformed",
                f"{name} is a gzip file that cannot be unpacked ({error}): download it again",
            ) from None
        if not inflater.eof:
            raise Unreadable("file", "source-ftm-malformed", f"{name} is a gzip file cut short: download it again")
        rest = inflater.unused_data
    return bytes(out)


def looks_like_a_list(raw: bytes) -> bool:
    """Whether the first entity of the file (JSON lines or array, gzipped or not) is a FollowTheMoney entity; reads at
    most SNIFF_BYTES."""
    head = raw[:SNIFF_BYTES]
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
        except zlib.error:
            return False
    try:
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    except ValueError:
        return False
    if text.startswith("["):
        text = text[1:].lstrip(" \t\r\n")
    if not text.startswith("{"):
        return False
    try:
        first, _ = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return False
    return _is_entity(first)


def _is_entity(item: object) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and isinstance(item.get("schema"), str)
        and isinstance(item.get("properties"), dict)
    )


def read_list(raw: bytes, name: str) -> EntityList:
    """Every entity of a list file, fragments merged; raises Unreadable naming the line of what is not an entity."""
    data = unpacked(raw, name)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise Unreadable(
            "file",
            "source-not-utf8",
            f"{name} is not UTF-8 (byte {error.start} unpacked): a FollowTheMoney list is UTF-8 JSON",
        ) from None
    stripped = text.lstrip(" \t\r\n")
    items = _array(text, name) if stripped.startswith("[") else _lines(text, name)
    merged: dict[str, tuple[str, int, dict[str, dict[str, None]]]] = {}
    datasets: dict[str, None] = {}
    newest = None
    for line, item in items:
        if not _is_entity(item):
            raise Unreadable(
                "file",
                "source-ftm-malformed",
                f"{name}, line {line}: not a FollowTheMoney entity (an "
                "object with 'id', 'schema' and 'properties'): fix or drop it",
            )
        schema, props = item["schema"], item["properties"]
        entity_id = item["id"]
        known = merged.get(entity_id)
        if known and known[0] != schema:
            message = (
                f"{name}, line {line}: entity '{entity_id[:100]}' is a {schema[:40]} here and a {known[0][:40]} on "
                f"line {known[1]}"
            )
            raise Unreadable("file", "source-ftm-malformed", message + ": fragments of one entity share a schema")
        values = known[2] if known else {}
        merged.setdefault(entity_id, (schema, line, values))
        for prop, found in props.items():
            if type(found) is not list or any(type(v) is not str for v in found):
                raise Unreadable(
                    "file",
                    "source-ftm-malformed",
                    f"{name}, line {line}: property '{str(prop)[:40]}' of "
                    f"'{entity_id[:100]}' is not a list of strings, as FollowTheMoney values are",
                )
            values.setdefault(prop, {}).update(dict.fromkeys(found))
        for dataset in item.get("datasets") or ():
            if isinstance(dataset, str):
                datasets[dataset] = None
        for key in DATE_PROPERTIES:
            stamp = item.get(key)
            if isinstance(stamp, str) and stamp[:10] and (newest is None or stamp[:10] > newest):
                newest = stamp[:10]
                break
    entities = {
        entity_id: Entity(entity_id, schema, MappingProxyType({p: tuple(v) for p, v in values.items()}), line)
        for entity_id, (schema, line, values) in merged.items()
    }
    sanctions: dict[str, list[str]] = {}
    for entity in entities.values():
        if entity.schema == "Sanction":
            for target in entity.values("entity"):
                sanctions.setdefault(target, []).append(entity.id)
    return EntityList(
        MappingProxyType(entities),
        tuple(datasets),
        newest,
        MappingProxyType({k: tuple(v) for k, v in sanctions.items()}),
        len(text),
    )


def _lines(text: str, name: str):
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield number, _loads(line, name, number)


def _loads(text: str, name: str, line: int):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {line + error.lineno - 1}, column {error.colno}"
        raise Unreadable(
            "file",
            "source-ftm-malformed",
            f"{name}, {where}: not JSON ({error.msg}): a list is "
            "FollowTheMoney entities as JSON lines or one JSON array",
        ) from None
    except RecursionError:
        raise Unreadable(
            "file", "source-ftm-malformed", f"{name}, line {line}: JSON nested too deep to be a FollowTheMoney entity"
        ) from None


def _array(text: str, name: str):
    """The items of one JSON array, decoded one after another so that an error names its line."""
    decoder, position = json.JSONDecoder(), text.index("[") + 1
    line, length = 1 + text.count("\n", 0, position), len(text)
    while True:
        while position < length and text[position] in " \t\r\n":
            line += text[position] == "\n"
            position += 1
        if position < length and text[position] == "]":
            if text[position + 1 :].strip(" \t\r\n"):
                raise Unreadable(
                    "file", "source-ftm-malformed", f"{name}, line {line}: text after the end of the array"
                )
            return
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            where = f"{name}, line {error.lineno}, column {error.colno}"
            raise Unreadable(
                "file",
                "source-ftm-malformed",
                f"{where}: not JSON ({error.msg}): a list is FollowTheMoney entities as JSON lines or one JSON array",
            ) from None
        except RecursionError:
            raise Unreadable(
                "file",
                "source-ftm-malformed",
                f"{name}, line {line}: JSON nested too deep to be a FollowTheMoney entity",
            ) from None
        yield line, item
        line += text.count("\n", position, end)
        position = end
        while position < length and text[position] in " \t\r\n":
            line += text[position] == "\n"
            position += 1
        if position < length and text[position] == ",":
            position += 1
        elif position >= length or text[position] != "]":
            raise Unreadable(
                "file", "source-ftm-malformed", f"{name}, line {line}: the JSON array is not closed with ]"
            )
