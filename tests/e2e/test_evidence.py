"""The PDF carries its evidence: a source appendix linked from the notes, the sources attached, and `dossiers verify`
checking a PDF on its own, tampered or not."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from conftest import PROJECT, run

EVIDENCE = "dossiers-evidence.json"


def attachments(path: Path) -> dict[str, bytes]:
    with pikepdf.open(path) as document:
        return {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}


def test_every_pdf_verifies_against_the_sources_it_carries(built: Path):
    for path in sorted((built / "dossiers").glob("*.pdf")) + [built / "briefing-pack.pdf"]:
        done = run("verify", str(path))
        assert done.exit_code == 0, done.output
        evidence = json.loads(attachments(path)[EVIDENCE])
        claims, quotes = len(evidence["claims"]), sum(len(c["citations"]) for c in evidence["claims"])
        assert f"{claims} claim" in done.stdout and f"{quotes} quote" in done.stdout and "verified against" in done.stdout
    sheiman = run("verify", str(built / "dossiers" / "sheiman.pdf")).stdout.splitlines()
    assert sheiman[0].endswith("sheiman.pdf: not signed; 9 claims on 6 pages, 15 quotes verified against 2 embedded sources, 1 list record as the attached list has it")
    assert sheiman[1:] == ["  note: not signed: consistent, but anyone could have made it"]


def test_the_pack_carries_the_evidence_of_every_claim_it_prints_and_the_sources_they_cite(built: Path):
    """The claims of the pack's evidence are exactly the facts whose words the pack prints: in its summary, matrix,
    relationships, timeline (claims about organisations, such as zdf-delegation-visits-belarus-2023) and chapters."""
    from ruamel.yaml import YAML

    from dossiers.output.printed import normalised, page_texts

    pack = built / "briefing-pack.pdf"
    printed = normalised("".join(page_texts(pack.read_bytes())))
    facts = YAML(typ="safe").load((PROJECT / "actors.yaml").read_text("utf-8"))["facts"]
    shown = {fact["id"] for fact in facts if normalised(fact["text"]) in printed}
    evidence = json.loads(attachments(pack)[EVIDENCE])
    assert {claim["fact"] for claim in evidence["claims"]} == shown
    assert "zdf-delegation-visits-belarus-2023" in shown and len(shown) < len(facts)  # facts about organisations alone, undated, are in no section
    cited = {citation["source"] for claim in evidence["claims"] for citation in claim["citations"]}
    cited |= {listing["source"] for listing in evidence["listings"]}  # the lists whose records it prints
    assert {source["id"] for source in evidence["sources"]} == cited
    assert {listing["record"] for listing in evidence["listings"]} >= {"eu-journal-7dd6073301262d6f-sanction", "eu-journal-006b5feee218e6cf-sanction"}


def test_the_sources_are_attached_byte_for_byte_and_the_metadata_names_tool_and_evidence(built: Path):
    attached = attachments(built / "briefing-pack.pdf")
    for path in sorted((PROJECT / "seeds").glob("*.txt")):
        assert attached[path.name] == path.read_bytes()
    with pikepdf.open(built / "dossiers" / "sheiman.pdf") as document:
        assert str(document.docinfo["/Creator"]) == "dossiers 0.1.0"
        digest = str(document.docinfo["/DossiersEvidenceSHA256"])
    assert digest == hashlib.sha256(attachments(built / "dossiers" / "sheiman.pdf")[EVIDENCE]).hexdigest()


def test_the_appendix_shows_each_passage_in_its_paragraph_and_links_note_and_passage_both_ways(built: Path):
    reader = PdfReader(built / "dossiers" / "sheiman.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    start = next(i for i, text in enumerate(pages) if text.startswith("Source passages Each passage a note cites"))
    appendix = " ".join(pages[start:])
    assert "Meanwhile, a visit to Zimbabwe by Belarusian army general Viktor Sheiman this week has sparked speculation" in appendix
    assert "S2, passage 2, line 3. Cited in notes 3, 10." in appendix
    destinations = reader.named_destinations
    assert any(name.startswith("sheiman-passage-S2-") for name in destinations)
    assert any(name.startswith("sheiman-cite-") for name in destinations)
    links = [str(a.get_object()["/Dest"]) if "/Dest" in a.get_object() else str(a.get_object().get("/A", {}).get("/D", "")) for page in reader.pages for a in page.get("/Annots") or []]
    assert any("sheiman-passage-S2-" in link for link in links), "notes link to their passages"
    assert any("sheiman-cite-" in link for link in links), "passages link back to their notes"


def tampered(built: Path, tmp_path: Path, change, who: str = "sheiman", digest: bool = False) -> Path:
    """A copy of WHO's PDF with an attachment changed; with `digest`, the evidence's sha256 in the metadata made to match,
    as a forger would, so that what fails is the check of what changed."""
    target = tmp_path / f"{who}.pdf"
    shutil.copy(built / "dossiers" / f"{who}.pdf", target)
    with pikepdf.open(target, allow_overwriting_input=True) as document:
        files = {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}
        name, data = change(files)
        document.attachments[name] = pikepdf.AttachedFileSpec(document, data)
        if digest and name == EVIDENCE:
            document.docinfo["/DossiersEvidenceSHA256"] = hashlib.sha256(data).hexdigest()
        document.save(target)
    return target


def test_khrenins_pdf_carries_his_eu_listing_and_verifies(built: Path):
    """The record printed (the real EU Belarus list's) is in the evidence with the values printed, the list attached."""
    path = built / "dossiers" / "khrenin.pdf"
    evidence = json.loads(attachments(path)[EVIDENCE])
    (listing,) = evidence["listings"]
    assert (listing["record"], listing["listed"], listing["authority"], listing["program"]) == (
        "eu-journal-7dd6073301262d6f-sanction", "2021-06-21", ["European Union"], ["EU-BLR"])
    assert "ended" not in listing and listing["reason"][0].startswith("In his position as Minister of Defense of Belarus")
    assert attachments(path)["eu-belarus.ftm.json"] == (PROJECT / "seeds" / "eu-belarus.ftm.json").read_bytes()
    done = run("verify", str(path))
    assert done.exit_code == 0 and "1 list record as the attached list has it" in done.stdout, done.output


def test_a_changed_byte_of_the_attached_list_fails(built: Path, tmp_path: Path):
    def flip(files):
        data = files["eu-belarus.ftm.json"].replace(b"2021-06-21", b"2021-06-22", 1)
        return "eu-belarus.ftm.json", data

    done = run("verify", str(tampered(built, tmp_path, flip, "khrenin")))
    assert done.exit_code == 1 and "source eu-belarus-list: the attached eu-belarus.ftm.json has sha256" in done.stdout, done.output


def test_a_listing_record_changed_in_the_evidence_fails_against_the_attached_list(built: Path, tmp_path: Path):
    """Even with the evidence's digest forged to match, a record whose values are not the list's fails, named."""
    def redate(files):
        evidence = json.loads(files[EVIDENCE])
        evidence["listings"][0]["listed"] = "2020-06-21"
        evidence["listings"][0]["reason"] = ["Something else."]
        return EVIDENCE, json.dumps(evidence).encode("utf-8")

    done = run("verify", str(tampered(built, tmp_path, redate, "khrenin", digest=True)))
    assert done.exit_code == 1
    assert "listing eu-journal-7dd6073301262d6f-sanction of eu-belarus-list: its reason, listed in the evidence are not the attached list's" in done.stdout, done.output

    def unknown(files):
        evidence = json.loads(files[EVIDENCE])
        evidence["listings"][0]["record"] = "eu-journal-0000000000000000-sanction"
        return EVIDENCE, json.dumps(evidence).encode("utf-8")

    done = run("verify", str(tampered(built, tmp_path, unknown, "khrenin", digest=True)))
    assert done.exit_code == 1 and "the attached list holds no such Sanction record" in done.stdout, done.output


def test_a_changed_byte_of_an_attached_source_fails_and_is_named(built: Path, tmp_path: Path):
    def flip(files):
        name = next(n for n in files if n.endswith(".txt"))
        data = bytearray(files[name])
        data[100] ^= 0x20
        return name, bytes(data)

    done = run("verify", str(tampered(built, tmp_path, flip)))
    assert done.exit_code == 1
    assert "FAILED" in done.stdout and "source sheiman-harare-visit: the attached 003_1741a1b77b0aa551.txt has sha256" in done.stdout


def test_a_changed_quote_in_the_evidence_fails_and_names_the_claim(built: Path, tmp_path: Path):
    def reword(files):
        evidence = json.loads(files[EVIDENCE])
        citation = evidence["claims"][0]["citations"][0]
        citation["quote"] = citation["quote"].replace("Sheiman", "Shayman", 1) if "Sheiman" in citation["quote"] else citation["quote"] + " too"
        return EVIDENCE, json.dumps(evidence).encode("utf-8")

    done = run("verify", str(tampered(built, tmp_path, reword)))
    claim = json.loads(attachments(built / "dossiers" / "sheiman.pdf")[EVIDENCE])["claims"][0]["fact"]
    assert done.exit_code == 1 and f"claim {claim}: its quote from sheiman-harare-visit is not the source's text at" in done.stdout


def test_a_pdf_without_evidence_is_a_clear_error(tmp_path: Path):
    plain = tmp_path / "plain.pdf"
    pikepdf.new().save(plain)
    done = run("verify", str(plain))
    assert done.exit_code == 1 and "carries no dossiers-evidence.json" in done.stderr


def test_an_attachment_that_inflates_past_any_source_is_refused_without_reading_it_all(tmp_path: Path):
    """A zip bomb in an attachment: 64 MiB of zeros deflate to 64 KiB; verify refuses it, in its memory-limited child."""
    import zlib

    bomb = tmp_path / "bomb.pdf"
    with pikepdf.new() as document:
        document.add_blank_page()
        spec = pikepdf.AttachedFileSpec(document, b"")
        document.attachments[EVIDENCE] = spec
        stream = spec.obj.EF.F
        stream.write(zlib.compress(b"\0" * (64 * 2**20), 9), filter=pikepdf.Name.FlateDecode)
        document.save(bomb)
    assert bomb.stat().st_size < 1 << 20
    done = run("verify", str(bomb))
    assert done.exit_code == 1 and "larger than 32 MiB, more than any source" in done.stderr


def test_a_template_that_rewords_the_claims_is_warned_of_and_its_pdf_fails_verify(project: Path, tmp_path: Path):
    """The evidence holds the claims as the registry words them; a template that prints them otherwise makes a PDF
    whose claims cannot be found on its pages: the build says so, and verify names each claim."""
    (project / "templates").mkdir()
    macros = (PROJECT / "templates" / "macros.html.j2").read_text("utf-8")
    assert macros.count("{{- w.text }}") == 1
    (project / "templates" / "macros.html.j2").write_text(macros.replace("{{- w.text }}", "{{- w.text | upper }}"), "utf-8")
    done = run("build", "putin", "--root", str(project), "--out", str(tmp_path / "out"), "--format", "pdf", "--jobs", "1")
    assert done.exit_code == 0 and "Warning: dossiers/putin.pdf does not print 2 of its claims as the registry words them" in done.stderr, done.output
    done = run("verify", str(tmp_path / "out" / "dossiers" / "putin.pdf"))
    assert done.exit_code == 1 and "is in the evidence but printed on no page" in done.stdout, done.output
