"""SVG drawn by resilint itself: ``graph -f svg`` and ``what-if -f svg`` without Graphviz.

Positions come from :mod:`checker.queries.geometry`; colours and legends from
:mod:`checker.render.palette`, so SVG, DOT and Mermaid agree (docs/commands.md).
Styling is in presentation attributes only (no ``<style>``), so a picture looks the
same opened alone, embedded in another page, or inlined in the HTML report, which
restyles nodes through their ``data-id`` and ``data-state`` attributes. State is
never colour alone: a failed or downed node also says so in its second line.

Every string from the manifests is XML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from checker.queries.forest import place_forest
from checker.queries.geometry import (
    GATE_HEIGHT,
    LABEL_SIZE,
    PAD,
    SUB_SIZE,
    Curve,
    Placement,
    Rect,
    curve,
    node_size,
    place,
    state_words,
    text_width,
)
from checker.queries.layout import Layout, Node
from checker.queries.whatif import WhatIf
from checker.render import Renderer, whole
from checker.render.palette import (
    CLUSTER_DOWN_FILL,
    CLUSTER_FAILED_FILL,
    DOWN_FILL,
    DOWN_LINE,
    FAILED_FILL,
    FAILED_LINE,
    GATE_FILL,
    LEGEND,
    SCENARIO_LEGEND,
    SERVICE_FILL,
)

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT = "Helvetica, Arial, sans-serif"
UP_FILL, UP_LINE = "#c7e9c0", "#2f7d32"
LEGEND_HEIGHT = 24
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def xml(text: str) -> str:
    """Text safe in XML content and in double- or single-quoted attributes."""
    return text.translate(_XML)


def to_svg(
    view: Layout,
    title: str = "resilint graph",
    standalone: bool = True,
    prefix: str = "",
    markable: bool = False,
) -> str:
    """The picture of ``view``: nested domain boxes, services, edges, scenario marks.

    ``standalone=False`` leaves out the XML namespace (HTML parses inline SVG without
    it); ``prefix`` keeps marker ids unique when several pictures share a page;
    ``markable`` makes room for marks a script adds later.
    """
    placed = place(view, markable)
    parts: list[str] = []
    for entity, rect in placed.boxes.items():
        parts.append(_box(view.nodes[entity], rect, view.status(entity)))
    for edge in view.edges:
        path = curve(placed.rect(edge.tail), placed.rect(edge.head))
        parts.append(_edge(path, edge.style == "runs_on", edge.label, prefix))
    for entity, rect in placed.nodes.items():
        parts.append(_node(view.nodes[entity], rect, view.status(entity)))
    legend = LEGEND + (SCENARIO_LEGEND if view.failed or markable else "")
    return _document(placed, parts, title, legend, standalone, prefix)


def what_if_svg(result: WhatIf, standalone: bool = True, prefix: str = "") -> str:
    """What-if as a forest: each failed domain, what it took down, link by link.

    The links are the failure engine's cause chains, read from their first word (an
    id: ids hold no spaces). Services still up are listed in a green box below.
    """
    down_services = {service.id: service.tier for service in result.down}
    trigger: dict[str, str] = {}
    reason: dict[str, str] = {}
    for service in result.down:
        links = [chain_link(cause) for cause in service.causes]
        for (effect, why), (cause, _) in pairwise(links):
            trigger.setdefault(effect, cause)
            reason.setdefault(effect, short_reason(why, cause))
    children: dict[str, list[str]] = {}
    for effect, cause in trigger.items():
        children.setdefault(cause, []).append(effect)
    labels: dict[str, tuple[str, str]] = {}
    for entity in [*result.scenario, *trigger]:
        labels[entity] = (entity, down_services.get(entity, "domain"))
    sizes = {
        entity: node_size(label, sub + state_words(_what_if_state(entity, result)))
        for entity, (label, sub) in labels.items()
    }
    placed = place_forest(list(result.scenario), children, sizes, reason)
    parts: list[str] = []
    for effect, cause in trigger.items():
        if effect in placed.nodes and cause in placed.nodes:
            path = curve(placed.nodes[cause], placed.nodes[effect])
            parts.append(_edge(path, False, reason[effect], prefix))
    for entity, rect in placed.nodes.items():
        shape = "service" if entity in down_services else "domain"
        status = _what_if_state(entity, result)
        parts.append(_node(Node(entity, *labels[entity], shape), rect, status))
    if result.up:
        parts.append(_still_up(result, placed))
    legend = "arrows: what took what down · red: failed · orange: down with it · green: still up"
    title = "what-if " + ", ".join(result.scenario)
    return _document(placed, parts, title, legend, standalone, prefix)


def _what_if_state(entity: str, result: WhatIf) -> str:
    return "failed" if entity in result.scenario else "down"


def chain_link(cause: str) -> tuple[str, str]:
    """(entity id, reason) of one link of a cause chain: ``auth is down: requires x``."""
    entity, _, rest = cause.partition(" ")
    return entity, rest.removeprefix("is down: ")


def short_reason(reason: str, cause: str) -> str:
    """``inside pangyo`` drawn as an arrow from pangyo needs only ``inside``."""
    return reason.removesuffix(" " + cause) if reason.endswith(" " + cause) else reason


#: At most this many still-up services are drawn; the rest are counted.
STILL_UP_SHOWN = 60
_UP_COLUMNS = 6


def _still_up(result: WhatIf, placed: Placement) -> str:
    shown = result.up[:STILL_UP_SHOWN]
    sizes = [node_size(s.id, s.tier + state_words("up")) for s in shown]
    cell = max(w for w, _ in sizes)
    top = placed.height + PAD
    rows = -(-len(shown) // _UP_COLUMNS)
    width = min(len(shown), _UP_COLUMNS) * (cell + PAD) + PAD
    height = 28 + rows * (sizes[0][1] + PAD) + (18 if len(result.up) > len(shown) else 0)
    parts = [
        f'<g class="still-up"><rect x="{PAD}" y="{top}" width="{width}" height="{height}" '
        f'rx="6" fill="#f4fbf2" stroke="{UP_LINE}"/>',
        f'<text x="{2 * PAD}" y="{top + 18}" font-size="{LABEL_SIZE}" font-weight="bold">'
        f"still up ({len(result.up)})</text>",
    ]
    for index, service in enumerate(shown):
        row, column = divmod(index, _UP_COLUMNS)
        w, h = sizes[index]
        rect = Rect(2 * PAD + column * (cell + PAD), top + 28 + row * (h + PAD), w, h)
        parts.append(_node(Node(service.id, service.id, service.tier, "service"), rect, "up"))
    if len(result.up) > len(shown):
        parts.append(
            f'<text x="{2 * PAD}" y="{top + height - 6}" font-size="{SUB_SIZE}">'
            f"and {len(result.up) - len(shown)} more</text>"
        )
    parts.append("</g>")
    placed.height = top + height + PAD
    placed.width = max(placed.width, width + 2 * PAD)
    return "".join(parts)


def _document(
    placed: Placement,
    parts: Iterable[str],
    title: str,
    legend: str,
    standalone: bool,
    prefix: str,
) -> str:
    body = "\n".join(parts)  # measured first: a still-up box may grow the picture
    width = max(placed.width, text_width(legend, SUB_SIZE) + 2 * PAD)
    height = placed.height + LEGEND_HEIGHT
    namespace = f' xmlns="{SVG_NAMESPACE}"' if standalone else ""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg{namespace} class="resilint-picture" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">\n'
        f"<title>{xml(title)}</title>\n"
        f"<defs>{_marker(prefix + 'arrow', '#444444')}{_marker(prefix + 'arrow-dashed', '#777777')}"
        "</defs>\n"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f"{body}\n"
        f'<text class="legend" x="{PAD}" y="{height - 8}" font-size="{SUB_SIZE}" '
        f'fill="#555555">{xml(legend)}</text>\n'
        "</svg>\n"
    )


def _marker(marker_id: str, colour: str) -> str:
    return (
        f'<marker id="{xml(marker_id)}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )


def _edge(path: Curve, dashed: bool, label: str, prefix: str) -> str:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = path
    colour = "#777777" if dashed else "#444444"
    marker = prefix + ("arrow-dashed" if dashed else "arrow")
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    text = ""
    if label:
        mx, my = path.middle
        text = (
            f'<text x="{mx}" y="{my - 3}" font-size="{SUB_SIZE}" text-anchor="middle" '
            f'fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{xml(label)}</text>"
        )
    return (
        f'<g class="edge"><path d="M{x0},{y0} C{x1},{y1} {x2},{y2} {x3},{y3}" fill="none" '
        f'stroke="{colour}" stroke-width="1.2"{dash} marker-end="url(#{xml(marker)})"/>{text}</g>'
    )


def _box(node: Node, rect: Rect, status: str | None) -> str:
    fill = {"failed": CLUSTER_FAILED_FILL, "down": CLUSTER_DOWN_FILL}.get(status or "", "#fafafa")
    line = {"failed": FAILED_LINE, "down": DOWN_LINE}.get(status or "", "#999999")
    width = 2 if status else 1
    dash = ' stroke-dasharray="6 3"' if status == "down" else ""
    state = f' data-state="{status}"' if status else ""
    sub_x = rect.x + PAD + text_width(node.label) + 8
    return (
        f'<g class="box" data-id="{xml(node.id)}"{state}>'
        f"<title>{xml(node.id)} ({xml(node.sublabel)}){xml(state_words(status))}</title>"
        f'<rect x="{rect.x}" y="{rect.y}" width="{rect.w}" height="{rect.h}" rx="6" '
        f'fill="{fill}" stroke="{line}" stroke-width="{width}"{dash}/>'
        f'<text x="{rect.x + PAD}" y="{rect.y + 19}" font-size="{LABEL_SIZE}" '
        f'font-weight="bold" fill="#222222">{xml(node.label)}</text>'
        f'<text class="sub" x="{sub_x}" y="{rect.y + 19}" font-size="{SUB_SIZE}" fill="#555555">'
        f"{xml(node.sublabel + state_words(status))}</text></g>"
    )


def _node(node: Node, rect: Rect, status: str | None) -> str:
    fill = {"domain": "#ffffff", "service": SERVICE_FILL, "gate": GATE_FILL}[node.shape]
    line, width, dash, ink = "#666666", 1, "", "#222222"
    if status == "failed":
        fill, line, width, ink = FAILED_FILL, FAILED_LINE, 2, "#ffffff"
    elif status == "down":
        fill, line, width, dash = DOWN_FILL, DOWN_LINE, 2, ' stroke-dasharray="5 3"'
    elif status == "up":
        fill, line = UP_FILL, UP_LINE
    state = f' data-state="{status}"' if status else ""
    head = f'<g class="node {node.shape}" data-id="{xml(node.id)}"{state}>'
    stroke = f'stroke="{line}" stroke-width="{width}"{dash}'
    if node.shape == "gate":
        x, y, w, h = rect
        middle = y + GATE_HEIGHT // 2
        points = (
            f"{x},{middle} {x + 8},{y} {x + w - 8},{y} {x + w},{middle} {x + w - 8},{y + h} "
            f"{x + 8},{y + h}"
        )
        return (
            f"{head}<title>{xml(node.label)} (any_of){xml(state_words(status))}</title>"
            f'<polygon points="{points}" fill="{fill}" {stroke}/>'
            f'<text x="{rect.cx}" y="{middle + 3}" font-size="{SUB_SIZE}" text-anchor="middle" '
            f'fill="{ink}">{xml(node.label)}</text></g>'
        )
    radius = 10 if node.shape == "service" else 2
    sub = node.sublabel + state_words(status)
    sub_ink = ink if status == "failed" else "#444444"
    return (
        f"{head}<title>{xml(node.id)} ({xml(sub)})</title>"
        f'<rect x="{rect.x}" y="{rect.y}" width="{rect.w}" height="{rect.h}" rx="{radius}" '
        f'fill="{fill}" {stroke}/>'
        f'<text x="{rect.cx}" y="{rect.y + 15}" font-size="{LABEL_SIZE}" text-anchor="middle" '
        f'fill="{ink}">{xml(node.label)}</text>'
        f'<text class="sub" x="{rect.cx}" y="{rect.y + 27}" font-size="{SUB_SIZE}" '
        f'text-anchor="middle" fill="{sub_ink}">{xml(sub)}</text></g>'
    )


FORMATS: dict[str, Renderer[Layout]] = {"svg": whole(to_svg)}
WHAT_IF_FORMATS: dict[str, Renderer[WhatIf]] = {"svg": whole(what_if_svg)}
