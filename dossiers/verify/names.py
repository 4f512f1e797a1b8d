"""Where a text names the registry's actors, word by word.

An actor is named by its name or another name, and a person also by their surname. A
surname two people share ("Sheiman": Viktor and his son Sergei) names the one the text
last named in full (or, before any full name, the first it names in full); a first name
that tells them apart ("Sergei"), beside the shared surname, names that one. A surname
the text never resolves names each person who bears it, so that no check counts on
either.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ..registry.model import Actor
from .quotes import normalise

NAME_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
FIRST_NAME_REACH = 6  # words between a first name and the shared surname it goes with


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    full: bool  # by a whole name (not a surname or first name alone)
    ambiguous: bool = False  # a shared surname the text does not resolve: it names each person who bears it


def _key(token: str) -> str:
    """A word as names are looked up: typographic apostrophe folded, possessive dropped."""
    token = token.replace("’", "'")
    return token[:-2] if token.endswith("'s") else token


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(_key(m.group()), m.start(), m.end()) for m in NAME_TOKEN.finditer(text)]


class Names:
    """Every name of the registry's actors, indexed by its first word."""

    def __init__(self, actors: list[Actor]):
        # the first word (and, for a longer name, the second) → (words, actor id, full): a common first name is one
        # look-up, not a scan
        self.index: dict[str | tuple[str, str], list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
        bearers: dict[str, set[str]] = defaultdict(set)  # surname → the people who bear it
        given: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # surname → first name → people
        self.people: set[str] = set()
        for actor in actors:
            names = {actor.name} | {alias.name for alias in actor.alias}
            for name in names:
                words = tuple(w for w, _, _ in _words(normalise(name).text))
                if words:
                    self.index[words[0] if len(words) == 1 else (words[0], words[1])].append((words, actor.id, True))
            if actor.kind.is_person:
                self.people.add(actor.id)
                for name in names:
                    words = [w for w, _, _ in _words(normalise(name).text)]
                    if len(words) > 1:
                        bearers[words[-1]].add(actor.id)
                        given[words[-1]][words[0]].add(actor.id)
        self.shared = {surname for surname, people in bearers.items() if len(people) > 1}
        self.bearers = dict(bearers)
        for surname, people in bearers.items():
            for person in people:
                self.index[surname].append(((surname,), person, False))
        # first names that tell apart the people who share a surname
        self.first_names = {
            (surname, first): next(iter(people))
            for surname in self.shared
            for first, people in given[surname].items()
            if len(people) == 1
        }

    def mentions(self, text: str, fallback: AbstractSet[str] = frozenset()) -> list[Mention]:
        """Every name in `text` (normalised as quotes are), in order; an unresolved shared surname goes to the one
        person of `fallback` (the fact's actors) who bears it, if there is one."""
        words = _words(text)
        found: list[Mention] = []
        shared_at: list[int] = []  # word index of each shared surname
        # surname → (index of its word, person) where named in full
        full_at: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, (word, start, _) in enumerate(words):
            pair = self.index.get((word, words[i + 1][0]), ()) if i + 1 < len(words) else ()
            for name, actor, full in (*self.index.get(word, ()), *pair):
                if tuple(w for w, _, _ in words[i : i + len(name)]) != name:
                    continue
                end = words[i + len(name) - 1][2]
                if full:
                    found.append(Mention(start, end, actor, True))
                    if actor in self.people and len(name) > 1 and name[-1] in self.shared:
                        full_at[name[-1]].append((i + len(name) - 1, actor))
                elif word not in self.shared:
                    found.append(Mention(start, end, actor, False))
            if word in self.shared:
                shared_at.append(i)
        for i in shared_at:
            surname, start, end = words[i]
            for j in range(max(0, i - FIRST_NAME_REACH), min(len(words), i + FIRST_NAME_REACH + 1)):
                person = self.first_names.get((surname, words[j][0]))
                if person and j != i - 1:  # 'Sheiman’s son Sergei'; not the first name of 'Viktor Sheiman' itself
                    found.append(Mention(words[j][1], words[j][2], person, False))
            whole = [person for at, person in full_at[surname] if at == i]
            if whole:  # the surname of a full name: it names that person, for a quote that begins with it
                found.append(Mention(start, end, whole[0], False))
                continue
            before = [person for at, person in full_at[surname] if at < i]
            after = [person for at, person in full_at[surname] if at > i]
            known = self.bearers[surname] & fallback
            people = [before[-1]] if before else [after[0]] if after else sorted(known) if len(known) == 1 else []
            if people:
                found.append(Mention(start, end, people[0], False))
            else:
                found += [
                    Mention(start, end, person, False, ambiguous=True) for person in sorted(self.bearers[surname])
                ]
        return sorted(set(found), key=lambda m: (m.start, m.end, m.actor))
