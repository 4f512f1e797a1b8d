"""Screening on the record, list changes watched, fragments merged, the matcher's blocking.

The list is real: the EU's Belarus regime (Council Regulation (EC) No 765/2006, from the
Official Journal) in FollowTheMoney form, tests/fixtures/screening/eu-belarus.ftm.json
(see its README). "Newer" versions of it are made here, from it, by each test that needs one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, run
from dossiers.registry.model import Actor
from dossiers.registry.screening import read_record
from dossiers.reports.screen import Screener, write_record

EU_BELARUS = PROJECT / "tests" / "fixtures" / "screening" / "eu-belarus.ftm.json"
KHRENIN, SHEIMAN, MINISTRY, LUKASHENKO = "eu-journal-7dd6073301262d6f", "eu-journal-006b5feee218e6cf", "eu-journal-511e68e1d81655d1", "eu-journal-9a257fb63b9a4a5f"
EPOCH = "1764633600"  # 2025-12-02


def lines() -> list[dict]:
    return [json.loads(line) for line in EU_BELARUS.read_text("utf-8").splitlines() if line.strip()]


def write(path: Path, entities: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), "utf-8")
    return path


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, str]:
    """The project's registry screened against the real EU list with --record, in a copy of the project."""
    root = tmp_path_factory.mktemp("project")
    (root / "actors.yaml").write_bytes((PROJECT / "actors.yaml").read_bytes())
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        done = run("screen", str(EU_BELARUS), "--root", str(root), "--record")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert done.exit_code == 0, done.output
    return root, done.stdout


def test_khrenin_sheiman_and_the_ministry_of_defence_are_found_with_their_eu_listings(recorded):
    """On the real EU Belarus list: the registry's Viktor Khrenin, Viktor Sheiman and Ministry of Defence of Belarus."""
    root, out = recorded
    record = read_record(root / "screenings" / "2025-12-02.json")
    best = {a.id: a.candidates[0] for a in record.actors if a.candidates}
    assert (best["khrenin"].id, best["sheiman"].id, best["belarus-defence-ministry"].id) == (KHRENIN, SHEIMAN, MINISTRY)
    assert best["khrenin"].score >= 0.9 and best["sheiman"].score >= 0.9 and best["belarus-defence-ministry"].score >= 0.7
    (listing,) = best["khrenin"].sanctions
    assert listing["startDate"] == ["2021-06-21"] and listing["program"] == ["EU-BLR"] and listing["reason"][0].startswith("In his position as Minister of Defense of Belarus")
    assert best["belarus-defence-ministry"].names == ["Belarus Ministry of Defence"]
    assert "Recorded the screening in screenings/2025-12-02.json." in out


def test_the_record_says_what_was_screened_against_what_and_how(recorded):
    root, _ = recorded
    path = root / "screenings" / "2025-12-02.json"
    record = read_record(path)
    assert record.date == "2025-12-02" and record.threshold == 0.7
    assert record.list.sha256 == __import__("hashlib").sha256(EU_BELARUS.read_bytes()).hexdigest() and record.list.entities == 816
    assert record.list.datasets == [] and record.list.newest_change is None, "the EU file names no dataset: none is made up"
    assert record.matcher.library == "nomenklatura" and record.matcher.algorithm == "logic-v2" and record.matcher.version
    screened = {a.id for a in record.actors}
    assert {"khrenin", "sheiman", "putin", "zim-goldfields"} <= screened and "zimbabwe" not in screened, "states are not screened"
    assert json.loads(path.read_text("utf-8")) == record.model_dump(mode="json", by_alias=True), "read back as written"


