"""dossiers.toml: every command reads it, the command line overrides it, and a bad key is an error at its line."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def settings(project: Path, text: str) -> Path:
    path = project / "dossiers.toml"
    path.write_text(text, "utf-8")
    return path


def test_build_keeps_the_cover_the_project_file_sets(project: Path):
    settings(project, '[pack]\ntitle = "Zimbabwe–Belarus"\nhandling = "OFFICIAL-SENSITIVE"\n\n[build]\nformats = ["md"]\nout = "out"\n')
    assert run("pack", "--root", str(project)).exit_code == 0
    assert run("build", "--root", str(project)).exit_code == 0, "a later build must not undo the marking"
    pack = (project / "out" / "briefing-pack.md").read_text("utf-8")
    assert pack.startswith("# Zimbabwe–Belarus") and "OFFICIAL-SENSITIVE" in pack
    assert not (project / "out" / "briefing-pack.pdf").exists(), "formats come from the file"
    assert run("pack", "--root", str(project), "--handling", "SECRET").exit_code == 0
    assert "SECRET" in (project / "out" / "briefing-pack.md").read_text("utf-8"), "the command line overrides the file"


def test_an_unknown_key_is_an_error_at_its_line(project: Path):
    settings(project, '[pack]\ntitle = "x"\nhandlng = "OFFICIAL"\n')
    result = run("build", "--root", str(project))
    assert result.exit_code == 1
    assert "dossiers.toml:3:1: error unknown-setting: unknown setting 'pack.handlng'" in result.stderr
    assert "title, handling" in result.stderr


def test_a_toml_syntax_error_names_its_line(project: Path):
    settings(project, '[screen]\nthreshold = \n')
    result = run("screen", str(project / "actors.yaml"), "--root", str(project))
    assert result.exit_code == 1 and "dossiers.toml:2:" in result.stderr and "toml-syntax" in result.stderr


def test_a_bad_value_is_an_error_at_its_key(project: Path):
    settings(project, '[build]\nformats = ["md", "docx"]\n')
    result = run("build", "--root", str(project))
    assert result.exit_code == 1 and "dossiers.toml:2:1: error invalid-setting: build.formats.1" in result.stderr
