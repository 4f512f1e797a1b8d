"""`dossiers export` and `dossiers schema` on the project."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import PROJECT, replace, run
from dossiers.verify.quotes import normalise


def test_export_offsets_point_at_the_quoted_words():
    result = run("export", "--root", str(PROJECT), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    files = {s["id"]: s["file"] for s in data["sources"]}
    assert {a["id"] for a in data["actors"]} >= {"lukashenko", "mnangagwa", "sheiman", "zingman", "khrenin", "muchinguri-kashiri", "revenko", "shava"}
    assert data["facts"], "the registry has facts"
    for fact in data["facts"]:
        assert set(fact) >= {"id", "actors", "kind", "text", "status", "citations"}
        for citation in fact["citations"]:
            text = (PROJECT / "seeds" / files[citation["source"]]).read_text("utf-8")
            cited = text[citation["start"] : citation["end"]]
            assert normalise(cited).text == normalise(citation["quote"]).text


def test_export_refuses_a_registry_with_errors(project: Path):
    replace(project / "actors.yaml", "quote: Lukashenko has been in power since 1994.", "quote: Lukashenko ruled since 1994.")
    result = run("export", "--root", str(project))
    assert result.exit_code == 1
    assert "quote-" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("name", "file"), [("actors", "actors.yaml"), ("sources", "seeds/sources.yaml")])
def test_committed_schema_is_current_and_validates_the_project(name: str, file: str):
    printed = json.loads(run("schema", name).stdout)
    committed = json.loads((PROJECT / "schema" / f"{name}.schema.json").read_text("utf-8"))
    assert printed == committed, f"schema/{name}.schema.json is stale: run `make schema`"
    data = YAML(typ="safe", pure=True).load((PROJECT / file).read_text("utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), committed)


def test_registry_points_editors_at_the_schema():
    first = (PROJECT / "actors.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/actors.schema.json"
