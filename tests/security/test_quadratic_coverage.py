"""Attack: coverage of a long source where every sentence names an actor.

Each such sentence counted the newlines from the start of the text for its line number,
and was compared with every citation of its source: 30,000 sentences of 1.3 MB took
minutes. Now line numbers come from the source's block index and the
citations are sorted once.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from conftest import run

LINES = 60_000


def test_coverage_of_60000_sentences_naming_an_actor(project: Path):
    text = "".join(f"Lukashenko met Mnangagwa in Harare on day {n}.\n" for n in range(LINES))
    (project / "seeds" / "days.txt").write_text(text, "utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with (project / "seeds" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"\n  - id: days\n    file: days.txt\n    sha256: {sha}\n    title: Days\n    publisher: X\n    language: en\n    reliability: F\n")
    last = f"Lukashenko met Mnangagwa in Harare on day {LINES - 1}."
    fact = f"\nfacts:\n  - id: last-day\n    kind: event\n    actors: [lukashenko, mnangagwa]\n    text: Lukashenko met Mnangagwa on day {LINES - 1}.\n    citations:\n      - source: days\n        quote: {last}\n"
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", fact, 1), "utf-8")
    began = time.perf_counter()
    result = run("coverage", "--root", str(project), "--format", "json")
    took = time.perf_counter() - began
    [days] = [s for s in json.loads(result.stdout)["sources"] if s["source"] == "days"]
    assert days["covered"] == 1 and len(days["uncovered"]) == LINES - 1
    assert days["uncovered"][-1]["line"] == LINES - 1
    assert took < 40, f"coverage took {took:.1f} s"
