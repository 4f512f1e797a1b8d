"""Forged evidence in an unsigned PDF: each tamper of issue 26 that `dossiers verify` once passed now fails, named.

A source edited with its hashes recomputed, a page overlaid, a page removed, a foreign PDF
carrying the attachments, a claim dropped from the evidence, the evidence emptied: each is
caught by comparing the evidence with the pages as extracted, or with /DossiersEvidenceSHA256.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pikepdf

from conftest import run

EVIDENCE = "dossiers-evidence.json"
SANCTIONED = "sheiman-sanctioned-by-eu-and-us"


def rewritten(built: Path, tmp_path: Path, change, fix_digest: bool = True) -> Path:
    """sheiman.pdf with `change(document, files)` applied: it edits the document and returns the attachments to write back,
    and (as a careful forger would) the /DossiersEvidenceSHA256 recomputed."""
    target = tmp_path / "sheiman.pdf"
    shutil.copy(built / "dossiers" / "sheiman.pdf", target)
    with pikepdf.open(target, allow_overwriting_input=True) as document:
        files = {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}
        for name, data in change(document, files).items():
            document.attachments[name] = pikepdf.AttachedFileSpec(document, data)
        if fix_digest:
            document.docinfo["/DossiersEvidenceSHA256"] = hashlib.sha256(bytes(document.attachments[EVIDENCE].get_file().read_bytes())).hexdigest()
        document.save(target)
    return target


def evidence_of(files: dict[str, bytes]) -> dict:
    return json.loads(files[EVIDENCE])


def test_an_edited_source_with_its_hashes_and_quotes_recomputed_fails_naming_the_claim(built: Path, tmp_path: Path):
    """"EU … and US sanctions" becomes "UK sanctions" in the attached source; quotes, offsets, sha256, the claim's words and
    the metadata's digest are all recomputed: the evidence is consistent with itself, not with what the pages print."""

    def forge(document, files):
        evidence = evidence_of(files)
        (source,) = [s for s in evidence["sources"] if s["format"] != "ftm"]  # the article; the list is attached beside it
        edits = [("European Union (EU) and US sanctions", "UK sanctions"), ("The EU and US sanctioned", "The UK sanctioned")]
        text = files[source["file"]].decode("utf-8")
        for old, new in edits:
            assert old in text
            text = text.replace(old, new)
        for claim in evidence["claims"]:
            if claim["fact"] == SANCTIONED:
                claim["text"] = claim["text"].replace("the European Union and the United States", "the United Kingdom")
            for citation in claim["citations"]:
                quote = citation["quote"]
                for old, new in edits:
                    quote = quote.replace(old, new)
                citation["quote"], citation["start"] = quote, text.index(quote)
                citation["end"] = citation["start"] + len(quote)
        data = text.encode("utf-8")
        source["sha256"] = hashlib.sha256(data).hexdigest()
        return {source["file"]: data, EVIDENCE: json.dumps(evidence).encode("utf-8")}

    done = run("verify", str(rewritten(built, tmp_path, forge)))
    assert done.exit_code == 1, done.output
    assert f"fails: page 1 does not print claim {SANCTIONED} as the evidence has it" in done.stdout, done.stdout
    assert f"does not print quote 1 of claim {SANCTIONED} as the evidence has it" in done.stdout, done.stdout
    assert "15 quotes verified" in done.stdout, "the forged quotes match the forged source: only the pages tell"


def overlay(document, page_number: int, text: str) -> None:
    """Paint a white box over the page and write `text` on it, as a forger who edits a PDF by hand would."""
    page = document.pages[page_number - 1]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.add_resource(document.make_indirect(font), pikepdf.Name.Font, name=pikepdf.Name("/Forged"))
    page.contents_add(document.make_stream(f"q 1 1 1 rg 40 500 520 300 re f 0 0 0 rg BT /Forged 24 Tf 60 700 Td ({text}) Tj ET Q".encode()))


def test_an_overlaid_page_fails_and_is_named(built: Path, tmp_path: Path):
    def forge(document, files):
        overlay(document, 1, "FORGED: no sanctions at all")
        return {}

    done = run("verify", str(rewritten(built, tmp_path, forge)))
    assert done.exit_code == 1, done.output
    assert "fails: page 1 prints text the evidence does not account for" in done.stdout, done.stdout


def test_a_removed_page_fails_naming_the_page(built: Path, tmp_path: Path):
    def forge(document, files):
        del document.pages[1]
        return {}

    done = run("verify", str(rewritten(built, tmp_path, forge)))
    assert done.exit_code == 1, done.output
    assert "fails: the PDF has 5 pages where 6 were built: page 2 as built is missing" in done.stdout, done.stdout


