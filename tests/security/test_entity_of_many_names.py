"""Attack: a list's entity with 30,000 names, one of them an actor's, to hang `screen`.

The matcher (rigour's analysis of an entity's names) is superlinear in the names of one
entity: 8,000 names took `screen` 60 s, 30,000 past 300 s. The matcher now compares at most
MAX_MATCHED_NAMES of them (the first, name before alias): the actor is still found, in seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import PROJECT
from dossiers.registry.load import load_registry

pytest.importorskip("nomenklatura")


def test_an_entity_of_30000_names_is_screened_in_seconds(tmp_path: Path):
    from dossiers.reports.screen import Screener

    names = ["Viktor Khrenin"] + [f"Name{n} Surname{n}" for n in range(30_000)]
    listed = tmp_path / "many-names.ftm.json"
    listed.write_text(json.dumps({"id": "many", "schema": "Person", "properties": {"name": names}}) + "\n", "utf-8")
    screener = Screener(list(load_registry(PROJECT).actors))
    started = time.monotonic()
    read = screener.read(listed, 0.7)
    assert time.monotonic() - started < 30
    [candidate] = read.found["khrenin"]
    assert candidate.candidate_id == "many" and candidate.score >= 0.9 and len(candidate.names) == 30_001
