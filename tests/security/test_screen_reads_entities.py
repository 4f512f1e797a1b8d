"""What `dossiers screen` reads is held to be FtM entities, one bounded line at a time (red-team findings of this
issue's review): a file that is not a list ran as an empty one, and a 400 MB line was read whole."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import run

EU_BELARUS = Path(__file__).parent.parent / "fixtures" / "screening" / "eu-belarus.ftm.json"


@pytest.mark.parametrize(("content", "said"), [
    (b'{"a": 1}\n', "old.json:1: not an FtM entity: it needs an 'id' and a 'schema'"),
    (b'[{"id": "x", "schema": "Person", "properties": []}]', "old.json:1: not an FtM entity"),
    (b'{"id": 7, "schema": "Person", "properties": {}}\n', "old.json:1: not an FtM entity"),
])
def test_an_older_list_that_is_not_one_is_an_error_not_an_empty_list(project: Path, tmp_path: Path, content, said):
    """`screen NEW --since OLD` with OLD `{"a": 1}` reported every candidate as new, as if OLD listed nobody."""
    old = tmp_path / "old.json"
    old.write_bytes(content)
    done = run("screen", str(EU_BELARUS), "--since", str(old), "--root", str(project))
    assert done.exit_code == 1 and said in done.stderr and "Traceback" not in done.output, done.output
    assert "new candidate" not in done.stdout


@pytest.mark.parametrize("form", ["line", "array"])
def test_an_entity_of_tens_of_megabytes_is_refused_not_read_whole(project: Path, tmp_path: Path, form: str):
    """A gzip of a few hundred kilobytes that unpacks to one line of 40 MB (a name repeated) is refused at the bound."""
    name = "A" * (40 * 2**20)
    entity = '{"id": "x", "schema": "Person", "properties": {"name": ["' + name + '"]}}'
    old = tmp_path / "old.json.gz"
    old.write_bytes(gzip.compress((entity if form == "line" else f"[{entity}]").encode()))
    assert old.stat().st_size < 2**20
    done = run("screen", str(EU_BELARUS), "--since", str(old), "--root", str(project))
    assert done.exit_code == 1 and "characters is no FtM entity" in done.stderr, done.output
