"""YAML hints name the real cause of the commonest quoting mistakes, and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import replace, run

QUOTE = "        quote: Lukashenko has been in power since 1994."


@pytest.mark.parametrize(("wrong", "hint"), [
    ("        quote: 'met Zimbabwe's Minister'", "an apostrophe inside a single-quoted value ends it early: write the apostrophe twice"),
    ('        quote: "signed a plan" of military', "text after the closing quotation mark: quote the whole value"),
    ("          quote: Lukashenko has been in power since 1994.", "this key is indented 10 spaces where the key above it has 8: line it up with 'source'"),
])
def test_the_hint_names_the_real_cause(project: Path, wrong: str, hint: str):
    replace(project / "actors.yaml", QUOTE, wrong)
    [problem] = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    assert problem["code"] == "yaml-syntax" and hint in problem["message"], problem["message"]
    assert "not indented like the lines around it" not in problem["message"]
