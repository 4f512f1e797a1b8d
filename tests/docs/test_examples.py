"""The shell examples of README.md and docs/ run, and print what they show.

An example is run when the line `<!-- runnable -->` stands before its ```console block.
Lines of that comment after `runnable` are shell commands run first, unseen by the reader
(`<!-- runnable` alone on a line, the commands, `-->`): they set the scene the text
describes ("after rewording one fact"). Each `$ ` line of the block is run by bash, in
the order of the file, in one copy of the project (a `cd` carries over to the next
command); the lines that follow it, up to the next `$ `, are what it must print, stdout
and stderr together, without the progress lines a terminal shows as a bar. As in
doctest, `...` stands for any text within a line, or, alone on a line, for any lines.
A command shown without output must print nothing and succeed.

`<!-- runnable: append to FILE -->` before a block of any language (the YAML of a fact to
write) appends the block's text to FILE, in the folder the commands have reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT

DOCUMENTS = ["README.md", *sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / "docs").rglob("*.md"))]
MARK = "<!-- runnable"
APPEND = re.compile(r"^: append to (?P<file>\S+) *$")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<language>[a-z]*)$")
PROGRESS = re.compile(r"^[A-Za-z ]+: \d+/\d+$")  # "PDF: 3/11", a bar on a terminal
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "build", "site", "__pycache__", ".dossiers-cache", "*.egg-info", ".pytest_cache", ".hypothesis")


@dataclass
class Command:
    line: int  # in the document, 1-based
    shell: str
    shown: list[str]  # the output the document shows


@dataclass
class Example:
    line: int
    setup: str
    commands: list[Command]
    append_to: str | None = None  # a file the block's text is appended to, instead of commands
    text: str = ""


def examples(text: str) -> list[Example]:
    """The runnable examples of a Markdown document, in order."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(MARK):
            i += 1
            continue
        start, setup = i + 1, [lines[i].lstrip()[len(MARK):]]
        while "-->" not in setup[-1]:
            i += 1
            setup.append(lines[i])
        setup[-1] = setup[-1][: setup[-1].index("-->")]
        append = APPEND.match(setup[0])
        i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        fence = FENCE.match(lines[i]) if i < len(lines) else None
        assert fence and (append or fence["language"] == "console"), f"line {start}: {MARK} --> must stand before a ```console block"
        indent, closing, body = len(fence["indent"]), fence["indent"] + fence["fence"], []
        i += 1
        while lines[i] != closing:
            body.append((i + 1, lines[i][indent:]))
            i += 1
        if append:
            found.append(Example(start, "", [], append["file"], "".join(line + "\n" for _, line in body)))
            continue
        commands: list[Command] = []
        for number, line in body:
            if line.startswith("$ "):
                commands.append(Command(number, line[2:], []))
            else:
                assert commands, f"line {number}: output before the first $ command"
                commands[-1].shown.append(line)
        assert commands, f"line {start}: a runnable example without a $ command"
        found.append(Example(start, "\n".join(setup).strip(), commands))
    return found


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the output printed is the output shown, `...` standing for any text (any lines, alone on a line)."""
    pattern = "".join(r"(?:.*\n)*?" if line.strip() == "..." else ".*".join(map(re.escape, line.rstrip().split("..."))) + r"\n" for line in shown)
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in printed)) is not None


def shell_environment(tmp_path: Path) -> dict[str, str]:
    """PATH finds a `dossiers` that runs this checkout; HOME is a folder of the test's own; git commits without a config."""
    bin_dir, home = tmp_path / "bin", tmp_path / "home"
    bin_dir.mkdir()
    home.mkdir()
    script = bin_dir / "dossiers"
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom dossiers.cli.app import run\nsys.exit(run())\n", "utf-8")
    script.chmod(0o755)
    keep = {name: value for name, value in os.environ.items() if name in ("LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
    return {
        **keep,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "PYTHONPATH": str(PROJECT),
        "GIT_AUTHOR_NAME": "Analyst", "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst", "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def run_shell(script: str, cwd: Path, env: dict[str, str], where: Path) -> tuple[int, list[str]]:
    """Run bash in `cwd`; the folder it ends in is written to `where`. Returns its status and its lines, progress left out."""
    wrapped = f"{script}\nstatus=$?\npwd > {where}\nexit $status\n"
    done = subprocess.run(["bash", "-c", wrapped], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return done.returncode, [line for line in done.stdout.splitlines() if not PROGRESS.match(line)]


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if examples((PROJECT / d).read_text("utf-8"))])
def test_the_runnable_examples_print_what_they_show(document: str, tmp_path: Path):
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy, ignore=NOT_COPIED, symlinks=True)
    env, where, cwd = shell_environment(tmp_path), tmp_path / "cwd", copy
    for example in examples((PROJECT / document).read_text("utf-8")):
        if example.append_to:
            with open(cwd / example.append_to, "a", encoding="utf-8") as file:
                file.write("\n" + example.text)
            continue
        if example.setup:
            status, printed = run_shell(example.setup, cwd, env, where)
            assert status == 0, f"{document}:{example.line}: the example's setup failed:\n" + "\n".join(printed)
            cwd = Path(where.read_text("utf-8").strip())
        for command in example.commands:
            status, printed = run_shell(command.shell, cwd, env, where)
            cwd = Path(where.read_text("utf-8").strip())
            shown = "\n".join(command.shown) or "(nothing)"
            assert matches(command.shown, printed), f"{document}:{command.line}: $ {command.shell}\nshown:\n{shown}\nprinted:\n" + "\n".join(printed)
            assert command.shown or status == 0, f"{document}:{command.line}: $ {command.shell} exited {status}"


def test_an_example_is_found_with_its_setup_commands_and_outputs():
    text = "intro\n\n<!-- runnable\ntouch x\n-->\n\n   ```console\n   $ ls\n   x\n   ...\n   $ true\n   ```\n"
    [example] = examples(text)
    assert example.setup == "touch x"
    assert [(c.line, c.shell, c.shown) for c in example.commands] == [(8, "ls", ["x", "..."]), (11, "true", [])]


def test_a_block_to_append_is_found_with_its_file():
    [example] = examples("1. Write it:\n\n   <!-- runnable: append to actors.yaml -->\n\n   ```yaml\n     - id: x\n   ```\n")
    assert (example.append_to, example.text, example.commands) == ("actors.yaml", "  - id: x\n", [])


def test_a_mark_before_anything_but_a_console_block_is_an_error():
    with pytest.raises(AssertionError, match="must stand before a ```console block"):
        examples("<!-- runnable -->\n\n```yaml\na: 1\n```\n")


def test_output_is_matched_line_by_line_with_ellipses():
    assert matches(["Wrote 2 files to build."], ["Wrote 2 files to build."])
    assert not matches(["Wrote 2 files to build."], ["Wrote 3 files to build."])
    assert not matches(["a"], ["a", "b"]), "a line printed beyond those shown is a difference"
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"]) and matches(["a", "...", "z"], ["a", "z"])
    assert matches(["shares 13 words (...)"], ["shares 13 words (on a visit)"])
    assert not matches(["shares 13 words (...)"], ["shares 13 words"])
    assert matches([], []) and not matches([], ["x"])
