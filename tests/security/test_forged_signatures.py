"""Signed PDFs and build folders (PAdES and CMS with pyHanko), and the forgeries `dossiers verify` must catch: an annotation
added after signing, a signer not under --trust, an expired certificate, a PDF re-signed by another key, a second signature,
a file of a signed build changed; and a key that a pull request could bring, refused. A test PKI and a timestamp
authority on 127.0.0.1 stand in for real ones (tests/pki.py)."""

from __future__ import annotations

import json
import shutil
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest

from conftest import PROJECT, run
from pki import PASSPHRASE, SIGNER, make_pki, timestamp_authority

EVIDENCE = "dossiers-evidence.json"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def key(path: Path, timestamp: str | None = None):
    from dossiers.pipeline.signing import signing_key

    return signing_key(PROJECT, path, timestamp)


@pytest.fixture(scope="module")
def signed(pki, tmp_path_factory) -> Path:
    """Sheiman's dossier, Markdown and PDF, built and signed with the test signer's key (PAdES B-B)."""
    from dossiers.pipeline.build import build

    out = tmp_path_factory.mktemp("signed") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
        build(PROJECT, out=out, ids=["sheiman"], formats=["md", "pdf"], pack=None, jobs=1, sign=key(pki.signer))
    return out


def verify(*args) -> tuple[int, str]:
    done = run("verify", *map(str, args))
    return done.exit_code, done.stdout + done.stderr


def test_a_signed_pdf_verifies_and_says_who_signed_and_whether_they_are_trusted(signed: Path, pki):
    pdf = signed / "dossiers" / "sheiman.pdf"
    code, said = verify(pdf)
    assert code == 0, said
    assert f"signed by {SIGNER} (dossiers tests), not checked against a trust anchor, PAdES B-B, at " in said
    assert "give --trust CERT to check the signer" in said and "9 claims on 6 pages, 15 quotes verified" in said
    code, said = verify("--trust", pki.ca, "--require-signature", pdf)
    assert code == 0 and ", trusted, PAdES B-B" in said and "note:" not in said, said


def test_the_signature_is_appended_last_to_the_unsigned_pdf_which_stays_reproducible(signed: Path, built: Path):
    """The same inputs give the same unsigned bytes; signing appends an update that covers them and the signature."""
    unsigned = (built / "dossiers" / "sheiman.pdf").read_bytes()
    data = (signed / "dossiers" / "sheiman.pdf").read_bytes()
    assert data.startswith(unsigned) and len(data) > len(unsigned)


