"""Attack: a pull request commits a build/manifest.json whose names point outside the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run
from dossiers.registry.layout import is_output_name


@pytest.mark.parametrize("name", ["dossiers/../../actors.yaml", "dossiers/../../../../tmp/x.md", "/etc/passwd", "dossiers/a/b.md", "dossiers/X.md", "seeds/sources.yaml", ".cache/pack/../../x.piece"])
def test_names_the_build_would_not_write_are_not_output_names(name: str):
    assert not is_output_name(name)


def test_output_names_are(tmp_path: Path):
    for name in ("dossiers/viktor-sheiman.md", "dossiers/x.pdf", "briefing-pack.html", "briefing-pack-network.svg", ".cache/pack/people-3.piece"):
        assert is_output_name(name), name


def test_a_committed_manifest_cannot_make_the_build_delete_files(project: Path, tmp_path: Path):
    victim = tmp_path / "victim.md"
    victim.write_text("keep me", "utf-8")
    out = project / "build"
    out.mkdir()
    depth = len(out.resolve().parts) - 1
    names = ["dossiers/../../actors.yaml", "dossiers/" + "../" * depth + str(victim.resolve()).lstrip("/"), "dossiers/nobody.md"]
    (out / "manifest.json").write_text(json.dumps({"outputs": {n: {"sha256": "0" * 64, "key": "k"} for n in names}}), "utf-8")
    result = run("build", "--root", str(project), "--format", "md")
    assert result.exit_code == 0, result.output
    assert (project / "actors.yaml").is_file() and victim.read_text("utf-8") == "keep me"
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    assert all(is_output_name(name) for name in recorded)
