"""add-source, text, cite and build on real documents (tests/fixtures/real-sources, see PROVENANCE.md):
a DW news page, a Singapore government notice, a vc.ru article printed to PDF by Chrome, a table PDF."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import run

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"
DOCUMENTS = ["dw.com.colonial.html", "sg-notice-snr-n01-1.html", "vc-ru-article.pdf", "zavod-test.pdf"]

FACTS = """
  - id: tahir-della
    kind: person
    name: Tahir Della
  - id: elon-musk
    kind: person
    name: Elon Musk
    alias:
      - {name: Илон Маск, lang: ru}
  - id: lena
    kind: person
    name: Lena
    alias:
      - {name: Лена, lang: ru}
  - id: jon-smith
    kind: person
    name: Jon Smith
  - id: singapore
    kind: state
    name: Singapore
    country: [sg]

facts:
  - id: della-isd-spokesman
    actors: [tahir-della]
    kind: position
    text: Spokesman of the Initiative Schwarze Menschen in Deutschland (ISD).
    citations:
      - source: dw-com-colonial
        quote: ISD spokesman Tahir Della
  - id: musk-remote-work
    actors: [elon-musk]
    kind: event
    text: Barred Tesla's managers from working remotely, vc.ru reports.
    citations:
      - source: vc-ru-article
        quote: Илон Маск запретил менеджерам Tesla работать на удалёнке
        translation: Elon Musk has forbidden Tesla managers to work remotely
  - id: lena-career
    actors: [lena]
    kind: biographical
    text: Left a career in finance at 29 to go into IT, vc.ru reports.
    citations:
      - source: vc-ru-article
        quote: Как Лена в 29 лет бросила успешную карьеру в финансах и решила «вкатиться в айти»
        translation: How Lena, at 29, gave up a successful career in finance and decided to "get into IT"
  - id: jon-smith-listed
    actors: [jon-smith]
    kind: event
    text: Listed in a table of names.
    waive: {citation-padding: "the quote is a row of the table: its column heads, then the name"}
    citations:
      - source: zavod-test
        quote: Forenames Surname Jon Smith
  - id: singapore-russia-measures
    actors: [singapore]
    kind: sanction
    authority: [SG]
    text: Imposed financial measures on designated Russian banks.
    citations:
      - source: sg-notice-snr-n01-1
        quote: the Singapore Government has imposed financial measures targeted at designated Russian banks
