"""The network drawing: every relationship drawn, inside the drawing, the same every time."""

from __future__ import annotations

import re

from conftest import PROJECT
from dossiers import check
from dossiers.output.network import HEIGHT, WIDTH, network_caption, network_svg
from dossiers.views.briefing import briefing
from dossiers.views.join import join


def test_network_is_deterministic_complete_and_inside_the_drawing():
    view = briefing(join(check(PROJECT), "2023-11-02"))
    svg = network_svg(view)
    assert svg == network_svg(view)
    pairs = sum(len(c.objects) for c in view.relationships)
    assert svg.count('class="edge ') == pairs
    for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="7"', svg):
        assert 0 <= float(x) <= WIDTH and 0 <= float(y) <= HEIGHT
    alleged = [c for c in view.relationships if c.status_shown]
    assert svg.count('stroke-dasharray="5 3"/></g>') == sum(len(c.objects) for c in alleged)
    assert network_caption(view) == "", "the project's registry is drawn whole"
