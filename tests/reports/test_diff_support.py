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
