"""JSON nested deeper than Python's stack ('[' × 200,000), wherever a pull request or a stranger's PDF can put JSON.

json.loads raises RecursionError on it, which no `except ValueError` catches: `verify` of a PDF whose
attached evidence was such a file ended in "internal error: RecursionError". Each reader of
JSON from outside treats it as what it is, data that is not what dossiers writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from conftest import run
from dossiers.errors import UserError
from dossiers.output.pack_pdf import Piece
from dossiers.pipeline.manifest import Manifest
from dossiers.reports.screen import _entity
from dossiers.views.evidence import EVIDENCE_NAME

DEEP = "[" * 200_000 + "]" * 200_000


def test_verify_says_deep_evidence_is_not_dossiers_evidence(tmp_path: Path):
    pdf = tmp_path / "deep.pdf"
    with pikepdf.new() as document:
        document.add_blank_page()
        document.attachments[EVIDENCE_NAME] = pikepdf.AttachedFileSpec(document, DEEP.encode())
        document.save(pdf)
    done = run("verify", str(pdf))
    assert done.exit_code == 1 and "is not the evidence dossiers writes" in done.output, done.output


def test_verify_says_a_deep_manifest_is_not_a_manifest(tmp_path: Path):
    (tmp_path / "manifest.json").write_text(DEEP)
    done = run("verify", str(tmp_path))
    assert done.exit_code == 1 and "is not a manifest dossiers writes" in done.output, done.output


def test_a_committed_deep_manifest_is_read_as_no_manifest(tmp_path: Path):
    (tmp_path / "manifest.json").write_text(json.dumps({"outputs": {}})[:-1] + ', "x": ' + DEEP + "}")
    assert Manifest.read(tmp_path).outputs == {}


def test_a_deep_pack_piece_is_not_a_piece():
    with pytest.raises(ValueError):
        Piece.from_bytes(DEEP.encode() + b"\n%PDF-1.7")


def test_a_deep_line_of_a_list_file_is_a_user_error(tmp_path: Path):
    with pytest.raises(UserError, match="nested too deep"):
        _entity(tmp_path / "list.json", 3, DEEP)