def test_a_foreign_pdf_carrying_the_attachments_fails(built: Path, tmp_path: Path):
    with pikepdf.open(built / "dossiers" / "sheiman.pdf") as genuine:
        files = {name: spec.get_file().read_bytes() for name, spec in genuine.attachments.items()}
        digest = str(genuine.docinfo["/DossiersEvidenceSHA256"])
        pages = len(genuine.pages)
    foreign = tmp_path / "foreign.pdf"
    with pikepdf.new() as document:
        for _ in range(pages):
            document.add_blank_page()
        overlay(document, 1, "Viktor Sheiman: no sanctions")
        for name, data in files.items():
            document.attachments[name] = pikepdf.AttachedFileSpec(document, data)
        document.docinfo["/DossiersEvidenceSHA256"] = digest
        document.save(foreign)
    done = run("verify", str(foreign))
    assert done.exit_code == 1, done.output
    assert "fails: page 1 does not print claim" in done.stdout, done.stdout
    assert f"fails: claim {SANCTIONED} is in the evidence but printed on no page" in done.stdout, done.stdout


def test_a_claim_dropped_from_the_evidence_fails_naming_it_and_its_page(built: Path, tmp_path: Path):
    def drop(document, files):
        evidence = evidence_of(files)
        evidence["claims"] = [claim for claim in evidence["claims"] if claim["fact"] != SANCTIONED]
        return {EVIDENCE: json.dumps(evidence).encode("utf-8")}

    done = run("verify", str(rewritten(built, tmp_path, drop)))
    assert done.exit_code == 1 and f"fails: page 1 prints claim {SANCTIONED}, which the evidence does not hold" in done.stdout, done.output


def test_a_claim_dropped_with_its_marks_fails_on_the_page_that_prints_it(built: Path, tmp_path: Path):
    printing = []  # the pages that print the claim or its quotes, as the evidence marked them

    def drop(document, files):
        evidence = evidence_of(files)
        evidence["claims"] = [claim for claim in evidence["claims"] if claim["fact"] != SANCTIONED]
        for number, page in enumerate(evidence["pages"], 1):
            kept = [mark for mark in page["marks"] if mark[0].split("#")[0] != SANCTIONED]
            if len(kept) < len(page["marks"]):
                printing.append(number)
            page["marks"] = kept
        return {EVIDENCE: json.dumps(evidence).encode("utf-8")}

    done = run("verify", str(rewritten(built, tmp_path, drop)))
    assert done.exit_code == 1, done.output
    assert len(printing) >= 2 and printing[0] == 1, "the claim on page 1, its quotes in the appendix"
    for number in printing:
        assert f"fails: page {number} prints text the evidence does not account for" in done.stdout, done.stdout


def test_emptied_evidence_fails(built: Path, tmp_path: Path):
    def empty(document, files):
        evidence = evidence_of(files) | {"claims": [], "sources": [], "pages": [{"marks": [], "rest": ""}] * len(evidence_of(files)["pages"])}
        return {EVIDENCE: json.dumps(evidence).encode("utf-8")}

    done = run("verify", str(rewritten(built, tmp_path, empty)))
    assert done.exit_code == 1, done.output
    assert "0 claims" in done.stdout and "fails: its dossiers-evidence.json holds no claims" in done.stdout, done.stdout
    assert "fails: page 1 prints text the evidence does not account for" in done.stdout, done.stdout


def test_evidence_replaced_without_its_digest_fails_on_the_digest(built: Path, tmp_path: Path):
    def reformat(document, files):
        return {EVIDENCE: json.dumps(evidence_of(files), indent=2).encode("utf-8")}  # the same evidence, other bytes

    done = run("verify", str(rewritten(built, tmp_path, reformat, fix_digest=False)))
    assert done.exit_code == 1, done.output
    assert "fails: its /DossiersEvidenceSHA256 is" in done.stdout and "the evidence was replaced after the build" in done.stdout, done.stdout


def test_an_unsigned_pdf_is_said_to_be_so_and_fails_when_a_signature_is_required(built: Path):
    pdf = str(built / "dossiers" / "sheiman.pdf")
    done = run("verify", pdf)
    assert done.exit_code == 0 and "note: not signed: consistent, but anyone could have made it" in done.stdout, done.stdout
    done = run("verify", "--require-signature", pdf)
    assert done.exit_code == 1 and "fails: not signed: consistent, but anyone could have made it (--require-signature)" in done.stdout, done.stdout
