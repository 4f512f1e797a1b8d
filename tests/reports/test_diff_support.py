"""`dossiers diff` lists where a changed fact's quotes may not carry its claim."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import replace, run


def test_diff_lists_the_support_warnings_of_a_changed_fact(project: Path):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    replace(project / "actors.yaml", "demonstrators, arresting more than 35,000 people", "demonstrators, arresting more than 36,000 people")
    report = json.loads(run("diff", "main", "--root", str(project), "--format", "json").stdout)
    [change] = [c for c in report["changes"] if c["id"] == "lukashenko-crackdown-on-protesters-2020"]
    assert [w.split(":")[0] for w in change["warnings"]] == ["claim-number-unquoted"]
    assert "⚠️ claim-number-unquoted\\: 36,000 appears" in run("diff", "main", "--root", str(project)).stdout
    assert "warning claim-number-unquoted: 36,000 appears" in run("diff", "main", "--root", str(project), "--format", "text").stdout


def test_diff_reports_waivers_and_fails_on_a_quote_that_does_not_verify(project: Path):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8") + (
        "\nwaivers:\n  - source: lukashenko-harare-visit\n    quote: Around 5,000 people chanting slogans\n    reason: Crowd size, not a claim about an actor.\n"
    ), "utf-8")
    result = run("diff", "main", "--root", str(project))
    assert result.exit_code == 0
    flagged = result.stdout.split("### ⚠️ Sanctions, allegations, denials and waivers")[1].split("<details>")[0]
    assert "**added** waiver `lukashenko-harare-visit`: Around 5,000 people chanting slogans" in flagged
    assert "Waivers: 1 added, 0 removed" in result.stdout
    replace(registry, "quote: Lukashenko has been in power since 1994.", "quote: Lukashenko has ruled since 1994.")
    assert run("diff", "main", "--root", str(project)).exit_code == 1
    assert run("diff", "main", "--root", str(project), "--format", "json").exit_code == 1
