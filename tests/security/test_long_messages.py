"""Attack: messages that embed source or registry text at any length.

A near-miss quote of 3,900 characters put the source's closest passage and a word diff
in its message, 8 KB on one line of the terminal, the job summary and every GitHub
annotation; an ambiguous quote listed every line it occurred on (240 KB). Every Problem,
UserError, BadRequest and GitError message is now cut to MAX_MESSAGE characters where it
is made, keeping its start (what is wrong) and end (how to fix it); a request's choices
are listed up to CHOICES_SHOWN.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import position, run
from dossiers.cli.present import CHOICES_SHOWN, error_text
from dossiers.errors import MAX_MESSAGE, BadRequest, GitError, Problem, UserError

WORDS = ["the", "delegation", "of", "the", "ministry", "met", "the", "council", "in", "the", "capital", "to", "sign", "a", "trade", "agreement", "on", "mining", "and", "energy"]


def long_quote_project(project: Path) -> str:
    """A source of 20,000 words and a fact quoting 3,900 characters of it with one word changed; returns the quote."""
    text = " ".join(f"{WORDS[i % len(WORDS)]}{i}" for i in range(20_000)) + ".\n"
    (project / "seeds" / "long.txt").write_text(text, "utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with (project / "seeds" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"\n  - id: long\n    file: long.txt\n    sha256: {sha}\n    title: Long\n    publisher: X\n    language: en\n    reliability: F\n")
    start = text.index(" ", 1000) + 1
    quote = text[start : text.rindex(" ", start, start + 3900)].replace("council", "committee", 1)
    fact = f"\nfacts:\n  - id: long-fact\n    kind: event\n    actors: [lukashenko]\n    text: Lukashenko.\n    citations:\n      - source: long\n        quote: {json.dumps(quote)}\n"
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", fact, 1), "utf-8")
    return quote


def test_a_long_near_miss_is_reported_in_at_most_max_message_characters(project: Path):
    long_quote_project(project)
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    [error] = [p for p in found if p["severity"] == "error"]
    assert error["code"] == "quote-near-match"
    assert error["line"] == position(project / "actors.yaml", "- source: long")[0] + 1
    assert len(error["message"]) <= MAX_MESSAGE
    assert "characters cut" in error["message"] and error["message"].endswith("copy the exact words")
    for fmt in ("text", "github"):
        result = run("check", "--root", str(project), "--format", fmt)
        line = next(line for line in result.stdout.splitlines() if "quote-near-match" in line)
        assert len(line) < MAX_MESSAGE + 300, fmt


def test_every_kind_of_message_is_bounded():
    huge = "x" * 100_000
    assert len(Problem("actors.yaml", 1, 1, "error", "code", huge).message) <= MAX_MESSAGE
    assert len(UserError(huge).message) <= MAX_MESSAGE
    assert len(str(UserError(problems=[Problem("actors.yaml", 1, 1, "error", "code", huge)]))) < MAX_MESSAGE + 100
    assert len(str(GitError(huge))) <= MAX_MESSAGE
    assert len(Problem("actors.yaml", 1, 1, "error", "code", "short").message) == 5


def test_a_request_lists_a_few_of_thousands_of_choices(tmp_path: Path):
    text = error_text(BadRequest("no actor has the id 'nobody'", [f"actor-{i:05d}" for i in range(10_000)]), tmp_path)
    assert text.count("actor-") == CHOICES_SHOWN and text.endswith(f"and {10_000 - CHOICES_SHOWN:,} more")