"""


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert run("new", str(root)).exit_code == 0
    return root


def add(root: Path, *args: str):
    return run("add-source", *args, "--root", str(root))


def test_each_real_document_is_recorded_with_what_it_says_about_itself(fresh: Path):
    before = (fresh / "seeds" / "sources.yaml").read_text("utf-8")
    done = add(fresh, str(REAL / "dw.com.colonial.html"))
    assert done.exit_code == 0, done.output
    assert "title: Berlin confronts Germany's colonial past with new initiative | DW | 19.01.2020  (from og:title)" in done.stdout
    assert "url: https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881  (from <link rel=canonical>)" in done.stdout
    assert "language: en  (from <html lang>)" in done.stdout
    assert "Still to fill in or check in seeds/sources.yaml: published, reliability, notes." in done.stdout
    for name in DOCUMENTS[1:]:
        assert add(fresh, str(REAL / name)).exit_code == 0
    after = (fresh / "seeds" / "sources.yaml").read_text("utf-8")
    assert after.startswith(before.rstrip("\n")), "the entries and comments already there are untouched"
    for name in DOCUMENTS:
        assert (fresh / "seeds" / name).read_bytes() == (REAL / name).read_bytes()
        assert f"file: {name}" in after
    # a PDF's creation date is when its file was made (printed to PDF here), never taken as published
    vc_ru = after[after.index("file: vc-ru-article.pdf"):].split("\n  - ")[0]
    assert "    published:  # to fill in: the PDF says only" in vc_ru
    assert "the PDF says only when its file was made (2022-06-03, PDF Info /CreationDate), which is not when it was published" in after
    checked = run("check", "--root", str(fresh), "--format", "json")
    assert '"errors": 0' in checked.stdout or checked.exit_code == 0, checked.stdout


def test_a_document_already_registered_is_refused_naming_its_source(fresh: Path):
    add(fresh, str(REAL / "vc-ru-article.pdf"))
    before = (fresh / "seeds" / "sources.yaml").read_bytes()
    copy = fresh.parent / "renamed.pdf"
    shutil.copy(REAL / "vc-ru-article.pdf", copy)
    done = add(fresh, str(copy))
    assert done.exit_code == 1 and "already registered as source 'vc-ru-article' (seeds/vc-ru-article.pdf)" in done.stderr
    assert (fresh / "seeds" / "sources.yaml").read_bytes() == before and not (fresh / "seeds" / "renamed.pdf").exists()


def test_a_file_of_the_same_name_in_seeds_is_never_overwritten(fresh: Path):
    (fresh / "seeds" / "zavod-test.pdf").write_bytes(b"the analyst's own notes")
    done = add(fresh, str(REAL / "zavod-test.pdf"))
    assert done.exit_code == 1 and "seeds/zavod-test.pdf already exists and holds something else" in done.stderr
    assert (fresh / "seeds" / "zavod-test.pdf").read_bytes() == b"the analyst's own notes"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "source-format-unknown"),
        (b"<html><head><title>Sign in</title></head><body><script>login()</script></body></html>", "source-no-main-text"),
        ("vc-ru-article.pdf:3000", "source-pdf-malformed"),
        ("encrypted", "source-pdf-encrypted"),
        ("huge", "source-too-large"),
    ],
)
def test_bad_documents_are_errors_that_leave_no_trace(fresh: Path, content, code: str):
    target = fresh.parent / "document"
    if content == "encrypted":
        with pikepdf.open(REAL / "zavod-test.pdf") as document:
            document.save(target, encryption=pikepdf.Encryption(user="reader", owner="owner"))
    elif content == "huge":
        target.write_bytes(b"")
        os.truncate(target, 32 * 2**20 + 1)
    elif isinstance(content, str):
        name, size = content.split(":")
        target.write_bytes((REAL / name).read_bytes()[: int(size)])
    else:
        target.write_bytes(content)
    before = sorted(p.name for p in (fresh / "seeds").iterdir()), (fresh / "seeds" / "sources.yaml").read_bytes()
    done = add(fresh, str(target))
    assert done.exit_code == 1 and code in done.stderr and str(target) in done.stderr, done.output
    assert "Traceback" not in done.output
    assert (sorted(p.name for p in (fresh / "seeds").iterdir()), (fresh / "seeds" / "sources.yaml").read_bytes()) == before


def test_quotes_from_the_body_anchor_to_page_and_place_and_the_notes_say_so(fresh: Path):
    for name in DOCUMENTS:
        assert add(fresh, str(REAL / name)).exit_code == 0
    registry = fresh / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", FACTS, 1), "utf-8")
    sources = fresh / "seeds" / "sources.yaml"  # what the analyst fills in: the vc.ru page is in Russian
    listing = sources.read_text("utf-8")
    at = listing.index("file: vc-ru-article.pdf")
    sources.write_text(listing[:at] + listing[at:].replace("language: und", "language: ru", 1), "utf-8")

    cited = run("cite", "vc-ru-article", "Как Лена в 29 лет бросила успешную карьеру в финансах", "--root", str(fresh))
    assert cited.exit_code == 0 and cited.stdout.startswith("# p. 7, line 192,"), cited.stdout
    shown = run("text", "vc-ru-article", "--root", str(fresh)).stdout.splitlines()
    assert shown[0] == "# vc-ru-article (vc-ru-article.pdf): pdf, extracted by " + shown[0].split("extracted by ")[1]
    assert shown[192].startswith("p. 7   192  Как Лена в 29 лет бросила успешную карьеру в финансах")

    checked = run("check", "--root", str(fresh))
    assert checked.exit_code == 0, checked.output
    built = run("build", "--root", str(fresh), "--format", "md,pdf")
    assert built.exit_code == 0, built.output
    della = (fresh / "build" / "dossiers" / "tahir-della.md").read_text("utf-8")
    assert (
        "[line 11](https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881"
        "#:~:text=ISD%20spokesman%20Tahir%20Della)"
    ) in della
    musk = (fresh / "build" / "dossiers" / "elon-musk.md").read_text("utf-8")
    assert "## Undated events" in musk
    assert (
        "“Илон Маск запретил менеджерам Tesla работать на удалёнке” (the analyst's translation: "
        "“Elon Musk has forbidden Tesla managers to work remotely”)"
    ) in musk
    assert ", p. 6, line 170 (reliability F)" in musk
    text = " ".join(page.extract_text() for page in PdfReader(fresh / "build" / "dossiers" / "elon-musk.pdf").pages)
    assert "p. 6, line 170" in " ".join(text.split()) and "Илон Маск" in text
    with pikepdf.open(fresh / "build" / "dossiers" / "elon-musk.pdf") as document:  # the Russian quote says it is Russian (PDF/UA-1 7.2)
        todo, langs = [document.Root.StructTreeRoot], set()
        while todo:
            element = todo.pop()
            if "/Lang" in element and element.get("/S") == "/Span":
                langs.add(str(element.Lang))
            kids = element.get("/K")
            todo += [k for k in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    assert "ru" in langs
    links = [a["/A"].get("/URI") for page in PdfReader(fresh / "build" / "dossiers" / "tahir-della.pdf").pages for a in (page.get("/Annots") or []) if "/A" in a.get_object()]
    assert any(str(uri).endswith("#:~:text=ISD%20spokesman%20Tahir%20Della") for uri in links), links

    lena = (fresh / "build" / "dossiers" / "lena.md").read_text("utf-8")
    assert "“Как Лена в 29 лет бросила успешную карьеру в финансах и решила «вкатиться в айти»”" in lena
    assert ", p. 7, line 192 (reliability F)" in lena
    assert ", p. 1, line 4 (reliability F)" in (fresh / "build" / "dossiers" / "jon-smith.md").read_text("utf-8")
    exported = run("export", "--format", "json", "--root", str(fresh)).stdout  # a state has no dossier: its fact is in the export
    assert '"quote": "the Singapore Government has imposed financial measures targeted at designated Russian banks"' in exported
    citations = {fact["id"]: fact["citations"][0] for fact in json.loads(exported)["facts"]}
    assert citations["lena-career"]["page"] == 7 and "page" not in citations["della-isd-spokesman"]

    coverage = run("coverage", "--root", str(fresh)).stdout
    assert "line 172, uncited, names elon-musk: Исключения будет согласовывать сам Маск." in coverage


def test_an_unchanged_source_is_read_from_the_users_cache_and_nothing_is_written_in_the_project(fresh: Path, tmp_path: Path, monkeypatch):
    from dossiers.sources import read

    monkeypatch.setenv("DOSSIERS_CACHE_DIR", str(tmp_path / "user-cache"))
    before = {path.relative_to(fresh) for path in fresh.rglob("*")}
    assert add(fresh, str(REAL / "dw.com.colonial.html")).exit_code == 0
    assert {path.relative_to(fresh) for path in fresh.rglob("*")} - before == {Path("seeds/dw.com.colonial.html")}
    assert [path.name.split(".")[0] for path in (tmp_path / "user-cache" / "text").iterdir()] == [hashlib.sha256((REAL / "dw.com.colonial.html").read_bytes()).hexdigest()]
    extract = read.extract

    def no_extraction(raw: bytes, fmt: str, name: str):
        assert fmt == "text", f"{name} extracted again"  # text files are decoded, never cached
        return extract(raw, fmt, name)

    monkeypatch.setattr(read, "extract", no_extraction)
    assert run("check", "--root", str(fresh)).exit_code == 0


EU_LIST = Path(__file__).resolve().parent.parent / "fixtures" / "screening" / "eu-belarus.ftm.json"  # the real EU Belarus list, FtM


def test_the_real_eu_belarus_list_is_added_as_a_list_with_its_dataset_and_version_as_given(fresh: Path):
    """The EU file names no dataset or date of its own: --dataset and --version give them, else they are left to fill in."""
    packed = fresh.parent / "eu-belarus.ftm.json.gz"
    packed.write_bytes(gzip.compress(EU_LIST.read_bytes(), mtime=0))
    done = add(fresh, str(packed), "--id", "eu-belarus", "--dataset", "eu_journal_sanctions", "--version", "2026-04-23")
    assert done.exit_code == 0, done.output
    assert f"(ftm, sha256 {hashlib.sha256(packed.read_bytes()).hexdigest()})" in done.stdout
    assert "dataset: eu_journal_sanctions  (from --dataset)" in done.stdout and "version: 2026-04-23  (from --version)" in done.stdout
    assert "sameAs: [{source: eu-belarus, id: ENTITY-ID" in done.stdout and "dossiers text" not in done.stdout
    entry = (fresh / "seeds" / "sources.yaml").read_text("utf-8").split("- id: eu-belarus")[1]
    assert "dataset: eu_journal_sanctions  # from --dataset" in entry and "version: '2026-04-23' # from --version" in entry
    assert (fresh / "seeds" / "eu-belarus.ftm.json.gz").read_bytes() == packed.read_bytes()
    listed = run("check", "--root", str(fresh), "--format", "json")
    assert not [p for p in json.loads(listed.stdout) if p["severity"] == "error"], listed.stdout
    plain = add(fresh, str(EU_LIST), "--id", "eu-belarus-plain")
    assert plain.exit_code == 0 and "dataset, version" in plain.stdout  # neither the file nor the command line said


def test_a_list_that_dates_itself_gives_its_own_dataset_and_version(fresh: Path, tmp_path: Path):
    lines = [json.loads(line) for line in EU_LIST.read_text("utf-8").splitlines()[:6]]
    for entity in lines:
        entity.update(datasets=["eu_journal_sanctions"], last_change="2025-10-23T08:00:00")
    stamped = tmp_path / "stamped.json"
    stamped.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n", "utf-8")
    done = add(fresh, str(stamped))
    assert done.exit_code == 0, done.output
    assert "dataset: eu_journal_sanctions  (from the entities' datasets)" in done.stdout and "version: 2025-10-23  (from the entities' newest last_change)" in done.stdout
    other = tmp_path / "other" / "stamped.json"
    other.parent.mkdir()
    other.write_text(stamped.read_text("utf-8").replace("2025-10-23", "2025-10-24"), "utf-8")
    refused = add(fresh, str(other), "--id", "other", "--version", "2024-01-01")
    assert refused.exit_code == 1 and "gives its version as '2025-10-24', not '2024-01-01'" in refused.stderr


def test_dataset_and_version_are_for_lists_only(fresh: Path):
    done = add(fresh, str(REAL / "dw.com.colonial.html"), "--dataset", "eu_fsf")
    assert done.exit_code == 1 and "--dataset and --version are for lists" in done.stderr
