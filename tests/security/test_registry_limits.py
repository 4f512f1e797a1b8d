"""Attack: a registry of more facts than a build can hold.

100,000 facts about the project's eight people ran a PDF build for 13 minutes to 5.8 GB
and ended in MemoryError and a flood of "Exception ignored": one dossier had 25,000
facts. Now the check refuses a registry of more than MAX_FACTS facts or MAX_ACTORS
actors, or more than MAX_FACTS_ABOUT facts about one actor, before any other work; and
the pack's chapters are cut into pieces of CLAIMS_PER_PIECE claims.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import position, run
from dossiers.verify.check import MAX_FACTS, MAX_FACTS_ABOUT

FACT = "  - id: many-{n}\n    kind: event\n    actors: [{actor}]\n    text: Lukashenko arrived in Harare.\n    citations:\n      - source: lukashenko-harare-visit\n        quote: Belarus President Alexander Lukashenko on Monday arrived in Zimbabwe\n"


def add_facts(project: Path, count: int, actors: list[str]) -> None:
    registry = project / "actors.yaml"
    facts = "".join(FACT.format(n=n, actor=actors[n % len(actors)]) for n in range(count))
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\nfacts:\n" + facts, 1), "utf-8")


def errors(result) -> list[dict]:
    return [p for p in json.loads(result.stdout) if p["severity"] == "error"]


def test_too_many_facts_stop_the_build_with_one_clear_error(project: Path):
    add_facts(project, MAX_FACTS + 1, ["lukashenko", "mnangagwa", "sheiman", "zingman"])
    began = time.perf_counter()
    result = run("build", "--root", str(project), "--format", "pdf", "--out", str(project / "out"))
    assert result.exit_code == 1
    assert "registry-too-large" in result.stderr and f"the limit is {MAX_FACTS:,}" in result.stderr
    assert "Exception ignored" not in result.stderr and "MemoryError" not in result.stderr
    assert not (project / "out").exists()
    assert f"actors.yaml:{position(project / 'actors.yaml', 'facts:')[0]}:1: error registry-too-large" in result.stderr
    assert time.perf_counter() - began < 60


def test_too_many_facts_about_one_actor_are_an_error_at_the_actor(project: Path):
    add_facts(project, MAX_FACTS_ABOUT + 1, ["lukashenko"])
    [error] = errors(run("check", "--root", str(project), "--format", "json"))
    assert error["code"] == "actor-too-many-facts" and f"facts are about 'lukashenko'; the limit is {MAX_FACTS_ABOUT:,}" in error["message"]
    assert error["line"] == position(project / "actors.yaml", "- id: lukashenko")[0]


def test_facts_up_to_the_limit_about_one_actor_pass(project: Path):
    add_facts(project, MAX_FACTS_ABOUT - 20, ["lukashenko"])
    assert errors(run("check", "--root", str(project), "--format", "json")) == []
