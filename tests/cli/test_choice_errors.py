"""The console script's own words for a bad choice: click's, without typer's "Value error, " prefix; and its exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from conftest import PROJECT
from dossiers.cli.app import app, run


def test_a_bad_choice_names_the_choices_plainly():
    done = subprocess.run([sys.executable, "-c", "from dossiers.cli.app import run; run()", "export", "--format", "xml"], capture_output=True, text=True)
    assert done.returncode == 1, "a user error, as docs/commands/index.md says: 2 is for a bug"
    assert done.stderr.strip().endswith("Error: Invalid value for '--format': 'xml' is not one of 'json', 'ftm', 'csv'.")
    assert "Value error" not in done.stderr


def test_exit_codes_pass_through_the_console_script(tmp_path):
    script = [sys.executable, "-c", "from dossiers.cli.app import run; run()"]
    assert subprocess.run([*script, "--version"], capture_output=True).returncode == 0
    assert subprocess.run([*script, "check", "--root", str(tmp_path)], capture_output=True).returncode == 1


@pytest.mark.parametrize("args", [
    ["export", "--format", "xml"], ["schema", "nope"], ["build", "--jobs", "0"], ["check", "--no-such-option"], ["no-such-command"], ["verify"],
])
def test_every_usage_error_exits_1_as_every_user_error_does(args: list[str], capsys):
    with pytest.raises(SystemExit) as done:
        run(args)
    assert done.value.code == 1
    assert "Error: " in capsys.readouterr().err


def test_the_docs_name_the_commands_that_take_no_root():
    """Every command takes --root but those the commands page names, which read no project."""
    commands = typer.main.get_command(app).commands
    without = sorted(name for name, command in commands.items() if "--root" not in [o for p in command.params for o in p.opts])
    assert without == ["new", "schema", "verify"]
    page = (PROJECT / "docs" / "commands" / "index.md").read_text("utf-8")
    assert "Every command but `new`, `schema` and `verify` (which read no project) takes `--root DIR`" in page
