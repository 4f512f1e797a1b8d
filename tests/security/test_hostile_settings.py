"""Attack: a pull request's dossiers.toml sends the build outside the project, or cannot be read at all.

dossiers.toml comes with the project, so it is as untrusted as the registry: an output
folder it names must lie inside the project once links are followed (only --out may
point elsewhere), and every way the file can be wrong is a problem at its line and
column, in `check` (every format) and in the commands that read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run


def settings(project: Path, text: str | bytes) -> None:
    path = project / "dossiers.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def victim(tmp_path: Path) -> Path:
    """A folder outside the project that looks like one dossiers built: it holds a manifest.json."""
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}", "utf-8")
    (folder / "precious.txt").write_text("mine", "utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('[build]\nout = "{victim}"\n', 2, 1),
        ('build.out = "{victim}"\n', 1, 1),
        ('build = {{ formats = ["md"], out = "{victim}" }}\n', 1, 29),
        ('[build]\nout = "../victim"\n', 2, 1),
        ('[build]\nout = "build/../../victim"\n', 2, 1),
    ],
)
def test_an_output_folder_outside_the_project_is_refused_and_nothing_there_is_touched(project: Path, tmp_path: Path, text: str, line: int, col: int):
    folder = victim(tmp_path)
    settings(project, text.format(victim=folder))
    result = run("build", "--root", str(project), "--fresh", "--format", "md")
    assert result.exit_code == 1, result.output
    assert f"dossiers.toml:{line}:{col}: error setting-outside-project:" in result.stderr
    assert "give --out on the command line" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "precious.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "victim"], "no folder created outside the project"


def test_an_output_folder_that_a_link_takes_outside_is_refused(project: Path, tmp_path: Path):
    folder = victim(tmp_path)
    (project / "public").symlink_to(tmp_path, target_is_directory=True)
    settings(project, '[build]\nformats = ["md"]\nout = "public/victim"\n')
    result = run("build", "--root", str(project), "--fresh")
    assert result.exit_code == 1
    assert "dossiers.toml:3:1: error setting-outside-project:" in result.stderr and str(folder) in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "precious.txt"]


def test_an_output_folder_in_git_is_refused(project: Path):
    (project / ".git" / "refs" / "heads").mkdir(parents=True)
    settings(project, '[build]\nout = ".git/refs/heads/x"\n')
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 1 and "dossiers.toml:2:1: error setting-outside-project:" in result.stderr
    assert list((project / ".git" / "refs" / "heads").iterdir()) == []


def test_the_command_line_may_still_build_elsewhere(project: Path, tmp_path: Path):
    settings(project, '[build]\nformats = ["md"]\nout = "site"\n')
    elsewhere = tmp_path / "elsewhere"
    result = run("build", "--root", str(project), "--out", str(elsewhere), "--no-pack")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "manifest.json").is_file() and not (project / "site").exists()


DEEP = 20_000
HOSTILE = {
    "not toml": ("this is not toml [[[", 1, 6, "toml-syntax"),
    "NUL in out": ('[build]\nout = "build\\u0000x"\n', 2, 1, "invalid-setting"),
    "line break in the title": ('[pack]\ntitle = "Pack\\n::error::forged"\n', 2, 1, "invalid-setting"),
    "bidi control in handling": ('[pack]\nhandling = "OFFICIAL\\u202e"\n', 2, 1, "invalid-setting"),
    "deep array": ("[build]\nformats = " + "[" * DEEP + "]" * DEEP + "\n", 2, None, "toml-too-deep"),
    "deep inline tables": ("[screen]\nthreshold = " + "{a = " * (DEEP // 5) + "1" + "}" * (DEEP // 5) + "\n", 2, None, "toml-too-deep"),
    "huge file": ("# " + "x" * 70_000 + "\n", 1, 1, "file-too-large"),
    "not UTF-8": (b'[pack]\ntitle = "caf\xe9"\n', 2, 13, "not-utf8"),
    "a string for a number": ('[screen]\nthreshold = "0.7"\n', 2, 1, "invalid-setting"),
    "a boolean for a number": ("[screen]\nthreshold = true\n", 2, 1, "invalid-setting"),
    "not a number": ("[screen]\nthreshold = nan\n", 2, 1, "invalid-setting"),
    "a number for a path": ("[build]\nout = 5\n", 2, 1, "invalid-setting"),
    "a folder name too long": (f'[build]\nout = "build/{"x" * 256}"\n', 2, 1, "invalid-setting"),
    "a table for a table's place": ('[build]\nformats = ["md"]\n\n[[pack]]\ntitle = "x"\n', 4, 3, "invalid-setting"),
    "unknown table": ('[output]\nout = "x"\n', 1, 2, "unknown-setting"),
    "unknown key in an inline table": ('pack = { title = "x", colour = "red" }\n', 1, 23, "unknown-setting"),
    "a format twice over": ('[build]\nformats = ["md", "md", "md", "md"]\n', 2, 1, "invalid-setting"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_reports_a_bad_settings_file_at_its_place_in_every_format(project: Path, case: str, fmt: str):
    text, line, col, code = HOSTILE[case]
    settings(project, text)
    result = run("check", "--root", str(project), "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    if fmt == "json":
        found = [p for p in json.loads(result.stdout) if p["file"].endswith("/dossiers.toml")]
        assert [(p["line"], p["code"], p["severity"]) for p in found] == [(line, code, "error")]
        assert col is None or found[0]["col"] == col
    elif fmt == "github":
        assert f"/dossiers.toml,line={line},col={col if col else ''}" in result.stdout
        assert f"title={code}::" in result.stdout
    else:
        assert f"/dossiers.toml:{line}:{col if col else ''}" in result.stdout and f"error {code}:" in result.stdout


@pytest.mark.parametrize("case", ["NUL in out", "deep array", "deep inline tables", "not UTF-8"])
def test_a_command_that_reads_the_settings_fails_with_the_problem_not_a_traceback(project: Path, case: str):
    text, line, _, code = HOSTILE[case]
    settings(project, text)
    for command in (["build", "--format", "md"], ["screen", str(project / "actors.yaml")]):
        result = run(*command, "--root", str(project))
        assert result.exit_code == 1
        assert f"dossiers.toml:{line}:" in result.stderr and code in result.stderr and "internal error" not in result.stderr
    assert not (project / "build").exists()


def test_the_starter_settings_pass(tmp_path: Path):
    assert run("new", str(tmp_path / "fresh")).exit_code == 0
    result = run("check", "--root", str(tmp_path / "fresh"), "--format", "json")
    assert result.exit_code == 0 and not [p for p in json.loads(result.stdout) if p["file"].endswith("dossiers.toml")]


@pytest.mark.parametrize("case", ["dossiers.toml", "[build] out", "--out", "actors.yaml"])
def test_a_loop_of_links_is_a_user_error(project: Path, case: str):
    """Path.resolve raises RuntimeError on a loop of links (before Python 3.13): every path is resolved without it."""
    (project / "loop").symlink_to("loop")
    if case == "dossiers.toml":
        (project / "dossiers.toml").symlink_to("dossiers.toml")
    elif case == "[build] out":
        settings(project, '[build]\nout = "loop/x"\n')
    elif case == "actors.yaml":
        (project / "actors.yaml").rename(project / "registry.yaml")
        (project / "actors.yaml").symlink_to("actors.yaml")
    checked = run("check", "--root", str(project), "--format", "json")
    built = run("build", "--root", str(project), "--format", "md", *(["--out", str(project / "loop" / "x")] if case == "--out" else []))
    assert "internal error" not in checked.output + built.output
    assert built.exit_code == 1
    if case in ("dossiers.toml", "actors.yaml"):
        code = "file-outside-project" if case == "dossiers.toml" else "file-unreadable"
        assert checked.exit_code == 1 and [p["code"] for p in json.loads(checked.stdout) if p["file"].endswith(case)] == [code]
    else:
        assert "loop" in built.stderr
