"""The relationship network as SVG, laid out by networkx."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from html import escape

import networkx as nx

from ..safe_text import visible_controls
from ..views.briefing import Briefing
from ..views.join import Claim

WIDTH, HEIGHT = 720, 520  # the drawing, in px; the legend adds LEGEND_HEIGHT below
LEGEND_HEIGHT = 40
MAX_NODES = 60
# the share of the width the largest connected group takes when there are others: at least, at most
MAIN_SHARE = (0.55, 0.72)
SPRING_ITERATIONS = 300  # networkx's spring layout, run long enough to settle
SPRING_SPREAD = 3.0  # its k (node distance) is this over √nodes: three times its default, room for the labels
PAD = (80, 40)  # px at most between a group's box and its outermost nodes, across and down (else a quarter of the box)
LABEL_ROOM = 16  # px under the lowest nodes, for their labels
LABEL_CHARS = 24  # characters on a label's line before it wraps
CHAR_WIDTH = {True: 6.0, False: 5.6}  # px per character of a label at 9.5 px, bold (a person) or not
LINE_HEIGHT = 11  # px between a label's lines
BEND = 44  # px by which each further edge between one pair bows away from the first
LINK_STYLES = {  # kind: (colour, label)
    "ally": ("#1f6f43", "ally"),
    "family": ("#7b3f98", "family"),
    "ownership": ("#b5651d", "ownership"),
    "associate": ("#4a5563", "associate"),
    "meeting": ("#1f5fa8", "meeting"),
    "succession": ("#8a8f98", "succession"),
}


def _edges(relationships: Sequence[Claim]) -> list[tuple[str, str, Claim]]:
    return [(c.subject.id, other.id, c) for c in relationships for other in c.objects]


def _layout(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Positions in the drawing: the largest connected group on the left, the others stacked right."""
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), sorted(g)))
    total = sum(len(g) for g in groups)
    left = WIDTH if len(groups) == 1 else WIDTH * min(MAIN_SHARE[1], max(MAIN_SHARE[0], len(groups[0]) / total))
    boxes = [(0.0, 0.0, left, float(HEIGHT))]
    rest = sum(len(g) for g in groups[1:])
    top = 0.0
    for group in groups[1:]:
        height = HEIGHT * len(group) / rest
        boxes.append((left, top, WIDTH - left, height))
        top += height
    positions = {}
    for group, (x0, y0, width, height) in zip(groups, boxes):
        sub = nx.MultiGraph()  # built in sorted order: a subgraph view iterates a set, in hash order
        sub.add_nodes_from(sorted(group))
        sub.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in graph.edges(group)))
        layout = nx.spring_layout(
            sub, seed=seed, iterations=SPRING_ITERATIONS, k=SPRING_SPREAD / math.sqrt(len(sub)), method="force"
        )
        xs = [p[0] for p in layout.values()]
        ys = [p[1] for p in layout.values()]
        pad_x, pad_y = min(PAD[0], width / 4), min(PAD[1], height / 4)
        for node, (x, y) in layout.items():
            fx = (x - min(xs)) / ((max(xs) - min(xs)) or 1)
            fy = (y - min(ys)) / ((max(ys) - min(ys)) or 1)
            positions[node] = (
                round(x0 + pad_x + fx * (width - 2 * pad_x), 1),
                round(y0 + pad_y + fy * (height - 2 * pad_y - LABEL_ROOM), 1),
            )
    return positions


def _label(x: float, y: float, text: str, bold: bool) -> str:
    """A node's name under it, on two lines when long, on an opaque backdrop kept inside the drawing."""
    words, lines = text.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + len(word) > LABEL_CHARS:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    width = max(len(line) for line in lines) * CHAR_WIDTH[bold] + 6
    # a label near the edge moves in, not out of the drawing
    x = round(min(max(x, width / 2 + 2), WIDTH - width / 2 - 2), 1)
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE_HEIGHT}">{escape(visible_controls(line))}</tspan>'
        for i, line in enumerate(lines)
    )
    weight = "bold" if bold else "normal"
    backdrop = (
        f'<rect class="label" x="{round(x - width / 2, 1)}" y="{y + 10}" width="{round(width, 1)}" '
        f'height="{LINE_HEIGHT * len(lines) + 2}" fill="#ffffff"/>'
    )
    return (
        backdrop + f'<text x="{x}" y="{y + 19}" font-size="9.5" text-anchor="middle" fill="#1d232b" '
        f'font-weight="{weight}">{spans}</text>'
    )


def drawn_actors(relationships: Sequence[Claim], limit: int = MAX_NODES) -> set[str]:
    """The actors the drawing shows: all of them, or the `limit` with the most relationships."""
    degree = Counter(node for a, b, _ in _edges(relationships) for node in (a, b))
    return {node for node, _ in sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:limit]}


def network_caption(view: Briefing) -> str:
    """What the drawing leaves out, if anything."""
    involved = {node for a, b, _ in _edges(view.relationships) for node in (a, b)}
    if len(involved) <= MAX_NODES:
        return ""
    return (
        f"The drawing shows the {MAX_NODES} most connected of the {len(involved)} actors with relationships; the table "
        "lists every relationship."
    )


