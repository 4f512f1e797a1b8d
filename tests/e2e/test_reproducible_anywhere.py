"""The same inputs built in two folders give the same bytes, and no output names a folder of the build machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf

from conftest import PROJECT
from dossiers.output.templates import default_templates
from dossiers.pipeline.build import build


def project_at(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(PROJECT / "actors.yaml", folder)
    shutil.copytree(PROJECT / "seeds", folder / "seeds")
    (folder / "templates").mkdir()
    shutil.copy(PROJECT / "templates" / "print.css", folder / "templates")  # a project's own template folder, as a newsroom has
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_folders_give_byte_identical_outputs_that_name_neither(tmp_path: Path):
    first = project_at(tmp_path / "a")
    second = project_at(tmp_path / "somewhere" / "much" / "deeper")
    for root in (first, second):
        build(root, formats=["md", "pdf", "html"], ids=["sheiman", "mnangagwa"], jobs=1)
    built = [outputs(root / "build") for root in (first, second)]
    assert built[0] == built[1]
    leaks = [str(tmp_path), str(default_templates().resolve()), str(PROJECT), "file://"]
    for name, data in built[0].items():
        assert not [leak for leak in leaks if leak.encode() in data], name
        if name.endswith(".pdf"):
            with pikepdf.open(first / "build" / name) as pdf:
                for page in pdf.pages:
                    for annotation in page.get("/Annots", []):
                        action = annotation.get("/A")
                        assert action is None or "file:" not in str(action.get("/URI", "")) + str(action.get("/F", ""))


def test_links_between_dossier_pdfs_open_the_file_beside_them(tmp_path: Path):
    root = project_at(tmp_path / "p")
    build(root, formats=["pdf"], ids=["sheiman"], jobs=1)
    with pikepdf.open(root / "build" / "dossiers" / "sheiman.pdf") as pdf:
        targets = {str(a.A.F) for page in pdf.pages for a in page.get("/Annots", []) if a.get("/A") is not None and a.A.get("/S") == "/GoToR"}
    assert targets == {"mnangagwa.pdf", "lukashenko.pdf", "sergei-sheiman.pdf"}
