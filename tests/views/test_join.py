"""Views decide what templates show: worded claims, statuses, sources, sections, notes in reading order.

On the project's own registry, joined without rendering anything.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from conftest import PROJECT
from dossiers import check
from dossiers.registry import dates
from dossiers.registry.layout import dossier_name
from dossiers.views import wording
from dossiers.views.briefing import briefing, linked_pack, parts
from dossiers.views.dossier import SECTIONS, dossier, linked, numbered, reading_order
from dossiers.views.join import join
from dossiers.views.site import site


@pytest.fixture(scope="module")
def joined():
    return join(check(PROJECT), "2023-11-02")


def test_a_claim_is_worded_with_who_says_each_part_and_when(joined):
    view = dossier(joined, "lukashenko")
    welcome = view.dated["lukashenko-welcomed-by-mnangagwa"]
    assert welcome.text.endswith("Robert Mugabe International Airport") and welcome.end == "."
    assert [voice for voice, _ in welcome.voices] == ["the Belarusian president's office", "S3"], "the part only the office says is the office's"
    assert welcome.when == "2023" and welcome.numbers == ()
    assert all(numbers for _, numbers in welcome.voices), "each voice's notes are numbered"
    putin = dossier(joined, "putin")
    president = putin.worded["putin-president-of-russia"]
    assert (president.text, president.voices, president.when, president.end) == ("President of Russia.", (), "", "")
    assert [putin.notes[n - 1].ref for n in president.numbers] == [n.ref for n in joined.claims["putin-president-of-russia"].notes]


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
    assert western.fact.authority == () and western.authorities == (wording.NO_AUTHORITY,)
    mnangagwa = dossier(joined, "mnangagwa")
    assert (mnangagwa.status_label, mnangagwa.authorities) == (wording.SANCTIONS_REPORTED, (wording.NO_AUTHORITY,))
    pack = briefing(joined)
    assert pack.authorities == ("EU", "US", wording.NO_AUTHORITY)
    assert [(ref.id, authorities) for ref, authorities in pack.sanctioned] == [
        ("lukashenko", (wording.NO_AUTHORITY,)), ("mnangagwa", (wording.NO_AUTHORITY,)), ("sheiman", ("EU", "US"))]


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


def test_a_dossier_has_every_section_in_order_and_numbers_its_notes_in_reading_order(joined):
    view = dossier(joined, "mnangagwa")
    assert [s.key for s in view.sections] == [key for key, _ in SECTIONS]
    numbers = [n for ref in reading_order(view) for n in [view.note_numbers[ref]]]
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(view.notes) + 1)), "numbered 1, 2, 3 as the packaged templates reach them"
    assert [view.note_numbers[note.ref] for note in view.notes] == firsts, "listed in the order of their numbers"


def test_notes_are_numbered_again_in_the_order_a_template_reaches_them(joined):
    view = dossier(joined, "mnangagwa")
    backwards = numbered(view, reversed(list(dict.fromkeys(reading_order(view)))))
    assert backwards.notes == view.notes[::-1]
    assert [backwards.note_numbers[note.ref] for note in backwards.notes] == list(range(1, len(view.notes) + 1))
    claim = view.sections[0].claims[0]
    assert backwards.worded[claim.fact.id].numbers != view.worded[claim.fact.id].numbers
    assert view.notes != backwards.notes, "the first view is left as it was"
    reached = numbered(view, [view.notes[2].ref, view.notes[0].ref])
    assert [n.ref for n in reached.notes] == [view.notes[2].ref, view.notes[0].ref], "a note no template reaches is not listed"


def test_a_view_is_frozen(joined):
    view = dossier(joined, "mnangagwa")
    for target, name, value in [
        (view, "notes", ()), (view.sections[0], "claims", ()), (view.sections[0].claims[0], "date", "1999"),
        (view.worded[view.sections[0].claims[0].fact.id], "numbers", (9,)), (briefing(joined), "title", "x"), (parts(briefing(joined))[0], "name", "x"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, name, value)
    with pytest.raises(TypeError):
        view.note_numbers["x"] = 1  # type: ignore[index]


def test_status_label_and_sources_of_a_dossier(joined):
    """The status line says who lists the person (the registered EU Belarus list, real records) apart from who the
    cited articles report: Sheiman is both, Khrenin only listed, Revenko neither."""
    sheiman, khrenin, revenko = dossier(joined, "sheiman"), dossier(joined, "khrenin"), dossier(joined, "revenko")
    assert (sheiman.status_label, sheiman.authorities) == (wording.LISTED, ("EU", "US"))
    assert sheiman.status_line.startswith("Listed: European Union (EU-BLR, since ") and sheiman.status_line.endswith(". Reported in the sources: EU, US")
    assert khrenin.status_label == wording.LISTED and khrenin.authorities == ()
    assert khrenin.status_line == "Listed: European Union (EU-BLR, since 21 June 2021)"
    assert revenko.status_line == wording.NO_SANCTIONS and not revenko.flagged
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
    assert list(dossier(joined, "putin").countries) == ["Russia"]
    assert shown == coverage and "Russia" in coverage


def plain_data(value: object, path: str = "view", seen: set[int] | None = None) -> list[str]:
    """Where `value` holds anything but text, numbers, None, tuples, read-only mappings and frozen dataclasses."""
    seen = set() if seen is None else seen
    if isinstance(value, str | int | float | bool | type(None)):
        return []
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, tuple | frozenset):
        return [bad for index, item in enumerate(value) for bad in plain_data(item, f"{path}[{index}]", seen)]
    if isinstance(value, MappingProxyType):
        return [bad for key, item in value.items() for bad in plain_data(key, f"{path} key", seen) + plain_data(item, f"{path}[{key!r}]", seen)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and type(value).__dataclass_params__.frozen:
        return [bad for f in dataclasses.fields(value) for bad in plain_data(getattr(value, f.name), f"{path}.{f.name}", seen)]
    return [f"{path}: {type(value).__module__}.{type(value).__name__}"]


def test_templates_get_plain_immutable_data_with_nothing_to_call(joined):
    """Every view a template is given holds only text, numbers, tuples, read-only mappings and frozen dataclasses:
    no model, no list, nothing callable (the pydantic methods a template once reached are not there)."""
    people = [dossier(joined, a.id) for a in joined.people]
    pack = briefing(joined)
    views = [*people, pack, *parts(pack), *site(joined, people, "Title")]
    assert [bad for view in views for bad in plain_data(view)] == []
    assert plain_data(dossier(joined, "sheiman").actor) == []
    assert plain_data([1]) == ["view: builtins.list"] and plain_data({"a": 1}) == ["view: builtins.dict"], "the walk can fail"


def test_links_come_from_the_view_computed_from_the_layout(joined):
    """A template builds no path: each output's view carries its links, relative to its own file."""
    view = dossier(joined, "lukashenko")
    others = {ref.id for c in view.shown for ref in c.actors if ref.has_dossier} - {"lukashenko"}
    note = view.notes[0]
    site_page = linked(view, dossier_name("lukashenko", "html"), "html")
    assert {site_page.links[p] for p in others} == {f"{p}.html" for p in others}
    assert site_page.contexts[note.ref] == f"../sources/{note.source.id}.html#passage-{note.passage}"
    assert site_page.index_href == "../index.html" and not site_page.appendix
    printed = linked(view, dossier_name("lukashenko", "pdf"), "pdf")
    assert printed.contexts[note.ref] == f"#lukashenko-passage-{note.source.label}-{note.passage}" and printed.appendix
    assert printed.index_href == "" and {printed.links[p] for p in others} == {f"{p}.pdf" for p in others}
    pack = linked_pack(briefing(joined), "md")
    assert pack.links["mnangagwa"] == "#emmerson-mnangagwa" and pack.network_href == "briefing-pack-network.svg"
    index, *pages = site(joined, [dossier(joined, a.id) for a in joined.people], "T")
    assert index.people[0][3] == f"dossiers/{index.people[0][0]}.html" and index.sources[0][2] == f"sources/{index.sources[0][0].id}.html"
    assert pages[0].index_href == "../index.html" and pages[0].source.file_label == f"seeds/{pages[0].source.source.file}"


