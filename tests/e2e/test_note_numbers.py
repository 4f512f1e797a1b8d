"""Note numbers in the PDFs read back: a comma between adjacent notes of one group, never across the words between groups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.parametrize("name", ["dossiers/sheiman.pdf", "briefing-pack.pdf"])
def test_a_comma_separates_note_numbers_of_one_group_only(built: Path, name: str):
    """'(according to NewsDay 10; S2 11; Frederick Shava, as cited by NewsDay 12,13,14)': the comma between adjacent
    notes must not reach across the words between groups."""
    text = pdf_text(built / name)
    assert not re.findall(r"\S{0,12} ,\d+", text), "a comma before a note number that follows words"
    assert re.search(r"according to NewsDay ?\d+; S2 ?\d+; Frederick Shava, as cited by NewsDay ?\d+,\d+,\d+\)", text)
    assert re.search(r"[.”)]\d+,\d+(,\d+)*", text), "adjacent notes are still separated by commas"
