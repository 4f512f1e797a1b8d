"""FollowTheMoney export, CSV export, and screening against an FtM entities file."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from conftest import PROJECT, run
from dossiers.registry.load import load_project
from dossiers.registry.model import Actor, ActorKind
from dossiers.verify.quotes import normalise


@pytest.fixture(scope="module")
def entities() -> list[dict]:
    result = run("export", "--root", str(PROJECT), "--format", "ftm")
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_exported_entity_validates(entities):
    for data in entities:
        model.get(data["schema"]).validate(data)  # raises InvalidData on any bad property
    counts = Counter(e["schema"] for e in entities)
    registry = load_project(PROJECT).registry
    assert counts["Person"] == sum(a.kind.value == "person" for a in registry.actors)
    assert counts["Article"] == 3 and counts["Document"] == 1  # the three articles, and the EU Belarus list
    assert {"Sanction", "Family", "Associate", "Ownership", "Position", "Occupancy", "Succession", "Event", "Documentation"} <= set(counts)


def test_references_resolve_and_sources_prove_what_they_support(entities):
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "ids are unique"
    for entity in entities:
        schema = model.get(entity["schema"])
        for prop, values in entity["properties"].items():
            if schema.properties[prop].type.name == "entity":
                assert all(v in by_id for v in values), (entity["schema"], prop)
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    sheiman = next(e for e in entities if e["schema"] == "Person" and e["properties"]["name"] == ["Viktor Sheiman"])
    assert sorted(s["properties"]["authority"][0] for s in sanctions if s["properties"]["entity"] == [sheiman["id"]]) == ["EU", "US"]
    assert sheiman["properties"]["topics"] == ["sanction"]
    assert all(by_id[p]["schema"] == "Article" for s in sanctions for p in s["properties"]["proof"])
    family = next(e for e in entities if e["schema"] == "Family")
    assert by_id[family["properties"]["person"][0]]["properties"]["name"] == ["Viktor Sheiman"]
    assert by_id[family["properties"]["relative"][0]]["properties"]["name"] == ["Sergei Sheiman"]


def test_a_sanction_without_a_named_authority_is_not_exported_as_a_listing(entities):
    """ "Western sanctions" is what a report says, not a listing: no Sanction entity, no sanction topic."""
    assert sorted(a for e in entities if e["schema"] == "Sanction" for a in e["properties"]["authority"]) == ["EU", "US"]
    lukashenko = next(e for e in entities if e["schema"] == "Person" and e["properties"]["name"] == ["Alexander Lukashenko"])
    assert "topics" not in lukashenko["properties"]


def test_two_exports_are_identical():
    first = run("export", "--root", str(PROJECT), "--format", "ftm").stdout
    assert first == run("export", "--root", str(PROJECT), "--format", "ftm").stdout


def test_csv_has_a_row_per_fact_and_citation_with_offsets():
    result = run("export", "--root", str(PROJECT), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    registry = load_project(PROJECT).registry
    assert len(rows) == sum(len(f.citations) for f in registry.facts)
    files = {s.id: s.file for s in load_project(PROJECT).sources.sources}
    for row in rows:
        text = (PROJECT / "seeds" / files[row["source"]]).read_text("utf-8")
        assert normalise(text[int(row["start"]) : int(row["end"])]).text == normalise(row["quote"]).text
    assert rows[0].keys() >= {"fact", "actors", "kind", "date", "status", "text", "source", "quote", "start", "end"}


def entity(entity_id: str, *names: str, topics=(), schema="Person") -> dict:
    return {"id": entity_id, "schema": schema, "properties": {"name": [names[0]], "alias": list(names[1:]), "topics": list(topics)}}


SCREEN_FILE = [
    entity("os-sheiman", "SHEIMAN Viktor Vladimirovich", "Виктор Владимирович Шейман", topics=["sanction"]),
    entity("os-lukashenko", "LUKASHENKA, Aliaksandr Ryhoravich", "Лукашэнка Аляксандр Рыгоравіч", topics=["sanction", "role.pep"]),
    entity("os-khrenin", "Victor Gennadievich KHRENIN", topics=["sanction"]),
    entity("os-mnangagwa", "Emmerson Dambudzo MNANGAGWA", topics=["sanction"]),
    entity("os-lukin", "Alexander Lukin", topics=["role.pep"]),
    entity("os-orban", "Viktor Orban", topics=["role.pep"]),
    entity("os-sheremet", "Viktor Sheremet"),
    entity("os-shevchenko", "Alexander Shevchenko"),
    entity("os-company", "Viktor Sheiman Holdings", schema="Company"),
]


@pytest.fixture
def screen_file(tmp_path: Path) -> Path:
    path = tmp_path / "entities.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for item in SCREEN_FILE:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def test_screening_finds_the_right_candidates_across_scripts_and_none_of_the_others(screen_file: Path):
    result = run("screen", str(screen_file), "--root", str(PROJECT), "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {(r["actor"], r["candidate_id"]) for r in rows} == {
        ("sheiman", "os-sheiman"), ("lukashenko", "os-lukashenko"), ("khrenin", "os-khrenin"), ("mnangagwa", "os-mnangagwa"),
    }
    for row in rows:
        assert 0.85 <= row["score"] <= 1 and "sanction" in row["topics"] and row["names"]


def test_screening_text_output_and_bad_input(screen_file: Path, tmp_path: Path):
    text = run("screen", str(screen_file), "--root", str(PROJECT)).stdout
    assert "Viktor Sheiman (sheiman): 1 candidate" in text and "os-sheiman" in text and "[sanction]" in text
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "schema": "Person"}\nnot json\n', "utf-8")
    result = run("screen", str(bad), "--root", str(PROJECT))
    assert result.exit_code == 1 and "bad.jsonl:2: not a JSON entity" in result.stderr
    assert run("screen", str(tmp_path / "missing.jsonl"), "--root", str(PROJECT)).exit_code == 1


def test_csv_cells_cannot_run_as_formulas(project: Path):
    from conftest import replace

    replace(project / "actors.yaml", "    text: Zimbabwe's foreign affairs minister.", '    text: \'=HYPERLINK("http://evil.example","click me")\'')
    rows = list(csv.reader(io.StringIO(run("export", "--root", str(project), "--format", "csv").stdout)))
    cell = next(row[5] for row in rows if row[0] == "shava-foreign-minister")
    assert cell == "'" + '=HYPERLINK("http://evil.example","click me")', "shown as text, never run"
    assert not [c for row in rows[1:] for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_for_excel_has_a_byte_order_mark_and_crlf():
    data = subprocess.run([sys.executable, "-c", "from dossiers.cli.app import run; run()", "export", "--root", str(PROJECT), "--format", "csv", "--excel"], capture_output=True, check=True).stdout
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_without_followthemoney_the_ftm_export_says_how_to_install_it_and_json_still_works(monkeypatch):
    from conftest import uninstall

    uninstall(monkeypatch, "followthemoney")
    done = run("export", "--root", str(PROJECT), "--format", "ftm")
    assert done.exit_code == 1 and "pip install 'dossiers[ftm]'" in done.stderr
    assert run("export", "--root", str(PROJECT), "--format", "json").exit_code == 0


@pytest.mark.parametrize("kind", list(ActorKind))
def test_an_actor_is_exported_as_the_schema_it_is_screened_as(kind: ActorKind):
    """Export made an armed force a PublicBody and screen an Organization: one table (registry/ftm.py) now."""
    from dossiers.reports.export import actor_entity
    from dossiers.reports.screen import query_entity

    actor = Actor(id="a", kind=kind, name="Armed Forces of Belarus", country=["by"])
    exported = actor_entity(actor).schema.name
    assert model.get(exported) is not None
    if kind is ActorKind.state:
        return  # states are exported, not screened
    assert query_entity(model, actor).schema.name == exported
