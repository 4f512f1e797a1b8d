"""`dossiers check` on the project and on broken copies of it: codes and positions."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, position, replace, run


def problems(root: Path, *extra: str) -> tuple[int, list[dict]]:
    result = run("check", "--root", str(root), "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def only_error(root: Path) -> dict:
    code, found = problems(root)
    errors = [p for p in found if p["severity"] == "error"]
    assert code == 1 and len(errors) == 1, found
    return errors[0]


def test_project_registry_checks_clean():
    """No error and no open warning: each warning the analyst has judged is waived, with its reason, and shows as a
    note; the two sources that share text are noted as one line of reporting, where they do and at the facts that cite both."""
    result = run("check", "--root", str(PROJECT), "--strict")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "0 errors, 0 warnings, 14 notes."
    notes = [line.split()[2] for line in lines if ": info " in line]
    assert notes.count("sources-share-text:") == 2 and notes.count("corroboration-one-line:") == 2
    waived = [line for line in lines if ": info " in line and ": waived (" in line]
    assert len(waived) == 10 and len(notes) == 14
    assert {line.split()[2] for line in waived} == {"claim-actor-unquoted:", "claim-name-unquoted:", "attribution-unquoted:", "citation-padding:"}


def test_quote_changed_by_one_word(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "quote: Lukashenko has been in power since 1994.", "quote: Lukashenko has been in office since 1994.")
    error = only_error(project)
    assert error["code"] == "quote-near-match"
    assert (error["line"], error["col"]) == position(registry, "Lukashenko has been in office")
    assert '"Lukashenko has been in power since 1994."' in error["message"]


def test_source_file_changed_by_one_byte(project: Path):
    seed = project / "seeds" / "004_e117c70d6816a0ff.txt"
    seed.write_bytes(seed.read_bytes() + b" ")
    error = only_error(project)
    assert error["code"] == "source-changed"
    assert error["file"].endswith("seeds/sources.yaml")
    assert "004_e117c70d6816a0ff.txt" in error["message"]
    assert (error["line"], error["col"]) == position(project / "seeds" / "sources.yaml", "56f4ebc3bb33")


def test_fact_naming_an_unknown_actor(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "actors: [revenko, belarus-defence-ministry, belarus-armed-forces]", "actors: [revenko, belarus-defense-ministry, belarus-armed-forces]")
    error = only_error(project)
    assert error["code"] == "unknown-actor"
    assert (error["line"], error["col"]) == position(registry, "belarus-defense-ministry,")


def test_misspelled_key(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    name: Frederick Shava", "    nmae: Frederick Shava")
    error = only_error(project)
    assert error["code"] == "unknown-key"
    assert "did you mean 'name'" in error["message"]
    assert (error["line"], error["col"]) == position(registry, "nmae:")


def test_yaml_syntax_error(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    name: Viktor Khrenin", "    name: Viktor Khrenin\n   kind: organization")
    error = only_error(project)
    assert error["code"] == "yaml-syntax"
    assert (error["line"], error["col"]) == (position(registry, "   kind: organization")[0], 4)
    assert "indented" in error["message"]


def test_impossible_date(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "date: 2023-05-17", "date: 2023-13-01")
    error = only_error(project)
    assert error["code"] == "invalid-date"
    assert (error["line"], error["col"]) == position(registry, "2023-13-01")


def test_text_format_names_file_line_and_column_and_quotes_the_line(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "date: 2023-05-17", "date: 2023-13-01")
    result = run("check", "--root", str(project))
    line, col = position(registry, "2023-13-01")
    first = result.stdout.splitlines()[1]
    assert first.startswith(f"{registry}:{line}:{col}: error invalid-date: ")
    assert f" {line} |     date: 2023-13-01" in result.stdout
    assert result.stdout.rstrip().endswith("1 error, 0 warnings.")
    brief = run("check", "--root", str(project), "--brief").stdout.splitlines()
    assert brief[1].startswith(f"{registry}:{line}:{col}:") and len(brief) == 3


def test_github_format_is_workflow_commands(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "actors: [revenko, belarus-defence-ministry, belarus-armed-forces]", "actors: [revenko, belarus-defense-ministry, belarus-armed-forces]")
    result = run("check", "--root", str(project), "--format", "github")
    line, col = position(registry, "belarus-defense-ministry,")
    assert result.exit_code == 1
    relative = os.path.relpath(project / "actors.yaml")
    [error] = [out for out in result.stdout.splitlines() if out.startswith("::error ")]
    assert error.startswith(f"::error file={relative},line={line},col={col},title=unknown-actor::"), "relative to the current folder, as GitHub matches them"


@pytest.mark.parametrize(
    ("yaml_text", "code"),
    [
        ("actors: !!python/object/apply:os.system ['true']\n", "yaml-tag"),
        ("actors: &a []\nfacts: *a\n", "yaml-alias"),
        ("actors: []\nactors: []\n", "duplicate-key"),
        ("actors: []\n---\nfacts: []\n", "yaml-syntax"),
    ],
)
def test_unsafe_or_ambiguous_yaml_is_refused(project: Path, yaml_text: str, code: str):
    (project / "actors.yaml").write_text(yaml_text, "utf-8")
    error = only_error(project)
    assert error["code"] == code
    assert error["line"] == {"yaml-tag": 1, "yaml-alias": 1, "duplicate-key": 2, "yaml-syntax": 2}[code]


def test_source_path_outside_seeds_and_missing_source(project: Path):
    sources = project / "seeds" / "sources.yaml"
    replace(sources, "file: 003_1741a1b77b0aa551.txt", "file: ../actors.yaml")
    replace(sources, "file: 004_e117c70d6816a0ff.txt", "file: 999.txt")
    code, found = problems(project)
    codes = {p["code"]: p for p in found if p["severity"] == "error"}
    assert code == 1 and {"source-outside-seeds", "source-missing"} <= set(codes)
    assert codes["source-outside-seeds"]["line"] == position(sources, "../actors.yaml")[0]


def test_duplicate_ids_future_dates_and_missing_citations(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "  - id: shava\n", "  - id: revenko\n")
    replace(registry, "date: 2023-05-17", "date: 2999-05-17")
    text = registry.read_text("utf-8")
    registry.write_text(text + "\n  - id: uncited\n    actors: [lukashenko]\n    kind: event\n    text: Something.\n", "utf-8")
    code, found = problems(project)
    codes = {p["code"] for p in found if p["severity"] == "error"}
    assert code == 1 and {"duplicate-id", "date-in-future", "fact-without-citation"} <= codes


def test_warnings_fail_only_with_strict(project: Path):
    sources = project / "seeds" / "sources.yaml"
    text = sources.read_text("utf-8")
    (project / "seeds" / "spare.txt").write_text("A spare document no fact cites.\n", "utf-8")
    digest = hashlib.sha256((project / "seeds" / "spare.txt").read_bytes()).hexdigest()
    extra = (
        f"\n  - id: spare\n    file: spare.txt\n    sha256: {digest}\n"
        "    title: Spare\n    publisher: unknown\n    language: en\n    reliability: F\n"
    )
    assert problems(project, "--strict")[0] == 0, "the project passes --strict before the spare source"
    sources.write_text(text + extra, "utf-8")
    code, found = problems(project)
    assert code == 0 and "source-uncited" in [p["code"] for p in found if p["severity"] == "warning"]
    assert not [p for p in found if p["severity"] == "error"]
    assert problems(project, "--strict")[0] == 1


def test_commands_that_render_no_pdf_never_import_weasyprint():
    """check, coverage, export and diff in one process, each exiting 0, and WeasyPrint never imported."""
    script = (
        "import sys\nfrom dossiers.cli.app import run\ncodes = []\n"
        "for command in (['check'], ['coverage'], ['export', '--format', 'json'], ['diff', 'HEAD']):\n"
        "    try: run([*command, '--root', sys.argv[1]])\n"
        "    except SystemExit as done: codes.append(done.code)\n"
        "    else: codes.append(0)\n"
        "print(codes, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(PROJECT)], capture_output=True, text=True, cwd=PROJECT)
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0] False", result.stderr[-500:]


def test_github_format_annotates_ten_and_summarises_all(project: Path, tmp_path: Path, monkeypatch):
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    for n in range(12):
        text += f"\n  - id: extra-{n}\n    actors: [nobody-{n}]\n    kind: event\n    text: Something.\n    citations:\n      - source: zimmail-2023-11-02\n        quote: Lukashenko has been in power since 1994.\n"
    registry.write_text(text, "utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("check", "--root", str(project), "--format", "github")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert len(lines) == 11 and all(line.startswith("::") for line in lines)
    assert lines[-1].startswith("::notice title=dossiers check::")
    total = int(lines[-1].split("all ")[1])
    table = [row for row in summary.read_text("utf-8").splitlines() if row.startswith("| ") and "---" not in row]
    assert len(table) - 1 == total > 10
