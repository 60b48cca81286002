"""Graphviz DOT of a :class:`~checker.queries.layout.Layout`: ``dot -Tsvg`` draws it."""

from __future__ import annotations

from checker.queries.layout import Layout, Node
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


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dot_label(node: Node, on_dark: bool = False) -> str:
    shade = "#ffffff" if on_dark else "#555555"
    sub = f'<br/><font point-size="8" color="{shade}">{_html(node.sublabel)}</font>'
    return f"<{_html(node.label)}{sub if node.shape != 'gate' else ''}>"


def to_dot(view: Layout, title: str = "resilint") -> str:
    """Graphviz DOT: render with ``dot -Tsvg`` (or ``-Tpng``)."""
    legend = LEGEND + (SCENARIO_LEGEND if view.failed else "")
    lines = [
        f"digraph {_dot_id(title)} {{",
        "  graph [rankdir=LR, compound=true, newrank=true, fontname=Helvetica, fontsize=11,"
        f" nodesep=0.25, ranksep=0.7, labelloc=b, label={_dot_id(legend)}];",
        "  node [fontname=Helvetica, fontsize=10];",
        '  edge [fontname=Helvetica, fontsize=9, color="#444444", arrowsize=0.7];',
    ]
    for root in view.children.get(None, []):
        lines.extend(_dot_domain(view, root, "  "))
    for node in view.nodes.values():
        if node.shape == "service":
            lines.append("  " + _dot_node(view, node))
    lines.extend("  " + _dot_node(view, view.nodes[g]) for g in view.gates_in.get(None, []))
    anchors = {entity: _dot_anchor(view, entity) for entity in view.nodes}
    for edge in view.edges:
        attrs = ["style=dashed", 'color="#777777"'] if edge.style == "runs_on" else []
        if edge.label:
            attrs.append(f"label={_dot_id(edge.label)}")
        tail, head = anchors[edge.tail], anchors[edge.head]
        if view.is_cluster(edge.tail) and not _inside(view, edge.head, edge.tail):
            attrs.append(f"ltail={_dot_id('cluster_' + edge.tail)}")
        if view.is_cluster(edge.head) and not _inside(view, edge.tail, edge.head):
            attrs.append(f"lhead={_dot_id('cluster_' + edge.head)}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_dot_id(tail)} -> {_dot_id(head)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_domain(view: Layout, domain: str, indent: str) -> list[str]:
    node = view.nodes[domain]
    if not view.is_cluster(domain):
        return [indent + _dot_node(view, node)]
    status = view.status(domain)
    fill = {"failed": CLUSTER_FAILED_FILL, "down": CLUSTER_DOWN_FILL}.get(status or "", "#fafafa")
    line = {"failed": FAILED_LINE, "down": DOWN_LINE}.get(status or "", "#999999")
    style = "rounded,filled,dashed" if status == "down" else "rounded,filled"
    width = " penwidth=2;" if status else ""
    lines = [
        f"{indent}subgraph {_dot_id('cluster_' + domain)} {{",
        f'{indent}  label={_dot_label(node)}; labelloc=t; labeljust=l; style="{style}";'
        f' fillcolor="{fill}"; color="{line}";{width}',
    ]
    for child in view.children[domain]:
        lines.extend(_dot_domain(view, child, indent + "  "))
    inner = indent + "  "
    lines.extend(inner + _dot_node(view, view.nodes[g]) for g in view.gates_in.get(domain, []))
    lines.append(f"{indent}}}")
    return lines


def _dot_node(view: Layout, node: Node) -> str:
    shape = {"domain": "box", "service": "box", "gate": "hexagon"}[node.shape]
    fill = {"domain": "#ffffff", "service": SERVICE_FILL, "gate": GATE_FILL}[node.shape]
    style = "rounded,filled" if node.shape == "service" else "filled"
    color = "#666666"
    status = view.status(node.id)
    if status == "failed":
        fill, color, style = FAILED_FILL, FAILED_LINE, style + ",bold"
    elif status == "down":
        fill, color, style = DOWN_FILL, DOWN_LINE, style + ",dashed"
    extra = ", fontsize=8, height=0.3, margin=0.02" if node.shape == "gate" else ""
    if status == "failed":
        extra += ", fontcolor=white"
    return (
        f'{_dot_id(node.id)} [shape={shape}, style="{style}", fillcolor="{fill}", '
        f'color="{color}", label={_dot_label(node, status == "failed")}{extra}];'
    )


def _dot_anchor(view: Layout, entity: str) -> str:
    """An edge to a box goes to a node inside it (clipped at the box by ``lhead``)."""
    while view.is_cluster(entity):
        entity = view.children[entity][0]
    return entity


def _inside(view: Layout, entity: str, cluster: str) -> bool:
    stack = list(view.children.get(cluster, []))
    while stack:
        current = stack.pop()
        if current == entity:
            return True
        stack.extend(view.children.get(current, []))
    return False


FORMATS: dict[str, Renderer[Layout]] = {"dot": whole(to_dot)}