def annotated(pdf: Path, target: Path) -> Path:
    """The signed PDF with a text annotation added to page 1 in an incremental update, as a reader's 'comment' tool does."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf.read_bytes()), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    note = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"), generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject(map(generic.NumberObject, (40, 700, 500, 760))),
        generic.NameObject("/Contents"): generic.TextStringObject("FORGED: no sanctions at all"),
        generic.NameObject("/DA"): generic.TextStringObject("/Helv 24 Tf 0 g"),
    })
    writer.register_annotation(page_ref, writer.add_object(note))
    out = BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return target


def test_an_annotation_added_after_signing_fails(signed: Path, tmp_path: Path, pki):
    forged = annotated(signed / "dossiers" / "sheiman.pdf", tmp_path / "sheiman.pdf")
    code, said = verify("--trust", pki.ca, forged)
    assert code == 1, said
    assert "fails: the PDF was changed after it was signed, by an incremental update" in said


def test_bytes_appended_after_the_signature_fail(signed: Path, tmp_path: Path, pki):
    forged = tmp_path / "sheiman.pdf"
    forged.write_bytes((signed / "dossiers" / "sheiman.pdf").read_bytes() + b"\n1 0 obj\n<< /Forged true >>\nendobj\n")
    code, said = verify("--trust", pki.ca, forged)
    assert code == 1 and "fails: the PDF was changed after it was signed: bytes were added after what the signature covers" in said, said


def test_a_signer_not_under_trust_fails(signed: Path, pki):
    code, said = verify("--trust", pki.forger_ca, signed / "dossiers" / "sheiman.pdf")
    assert code == 1, said
    assert f"fails: the signer {SIGNER} (dossiers tests) (certificate SHA-256" in said and "is not trusted" in said


def resign(pdf: bytes, key_file: Path, change=None) -> bytes:
    """What a forger with another key does: take the unsigned PDF, change it (keeping its evidence consistent), sign it."""
    from dossiers.output.printed import page_records, page_texts, printed_texts
    from dossiers.output.signing import sign_pdf

    if change is not None:
        with pikepdf.open(BytesIO(pdf)) as document:
            change(document)
            evidence = json.loads(document.attachments[EVIDENCE].get_file().read_bytes())
            drawn = BytesIO()
            document.save(drawn)
            evidence["pages"] = page_records(page_texts(drawn.getvalue()), printed_texts(evidence))
            claims = json.dumps(evidence).encode("utf-8")
            document.attachments[EVIDENCE] = pikepdf.AttachedFileSpec(document, claims)
            import hashlib

            document.docinfo["/DossiersEvidenceSHA256"] = hashlib.sha256(claims).hexdigest()
            out = BytesIO()
            document.save(out)
            pdf = out.getvalue()
    return sign_pdf(pdf, key(key_file))


def test_a_pdf_re_signed_by_another_key_with_the_signers_name_fails_under_trust(built: Path, tmp_path: Path, pki, monkeypatch):
    from test_forged_evidence import overlay

    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    forged = tmp_path / "sheiman.pdf"
    forged.write_bytes(resign((built / "dossiers" / "sheiman.pdf").read_bytes(), pki.forger, lambda document: overlay(document, 1, "FORGED: no sanctions at all")))
    code, said = verify(forged)
    assert code == 0 and f"signed by {SIGNER} (dossiers tests)" in said, "without a trust anchor, a consistent forgery passes: the name is anyone's to claim"
    code, said = verify("--trust", pki.ca, forged)
    assert code == 1 and "is not trusted" in said, said


def test_an_expired_certificate_fails(built: Path, tmp_path: Path, pki, monkeypatch):
    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    late = tmp_path / "sheiman.pdf"
    late.write_bytes(resign((built / "dossiers" / "sheiman.pdf").read_bytes(), pki.expired))
    code, said = verify(late)
    assert code == 1 and f"fails: the certificate of {SIGNER} (dossiers tests) expired on " in said, said
    assert "no timestamp shows it signed before then" in said


def test_a_second_signature_over_the_first_fails(signed: Path, tmp_path: Path, pki, monkeypatch):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner

    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    writer = IncrementalPdfFileWriter(BytesIO((signed / "dossiers" / "sheiman.pdf").read_bytes()), strict=False)
    metadata = PdfSignatureMetadata(field_name="Countersignature", subfilter=fields.SigSeedSubFilter.PADES)
    over = tmp_path / "sheiman.pdf"
    over.write_bytes(PdfSigner(metadata, signer=key(pki.forger).signer).sign_pdf(writer).getvalue())
    code, said = verify("--trust", pki.ca, over)
    assert code == 1 and "fails: it carries 2 signatures where dossiers signs once" in said, said


def test_a_timestamped_build_is_pades_b_t_from_the_command_line(pki, tmp_path: Path, monkeypatch, project: Path):
    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "out"
    with timestamp_authority(pki) as url:
        done = run("build", "sergei-sheiman", "--root", str(project), "--out", str(out), "--format", "pdf", "--jobs", "1", "--sign", str(pki.signer), "--timestamp", url)
    assert done.exit_code == 0, done.output
    assert f"as {SIGNER} (dossiers tests) (certificate SHA-256" in done.stdout and "PAdES B-T with timestamps from http://127.0.0.1:" in done.stdout
    code, said = verify("--trust", pki.ca, "--require-signature", out / "dossiers" / "sergei-sheiman.pdf")
    assert code == 0 and ", trusted, PAdES B-T" in said and ", timestamp 20" in said and "by Dossiers Test TSA (dossiers tests)" in said, said
    code, said = verify("--trust", pki.ca, out)
    assert code == 0 and ", trusted, CMS" in said and "timestamp 20" in said, said


def test_a_signed_build_folder_verifies_and_each_change_to_it_fails(signed: Path, tmp_path: Path, pki):
    folder = tmp_path / "build"
    shutil.copytree(signed, folder)
    code, said = verify("--trust", pki.ca, "--require-signature", folder)
    assert code == 0 and ", trusted, CMS; 2 files as manifest.json records them" in said, said
    (folder / "dossiers" / "sheiman.md").write_text("# Viktor Sheiman\n\nForged.\n", "utf-8")
    (folder / "dossiers" / "extra.md").write_text("# Added\n", "utf-8")
    code, said = verify("--trust", pki.ca, folder)
    assert code == 1, said
    assert "fails: dossiers/sheiman.md does not have the sha256 manifest.json records" in said
    assert "fails: dossiers/extra.md is in the folder but not in manifest.json" in said
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["outputs"]["dossiers/sheiman.md"]["sha256"] = "0" * 64  # a forger recomputes the manifest: its signature no longer holds
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    code, said = verify("--trust", pki.ca, folder)
    assert code == 1 and "does not match the bytes it covers" in said, said


def test_an_unsigned_build_folder_verifies_its_hashes_and_fails_when_a_signature_is_required(built: Path, tmp_path: Path):
    folder = tmp_path / "build"
    shutil.copytree(built, folder, ignore=shutil.ignore_patterns("done"))  # the mark of the shared fixture
    code, said = verify(folder)
    assert code == 0 and "not signed;" in said and "files as manifest.json records them" in said, said
    code, said = verify("--require-signature", folder)
    assert code == 1 and "(--require-signature)" in said, said


def test_a_key_inside_the_project_is_refused(project: Path, tmp_path: Path, pki, monkeypatch):
    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    inside = project / "seeds" / "key.p12"
    shutil.copy(pki.signer, inside)
    done = run("build", "--root", str(project), "--sign", str(inside))
    assert done.exit_code == 1 and "the signing key" in done.stderr and "is inside the project" in done.stderr, done.output
    (tmp_path / "outside.p12").symlink_to(inside)  # a link from outside into the project leads to the project's key
    done = run("build", "--root", str(project), "--sign", str(tmp_path / "outside.p12"))
    assert done.exit_code == 1 and "is inside the project" in done.stderr, done.output


def test_the_passphrase_comes_from_the_environment_else_the_user_config(tmp_path: Path, pki, monkeypatch):
    monkeypatch.delenv("DOSSIERS_SIGN_PASSPHRASE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from dossiers.errors import UserError

    with pytest.raises(UserError, match="the passphrase is wrong"):
        key(pki.signer)
    (tmp_path / "config" / "dossiers").mkdir(parents=True)
    (tmp_path / "config" / "dossiers" / "config.toml").write_text(f'[sign]\npassphrase = "{PASSPHRASE}"\ntimestamp = "http://127.0.0.1:9/tsr"\n', "utf-8")
    assert key(pki.signer).timestamp_url == "http://127.0.0.1:9/tsr"
    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", "wrong")  # the environment wins over the config
    with pytest.raises(UserError, match="the passphrase is wrong"):
        key(pki.signer)


def test_a_user_config_inside_the_project_is_not_read(project: Path, pki, monkeypatch):
    from dossiers.errors import UserError
    from dossiers.pipeline.signing import signing_key

    monkeypatch.delenv("DOSSIERS_SIGN_PASSPHRASE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(project / "seeds"))
    (project / "seeds" / "dossiers").mkdir()
    (project / "seeds" / "dossiers" / "config.toml").write_text(f'[sign]\npassphrase = "{PASSPHRASE}"\n', "utf-8")
    with pytest.raises(UserError, match="lies inside the project"):
        signing_key(project, pki.signer)


def test_a_timestamped_signature_whose_revocation_data_can_be_had_is_pades_b_lt(tmp_path: Path, built: Path, monkeypatch):
    """The CA publishes its revocation list (on 127.0.0.1): it is fetched when signing and written after the signature,
    which verify accepts as validation data, not as a change."""
    from dossiers.output.signing import sign_pdf
    from pki import serving

    monkeypatch.setenv("DOSSIERS_SIGN_PASSPHRASE", PASSPHRASE)
    files: dict[str, bytes] = {}
    with serving(files) as base:
        pki = make_pki(tmp_path / "pki", crl=f"{base}/ca.crl")
        files["/ca.crl"] = pki.crl
        with timestamp_authority(pki) as url:
            data = sign_pdf((built / "dossiers" / "sheiman.pdf").read_bytes(), key(pki.signer, url))
    assert b"/DSS" in data and b"/CRLs" in data
    (tmp_path / "sheiman.pdf").write_bytes(data)
    code, said = verify("--trust", pki.ca, "--require-signature", tmp_path / "sheiman.pdf")
    assert code == 0 and ", trusted, PAdES B-LT" in said, said
