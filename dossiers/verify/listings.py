"""Listings: what a registered list (a FollowTheMoney file) records of the entities an actor is confirmed as.

A `sameAs: [{source: LIST, id: ENTITY}]` on an actor says the list's entity is the actor;
each `Sanction` record of the list whose `entity` is that entity is a listing of the
actor, in the list's own words, cited by the record's id. This module also holds the
cheap name match the check runs to find candidates no judgement answers: screening
proper (nomenklatura's logic-v2) is `dossiers screen`, a report, which the check cannot
call, and it needs an optional 650 MB extra.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ..registry.ftm import SCREENED_AGAINST
from ..registry.model import Actor
from ..sources.ftm import Entity, EntityList


@dataclass(frozen=True)
class Listing:
    """One Sanction record of a registered list for an entity an actor is confirmed as."""

    source: str  # the list's source id
    record: str  # the Sanction record's id
    entity: str  # the listed entity's id
    authority: tuple[str, ...]
    program: tuple[str, ...]
    provisions: tuple[str, ...]  # the measures: asset freeze, travel ban...
    reason: tuple[str, ...]  # in the list's own words
    listed: str | None  # the date listed: listingDate, else startDate
    ended: str | None  # endDate: set when delisted
    urls: tuple[str, ...]  # sourceUrl
    line: int  # where the record first appears in the file

    @property
    def current(self) -> bool:
        return self.ended is None


def listing(source_id: str, record: Entity) -> Listing:
    return Listing(
        source_id,
        record.id,
        record.first("entity") or "",
        record.values("authority"),
        record.values("program"),
        record.values("provisions"),
        record.values("reason"),
        record.first("listingDate") or record.first("startDate"),
        record.first("endDate"),
        record.values("sourceUrl"),
        record.line,
    )


def listings(actor: Actor, lists: Mapping[str, EntityList]) -> tuple[Listing, ...]:
    """The actor's listings: every Sanction record, in every registered list, of each entity its sameAs confirms, in
    the order of its sameAs and of the file."""
    found = []
    for judgement in actor.sameAs:
        if judgement.source is None:
            continue  # a judgement against an outside dataset: no list of the project holds its records
        listed = lists.get(judgement.source)
        if listed is not None:
            found.extend(listing(judgement.source, record) for record in listed.sanctions_of(judgement.id))
    return tuple(found)


AUTHORITIES = {  # how articles and lists name the same authority, to one key
    "eu": "eu",
    "european union": "eu",
    "council of the european union": "eu",
    "european commission": "eu",
    "us": "us",
    "usa": "us",
    "united states": "us",
    "united states of america": "us",
    "ofac": "us",
    "us treasury": "us",
    "uk": "uk",
    "united kingdom": "uk",
    "ofsi": "uk",
    "hm treasury": "uk",
    "fcdo": "uk",
    "un": "un",
    "united nations": "un",
    "un security council": "un",
    "canada": "ca",
    "switzerland": "ch",
    "seco": "ch",
    "australia": "au",
    "japan": "jp",
    "ukraine": "ua",
}


def authority_key(name: str) -> str:
    """'European Union' and 'EU' → 'eu'; an authority the table does not know is its own key, case folded."""
    folded = " ".join(name.casefold().replace(".", "").split())
    return AUTHORITIES.get(folded, folded)


def list_authorities(listed: EntityList) -> set[str]:
    """The authorities of a list's Sanction records, as keys."""
    return {
        authority_key(a)
        for records in listed.sanctions.values()
        for record in records
        for a in listed.entities[record].values("authority")
    }


_WORD = re.compile(r"\w+")


def _tokens(name: str) -> frozenset[str]:
    """A name's words, case folded, accents and punctuation dropped: 'Viktar Uladzimiravich SHEIMAN (SHEYMAN)' →
    {viktar, ...}."""
    if name.isascii():
        return frozenset(_WORD.findall(name.lower()))
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return frozenset(_WORD.findall(plain))


class NameIndex:
    """A list's entity names by word, built once, so that the entities naming every word of a name are an
    intersection."""

    def __init__(self, listed: EntityList):
        self.listed = listed
        # word → (entity id, index of the name) of the names that have it
        self.words: dict[str, set[tuple[str, int]]] = {}
        self.names: dict[tuple[str, int], tuple[str, frozenset[str]]] = {}
        for entity in listed.entities.values():
            if entity.schema == "Sanction":
                continue
            for number, name in enumerate(entity.names):
                words = _tokens(name)
                self.names[(entity.id, number)] = (name, words)
                for word in words:
                    self.words.setdefault(word, set()).add((entity.id, number))

    def matches(self, actor: Actor) -> list[tuple[Entity, str, str]]:
        """The list's entities with a name that holds every word of one of the actor's names (two words at least, or
        the whole name), whose schema fits the actor's kind: (entity, the actor's name, the entity's name), in file
        order."""
        if actor.kind not in SCREENED_AGAINST:
            return []
        fits = SCREENED_AGAINST[actor.kind]
        found: dict[str, tuple[str, str]] = {}
        for name in dict.fromkeys([actor.name, *(a.name for a in actor.alias)]):
            mine = _tokens(name)
            if not mine:
                continue
            hits = set.intersection(*(self.words.get(word, set()) for word in mine))
            for key in sorted(hits):
                entity_name, words = self.names[key]
                if (len(mine) >= 2 or mine == words) and self.listed.entities[key[0]].schema in fits:
                    found.setdefault(key[0], (name, entity_name))
        order = {entity_id: n for n, entity_id in enumerate(self.listed.entities)}
        return [(self.listed.entities[e], *found[e]) for e in sorted(found, key=order.__getitem__)]
