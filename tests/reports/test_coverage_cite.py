"""`dossiers coverage` and `dossiers cite` on the project and on edited copies."""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML

from conftest import PROJECT, position, replace, run
from dossiers.verify.quotes import SourceText, locate_quote
from dossiers.verify.reading import split_sentences

PUTIN_SENTENCE = "Lukashenko is a close ally of Russian President Vladimir Putin and has backed Moscow’s invasion of Ukraine."


def drop_facts(registry: Path, *ids: str) -> None:
    """Remove whole facts from a registry file, by id."""
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(registry.read_text("utf-8"))
    data["facts"] = [f for f in data["facts"] if f["id"] not in ids]
    with registry.open("w", encoding="utf-8") as out:
        YAML(pure=True).dump(json.loads(json.dumps(data, default=str)), out)


def test_project_coverage_is_complete():
    result = run("coverage", "--root", str(PROJECT), "--fail-under", "100")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.rstrip().endswith("Total: 100.0%")
    assert result.stdout.count("(100.0%") == 3


def test_uncited_sentence_is_listed_and_fails_the_threshold(project: Path):
    drop_facts(project / "actors.yaml", "lukashenko-close-ally-of-putin", "putin-president-of-russia", "lukashenko-backs-invasion-of-ukraine")
    result = run("coverage", "--root", str(project), "--fail-under", "100", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    uncovered = [s for source in data["sources"] for s in source["uncovered"]]
    assert [(s["text"], sorted(s["mentions"])) for s in uncovered] == [(PUTIN_SENTENCE, ["lukashenko", "putin", "russia"])]
    assert data["total"] < 100
    assert run("coverage", "--root", str(project), "--fail-under", "90").exit_code == 0


def test_waiver_excuses_a_sentence_and_is_itself_checked(project: Path):
    registry = project / "actors.yaml"
    drop_facts(registry, "lukashenko-close-ally-of-putin", "putin-president-of-russia", "lukashenko-backs-invasion-of-ukraine")
    waiver = "waivers:\n- source: lukashenko-harare-visit\n  quote: close ally of Russian President Vladimir Putin\n  reason: Out of scope.\n"
    registry.write_text(registry.read_text("utf-8") + waiver, "utf-8")
    result = run("coverage", "--root", str(project), "--fail-under", "100")
    assert result.exit_code == 0, result.stdout
    assert "1 waived" in result.stdout
    replace(registry, "quote: close ally of Russian President Vladimir Putin", "quote: close friend of Russian President Vladimir Putin")
    checked = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    errors = [p for p in checked if p["severity"] == "error"]
    assert [(p["code"], p["line"]) for p in errors] == [("quote-not-found", position(registry, "close friend of")[0])]


def test_sentences_split_at_full_stops_closing_quotes_and_lines():
    text = "One. “Two,” he said. “Three.” Four\nFive"
    assert [text[a:b] for a, b in split_sentences(text)] == ["One.", "“Two,” he said.", "“Three.”", "Four", "Five"]


def test_cite_prints_blocks_that_verify():
    result = run("cite", "--root", str(PROJECT), "zimmail-2023-11-02", "Belarus  and Zimbabwe")
    assert result.exit_code == 0
    blocks = YAML(typ="safe", pure=True).load(result.stdout.replace("      - ", "- ").replace("        ", "  "))
    assert len(blocks) == 3
    source = SourceText((PROJECT / "seeds" / "000_ebd73d712e692767.txt").read_text("utf-8"))
    starts = {locate_quote(source, b["quote"], b.get("prefix"), b.get("suffix")).start for b in blocks}
    assert len(starts) == 3


def test_cite_counts_the_words_where_they_occur_and_near_matches_apart():
    """'Belarus' occurs 7 times as a word; 6 more passages hold it only inside 'Belarusian'."""
    result = run("cite", "--root", str(PROJECT), "zimmail-2023-11-02", "Belarus")
    assert result.exit_code == 0
    comments = [line for line in result.stdout.splitlines() if line.startswith("# ") and not line.startswith("# line ")]
    assert comments == [
        "# The words occur 7 times; each block below picks one occurrence.",
        "# Near matches, not word for word: 6 more passages hold the words inside longer ones.",
    ]
    exact, near = result.stdout.split(comments[1])
    assert exact.count('quote: "Belarus"\n') == 7 and "Belarusian" not in exact
    assert near.count('quote: "Belarusian"\n') == 6


def test_cite_finds_the_nearest_passage_by_file_name():
    result = run("cite", "--root", str(PROJECT), "000_ebd73d712e692767.txt", "Lukashenko has been in office since 1994")
    assert result.exit_code == 0
    assert "Not found word for word" in result.stdout
    assert 'quote: "Lukashenko has been in power since 1994"' in result.stdout


def test_cite_reports_unknown_source_and_missing_words():
    assert run("cite", "--root", str(PROJECT), "nope", "words").exit_code == 1
    missing = run("cite", "--root", str(PROJECT), "zimmail-2023-11-02", "the moon is made of cheese")
    assert missing.exit_code == 1 and "no passage is close" in missing.stderr
