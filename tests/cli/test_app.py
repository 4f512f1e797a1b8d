"""The commands: each asks only for the stage it needs, and every failure is one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

import dossiers
from conftest import PROJECT, replace, run
from dossiers.cli import app as cli


def break_a_quote(project: Path) -> None:
    replace(project / "actors.yaml", "quote: Lukashenko has been in power since 1994.", "quote: Lukashenko has ruled since 1994.")


def test_cite_works_while_another_quote_is_broken(project: Path):
    break_a_quote(project)
    assert run("check", "--root", str(project)).exit_code == 1
    result = run("cite", "zimmail-2023-11-02", "Lukashenko has been in power since 1994", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert 'quote: "Lukashenko has been in power since 1994' in result.stdout


def test_screen_needs_only_the_names(project: Path, tmp_path: Path):
    (project / "seeds" / "sources.yaml").write_text("sources: [broken\n", "utf-8")
    entities = tmp_path / "entities.jsonl"
    entities.write_text('{"id": "x", "schema": "Person", "properties": {"name": ["Viktor Sheiman"]}}\n', "utf-8")
    result = run("screen", str(entities), "--root", str(project))
    assert result.exit_code == 0, result.output
    assert "Viktor Sheiman (sheiman): 1 candidate" in result.stdout


@pytest.mark.parametrize("command", [["coverage"], ["export"], ["build", "shava"]])
def test_commands_that_need_a_clean_check_say_so(project: Path, command: list[str]):
    break_a_quote(project)
    result = run(*command, "--root", str(project))
    assert result.exit_code == 1 and result.stdout == ""
    assert "error: the registry does not pass the check" in result.stderr
    assert "actors.yaml:" in result.stderr and "quote-not-found" in result.stderr


def test_a_bad_request_lists_the_valid_choices():
    result = run("build", "--root", str(PROJECT), "--format", "md,xml", "--out", "/nonexistent/never")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: unknown format xml; choose from: md, pdf, html"
    unknown = run("cite", "nope", "words", "--root", str(PROJECT))
    assert unknown.exit_code == 1 and "choose from: eu-belarus-list, lukashenko-harare-visit, sheiman-harare-visit, zimmail-2023-11-02" in unknown.stderr


def test_anything_unexpected_is_one_line_that_says_how_to_see_more(monkeypatch, capsys):
    def crash(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("dossiers.reports.export.export", crash)
    monkeypatch.delenv("DOSSIERS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as done:
        cli.run(["export", "--root", str(PROJECT)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == "internal error: ZeroDivisionError: division by zero. Run with DOSSIERS_DEBUG=1 for the traceback, and please report it."
    monkeypatch.setenv("DOSSIERS_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.run(["export", "--root", str(PROJECT)])


def test_the_public_api_is_load_check_build(tmp_path: Path):
    project = dossiers.load(PROJECT)
    assert {a.id for a in project.people} >= {"lukashenko", "sheiman"}
    assert [p for p in dossiers.check(PROJECT).problems if p.is_error] == []
    written = dossiers.build(PROJECT, out=tmp_path, ids=["shava"], formats=["md"])
    assert written == [tmp_path / "dossiers" / "shava.md"]
    with pytest.raises(dossiers.errors.BadRequest):
        dossiers.build(PROJECT, out=tmp_path, ids=["nobody"], formats=["md"])
