"""The console script's own words for a bad choice: click's, without typer's "Value error, " prefix."""

from __future__ import annotations

import subprocess
import sys


def test_a_bad_choice_names_the_choices_plainly():
    done = subprocess.run([sys.executable, "-c", "from dossiers.cli.app import run; run()", "export", "--format", "xml"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("Error: Invalid value for '--format': 'xml' is not one of 'json', 'ftm', 'csv'.")
    assert "Value error" not in done.stderr


def test_exit_codes_pass_through_the_console_script(tmp_path):
    script = [sys.executable, "-c", "from dossiers.cli.app import run; run()"]
    assert subprocess.run([*script, "--version"], capture_output=True).returncode == 0
    assert subprocess.run([*script, "check", "--root", str(tmp_path)], capture_output=True).returncode == 1
