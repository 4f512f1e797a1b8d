"""present: every text a command prints, and the one way errors are shown."""

from __future__ import annotations

from pathlib import Path

from dossiers.cli.present import error_text, excerpt, internal_error, problems_github, problems_text, summary
from dossiers.errors import BadRequest, GitError, Problem, UserError

PROBLEM = Problem("actors.yaml", 2, 9, "error", "quote-not-found", "the quote is not in the source")


def test_problem_text_names_file_line_column_and_shows_the_line(tmp_path: Path):
    (tmp_path / "actors.yaml").write_text("facts:\n  quote: made up\n", "utf-8")
    text = problems_text([PROBLEM], tmp_path)
    assert text.splitlines()[0] == f"{tmp_path}/actors.yaml:2:9: error quote-not-found: the quote is not in the source"
    assert " 2 |   quote: made up\n   |         ^" in text
    assert text.endswith("1 error, 0 warnings.")
    assert summary([]) == "No problems found."


def test_untrusted_text_cannot_start_a_line_or_drive_the_terminal(tmp_path: Path):
    hostile = Problem("actors.yaml", 1, 1, "error", "x", "bad\n::error::forged \x1b[31mred\x1b]8;;http://x\x07")
    text = problems_text([hostile], tmp_path, context=False)
    assert len(text.splitlines()) == 2
    assert "\x1b" not in text and "\x07" not in text and "⟨U+001B⟩" in text and "⟨U+000A⟩::error::forged" in text
    annotation = problems_github([hostile], tmp_path)
    assert annotation.count("\n") == 0 and "%0A::error::forged" in annotation
    assert excerpt(["a\x1b[2Jb"], 1, 1).startswith(" 1 | a⟨U+001B⟩[2Jb")


def test_errors_of_the_family_are_one_clear_message():
    assert error_text(BadRequest("unknown format xml", ["md", "pdf", "html"]), Path(".")) == "error: unknown format xml; choose from: md, pdf, html"
    assert error_text(GitError("'nope' is not a revision"), Path(".")) == "error: 'nope' is not a revision"
    located = error_text(UserError("the registry does not load", [PROBLEM]), Path("."))
    assert located.splitlines()[0] == "error: the registry does not load"
    assert "actors.yaml:2:9: error quote-not-found" in located
    assert "DOSSIERS_DEBUG=1" in internal_error(ZeroDivisionError("division by zero"))
