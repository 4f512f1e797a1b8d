"""`dossiers diff` lists where a changed fact's quotes may not carry its claim."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import position, replace, run


def test_diff_lists_the_support_warnings_of_a_changed_fact(project: Path):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    replace(project / "actors.yaml", "demonstrators, arresting more than 35,000 people", "demonstrators, arresting more than 36,000 people")
    report = json.loads(run("diff", "main", "--root", str(project), "--format", "json").stdout)
    [change] = [c for c in report["changes"] if c["id"] == "lukashenko-crackdown-on-protesters-2020"]
    text_line, col = position(project / "actors.yaml", "After the contested 2020 vote, which resulted in mass protests")
    open_warning, waived = change["warnings"]
    assert open_warning == (f"claim-number-unquoted (actors.yaml:{text_line}:{col}, text): 36,000 appears in none of this fact's quotes (they give: 2020, 35,000, thousands): "
                            "cite the words that give it, or say in 'dateNote' how a year was derived")
    assert waived.startswith("attribution-unquoted (") and " waived: the paragraph ends 'according to The Associated Press'" in waived, "the fact's waiver is listed as such"
    assert f"⚠️ claim-number-unquoted (actors.yaml\\:{text_line}\\:{col}, text)\\: 36,000 appears" in run("diff", "main", "--root", str(project)).stdout
    assert f"warning claim-number-unquoted (actors.yaml:{text_line}:{col}, text): 36,000 appears" in run("diff", "main", "--root", str(project), "--format", "text").stdout


def _committed(project: Path) -> None:
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)


def test_diff_lists_a_waiver_first_with_its_reason(project: Path):
    _committed(project)
    replace(project / "actors.yaml", "    kind: stance\n    text: Has backed Moscow's invasion of Ukraine.\n",
            "    kind: stance\n    text: Has backed Moscow's invasion of Ukraine.\n    waive: {claim-number-unquoted: the source gives the figure in words}\n")
    report = json.loads(run("diff", "main", "--root", str(project), "--format", "json").stdout)
    first = report["changes"][0]
    assert first["id"] == "lukashenko-backs-invasion-of-ukraine" and first["flagged"]
    assert first["fields"] == [{"field": "waive", "old": {}, "new": {"claim-number-unquoted": "the source gives the figure in words"}, "items": False}]
    assert [w.split(" (")[0] for w in first["warnings"]] == ["waiver-unused"], "the figure is quoted: the waiver judges nothing"
    flagged = run("diff", "main", "--root", str(project)).stdout.split("### ⚠️ Sanctions, allegations, denials and waivers")[1].split("<details>")[0]
    assert "waive: \\- → claim-number-unquoted\\: the source gives the figure in words" in flagged
    assert "waive: - -> claim-number-unquoted: the source gives the figure in words" in run("diff", "main", "--root", str(project), "--format", "text").stdout


def test_diff_shows_actors_swapped(project: Path):
    _committed(project)
    replace(project / "actors.yaml", "    actors: [sergei-sheiman, sheiman]\n", "    actors: [sheiman, sergei-sheiman]\n")
    report = json.loads(run("diff", "main", "--root", str(project), "--format", "json").stdout)
    [change] = [c for c in report["changes"] if c["id"] == "sergei-sheiman-son-of-viktor-sheiman"]
    assert change["fields"] == [{"field": "actors", "old": ["sergei-sheiman", "sheiman"], "new": ["sheiman", "sergei-sheiman"], "items": False}]
    assert [w.split(" (")[0] for w in change["warnings"]] == ["relationship-direction"]
    assert "actors: sergei-sheiman, sheiman -> sheiman, sergei-sheiman" in run("diff", "main", "--root", str(project), "--format", "text").stdout


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
