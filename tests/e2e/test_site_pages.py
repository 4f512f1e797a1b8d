"""The static site read back: its index names the project, its date and each person's sanctions; its pages carry the PDFs' fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT
from dossiers.output.templates import default_templates


def test_the_site_index_gives_the_title_the_date_and_each_persons_sanctions(built: Path):
    index = (built / "index.html").read_text("utf-8")
    assert "<title>Briefing pack: dossiers and sources</title>" in index
    assert '<p class="site-name">Briefing pack · dated 2 November 2023</p>' in index
    assert ('<a href="dossiers/sheiman.html">Viktor Sheiman</a> <span class="muted">Listed: European Union (EU-BLR, since 24 September 2004). '
            'Reported in the sources: EU, US</span>') in index
    assert '<a href="dossiers/mnangagwa.html">Emmerson Mnangagwa</a> <span class="muted">Sanctions reported: no authority named</span>' in index
    assert '<a href="dossiers/belarus-defence-ministry.html">Ministry of Defence of Belarus</a> <span class="muted">Listed: European Union' in index  # a body's dossier


@pytest.mark.parametrize("page", ["index.html", "briefing-pack.html", "dossiers/sheiman.html", "sources/zimmail-2023-11-02.html"])
def test_every_font_a_site_page_names_is_beside_it_as_the_pdfs_have_it(built: Path, page: str):
    html = (built / page).read_text("utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', html)
    assert len(urls) == 5
    for url in urls:
        copy = (built / page).parent / url
        assert copy.is_file(), url
        assert copy.read_bytes() == (default_templates() / "fonts" / Path(url).name).read_bytes()
    assert (built / "fonts" / "OFL.txt").read_bytes() == (PROJECT / "templates" / "fonts" / "OFL.txt").read_bytes(), "the fonts' licence goes with them"