def test_a_listing_is_printed_from_the_list_record_apart_from_reported_sanctions(joined):
    """Khrenin's record in the real EU Belarus list (seeds/eu-belarus.ftm.json): authority, programme, measures, date and
    reason as the list gives them, cited to the list file and the record's id; no article reports it."""
    khrenin = dossier(joined, "khrenin")
    (listed,) = khrenin.listed
    assert (listed.authority, listed.program, listed.provisions, listed.period) == ("European Union", "EU-BLR", "Asset freeze", "listed since 21 June 2021")
    assert listed.reason.startswith("In his position as Minister of Defense of Belarus since 20 January 2020, Viktar Khrenin is responsible")
    assert listed.current and listed.record == "eu-journal-7dd6073301262d6f-sanction"
    assert "record eu-journal-7dd6073301262d6f-sanction; file seeds/eu-belarus.ftm.json, sha256 821b126657ee0d1b…" in listed.citation
    assert listed.citation.startswith("[EU sanctions list for Belarus")
    assert khrenin.sanctions == () and khrenin.same_as == ()
    pack = briefing(joined)
    row = next(row for row in pack.matrix if row.person.id == "khrenin")
    assert row.listed == "European Union (EU-BLR, since 21 June 2021)" and not any(row.cells)
    assert pack.listed_heading == wording.MATRIX_LISTED


def test_the_wording_of_a_listing_that_has_ended():
    assert wording.listing_period("21 June 2021", "3 March 2024") == "formerly listed, until 3 March 2024 (listed 21 June 2021)"
    assert wording.status_line([], [("European Union", "EU-BLR, until 3 March 2024")], ["US"]) == (
        "Formerly listed: European Union (EU-BLR, until 3 March 2024). Reported in the sources: US")
    assert wording.status_line([], [], ["EU"]) == "Sanctions reported: EU"
