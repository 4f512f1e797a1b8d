"""One session: build, serve and diff --dossiers prepare what they render from with the one function, the same way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import PROJECT, git, replace, run
from dossiers.errors import UserError
from dossiers.output import session as sessions
from dossiers.output.session import open_session, renderers_key
from dossiers.pipeline import build, serve
from dossiers.reports import diff


def test_a_session_holds_settings_the_checked_registry_its_views_and_the_template_set():
    session = open_session(PROJECT)
    assert session.joined is not None and session.joined.checked is session.checked
    assert session.templates.dirs[-1].name == "templates" and session.shared == renderers_key(session.template_hashes)
    assert session.settings.pack.title and session.layout.root == PROJECT
    packaged = open_session(PROJECT, project_templates=False)
    assert len(packaged.templates.dirs) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.joined = None  # type: ignore[misc]


def test_a_registry_with_errors_gives_a_session_without_views_only_when_asked(project: Path):
    replace(project / "actors.yaml", "quote: Zimbabwe foreign affairs minister Frederick Shava\n", "quote: words no source has\n")
    with pytest.raises(UserError):
        open_session(project)
    assert open_session(project, printable=False).joined is None


def test_build_serve_and_diff_open_one_session_each(repo: Path, monkeypatch):
    opened: list[tuple[str, bool]] = []

    def recording(root, **options):
        opened.append((Path(root).name, options.get("project_templates", True)))
        return sessions.open_session(root, **options)

    for module in (build, serve, diff):
        monkeypatch.setattr(module, "open_session", recording)
    assert run("build", "shava", "--root", str(repo), "--format", "md").exit_code == 0
    assert opened == [(repo.name, True)]
    serve.Site(repo).rebuild()
    assert len(opened) == 2
    replace(repo / "actors.yaml", "name: Frederick Shava", "name: Frederick M. Shava")
    git(repo, "commit", "-qam", "a name")
    result = run("diff", "main", "pr", "--root", str(repo), "--dossiers")
    assert result.exit_code == 0 and "Frederick M. Shava" in result.stdout, result.output
    assert len(opened) == 4, "one session per side"
