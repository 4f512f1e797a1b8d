"""Generate a synthetic registry: N actors, M sources of generated text, K facts whose quotes occur in it.

    python benchmarks/generate.py OUT_DIR --actors 1000 --sources 300 --facts 10000

Deterministic for a given --seed. Quotes are whole generated sentences, each unique, so
every citation verifies, and each names its fact's actors, date and authorities, so that
every claim is supported; a share of facts are relationships and sanctions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

WORDS = ["minister", "delegation", "agreement", "visit", "capital", "council", "defence", "trade", "mining", "agriculture", "embassy", "talks", "report", "press", "service", "cooperation", "military", "hardware", "supply", "contract", "company", "director", "officer", "general", "statement", "meeting", "conference", "committee", "border", "region", "energy", "bank", "transfer", "shipment", "gold", "platinum"]
GIVEN = ["Alexander", "Viktor", "Sergei", "Oppah", "Frederick", "Valery", "Emmerson", "Tendai", "Ivan", "Olga", "Natalia", "Farai", "Tatsiana", "Dmitri", "Rudo", "Chipo"]
FAMILY = ["Ivanov", "Moyo", "Petrov", "Ncube", "Sidorov", "Dube", "Kovalenko", "Sibanda", "Novik", "Mlambo", "Orlov", "Chikore", "Zaitsev", "Mushonga", "Volkov", "Gumbo"]
AUTHORITIES = ["EU", "US", "UK", "CA", "CH"]
AUTHORITY_NAMES = {"EU": "European Union", "US": "United States", "UK": "United Kingdom", "CA": "Canada", "CH": "Switzerland"}
MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
LINKS = [("ally", "close ally of"), ("family", "brother of"), ("associate", "business partner of"), ("meeting", "met with")]


def generate(out: Path, actors: int, sources: int, facts: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    people = int(actors * 0.7)
    actor_rows = []
    for i in range(actors):
        person = i < people
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}-{i}" if person else f"Organisation {i} {rng.choice(FAMILY)} Holdings"
        actor_rows.append({"id": f"a{i:05d}", "kind": "person" if person else "company", "name": name, "alias": [{"name": name.upper(), "lang": "en"}], "country": [rng.choice(["by", "zw", "ru", "za"])]})
    # Each source is a list of unique sentences; each fact quotes one of them, a sentence written for it that names
    # its actors, date and authorities, so that every claim is supported and a build prints it.
    per_source = facts // sources + 2
    names = {row["id"]: row["name"] for row in actor_rows}
    sentences = [[f"Report {s}-{k}: the {' '.join(rng.choice(WORDS) for _ in range(12))} was noted on day {k}." for k in range(per_source)] for s in range(sources)]
    fact_rows = []
    for f in range(facts):
        s = f % sources
        k = (f // sources) % per_source
        subject = f"a{rng.randrange(people):05d}"
        words = " ".join(rng.choice(WORDS) for _ in range(8))
        month, day = 1 + f % 12, 1 + f % 28
        when = f"on {day} {MONTHS[month]} 2023"
        claim = f"{names[subject]} attended the {words} {when}"
        row = {"id": f"f{f:06d}", "actors": [subject], "kind": "event", "text": claim + ".", "date": f"2023-{month:02d}-{day:02d}"}
        roll = f % 10
        if roll == 0:
            authorities = rng.sample(AUTHORITIES, 2)
            claim = f"the {AUTHORITY_NAMES[authorities[0]]} and the {AUTHORITY_NAMES[authorities[1]]} sanctioned {names[subject]} over the {words} {when}"
            row.update(kind="sanction", authority=authorities, text=f"Sanctioned by the {AUTHORITY_NAMES[authorities[0]]} and the {AUTHORITY_NAMES[authorities[1]]} over the {words}.")
        elif roll in (1, 2):
            link, label = LINKS[f % len(LINKS)]
            other = f"a{rng.randrange(actors):05d}"
            if other == subject:
                other = f"a{(int(subject[1:]) + 1) % people:05d}"
            claim = f"{names[subject]} {'met with' if link == 'meeting' else 'is a ' + label} {names[other]} at the {words} {when}"
            row.update(kind="relationship", actors=[subject, other], relationship=label, link=link, text=claim + ".")
        sentences[s][k] = f"Report {s}-{k}: {claim}."
        row["citations"] = [{"source": f"s{s:04d}", "quote": sentences[s][k]}]
        fact_rows.append(row)
    texts = ["\n".join(lines) + "\n" for lines in sentences]
    source_rows = []
    for s, text in enumerate(texts):
        name = f"{s:04d}.txt"
        (out / "seeds" / name).write_text(text, "utf-8")
        source_rows.append({"id": f"s{s:04d}", "file": name, "sha256": hashlib.sha256(text.encode()).hexdigest(), "title": f"Report {s}", "publisher": "Synthetic Wire", "published": f"2023-{1 + s % 12:02d}-{1 + s % 28:02d}", "language": "en", "reliability": "C"})
    (out / "actors.yaml").write_text(_yaml({"actors": actor_rows, "facts": fact_rows}), "utf-8")
    (out / "seeds" / "sources.yaml").write_text(_yaml({"sources": source_rows}), "utf-8")


def _yaml(data: dict) -> str:
    """Block YAML with JSON-quoted scalars: plain to read, and quick to write."""
    out = []
    for section, rows in data.items():
        out.append(f"{section}:")
        for row in rows:
            first = True
            for key, value in row.items():
                prefix = "  - " if first else "    "
                first = False
                out.append(f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.actors, args.sources, args.facts, args.seed)
