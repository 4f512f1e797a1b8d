"""Templates are data: a project's own folder is honoured, sandboxed, and notes stay in reading order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import PROJECT, replace, run


def override(project: Path, name: str) -> Path:
    (project / "templates").mkdir(exist_ok=True)
    shutil.copy(PROJECT / "templates" / name, project / "templates" / name)
    return project / "templates" / name


def test_an_override_that_reorders_sections_keeps_notes_numbered_in_reading_order(project: Path):
    macros = override(project, "macros.md.j2")
    replace(macros, "{% for s in d.sections if s.shown %}", "{% for s in d.sections | reverse if s.shown %}")
    result = run("build", "mnangagwa", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    text = (project / "build" / "dossiers" / "mnangagwa.md").read_text("utf-8")
    body, _, notes = text.partition("\n[^1]:")
    assert body.index("## Allegations and denials") < body.index("## Timeline") < body.index("## Positions"), "the override's order"
    refs = [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", body)]
    firsts = list(dict.fromkeys(refs))
    assert firsts == list(range(1, len(firsts) + 1)), firsts
    defined = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", "[^1]:" + notes, re.MULTILINE)]
    assert defined == firsts
    packaged = run("build", "mnangagwa", "--root", str(project), "--format", "md", "--packaged-templates", "--out", str(project / "plain"))
    assert packaged.exit_code == 0, packaged.output
    usual = (project / "plain" / "dossiers" / "mnangagwa.md").read_text("utf-8").partition("\n[^1]:")[2]
    quotes = re.findall(r"^\[\^\d+\]: (.*)$", "[^1]:" + notes, re.MULTILINE)
    assert sorted(quotes) == sorted(re.findall(r"^\[\^\d+\]: (.*)$", "[^1]:" + usual, re.MULTILINE)) and quotes != usual, "the same notes, renumbered"
    allegation = body.split("## Allegations and denials")[1].split("\n- ")[1].split("\n")[0]
    first = int(re.search(r"\[\^(\d+)\]", allegation)[1])
    cited = next(c for c in check_notes(project) if c.fact.text.rstrip(".") in allegation)
    assert quotes[first - 1].startswith(f"{cited.notes[0].marks[0]}{cited.notes[0].quote[:20]}"), "each number leads to its own note"


def check_notes(project: Path):
    from dossiers import check
    from dossiers.views.join import join

    return join(check(project), "2023-11-02").claims.values()


def test_a_template_with_a_syntax_error_is_named_with_its_line(project: Path):
    macros = override(project, "macros.md.j2")
    macros.write_text(macros.read_text("utf-8") + "\n{% if %}\n", "utf-8")
    result = run("build", "shava", "--root", str(project), "--format", "md")
    line = len(macros.read_text("utf-8").splitlines())
    assert result.exit_code == 1 and f"template macros.md.j2:{line}: failed" in result.stderr
