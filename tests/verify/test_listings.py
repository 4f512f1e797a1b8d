"""Lists in the check, on the real EU Belarus list registered in the project (seeds/eu-belarus.ftm.json, a copy of
tests/fixtures/screening/eu-belarus.ftm.json: the EU's Belarus regime, Council Regulation (EC) No 765/2006, from the
Official Journal, as FollowTheMoney entities): each actor's listings, the judgements checked, the disagreements warned."""

from __future__ import annotations

import hashlib
import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from conftest import PROJECT, position, replace, run
from dossiers.verify.check import check

LIST = "eu-belarus-list"
KHRENIN = "eu-journal-7dd6073301262d6f"
SHEIMAN = "eu-journal-006b5feee218e6cf"
MINISTRY = "eu-journal-511e68e1d81655d1"


@pytest.fixture(scope="module")
def checked():
    return check(PROJECT)


def problems(root: Path) -> tuple[int, list[dict]]:
    done = run("check", "--root", str(root), "--format", "json")
    return done.exit_code, json.loads(done.stdout)


def coded(root: Path, code: str) -> list[dict]:
    return [p for p in problems(root)[1] if p["code"] == code]


def test_khrenins_eu_listing_comes_with_its_date_and_reason(checked):
    (listing,) = checked.listings("khrenin")
    assert (listing.source, listing.record, listing.entity) == (LIST, f"{KHRENIN}-sanction", KHRENIN)
    assert listing.authority == ("European Union",) and listing.program == ("EU-BLR",) and listing.provisions == ("Asset freeze",)
    assert listing.listed == "2021-06-21" and listing.ended is None and listing.current
    assert listing.reason[0].startswith("In his position as Minister of Defense of Belarus since 20 January 2020, Viktar Khrenin is responsible")
    with pytest.raises(FrozenInstanceError):
        listing.listed = "2020-01-01"


def test_sheiman_lukashenko_and_the_ministry_are_listed_and_the_others_not(checked):
    (sheiman,) = checked.listings("sheiman")
    assert sheiman.listed == "2004-09-24" and sheiman.reason[0].startswith("Former Head of the Belarus President Property Management Directorate.")
    (lukashenko,) = checked.listings("lukashenko")
    assert lukashenko.listed == "2020-11-06"
    (ministry,) = checked.listings("belarus-defence-ministry")
    assert ministry.provisions == ("Export control",) and ministry.listed is None and ministry.reason == ()
    assert checked.listings("sergei-sheiman") == () and checked.listings("putin") == ()  # notSame only


def test_a_byte_changed_in_the_list_fails_the_check(project: Path):
    path = project / "seeds" / "eu-belarus.ftm.json"
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"2021-06-21"', b'"2021-06-22"'))
    found = coded(project, "source-changed")
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert (found[0]["line"], found[0]["col"]) == position(project / "seeds" / "sources.yaml", "821b126657ee0d1baf648015fbed0b4d25a04ec8db63d9592602d0e43e4df403")


def test_a_confirmed_entity_missing_from_the_list_is_warned(project: Path):
    replace(project / "actors.yaml", f"id: {KHRENIN}", "id: eu-journal-0000000000000000")
    (found,) = coded(project, "judgement-entity-absent")
    assert found["severity"] == "warning" and "delisted, merged" in found["message"]
    assert (found["line"], found["col"]) == position(project / "actors.yaml", "eu-journal-0000000000000000")


def newer_copy(project: Path, keep) -> None:
    """A 'newer' version of the list: lines kept by `keep`, its sha256 recorded as the new version's."""
    path = project / "seeds" / "eu-belarus.ftm.json"
    lines = [line for line in path.read_text("utf-8").splitlines() if keep(json.loads(line))]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    replace(project / "seeds" / "sources.yaml", "821b126657ee0d1baf648015fbed0b4d25a04ec8db63d9592602d0e43e4df403", sha)


def test_a_delisted_entity_is_warned_and_so_is_the_sanction_an_article_reports(project: Path):
    """Sheiman gone from a newer copy of the list: his sameAs names nothing (nor does his son's notSame), and the
    article's EU sanction has no record."""
    newer_copy(project, lambda e: not e["id"].startswith(SHEIMAN))
    code, found = problems(project)
    assert code == 0
    codes = sorted(p["code"] for p in found if p["severity"] == "warning")
    assert codes == ["judgement-entity-absent", "judgement-entity-absent", "sanction-not-listed"], found
    (unlisted,) = (p for p in found if p["code"] == "sanction-not-listed")
    assert "by EU on 'sheiman'" in unlisted["message"] and f"list '{LIST}'" in unlisted["message"]
    assert (unlisted["line"], unlisted["col"]) == position(project / "actors.yaml", "EU, US]")


