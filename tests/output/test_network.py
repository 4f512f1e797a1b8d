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


def label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    return [tuple(map(float, box)) for box in re.findall(r'<rect class="label" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)]


def test_labels_stay_inside_the_drawing_and_over_every_line(tmp_path):
    import sys

    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from generate import generate

    generate(tmp_path / "large", actors=120, sources=12, facts=400)
    for root in (PROJECT, tmp_path / "large"):
        view = briefing(join(check(root), "2023-11-02"))
        svg = network_svg(view)
        boxes = label_boxes(svg)
        assert boxes and len(boxes) == svg.count('class="node"'), "every node is labelled"
        assert all(x >= 0 and x + w <= WIDTH for x, _, w, _ in boxes), "no name is cut at an edge of the drawing"
        assert svg.rindex('class="edge ') < svg.index('class="node-label"'), "labels are drawn over the lines"
