"""The pages `dossiers serve` keeps: only those whose view changed are rendered again; problems replace every page."""

from __future__ import annotations

from pathlib import Path

from conftest import replace
from dossiers.pipeline.serve import Site


def test_an_edit_renders_again_only_the_pages_that_show_it(project: Path):
    site = Site(project)
    site.rebuild()
    first = site.rendered
    assert first == 17 + 3 + 1 and site.page("dossiers/khrenin.html") is not None  # 17 dossiers (11 people, 6 bodies), 3 sources (a list has no page), the index
    site.rebuild()
    assert site.rendered == 0 and site.version == 1, "nothing changed: nothing rendered, no reload"
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Minister of Defence of Belarus.")
    site.rebuild()
    assert site.rendered == 2 and site.version == 2, "Khrenin's page and the page of the source it cites"
    assert b"Minister of Defence of Belarus" in site.page("dossiers/khrenin.html")


def test_a_problem_shows_on_every_page_with_its_place_and_the_fix_brings_them_back(project: Path):
    site = Site(project)
    site.rebuild()
    replace(project / "actors.yaml", "    text: Defence Minister of Belarus.", "    text: Defence Minister of Belarus.\n    colour: red")
    site.rebuild()
    shown = site.page("dossiers/sheiman.html").decode("utf-8")
    assert "The registry does not pass the check" in shown and "<code>actors.yaml:" in shown and "colour" in shown
    assert site.page("no/such/page.html") == site.page("index.html")
    replace(project / "actors.yaml", "\n    colour: red", "")
    site.rebuild()
    assert "Viktor Sheiman" in site.page("dossiers/sheiman.html").decode("utf-8") and site.page("no/such/page.html") is None