def test_a_record_gone_but_the_entity_kept_is_a_sanction_not_listed(project: Path):
    newer_copy(project, lambda e: e["id"] != f"{SHEIMAN}-sanction")
    (found,) = coded(project, "sanction-not-listed")
    assert f"confirmed as ({SHEIMAN}) has no record in it" in found["message"]
    assert coded(project, "judgement-entity-absent") == []


def test_a_candidate_with_no_judgement_is_unresolved(project: Path):
    """Khrenin's sameAs taken out: the list's KHRENIN holds every word of his name, and no judgement answers it."""
    text = (project / "actors.yaml").read_text("utf-8")
    start = text.index("    sameAs:\n      - source: eu-belarus-list\n        id: eu-journal-7dd6073301262d6f")
    end = text.index("  - id: muchinguri-kashiri")
    (project / "actors.yaml").write_text(text[:start] + "\n" + text[end:], "utf-8")
    (found,) = coded(project, "screening-unresolved")
    assert found["severity"] == "warning" and f"'khrenin' may be '{KHRENIN}'" in found["message"] and "Viktor Gennadievich KHRENIN" in found["message"]
    assert (found["line"], found["col"]) == (position(project / "actors.yaml", "id: khrenin")[0], 9)


def test_a_judgement_must_name_a_list_an_entity_and_a_schema_that_fits(project: Path):
    replace(project / "actors.yaml", f"id: {KHRENIN}", f"id: {MINISTRY}")  # a LegalEntity for a person
    (mismatch,) = coded(project, "judgement-schema-mismatch")
    assert "is a LegalEntity in 'eu-belarus-list', and 'khrenin' is a person, which only a Person can be" in mismatch["message"]
    replace(project / "actors.yaml", f"id: {MINISTRY}\n        note: >-\n          Compared: the list's \"Viktor", f"id: {KHRENIN}\n        note: >-\n          Compared: the list's \"Viktor")
    replace(project / "actors.yaml", "      - source: eu-belarus-list\n        id: eu-journal-9a257fb63b9a4a5f", "      - source: zimmail-2023-11-02\n        id: eu-journal-9a257fb63b9a4a5f")
    (not_a_list,) = coded(project, "judgement-not-a-list")
    assert "source 'zimmail-2023-11-02' is text, not a list" in not_a_list["message"]


def test_sameas_and_notsame_of_one_entity_contradict(project: Path):
    replace(project / "actors.yaml", "    notSame:\n      - source: eu-belarus-list\n        id: eu-journal-402ef84f69625f45",
            "    sameAs:\n      - {source: eu-belarus-list, id: eu-journal-402ef84f69625f45}\n    notSame:\n      - source: eu-belarus-list\n        id: eu-journal-402ef84f69625f45")
    (found,) = coded(project, "judgement-contradicts")
    assert "both sameAs and notSame 'putin'" in found["message"]


def test_a_judgement_names_a_source_or_a_dataset_exactly_one(project: Path):
    replace(project / "actors.yaml", f"      - source: eu-belarus-list\n        id: {KHRENIN}", f"      - source: eu-belarus-list\n        dataset: eu_fsf\n        id: {KHRENIN}")
    code, found = problems(project)
    assert code == 1 and any("exactly one of the two" in p["message"] for p in found), found


def test_a_quote_from_a_list_is_an_error(project: Path):
    replace(project / "actors.yaml", "      - source: zimmail-2023-11-02\n        quote: Belarusian Defense Minister Viktor Khrenin",
            "      - source: eu-belarus-list\n        quote: Belarusian Defense Minister Viktor Khrenin")
    (found,) = coded(project, "quote-in-list")
    assert "has no text to quote" in found["message"]


def test_a_list_is_not_unreadable_and_the_text_commands_say_it_has_no_text(project: Path):
    assert coded(project, "source-uncited") == [] and problems(project)[0] == 0
    for args in (("text", LIST), ("cite", LIST, "Minister of Defense")):
        done = run(*args, "--root", str(project))
        assert done.exit_code == 1 and "is a list (808 FollowTheMoney entities), which has no text" in done.output, done.output
    done = run("coverage", "--root", str(project))
    assert done.exit_code == 0 and LIST not in done.output, done.output
