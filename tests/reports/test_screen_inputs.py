"""`dossiers screen` reads FtM JSON lines, a JSON array and gzip, told by their content; bad input names its line.

The entities are the real EU Official Journal list in tests/fixtures/screening/ (see its README).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import PROJECT, run

EU_BELARUS = PROJECT / "tests" / "fixtures" / "screening" / "eu-belarus.ftm.json"  # see its README


def screened(path: Path) -> list[dict]:
    result = run("screen", str(path), "--root", str(PROJECT), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    if not EU_BELARUS.is_file():
        pytest.skip(f"the shared fixture {EU_BELARUS} is not here")
    return screened(EU_BELARUS)


@pytest.mark.parametrize("shape", ["array", "array on one line", "gzip", "gzipped array named .json"])
def test_every_shape_of_the_same_entities_screens_the_same(expected, tmp_path: Path, shape: str):
    entities = [json.loads(line) for line in EU_BELARUS.read_text("utf-8").splitlines() if line.strip()]
    if shape == "array":
        path = tmp_path / "entities.json"
        path.write_text("[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n]\n", "utf-8")
    elif shape == "array on one line":
        path = tmp_path / "entities.json"
        path.write_text(json.dumps(entities, ensure_ascii=False), "utf-8")
    elif shape == "gzip":
        path = tmp_path / "entities.jsonl.gz"
        path.write_bytes(gzip.compress(EU_BELARUS.read_bytes()))
    else:
        path = tmp_path / "entities.json"
        path.write_bytes(gzip.compress(json.dumps(entities).encode()))
    assert expected and screened(path) == expected


@pytest.mark.parametrize(("text", "line"), [
    ('[\n{"id": "a", "schema": "Person", "properties": {}},\n{"id": \n', 3),
    ('[\n{"id": "a", "schema": "Person", "properties": {}},\n42\n]', 3),
    ('{"id": "a", "schema": "Person", "properties": {}}\nnot json\n', 2),
    ('[{"id": "a", "schema": "Person", "properties": {}}', 1),
])
def test_bad_input_is_a_user_error_naming_the_line(tmp_path: Path, text: str, line: int):
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    result = run("screen", str(path), "--root", str(PROJECT))
    assert result.exit_code == 1 and f"{path}:{line}:" in result.stderr and "internal error" not in result.stderr