def test_a_second_run_with_another_hash_seed_gives_the_same_record_and_writes_nothing(recorded):
    """Explanations quote the names nomenklatura picks among ties in set order: the child's fixed seed makes two runs agree."""
    root, _ = recorded
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="12345", PYTHONPATH=str(PROJECT))
    done = subprocess.run([sys.executable, "-m", "dossiers", "screen", str(EU_BELARUS), "--root", str(root), "--record", "--threshold", "0.7"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "The same screening is already recorded in screenings/2025-12-02.json." in done.stdout
    assert sorted(p.name for p in (root / "screenings").iterdir()) == ["2025-12-02.json"]


def test_a_different_record_of_the_same_date_never_replaces_the_first(recorded):
    root, _ = recorded
    first = root / "screenings" / "2025-12-02.json"
    before = first.read_bytes()
    other = read_record(first).model_copy(update={"threshold": 0.5})
    path, written = write_record(root, other)
    assert written and path.name == "2025-12-02-2.json" and first.read_bytes() == before
    assert read_record(path).threshold == 0.5
    path.unlink()


def test_since_reports_a_delisting_a_listing_a_changed_reason_and_an_end_date(tmp_path: Path):
    """A "newer" EU list made from the real one: Sheiman's record removed, a new Sanction for Khrenin, Lukashenko's reason reworded, the ministry's listing ended."""
    entities = []
    for entity in lines():
        if entity["id"] == SHEIMAN + "-sanction":
            continue
        if entity["id"] == LUKASHENKO + "-sanction":
            entity["properties"]["reason"] = ["A reworded reason."]
        if entity["id"] == MINISTRY + "-sanction":
            entity["properties"]["endDate"] = ["2026-01-31"]
        entities.append(entity)
    entities.append({"id": KHRENIN + "-sanction-2", "schema": "Sanction", "properties": {"entity": [KHRENIN], "program": ["EU-RUS"], "authority": ["European Union"], "startDate": ["2026-02-01"]}})
    newer = write(tmp_path / "newer.json", entities)
    done = run("screen", str(newer), "--since", str(EU_BELARUS), "--root", str(PROJECT), "--format", "json")
    assert done.exit_code == 1, done.output
    changes = {(c["actor"], c["change"], c["record"]) for c in json.loads(done.stdout)}
    assert changes == {
        ("sheiman", "delisted", SHEIMAN + "-sanction"),
        ("khrenin", "listed", KHRENIN + "-sanction-2"),
        ("lukashenko", "changed", LUKASHENKO + "-sanction"),
        ("belarus-defence-ministry", "delisted", MINISTRY + "-sanction"),
    }
    text = run("screen", str(newer), "--since", str(EU_BELARUS), "--root", str(PROJECT)).stdout
    assert "delisted: eu-journal-006b5feee218e6cf record eu-journal-006b5feee218e6cf-sanction: the record is gone from the newer list" in text
    assert "listing ended 2026-01-31" in text and "new listing: European Union, EU-RUS (since 2026-02-01)" in text


def test_since_reports_an_entity_gone_and_nothing_when_nothing_changed(tmp_path: Path):
    newer = write(tmp_path / "newer.json", [e for e in lines() if KHRENIN not in e["id"]])
    done = run("screen", str(newer), "--since", str(EU_BELARUS), "--root", str(PROJECT), "--format", "json")
    assert done.exit_code == 1
    assert [(c["actor"], c["change"], c["entity"], c["record"]) for c in json.loads(done.stdout)] == [("khrenin", "delisted", KHRENIN, "")]
    same = run("screen", str(EU_BELARUS), "--since", str(EU_BELARUS), "--root", str(PROJECT))
    assert same.exit_code == 0 and same.stdout.startswith("No changes for the registry's actors")


# -- in this process: the matcher itself ----------------------------------------------------


def test_fragments_of_an_entity_are_merged_before_scoring_even_when_the_names_come_last():
    """The real EU list holds some entities twice (Belinvestbank...); here Khrenin is also split, his Sanction and a nameless fragment first."""
    entities = lines()
    khrenin = next(e for e in entities if e["id"] == KHRENIN)
    sanction = next(e for e in entities if e["id"] == KHRENIN + "-sanction")
    rest = [e for e in entities if e["id"] not in (KHRENIN, KHRENIN + "-sanction")]
    nameless = {"id": KHRENIN, "schema": "Person", "properties": {"birthDate": ["1971-08-01"]}}
    named = {"id": KHRENIN, "schema": "Person", "properties": {k: v for k, v in khrenin["properties"].items() if k != "birthDate"}}
    actors = [Actor(id="khrenin", kind="person", name="Viktor Khrenin"), Actor(id="belinvestbank", kind="company", name="Belinvestbank")]
    read = Screener(actors).read([sanction, nameless, *rest, named], 0.7)
    assert [c.candidate_id for c in read.found["khrenin"]] == [KHRENIN], "one candidate, not one per fragment"
    assert [s["id"] for s in read.sanctions[KHRENIN]] == [KHRENIN + "-sanction"]
    bank = [c.candidate_id for c in Screener(actors).read(entities, 0.0, 100).found["belinvestbank"]]
    assert bank.count("eu-journal-3ed3dc133f6046a4") == 1, "its two identical lines in the EU file are one entity"
    assert len(read.sanctions["eu-journal-3ed3dc133f6046a4"]) == 1


@pytest.mark.parametrize(("registry", "listed"), [
    ("Vladimir Putin", "VladimirPutin"),
    ("Igor Sechin", "Ig0r Sech1n"),
    ("Volodymyr Zelenskyy", "Wolodymyr Selenskyj"),
    ("Sergey Viktorovich LAVROV", "Sergejs Lavrovs"),
    ("Barack Obama", "贝拉克·奥巴马"),
])
def test_blocking_lets_through_the_real_matches_it_used_to_lose(registry: str, listed: str):
    """Pairs of nomenklatura's name benchmark (benchmarks/name_bench/) that the token blocking never let reach scoring.
    Blocking alone is asserted: a score near the threshold, computed in this process, may differ with the hash seed
    (two of these failed once so), which `screen` avoids by scoring in a child with a fixed seed."""
    actor = Actor(id="someone", kind="person", name=registry)
    assert Screener([actor]).blocked("Person", "listed", [listed]) == {"someone"}


def test_blocking_still_blocks_unrelated_names():
    actor = Actor(id="someone", kind="person", name="Viktor Sheiman")
    screener = Screener([actor])
    assert not screener.blocked("Person", "x", ["Kamirosu Tebana"]) and not screener.blocked("Company", "x", ["Viktor Sheiman"])


def test_a_dossier_says_when_its_person_was_last_screened_and_the_pack_lists_the_screenings(recorded, tmp_path: Path):
    """The real screening of the project against the EU Belarus list, on the record in a copy of the project: Khrenin's
    dossier says when, against the registered list (same sha256), and that his candidate is confirmed; the pack lists
    it; a project without screenings says nothing (the golden files)."""
    import shutil

    root, _ = recorded
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(PROJECT / "actors.yaml", project / "actors.yaml")
    shutil.copytree(PROJECT / "seeds", project / "seeds")
    shutil.copytree(root / "screenings", project / "screenings")
    (project / "screenings" / "notes.json").write_text("{}", "utf-8")  # not a record: a warning, left out
    done = run("build", "--root", str(project), "--out", str(tmp_path / "out"), "--format", "md")
    assert done.exit_code == 0, done.output
    record = read_record(project / "screenings" / "2025-12-02.json")
    khrenin = (tmp_path / "out" / "dossiers" / "khrenin.md").read_text("utf-8")
    line = next(line for line in khrenin.splitlines() if line.startswith("Last screened on"))
    assert line.startswith("Last screened on 2 December 2025 against \\[EU sanctions list for Belarus")
    assert "seeds/eu-belarus.ftm.json, sha256 821b126657ee0d1b…" in line and f"nomenklatura {record.matcher.version} logic-v2" in line
    assert f"1 confirmed as the same entity ({KHRENIN})" in line and line.endswith("(recorded in screenings/2025-12-02.json).")
    pack = (tmp_path / "out" / "briefing-pack.md").read_text("utf-8")
    assert "**Screenings on the record.**" in pack and f"- 2 December 2025\\: {len(record.actors)} actors screened against" in pack  # md escapes every colon
    assert "confirmed (recorded in screenings/2025-12-02.json)." in pack
    problems = run("check", "--root", str(project)).output
    assert "screenings/notes.json:1:1" in problems and "screening-unreadable" in problems
