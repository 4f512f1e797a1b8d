"""Screening with nomenklatura's logic-v2 on a real list: the EU's Belarus regime (765/2006) in FtM form
(tests/fixtures/screening/eu-belarus.ftm.json, see its README)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import PROJECT, replace, run

EU_BELARUS = Path(__file__).resolve().parent.parent / "fixtures" / "screening" / "eu-belarus.ftm.json"
LISTED = {"lukashenko": "eu-journal-9a257fb63b9a4a5f", "sheiman": "eu-journal-006b5feee218e6cf", "khrenin": "eu-journal-7dd6073301262d6f"}
SONS = {"eu-journal-bcfa9efc8a620500", "eu-journal-db1d85e5234478f6"}  # Viktar and Dzmitry Aliaksandravich LUKASHENKA


def screened(root: Path, *options: str) -> dict[str, list[dict]]:
    done = run("screen", str(EU_BELARUS), "--root", str(root), "--format", "json", *options)
    assert done.exit_code == 0, done.output
    rows: dict[str, list[dict]] = {}
    for row in json.loads(done.stdout):
        rows.setdefault(row["actor"], []).append(row)
    return rows


def test_each_listed_person_comes_first_and_no_relative_or_other_person_passes_the_threshold():
    rows = screened(PROJECT)
    for actor, entity in LISTED.items():
        assert rows[actor][0]["candidate_id"] == entity and rows[actor][0]["score"] >= 0.9
        assert len(rows[actor]) == 1, rows[actor]
    people = {"lukashenko", "mnangagwa", "sheiman", "zingman", "khrenin", "muchinguri-kashiri", "revenko", "shava", "sergei-sheiman", "putin", "mugabe"}
    assert {actor for actor in rows if actor in people} == set(LISTED)
    assert not SONS & {r["candidate_id"] for found in rows.values() for r in found}
    low = screened(PROJECT, "--threshold", "0.4")["lukashenko"]
    sons = [r for r in low if r["candidate_id"] in SONS]
    assert len(sons) == 2 and all(r["score"] < 0.7 for r in sons), "the sons are far below logic-v2's threshold"
    assert any("extraResultPart" in line or "fuzzyMatch" in line for r in sons for line in r["why"]), "the score explains itself"


def test_organisations_are_screened_against_organisations():
    rows = screened(PROJECT)
    assert rows["belarus-defence-ministry"][0]["names"] == ["Belarus Ministry of Defence"]
    assert all(r["candidate_id"] not in LISTED.values() for r in rows["belarus-defence-ministry"])


def test_why_names_the_names_compared():
    text = run("screen", str(EU_BELARUS), "--root", str(PROJECT)).stdout
    assert "name_match 1.00: Віктар Уладзіміравіч Шэйман ~ Вiктар Уладзiмiравiч ШЭЙМАН" in text


def test_judgements_are_kept_a_rejected_candidate_never_returns_a_confirmed_one_is_marked_and_printed(project: Path):
    registry = project / "actors.yaml"  # the project's own judgements (on the registered EU list) taken out first
    registry.write_text(re.sub(r"    (?:sameAs|notSame):\n(?:      .*\n)*", "", registry.read_text("utf-8")), "utf-8")
    replace(
        project / "actors.yaml",
        "      - {name: Aleksandr Lukashenko, lang: ru-Latn, curated: true}\n",
        "      - {name: Aleksandr Lukashenko, lang: ru-Latn, curated: true}\n    sameAs:\n      - {dataset: eu_journal_sanctions, id: eu-journal-9a257fb63b9a4a5f}\n",
    )
    replace(
        project / "actors.yaml",
        "    name: Viktor Khrenin\n",
        "    name: Viktor Khrenin\n    notSame:\n      - {dataset: eu_journal_sanctions, id: eu-journal-7dd6073301262d6f, note: test of a rejection}\n",
    )
    rows = screened(project)
    assert rows["lukashenko"][0]["confirmed"] is True
    assert "khrenin" not in rows or all(r["candidate_id"] != LISTED["khrenin"] for r in rows["khrenin"])
    assert "confirmed (sameAs)" in run("screen", str(EU_BELARUS), "--root", str(project)).stdout
    ftm = [json.loads(line) for line in run("export", "--root", str(project), "--format", "ftm").stdout.splitlines()]
    lukashenko = next(e for e in ftm if e["schema"] == "Person" and e["properties"]["name"] == ["Alexander Lukashenko"])
    assert lukashenko["referents"] == ["eu_journal_sanctions:eu-journal-9a257fb63b9a4a5f"]
    out = project / "out"
    assert run("build", "lukashenko", "--root", str(project), "--format", "md", "--out", str(out)).exit_code == 0
    assert "Same entity as (matches confirmed by the analyst in lists not registered here): eu\\_journal\\_sanctions eu-journal-9a257fb63b9a4a5f." in (out / "dossiers" / "lukashenko.md").read_text("utf-8")


def test_without_the_screen_extra_screen_says_how_to_install_it_in_one_line(monkeypatch, tmp_path: Path):
    """Screening runs in a child process: nomenklatura is shadowed there by a package that cannot be imported."""
    (tmp_path / "nomenklatura").mkdir()
    (tmp_path / "nomenklatura" / "__init__.py").write_text("raise ImportError('not installed')\n", "utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    done = run("screen", str(EU_BELARUS), "--root", str(PROJECT))
    assert done.exit_code == 1
    assert done.stderr.strip() == "error: dossiers screen needs nomenklatura, OpenSanctions' matcher: pip install 'dossiers[screen]' (about 650 MB with its dependencies)"
