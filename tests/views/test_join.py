"""Views decide what templates show: worded claims, statuses, sources, sections, notes in reading order.

On the project's own registry, joined without rendering anything.
"""

from __future__ import annotations

import pytest

from conftest import PROJECT
from dossiers import check
from dossiers.registry import dates
from dossiers.views import wording
from dossiers.views.briefing import briefing, parts
from dossiers.views.dossier import SECTIONS, dossier
from dossiers.views.join import join


@pytest.fixture(scope="module")
def joined():
    return join(check(PROJECT), "2023-11-02")


def test_a_claim_is_worded_with_who_says_each_part_and_when(joined):
    view = dossier(joined, "lukashenko")
    welcome = view.worded(joined.claims["lukashenko-welcomed-by-mnangagwa"], dated=True)
    assert welcome.text.endswith("Robert Mugabe International Airport") and welcome.end == "."
    assert [voice for voice, _ in welcome.voices] == ["the Belarusian president's office", "S3"], "the part only the office says is the office's"
    assert welcome.when == "2023" and welcome.numbers == []
    putin = dossier(joined, "putin").worded(joined.claims["putin-president-of-russia"])
    assert (putin.text, putin.voices, putin.when, putin.end) == ("President of Russia.", [], "", "")
    assert putin.numbers == [1]


def test_a_note_in_text_two_sources_share_says_which_repeats_which(joined):
    conference = joined.claims["military-contacts-conference-minsk-2023"]
    assert [note.repeats for note in conference.notes] == [None, None, None, None, "S1"]
    assert conference.lines == 1, "S1 and S2 are one line of reporting"
    assert joined.claims["mnangagwa-president-of-zimbabwe"].lines == 2


def test_status_is_shown_only_when_not_plainly_reported(joined):
    assert joined.claims["sheiman-family-offshore-company"].status_shown == "alleged"
    assert joined.claims["putin-president-of-russia"].status_shown == ""


def test_a_sanction_the_source_reports_without_an_authority_is_shown_as_such(joined):
    """ "Western sanctions" names no authority: the status line, the sanctions list and the matrix say "no authority named"."""
    western = joined.claims["lukashenko-mnangagwa-western-sanctions"]
    assert western.fact.authority == [] and western.authorities == [wording.NO_AUTHORITY]
    mnangagwa = dossier(joined, "mnangagwa")
    assert (mnangagwa.status_label, mnangagwa.authorities) == (wording.SANCTIONS_REPORTED, [wording.NO_AUTHORITY])
    pack = briefing(joined)
    assert pack.authorities == ["EU", "US", wording.NO_AUTHORITY]
    assert [(ref.id, authorities) for ref, authorities in pack.sanctioned] == [
        ("lukashenko", [wording.NO_AUTHORITY]), ("mnangagwa", [wording.NO_AUTHORITY]), ("sheiman", ["EU", "US"])]


def test_denials_join_the_facts_they_deny(joined):
    accused = joined.claims["lukashenko-mnangagwa-accused-of-corruption"]
    assert [d.fact.id for d in accused.denials] == ["lukashenko-mnangagwa-deny-corruption"]


def test_each_actors_claims_are_in_date_order(joined):
    for claims in joined.about.values():
        keys = [dates.sort_key(c.fact.when) for c in claims]
        assert keys == sorted(keys)


def test_a_claims_sources_are_listed_once_each(joined):
    for claim in joined.claims.values():
        ids = [s.id for s in claim.sources]
        assert len(ids) == len(set(ids)) and set(ids) == {n.source.id for n in claim.notes}


def test_a_dossier_has_every_section_in_order_and_numbers_notes_as_they_are_asked_for(joined):
    view = dossier(joined, "mnangagwa")
    assert [s.key for s in view.sections] == [key for key, _ in SECTIONS]
    assert view.notes == [], "nothing is numbered before a template asks"
    claims = [c for s in reversed(view.sections) for c in s.claims]  # any reading order
    numbers = [n for c in claims for n in view.numbers(c)]
    assert numbers[0] == 1 and max(numbers) == len(view.notes)
    firsts = list(dict.fromkeys(numbers))
    assert firsts == sorted(firsts), "a note's number is the order in which it was first reached"
    assert view.renumber().notes == []


