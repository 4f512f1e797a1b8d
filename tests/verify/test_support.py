"""Claims supported, not just quotes found: each check of issue 14 on the project's real articles, failing and passing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import PROJECT, position, replace, run
from dossiers import check
from dossiers.verify.independence import shared_passages
from dossiers.verify.quotes import QuoteError, SourceText, locate_quote


def found(root: Path, code: str) -> list[dict]:
    result = run("check", "--root", str(root), "--format", "json")
    return [p for p in json.loads(result.stdout) if p["code"] == code]


def source(name: str) -> SourceText:
    return SourceText((PROJECT / "seeds" / name).read_text("utf-8"))


ZIMMAIL, SHEIMAN, VISIT = "000_ebd73d712e692767.txt", "003_1741a1b77b0aa551.txt", "004_e117c70d6816a0ff.txt"


# -- A. matching that cannot be gamed ----------------------------------------------------


@pytest.mark.parametrize(("name", "quote", "whole"), [
    (ZIMMAIL, "used to condemn Moscow", "refused to condemn Moscow"),
    (VISIT, "Mnangagwa, 8", "Mnangagwa, 80"),
])
def test_a_quote_must_begin_and_end_on_word_boundaries(name: str, quote: str, whole: str):
    with pytest.raises(QuoteError) as miss:
        locate_quote(source(name), quote)
    assert miss.value.code == "quote-partial-word" and f'"{whole}' in miss.value.message
    assert locate_quote(source(name), whole).text == whole


def test_prefix_and_suffix_are_exactly_the_text_next_to_the_quote():
    text = SourceText("Lorem ipsum dolor amet, and dolor sit.")
    with pytest.raises(QuoteError) as miss:
        locate_quote(text, "dolor", suffix="a")  # the text after the first "dolor" is " amet"
    assert miss.value.code == "quote-context-mismatch"
    assert locate_quote(text, "dolor", suffix=" a").start == 12
    assert locate_quote(text, "dolor", prefix="and ").start == 28
    with pytest.raises(QuoteError):
        locate_quote(text, "dolor", prefix="ipsum")  # ends one space before the quote


def test_a_short_quote_is_a_warning_at_the_quote(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "        quote: Lukashenko, 68, landed in the capital, Harare\n", "        quote: Lukashenko, 68, landed\n")
    [warning] = found(project, "quote-too-short")
    line, col = position(registry, "quote: Lukashenko, 68, landed")
    assert (warning["line"], warning["col"]) == (line, col + len("quote: "))
    assert "3 words" in warning["message"]
    assert found(PROJECT, "quote-too-short") == []


@pytest.mark.parametrize(("old", "new"), [
    ("        quote: Valery Revenko chaired the meeting.\n", "        quote: \"Valery Revenko chaired the meeting.\\n\\nThis follows the recent visit\"\n"),
    ("        quote: Mnangagwa came to power in 2017 after generals forced long-time ruler Robert Mugabe to resign.\n\n",
     "        quote: \"Mnangagwa came to power in 2017 after generals forced long-time ruler Robert Mugabe to resign.\\nHe is bidding for re-election this year\"\n\n"),
])
def test_a_quote_across_a_paragraph_break_is_a_warning(project: Path, old: str, new: str):
    replace(project / "actors.yaml", old, new)
    assert len(found(project, "quote-spans-paragraphs")) == 1
    assert found(PROJECT, "quote-spans-paragraphs") == []


def test_the_exported_quote_is_the_sources_own_text_and_the_analysts_spelling_is_kept_beside_it():
    data = json.loads(run("export", "--root", str(PROJECT)).stdout)
    texts = {s["id"]: (PROJECT / "seeds" / s["file"]).read_text("utf-8") for s in data["sources"]}
    citations = [c for fact in data["facts"] for c in fact["citations"]]
    assert all(texts[c["source"]][c["start"] : c["end"]] == c["quote"] for c in citations)
    spelt = [c for c in citations if "cited" in c and "Muchinguri-Kashiri" in c["cited"]]
    assert spelt and all("Muchinguri- Kashiri" in c["quote"] for c in spelt)


# -- B. does the quote support the claim? ------------------------------------------------


def test_an_actor_no_quote_names_is_a_warning_at_the_text(project: Path):
    registry = project / "actors.yaml"
    old = """        quote: >-
          The Organised Crime and Corruption Reporting Project (OCCRP) revealed that a
          company, Zim Goldfields, is secretly co-owned by Sheiman’s son Sergei and a
          Belarusian businessman named Alexander Zingman, with no stake for the Belarusian
          government.
        attribution: OCCRP

  - id: sheiman-close-ally"""
    new = """        quote: >-
          The Organised Crime and Corruption Reporting Project (OCCRP) revealed that a
          company, Zim Goldfields, is secretly co-owned by
        attribution: OCCRP
      - source: sheiman-harare-visit
        quote: >-
          and a Belarusian businessman named Alexander Zingman, with no stake for the
          Belarusian government.
        attribution: OCCRP

  - id: sheiman-close-ally"""
    replace(registry, old, new)
    line = position(registry, "sergei-sheiman, zingman]")[0]
    [warning] = [w for w in found(project, "claim-actor-unquoted") if w["line"] == line]
    assert "'sergei-sheiman' (Sergei Sheiman)" in warning["message"] and "'zim-goldfields'" not in warning["message"]
    assert (warning["line"], warning["col"]) == position(registry, "sergei-sheiman, zingman]"), "at the actor in the fact's 'actors'"


def test_a_number_no_quote_gives_is_a_warning(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "demonstrators, arresting more than 35,000 people", "demonstrators, arresting more than 36,000 people")
    [warning] = found(project, "claim-number-unquoted")
    assert warning["message"].startswith("36,000 appears in none of this fact's quotes")


def test_a_year_in_a_date_field_no_quote_gives_needs_a_date_note_that_names_it(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    text: Mnangagwa visited Minsk in 2019, after which Belarus opened an embassy in Harare.\n    date: 2019",
            "    text: Mnangagwa visited Minsk, after which Belarus opened an embassy in Harare.\n    date: 2018")
    [warning] = found(project, "date-unquoted")
    assert warning["message"].startswith("date 2018: the year 2018 is in none of this fact's quotes (they give: 2019)")
    line, _ = position(registry, "text: Mnangagwa visited Minsk, after which")
    assert (warning["line"], warning["col"]) == (line + 1, len("    date: ") + 1), "at the date field's value"
    replace(registry, "after which Belarus opened an embassy in Harare.\n    date: 2018\n", "after which Belarus opened an embassy in Harare.\n    date: 2018\n    dateNote: Given by a later report.\n")
    assert len(found(project, "date-unquoted")) == 1, "a note that does not name the year derives nothing"
    replace(registry, "    dateNote: Given by a later report.\n", "    dateNote: A later report dates the visit 2018.\n")
    assert found(project, "date-unquoted") == []


@pytest.mark.parametrize(("old", "party"), [
    ("          Press.\n        attribution: The Associated Press\n", "The Associated Press"),
    ("          State-owned mining company,” NewsDay wrote.\n        attribution: NewsDay\n", "the Pandora Papers"),
    ("          tank Chatham House.\n        attribution: Alex Vines of Chatham House\n", "Alex Vines"),
    ("        quote: Zimbabwe foreign affairs minister Frederick Shava\n        attribution: NewsDay\n", "Zimbabwe foreign affairs minister Frederick Shava"),
])
def test_a_relayed_passage_without_attribution_is_a_warning_naming_the_party(project: Path, old: str, party: str):
    replace(project / "actors.yaml", old, old.rsplit("        attribution:", 1)[0])
    [warning] = found(project, "relay-unattributed")
    assert f"the source relays {party} here" in warning["message"]


def test_an_account_begun_with_according_to_goes_on_through_its_paragraph(project: Path):
    path = project / "seeds" / SHEIMAN
    text = path.read_text("utf-8").replace("Sheiman is a close ally of Belarusian leader Lukashenko", "According to Reuters, the visit was planned. Sheiman is a close ally of Belarusian leader Lukashenko")
    path.write_text(text, "utf-8")
    replace(project / "seeds" / "sources.yaml", "5e6bbc8f61ceb67a7bcdf8f23b9da22f60a76d1570f398640873b8b8495fec32", hashlib.sha256(path.read_bytes()).hexdigest())
    warnings = found(project, "relay-unattributed")
    assert len(warnings) == 2, "both facts that cite the sentence after it"
    assert all("the source relays Reuters here" in w["message"] for w in warnings)


def test_the_reporters_own_words_inside_a_relayed_sentence_need_own_voice(project: Path):
    replace(project / "actors.yaml", "        quote: Lukashenko, 68, landed in the capital, Harare\n        attribution: the Belarusian president's office\n", "        quote: Lukashenko, 68, landed in the capital, Harare\n")
    [warning] = found(project, "relay-unattributed")
    assert "The Belarusian president’s office" in warning["message"] and "ownVoice: true" in warning["message"]


@pytest.mark.parametrize(("quote", "party"), [
    ("ISD spokesman Tahir Della told DW", None),
    ("postcolonial history,\" ISD spokesman Tahir Della told DW", "ISD spokesman Tahir Della"),
])
def test_who_told_whom_is_the_reporters_own_words_and_what_was_told_is_relayed(tmp_path: Path, quote: str, party: str | None):
    """DW: '"Migration is now being seen in connection with postcolonial history," ISD spokesman Tahir Della told DW.'"""
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    assert run("add-source", str(PROJECT / "tests" / "fixtures" / "real-sources" / "dw.com.colonial.html"), "--root", str(root)).exit_code == 0
    fact = (
        "  - id: tahir-della\n    kind: person\n    name: Tahir Della\n\nfacts:\n"
        "  - id: della-isd-spokesman\n    actors: [tahir-della]\n    kind: position\n"
        "    text: Spokesman of the Initiative Schwarze Menschen in Deutschland (ISD), Tahir Della.\n"
        f"    citations:\n      - source: dw-com-colonial\n        quote: '{quote}'\n"
    )
    registry = root / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\n" + fact, 1), "utf-8")
    warnings = found(root, "relay-unattributed")
    if party is None:
        assert warnings == [], "naming the speaker and whom they told is the reporter's own account"
    else:
        [warning] = warnings
        assert f"the source relays {party} here" in warning["message"]


def test_one_passage_may_support_several_facts():
    checked = check(PROJECT)
    cited = [(c.source, checked.anchors[(f.id, i)].start) for f in checked.project.registry.facts for i, c in enumerate(f.citations)]
    assert len(cited) > len(set(cited)), "the project cites some passages twice"
    assert not [p for p in checked.problems if p.code == "quote-reused"]


# -- D. independent corroboration --------------------------------------------------------


def test_the_two_real_articles_that_share_paragraphs_are_found():
    checked = check(PROJECT)
    shared = shared_passages(checked.texts)
    assert [(s.first, s.second, s.words) for s in shared] == [("zimmail-2023-11-02", "sheiman-harare-visit", 13), ("zimmail-2023-11-02", "sheiman-harare-visit", 23)]
    assert shared[1].text.startswith("dedicated to the advancement of military contacts") and shared[1].text.endswith("Belarus’ Armed Forces")
    assert checked.lines == {"zimmail-2023-11-02": "zimmail-2023-11-02", "sheiman-harare-visit": "zimmail-2023-11-02", "lukashenko-harare-visit": "lukashenko-harare-visit"}
    notes = [p for p in checked.problems if p.code == "sources-share-text"]
    assert [p.severity for p in notes] == ["info", "info"] and all("'zimmail-2023-11-02'" in p.message for p in notes)


def test_articles_without_long_shared_text_are_independent():
    texts = {"a": source(ZIMMAIL), "c": source(VISIT)}
    assert shared_passages(texts) == []


def test_the_same_document_registered_twice_is_an_error(project: Path):
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + (
        "\n  - id: reuters-copy\n    file: 003_1741a1b77b0aa551.txt\n"
        "    sha256: 5e6bbc8f61ceb67a7bcdf8f23b9da22f60a76d1570f398640873b8b8495fec32\n"
        "    title: Copy\n    publisher: Reuters\n    language: en\n    reliability: A\n"
    ), "utf-8")
    [error] = found(project, "source-duplicate")
    assert "'sheiman-harare-visit' already records this file" in error["message"]


def test_corroboration_counts_lines_of_reporting(built: Path):
    pack = (built / "briefing-pack.md").read_text("utf-8")
    best = pack.split("**Best-corroborated facts.**")[1].split("**Open allegations.**")[0]
    assert "independent lines of reporting" in best
    assert "delegation of the Zimbabwe Defence Forces" not in best and "conference" not in best, "000 and 003 are one line of reporting"


# -- C. attribution never lost in print --------------------------------------------------


def test_a_claim_with_mixed_attribution_prints_each(built: Path):
    lukashenko = (built / "dossiers" / "lukashenko.md").read_text("utf-8")
    line = next(line for line in lukashenko.splitlines() if "converged on the tarmac" in line and line.startswith("| 2023"))
    assert "(according to the Belarusian president's office [^" in line and "]; S3 [^" in line
    notes = [line for line in lukashenko.splitlines() if line.startswith("[^")]
    assert any("where he was welcomed by" in n and n.endswith("the source relays the Belarusian president's office.") for n in notes)
