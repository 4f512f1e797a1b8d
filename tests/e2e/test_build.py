"""`dossiers build`: the files it writes, read back: PDF text, pages, outline, metadata; golden Markdown."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from pypdf import PdfReader

from conftest import GOLDEN, PROJECT, replace, run
from dossiers.registry.load import load_project
from dossiers.verify.check import check_project
from dossiers.verify.quotes import normalise

PEOPLE = ["lukashenko", "mnangagwa", "sheiman", "zingman", "khrenin", "muchinguri-kashiri", "revenko", "shava", "sergei-sheiman", "putin", "mugabe"]
# The bodies facts are about: a company, public bodies, a party, armed forces. The states (belarus, zimbabwe, russia) have none.
BODIES = ["belarus-armed-forces", "belarus-defence-ministry", "zanu-pf", "zim-goldfields", "zimbabwe-defence-forces", "zimbabwe-foreign-ministry"]


@pytest.fixture(scope="module")
def checked():
    return check_project(load_project(PROJECT))


def flat(text: str) -> str:
    """Text with quotes, dashes and all white space folded, for comparing PDF text with quotes."""
    return re.sub(r"\s+", "", normalise(text).text)


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_every_person_gets_a_markdown_a_pdf_and_an_html_file(built: Path):
    project = load_project(PROJECT)
    people = sorted(a.id for a in project.registry.actors if a.kind.value == "person")
    assert people == sorted(PEOPLE)
    about = {actor for fact in project.registry.facts for actor in fact.actors}
    bodies = sorted(a.id for a in project.registry.actors if a.kind.value not in ("person", "state") and a.id in about)
    assert bodies == sorted(BODIES)
    for kind in ("md", "pdf", "html"):
        assert sorted(p.stem for p in (built / "dossiers").glob(f"*.{kind}")) == sorted(people + bodies)
    assert (built / "manifest.json").is_file()


@pytest.mark.parametrize("person", PEOPLE)
def test_pdf_shows_the_name_every_quote_page_numbers_and_bookmarks(built: Path, checked, person: str):
    actor = next(a for a in checked.project.registry.actors if a.id == person)
    reader = PdfReader(built / "dossiers" / f"{person}.pdf")
    text = pdf_text(reader)
    assert actor.name in reader.pages[0].extract_text()
    quotes = [
        checked.texts[c.source].text[checked.anchors[(f.id, i)].start : checked.anchors[(f.id, i)].end]
        for f in checked.project.registry.facts
        if person in f.actors
        for i, c in enumerate(f.citations)
    ]
    assert quotes, f"{person} has facts"
    for quote in quotes:
        assert flat(quote) in flat(text), f"quote missing from {person}.pdf: {quote!r}"
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    titles = outline_titles(reader.outline)
    assert titles[0] == actor.name
    assert {"Notes", "Sources", "Method"} <= set(titles)
    assert reader.metadata.title == f"{actor.name}: dossier"
    assert actor.name in reader.metadata["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_cyrillic_names_survive_in_the_shipped_fonts(built: Path):
    reader = PdfReader(built / "dossiers" / "sheiman.pdf")
    text = pdf_text(reader)
    assert "Виктор Владимирович Шейман" in text and "Віктар Уладзіміравіч Шэйман" in text
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert all("Dossier-" in font for font in fonts), fonts


def test_status_line_says_what_the_sources_report(built: Path):
    """Who lists the person (the registered EU Belarus list, real records) apart from who the articles report."""
    sheiman = (built / "dossiers" / "sheiman.md").read_text("utf-8")
    assert "\n> **Listed: European Union (EU-BLR, since 24 September 2004). Reported in the sources: EU, US.**\n" in sheiman
    assert "\n> **Listed: European Union (EU-BLR, since 21 June 2021).**\n" in (built / "dossiers" / "khrenin.md").read_text("utf-8")
    revenko = (built / "dossiers" / "revenko.md").read_text("utf-8")
    assert "\n> Sanctions: none reported in these sources; this is not a check of official lists.\n" in revenko, "plain, not bold"
    assert "not that the person is not sanctioned" in revenko
    assert "Sanctions: none reported in these sources; this is not a check of official lists." in pdf_text(PdfReader(built / "dossiers" / "revenko.pdf"))


def test_relationships_link_to_the_other_dossier(built: Path):
    sheiman = (built / "dossiers" / "sheiman.md").read_text("utf-8")
    assert "[Alexander Lukashenko](lukashenko.md)" in sheiman
    assert "[Sergei Sheiman](sergei-sheiman.md)" in sheiman
    html = (built / "dossiers" / "sheiman.html").read_text("utf-8")
    assert 'href="lukashenko.html"' in html


def test_denial_is_shown_beside_each_allegation_it_answers(built: Path):
    """The Zimbabwe Mail's report of the two leaders' denial answers both accusations of corruption made against Mnangagwa."""
    text = (built / "dossiers" / "mnangagwa.md").read_text("utf-8").split("## Allegations and denials")[1]
    denial = "**Denial:** Lukashenko and Mnangagwa have denied the accusations, by rivals and the West, of being corrupt"
    for accusation in ("accused both leaders of being corrupt", "faced accusations of corruption and rights violations"):
        allegation = text.index(accusation)
        assert 0 < text.index(denial, allegation) - allegation < 400, accusation
    assert "No response from those accused" not in text


@pytest.mark.parametrize("person", PEOPLE + BODIES)
def test_markdown_matches_the_reviewed_golden_file(built: Path, person: str, update_golden: bool):
    produced = (built / "dossiers" / f"{person}.md").read_text("utf-8")
    golden = GOLDEN / f"{person}.md"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(produced, "utf-8")
    assert produced == golden.read_text("utf-8"), f"{person}.md differs from tests/golden: review, then pytest --update-golden"


@pytest.mark.parametrize("person", PEOPLE)
def test_markdown_footnotes_resolve_and_links_stay_among_dossiers(built: Path, person: str):
    tokens = MarkdownIt("commonmark").enable("table").use(footnote_plugin).parse((built / "dossiers" / f"{person}.md").read_text("utf-8"))
    inline = [child for token in tokens if token.children for child in token.children]
    refs = {t.meta["id"] for t in inline if t.type == "footnote_ref"}
    defined = {t.meta["id"] for t in tokens if t.type == "footnote_open"}
    assert refs and refs == defined
    for token in inline:
        assert token.type not in ("image", "html_inline")
        if token.type == "link_open":
            assert re.fullmatch(r"[a-z0-9-]+\.md", token.attrs["href"]), token.attrs
    assert not [t for t in tokens if t.type == "html_block"]


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path):
    """A second build, in another process layout (--jobs 1, two people), gives the same bytes and manifest entries."""
    again = tmp_path / "again"
    assert run("build", "sheiman", "shava", "--root", str(PROJECT), "--out", str(again), "--jobs", "1").exit_code == 0
    for name in ("sheiman.md", "sheiman.pdf", "shava.pdf"):
        assert (again / "dossiers" / name).read_bytes() == (built / "dossiers" / name).read_bytes(), name
    first, second = (json.loads((out / "manifest.json").read_text("utf-8")) for out in (built, again))
    assert second["inputs"] == first["inputs"]
    assert second["outputs"] == {name: entry for name, entry in first["outputs"].items() if name in second["outputs"]}


def test_date_comes_from_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert run("build", "shava", "--root", str(PROJECT), "--out", str(tmp_path), "--format", "md").exit_code == 0
    assert "dated 14 November 2023" in (tmp_path / "dossiers" / "shava.md").read_text("utf-8")


def test_failed_build_leaves_previous_output(project: Path):
    assert run("build", "shava", "--root", str(project), "--format", "md").exit_code == 0
    output = project / "build" / "dossiers" / "shava.md"
    before = output.read_bytes()
    replace(project / "actors.yaml", "quote: Zimbabwe foreign affairs minister Frederick Shava", "quote: Zimbabwe foreign minister Frederick Shava")
    result = run("build", "shava", "--root", str(project), "--format", "md")
    assert result.exit_code == 1 and "quote-" in result.stderr
    assert output.read_bytes() == before
    assert [p.name for p in output.parent.iterdir()] == ["shava.md"]


def test_unknown_id_and_organization_are_clear_errors():
    unknown = run("build", "nobody", "--root", str(PROJECT), "--out", "/nonexistent/never")
    assert unknown.exit_code == 1 and "no actor has the id 'nobody'" in unknown.stderr
    state = run("build", "belarus", "--root", str(PROJECT), "--out", "/nonexistent/never")
    assert state.exit_code == 1 and "'belarus' has no dossier: dossiers are built for people, and for bodies that facts are about (a state has none)" in state.stderr


def test_project_templates_override_the_defaults_file_by_file(project: Path):
    (project / "templates").mkdir()
    shutil.copy(PROJECT / "templates" / "macros.md.j2", project / "templates" / "macros.md.j2")
    replace(project / "templates" / "macros.md.j2", "{% macro method() -%}\n", "{% macro method() -%}\nHouse style. ")
    assert run("build", "shava", "--root", str(project), "--format", "md,pdf").exit_code == 0
    assert "House style. Every claim" in (project / "build" / "dossiers" / "shava.md").read_text("utf-8")
    assert "Frederick Shava" in pdf_text(PdfReader(project / "build" / "dossiers" / "shava.pdf"))


def test_curated_names_are_marked_in_every_output(built: Path, project: Path):
    """An other name no source gives (`curated: true`) is marked in Markdown, HTML, PDF, the pack and the FtM export."""
    assert "| Emmerson Dambudzo Mnangagwa *(curated)* | English |" in (built / "dossiers" / "mnangagwa.md").read_text("utf-8")
    html = (built / "dossiers" / "sheiman.html").read_text("utf-8")
    assert '<td lang="ru">Виктор Владимирович Шейман <span class="curated" lang="en">(curated)</span></td>' in html
    assert "Виктор Владимирович Шейман (curated)" in pdf_text(PdfReader(built / "dossiers" / "sheiman.pdf"))
    assert "| Robert Gabriel Mugabe *(curated)* | English |" in (built / "briefing-pack.md").read_text("utf-8")
    ftm = run("export", "--root", str(PROJECT), "--format", "ftm").stdout
    assert "Curated names, given by no cited source: Emmerson Dambudzo Mnangagwa" in ftm
    replace(project / "actors.yaml", "{name: Emmerson Dambudzo Mnangagwa, lang: en, curated: true}", "{name: Emmerson Dambudzo Mnangagwa, lang: en}")
    assert run("build", "mnangagwa", "--root", str(project), "--format", "md", "--no-pack").exit_code == 0
    plain = (project / "build" / "dossiers" / "mnangagwa.md").read_text("utf-8")
    assert "| Emmerson Dambudzo Mnangagwa | English |" in plain and "curated" not in plain.lower()


KHRENIN_REASON = "In his position as Minister of Defense of Belarus since 20 January 2020, Viktar Khrenin is responsible for the decision"


def test_khrenins_eu_listing_is_printed_from_the_list_with_its_date_reason_and_record(built: Path):
    """Khrenin is on the EU's Belarus list (the real record in seeds/eu-belarus.ftm.json) and no article says so: his
    dossier prints the record, in the list's words, cited to the file and the record's id, in Markdown and in the PDF."""
    md = (built / "dossiers" / "khrenin.md").read_text("utf-8")
    assert "- **European Union**, EU-BLR: Asset freeze; listed since 21 June 2021. *Reason given by the list:* “" + KHRENIN_REASON in md
    assert "record eu-journal-7dd6073301262d6f-sanction; file seeds/eu-belarus.ftm.json, sha256 821b126657ee0d1b…" in md
    assert "Same entity as" not in md
    text = " ".join(pdf_text(PdfReader(built / "dossiers" / "khrenin.pdf")).split())
    assert "Listed: European Union (EU-BLR, since 21 June 2021)." in text
    assert "European Union, EU-BLR: Asset freeze; listed since 21 June 2021." in text
    assert KHRENIN_REASON in text and "journal-7dd6073301262d6f-sanction; file seeds/eu-belarus.ftm.json" in text  # "eu-" may end a line


def test_a_delisted_record_prints_formerly_listed_until_its_end_date(project: Path, tmp_path: Path):
    """A copy of the real EU list in which Khrenin's record has an endDate: his dossier says he was listed, and until when."""
    import hashlib
    import json

    path = project / "seeds" / "eu-belarus.ftm.json"
    lines = path.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith('{"id": "eu-journal-7dd6073301262d6f-sanction"'))
    record = json.loads(lines[index])
    record["properties"]["endDate"] = ["2024-03-04"]
    record["properties"]["sourceUrl"] = ["javascript:alert(1)", "https://eur-lex.europa.eu/eli/reg_impl/2021/997/oj"]  # the first never linked
    lines[index] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    sources = project / "seeds" / "sources.yaml"
    old = "821b126657ee0d1baf648015fbed0b4d25a04ec8db63d9592602d0e43e4df403"
    sources.write_text(sources.read_text("utf-8").replace(old, hashlib.sha256(path.read_bytes()).hexdigest()), "utf-8")
    done = run("build", "khrenin", "--root", str(project), "--out", str(tmp_path / "out"), "--format", "md,html")
    assert done.exit_code == 0, done.output
    md = (tmp_path / "out" / "dossiers" / "khrenin.md").read_text("utf-8")
    assert "\n> **Formerly listed: European Union (EU-BLR, until 4 March 2024).**\n" in md
    assert "- **European Union**, EU-BLR: Asset freeze; formerly listed, until 4 March 2024 (listed 21 June 2021)." in md
    html = (tmp_path / "out" / "dossiers" / "khrenin.html").read_text("utf-8")
    assert '<a href="https://eur-lex.europa.eu/eli/reg_impl/2021/997/oj">[EU sanctions list for Belarus' in html  # the record's sourceUrl
    assert "javascript:" not in html


def test_a_body_gets_a_dossier_with_its_listing_linked_from_the_people_and_the_pack(built: Path):
    """The Ministry of Defence of Belarus, on the real EU Belarus list: its own dossier prints its record; Zim Goldfields,
    a company, is linked from its co-owners' dossiers and from the pack."""
    ministry = (built / "dossiers" / "belarus-defence-ministry.md").read_text("utf-8")
    assert ministry.startswith("# Ministry of Defence of Belarus\n\nPublic body · Belarus")
    assert "- **European Union**, EU-BLR: Export control; listed, the list gives no date." in ministry
    assert "not that the body is not sanctioned" in ministry
    assert "[Zim Goldfields](zim-goldfields.md) secretly co-owned by" in (built / "dossiers" / "zingman.md").read_text("utf-8")
    assert "[Zim Goldfields](dossiers/zim-goldfields.md)" in (built / "briefing-pack.md").read_text("utf-8")
    assert 'href="zim-goldfields.html"' in (built / "dossiers" / "zingman.html").read_text("utf-8")
