"""CSV injection: no cell of `export --format csv` begins, even after white space, with what a spreadsheet runs (OWASP)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import replace, run

HOSTILE = [
    "=1+2",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "|cmd",
    " =1+2",
    "   +cmd|' /C calc'!A0",
    "\u00a0=1+2",  # no-break space
    "\u3000=1+2",  # ideographic space
    "\uff1d1+2",  # ＝
    "\uff0b1+2",  # ＋
    "\uff0d1+2",  # －
    "\uff20SUM(A1:A2)",  # ＠
    "\uff5ccmd",  # ｜
    "\t=1+2",
    "\tplain words",
    "\n=1+2",
    " \n -1",
]
HARMLESS = ["Zimbabwe's foreign affairs minister.", "a=b", "1-2", "'quoted"]


def exported_text(project: Path, text: str) -> str:
    """The CSV cell that holds `text` as the text of the fact shava-foreign-minister."""
    replace(project / "actors.yaml", "    text: Zimbabwe's foreign affairs minister.", f"    text: {json.dumps(text)}")
    result = run("export", "--root", str(project), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    return next(row[5] for row in rows if row[0] == "shava-foreign-minister")


@pytest.mark.parametrize("text", HOSTILE, ids=[json.dumps(t) for t in HOSTILE])
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(project: Path, text: str):
    assert exported_text(project, text) == "'" + text


def test_a_carriage_return_is_shown_so_it_begins_no_cell(project: Path):
    assert exported_text(project, "\r=1+2") == "⟨U+000D⟩=1+2"


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_as_it_is(project: Path, text: str):
    assert exported_text(project, text) == text
