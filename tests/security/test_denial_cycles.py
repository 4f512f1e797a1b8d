"""Attack: a denial that denies itself, or two that deny each other, passed check and crashed build."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import position, replace, run

DENIAL = "\n  - id: {id}\n    actors: [lukashenko]\n    kind: denial\n    denies: [{target}]\n    text: Denied.\n    citations:\n      - source: zimmail-2023-11-02\n        quote: accusations that Lukashenko and Mnangagwa have denied.\n"


def errors(root: Path) -> list[dict]:
    found = json.loads(run("check", "--root", str(root), "--format", "json").stdout)
    return [p for p in found if p["severity"] == "error"]


def test_a_denial_of_itself_is_an_error_at_its_denies(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    denies: [lukashenko-mnangagwa-accused-of-corruption, mnangagwa-accused-of-corruption-and-rights-violations]\n",
            "    denies: [lukashenko-mnangagwa-deny-corruption]\n")
    [error] = errors(project)
    assert error["code"] == "denial-cycle" and "denies itself" in error["message"]
    assert error["line"] == position(registry, "denies: [lukashenko-mnangagwa-deny-corruption]")[0]
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 1 and "denial-cycle" in result.stderr and "Traceback" not in result.stderr


def test_two_denials_denying_each_other_are_both_errors(project: Path):
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    cut = text.index("\nwaivers:") if "\nwaivers:" in text else len(text)
    registry.write_text(text[:cut].rstrip("\n") + "\n" + DENIAL.format(id="deny-a", target="deny-b") + DENIAL.format(id="deny-b", target="deny-a") + text[cut:], "utf-8")
    found = errors(project)
    assert sorted(p["code"] for p in found) == ["denial-cycle", "denial-cycle"]


def test_an_ordinary_denial_passes(project: Path):
    assert errors(project) == []
