"""Attacks through text: terminal escapes, workflow commands on a line of their own, GitHub mentions and links."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

from markdown_it import MarkdownIt

from conftest import PROJECT, position, replace, run

ESCAPE = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 \x1b[2J\x9b31m"  # OSC hyperlink, clear screen, C1 CSI
SOURCE = "seeds/003_1741a1b77b0aa551.txt"


def registry_with(project: Path, text: str) -> Path:
    registry = project / "actors.yaml"
    replace(registry, "    text: Zimbabwe's foreign affairs minister.", f"    text: {json.dumps(text)}")
    return registry


def source_with(project: Path, insert: str) -> tuple[int, int]:
    """Put `insert` at the start of the source's third paragraph, record its new sha256; its line and column."""
    path = project / SOURCE
    text = path.read_text("utf-8")
    at = text.index("Sheiman, a subject of European Union")
    path.write_text(text[:at] + insert + " " + text[at:], "utf-8")
    old = "5e6bbc8f61ceb67a7bcdf8f23b9da22f60a76d1570f398640873b8b8495fec32"
    replace(project / "seeds" / "sources.yaml", old, hashlib.sha256(path.read_bytes()).hexdigest())
    return text.count("\n", 0, at) + 1, 1


def raw_controls(text: str) -> list[str]:
    return re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_check_warns_of_a_control_character_in_the_yaml_at_its_value(project: Path):
    registry = registry_with(project, f"Foreign minister.{ESCAPE}")
    line, col = position(registry, '    text: "Foreign minister.')
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    found = [p for p in found if "control" in p["code"]]
    assert [(p["code"], p["line"], p["col"]) for p in found] == [("control-character", line, col + len("    text: "))]
    assert "⟨U+001B⟩" in found[0]["message"]


def test_check_warns_of_a_control_character_in_a_source_at_its_line_and_column(project: Path):
    line, col = source_with(project, "\x1b[31m")
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    before = {(p["code"], p["line"], p["col"]) for p in json.loads(run("check", "--root", str(PROJECT), "--format", "json").stdout)}
    found = [p for p in found if (p["code"], p["line"], p["col"]) not in before]
    assert [p for p in found if p["severity"] != "info"] == [p for p in found if p["code"] == "control-character"]
    assert [(p["file"].split("/project/")[1], p["code"], p["line"], p["col"]) for p in found if p["severity"] != "info"] == [(SOURCE, "control-character", line, col)]


def test_escape_sequences_reach_no_terminal_and_no_output(project: Path):
    registry_with(project, f"Foreign minister.{ESCAPE}")
    source_with(project, "\x1b[31m\x9b2J")
    commands = [
        ["check"], ["check", "--format", "github"], ["coverage"], ["cite", "sheiman-harare-visit", "Sheiman, a subject of European Union"],
        ["build", "--format", "md,html", "--draft"], ["export", "--format", "csv"],
    ]
    for command in commands:
        result = run(*command, "--root", str(project))
        assert not raw_controls(result.stdout + result.stderr), (command, raw_controls(result.stdout + result.stderr))
    for path in (project / "build").rglob("*.*"):
        if path.suffix in (".md", ".html", ".svg"):
            text = path.read_text("utf-8")
            assert not raw_controls(text), path
    assert "⟨U+001B⟩" in (project / "build" / "dossiers" / "shava.md").read_text("utf-8")


def test_diff_shows_escapes_visibly(project: Path):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    registry_with(project, f"Foreign minister.{ESCAPE}")
    for fmt in ("text", "markdown", "json"):
        result = run("diff", "main", "--root", str(project), "--format", fmt, "--dossiers")
        assert result.exit_code == 0, result.output
        assert not raw_controls(result.stdout), fmt


def test_a_newline_in_a_key_cannot_start_a_workflow_command(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    text: Zimbabwe's foreign affairs minister.", '    text: Zimbabwe\'s foreign affairs minister.\n    "x\\n::add-mask::secret\\n::notice title=owned::pwned": 1')
    for command in (["check"], ["check", "--format", "github"], ["build", "--format", "md"], ["export"]):
        result = run(*command, "--root", str(project))
        assert result.exit_code == 1
        for line in (result.stdout + result.stderr).splitlines():
            assert not line.startswith("::add-mask::") and not line.startswith("::notice"), (command, line)
    assert "x⟨U+000A⟩::add-mask::secret" in run("check", "--root", str(project)).stdout


def test_markdown_breaks_github_mentions_references_and_email_links(project: Path):
    registry_with(project, "Foreign minister, says @octocat of @org/team in #12 and GH-34; write to press@example.org.")
    assert run("build", "shava", "--root", str(project), "--format", "md", "--draft").exit_code == 0
    markdown = (project / "build" / "dossiers" / "shava.md").read_text("utf-8")
    assert "@&#8203;octocat" in markdown and "@&#8203;org/team" in markdown and "#&#8203;12" in markdown
    assert "GH-&#8203;34" in markdown and "press@&#8203;example.org" in markdown
    rendered = MarkdownIt("gfm-like").render(markdown)
    assert "mailto:" not in rendered
    assert not re.search(r"@\w|#\d|GH-\d", rendered.replace("&amp;", "&")), "each mark is followed by a zero-width space"