def _alt_text(edges: list[tuple[str, str, Claim]]) -> str:
    """The drawing in words: how many actors and relationships it shows; the table beside it lists them."""
    nodes = {node for a, b, _ in edges for node in (a, b)}
    return visible_controls(
        f"Network of relationships: {len(nodes)} actors joined by {len(edges)} relationships, each "
        "listed in the table that follows."
    )


def network_svg(view: Briefing, seed: int = 7) -> str:
    """An SVG drawing of the relationships, one line per pair, coloured by kind, dashed if alleged.

    A large registry is drawn as its MAX_NODES most connected actors, so that labels stay
    legible and the layout stays fast; the table beside the drawing lists every relationship.
    """
    shown = drawn_actors(view.relationships)
    edges = [(a, b, claim) for a, b, claim in _edges(view.relationships) if a in shown and b in shown]
    graph = nx.MultiGraph()
    graph.add_nodes_from(sorted({node for a, b, _ in edges for node in (a, b)}))
    graph.add_edges_from((a, b) for a, b, _ in edges)
    if not graph:
        return ""
    positions = _layout(nx.Graph(graph), seed)

    def place(node: str) -> tuple[float, float]:
        return positions[node]

    actors = {a.id: a for a in view.actors}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + LEGEND_HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT + LEGEND_HEIGHT}" '
        'role="img" aria-label="Network of relationships" font-family="Dossier Sans, Noto Sans, DejaVu Sans, '
        'sans-serif">',
        f"<title>{escape(_alt_text(edges))}</title>",  # the figure's /Alt in the tagged PDF (PDF/UA, veraPDF 7.3-1)
    ]
    parallel = defaultdict(int)
    for a, b, claim in edges:
        pair = tuple(sorted((a, b)))
        nth = parallel[pair]
        parallel[pair] += 1
        (x1, y1), (x2, y2) = place(a), place(b)
        bend = 0 if nth == 0 else (BEND * ((nth + 1) // 2) * (1 if nth % 2 else -1))
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = math.hypot(x2 - x1, y2 - y1) or 1
        cx, cy = round(mx - bend * (y2 - y1) / length, 1), round(my + bend * (x2 - x1) / length, 1)
        link = claim.fact.link
        assert link is not None  # the check requires the link of every relationship
        colour, _ = LINK_STYLES[link.value]
        dash = ' stroke-dasharray="5 3"' if claim.status_shown else ""
        label = f"{actors[a].name} {claim.fact.relationship} {actors[b].name}"
        out.append(
            f'<g class="edge link-{link.value}" '
            f'id="edge-{claim.fact.id}-{b}"><title>{escape(visible_controls(label))}</title>'
            f'<path d="M{x1},{y1} Q{cx},{cy} {x2},{y2}" fill="none" stroke="{colour}" stroke-width="1.8"{dash}/></g>'
        )
    labels = []  # drawn last, over every edge and node, so that no line runs through a name
    for node in graph.nodes:
        x, y = place(node)
        actor = actors[node]
        person = actor.kind.is_person
        shape = (
            f'<circle cx="{x}" cy="{y}" r="7" fill="#1f3a5f"/>'
            if person
            else f'<rect x="{x - 7}" y="{y - 7}" width="14" height="14" rx="2" fill="#ffffff" stroke="#1f3a5f" '
            'stroke-width="1.6"/>'
        )
        out.append(f'<g class="node" id="node-{node}">{shape}</g>')
        labels.append(f'<g class="node-label" id="label-{node}">{_label(x, y, actor.name, person)}</g>')
    out.extend(labels)
    out.append(_legend())
    out.append("</svg>")
    return "\n".join(out)


def _legend() -> str:
    y = HEIGHT + 18
    items = [
        '<circle cx="12" cy="{y}" r="6" fill="#1f3a5f"/><text x="24" y="{t}" font-size="9">person</text>',
        '<rect x="66" y="{r}" width="12" height="12" rx="2" fill="#fff" stroke="#1f3a5f" stroke-width="1.4"/><text '
        'x="84" y="{t}" font-size="9">body</text>',
    ]
    x = 130
    for colour, label in LINK_STYLES.values():
        items.append(
            f'<line x1="{x}" y1="{{y}}" x2="{x + 22}" y2="{{y}}" stroke="{colour}" stroke-width="2"/><text '
            f'x="{x + 27}" y="{{t}}" font-size="9">{label}</text>'
        )
        x += 32 + 6 * len(label)
    items.append(
        f'<line x1="{x}" y1="{{y}}" x2="{x + 22}" y2="{{y}}" stroke="#4a5563" stroke-width="2" '
        f'stroke-dasharray="5 3"/><text x="{x + 27}" y="{{t}}" font-size="9">alleged</text>'
    )
    body = "".join(item.format(y=y, t=y + 3, r=y - 6) for item in items)
    return f'<g class="legend">{body}</g>'
