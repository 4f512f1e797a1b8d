"""How a source is read: its sentences and paragraphs, and where it names an actor or a country."""

from __future__ import annotations

import re

from ..registry.countries import country_name
from ..registry.model import Actor, ActorKind
from .quotes import normalise

SENTENCE_END = re.compile(r"""([.!?]["'”’)]*)\s+|\n\s*""")
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence: text up to . ! or ? and closing quotes, or a line break."""
    spans, start = [], 0
    for boundary in SENTENCE_END.finditer(text):
        end = boundary.start() + len(boundary.group(1) or "")
        if text[start:end].strip():
            spans.append((start, end))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph: text between blank lines, or each line of a text that has no blank line."""
    breaks = BLANK_LINE if BLANK_LINE.search(text) else re.compile(r"\n")
    spans, start = [], 0
    for found in breaks.finditer(text):
        if text[start : found.start()].strip():
            spans.append((start, found.start()))
        start = found.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def names_of(actor: Actor) -> set[str]:
    """Every name an actor goes by: its name, its other names, and a person's surnames."""
    names = {actor.name} | {alias.name for alias in actor.alias}
    if actor.kind.is_person:
        names |= {name.split()[-1] for name in names if " " in name}
    return names


def name_pattern(names: set[str], prefix: bool = False) -> re.Pattern:
    """Any of the names as whole words (or as the start of a word, for 'Belarus' in 'Belarusian')."""
    alternatives = sorted((re.escape(normalise(name).text) for name in names), key=len, reverse=True)
    end = "" if prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)}){end}")


def mention_patterns(actors: list[Actor]) -> dict[str, re.Pattern]:
    """For each actor (by id), a pattern of every name it goes by; for each country of an actor (by its name), the
    country.

    A sentence about Belarus or Zimbabwe speaks of the registry even when it names no
    actor ("Zimbabwe and Belarus are close allies of Russia."). Sentences that speak of
    an actor only as "he" or "the two leaders" are not found: that takes reading, not matching.
    """
    patterns = {actor.id: name_pattern(names_of(actor), prefix=actor.kind == ActorKind.state) for actor in actors}
    states = {code for actor in actors if actor.kind == ActorKind.state for code in actor.country}
    for code in sorted({code for actor in actors for code in actor.country} - states):
        name = country_name(code)
        if name:
            patterns[name] = name_pattern({name}, prefix=True)
    return patterns