def test_status_label_and_sources_of_a_dossier(joined):
    sheiman, khrenin = dossier(joined, "sheiman"), dossier(joined, "khrenin")
    assert (sheiman.status_label, sheiman.authorities) == (wording.SANCTIONS_REPORTED, ["EU", "US"])
    assert khrenin.status_label == wording.NO_SANCTIONS and khrenin.authorities == []
    cited = {n.source.id for s in khrenin.sections for c in s.claims for n in c.notes}
    assert {s.id for s in khrenin.sources} >= cited


def test_the_briefing_counts_and_cuts(joined):
    view = briefing(joined)
    assert view.unsanctioned == len(view.people) - len(view.sanctioned)
    assert all(len(c.sources) > 1 for c in view.corroborated)
    assert [p.name for p in parts(view)] == ["whole"]


def test_a_newer_source_re_dates_only_the_dossiers_that_cite_it_or_no_dated_source(project):
    import hashlib

    from conftest import run

    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "build" / "dossiers").iterdir()}
    text = "Zimbabwe foreign affairs minister Frederick Shava spoke to reporters in Harare today.\n"
    (project / "seeds" / "later.txt").write_text(text, "utf-8")
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + (
        f"\n  - id: later\n    file: later.txt\n    sha256: {hashlib.sha256(text.encode()).hexdigest()}\n"
        "    title: Later\n    publisher: unknown\n    published: 2024-01-15\n    language: en\n    reliability: F\n"
    ), "utf-8")
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace(
        "        quote: Zimbabwe foreign affairs minister Frederick Shava\n        attribution: NewsDay\n",
        "        quote: Zimbabwe foreign affairs minister Frederick Shava\n        attribution: NewsDay\n      - source: later\n        quote: Zimbabwe foreign affairs minister Frederick Shava spoke\n",
    ), "utf-8")
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    after = {p.name: p.read_bytes() for p in (project / "build" / "dossiers").iterdir()}
    changed = {name for name in after if after[name] != before[name]}
    assert "shava.md" in changed and "dated 15 January 2024" in after["shava.md"].decode()
    citing_dated = {"khrenin.md", "lukashenko.md", "mnangagwa.md", "revenko.md", "muchinguri-kashiri.md", "mugabe.md"}
    assert not changed & citing_dated, "a dossier that cites a dated source keeps its date and its bytes"


def test_a_quote_told_apart_by_its_context_links_with_it_so_the_browser_lands_on_the_occurrence_cited():
    from dossiers.registry.model import Source
    from dossiers.views.join import passage_link, text_directive

    assert text_directive("Belarus and Zimbabwe") == "Belarus%20and%20Zimbabwe"
    assert text_directive("Belarus and Zimbabwe", "relations between ", ", the press") == "relations%20between-,Belarus%20and%20Zimbabwe,-%2C%20the%20press"
    assert text_directive("Africa", "German East ") == "German%20East-,Africa", "white space at a context's ends is the directive's own"
    assert text_directive("a b c d e f g h i", suffix="\nnext-door & co.") == "a%20b%20c%20d,f%20g%20h%20i,-next%2Ddoor%20%26%20co.", "- , & are syntax"
    source = Source.model_validate({
        "id": "dw", "file": "dw.html", "title": "t", "publisher": "DW", "url": "https://www.dw.com/en/a-52060881#top",
        "published": "2020-01-19", "reliability": "B", "language": "en",
    })
    assert passage_link(source, "html", "Africa", None, "German East ", None) == "https://www.dw.com/en/a-52060881#:~:text=German%20East-,Africa"
    assert passage_link(source, "html", "Africa", None) == "https://www.dw.com/en/a-52060881#:~:text=Africa"
    assert passage_link(source, "pdf", "Africa", 3, "German East ") == "https://www.dw.com/en/a-52060881#page=3"


def test_a_country_has_one_name_in_a_dossier_and_in_coverage(joined):
    """'ru' was "Russian Federation" in Putin's dossier (pycountry) and "Russia" in coverage (CLDR): one name now."""
    from dossiers.verify.reading import mention_patterns

    people = [actor for actor in joined.checked.project.registry.actors if actor.kind.is_person]  # no state: each country is matched by its name
    coverage = set(mention_patterns(people)) - {actor.id for actor in people}
    shown = {name for actor in people for name in dossier(joined, actor.id).countries}
    assert dossier(joined, "putin").countries == ["Russia"]
    assert shown == coverage and "Russia" in coverage
