"""Mermaid flowcharts of a :class:`~checker.queries.layout.Layout` (GitHub renders them)."""

from __future__ import annotations

import re
from collections.abc import Callable

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


class MermaidIds:
    """Mermaid ids are plain words: ``pangyo/hall-a`` becomes ``d_pangyo_hall_a``, unique."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._used: set[str] = set()

    def __call__(self, entity: str, prefix: str) -> str:
        found = self._ids.get(entity)
        if found is None:
            base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", entity)
            found, number = base, 2
            while found in self._used:
                found, number = f"{base}_{number}", number + 1
            self._used.add(found)
            self._ids[entity] = found
        return found


def mermaid_text(text: str) -> str:
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def to_mermaid(view: Layout) -> str:
    """A Mermaid flowchart (GitHub renders it inside a ```mermaid block)."""
    ids = MermaidIds()
    prefix = {"domain": "d_", "service": "s_", "gate": "g_"}

    def mid(entity: str) -> str:
        return ids(entity, prefix[view.nodes[entity].shape])

    legend = LEGEND + (SCENARIO_LEGEND if view.failed else "")
    lines = ["flowchart LR", f"  %% {legend}"]
    for root in view.children.get(None, []):
        lines.extend(_mermaid_domain(view, root, "  ", mid))
    for node in view.nodes.values():
        if node.shape == "service":
            lines.append("  " + _mermaid_node(node, mid(node.id)))
    lines.extend("  " + _mermaid_node(view.nodes[g], mid(g)) for g in view.gates_in.get(None, []))
    for edge in view.edges:
        label = f"|{mermaid_text(edge.label)}|" if edge.label else ""
        arrow = "-.->" if edge.style == "runs_on" else "-->"
        lines.append(f"  {mid(edge.tail)} {arrow}{label} {mid(edge.head)}")
    lines.extend(_mermaid_styles(view, mid))
    return "\n".join(lines) + "\n"


def _mermaid_domain(view: Layout, domain: str, indent: str, mid: Callable[[str], str]) -> list[str]:
    node = view.nodes[domain]
    if not view.is_cluster(domain):
        return [indent + _mermaid_node(node, mid(domain))]
    # One line: Mermaid gives a box title no room for a second one.
    title = f"{mermaid_text(node.label)} · {mermaid_text(node.sublabel)}"
    lines = [f'{indent}subgraph {mid(domain)}["{title}"]']
    for child in view.children[domain]:
        lines.extend(_mermaid_domain(view, child, indent + "  ", mid))
    lines.extend(
        indent + "  " + _mermaid_node(view.nodes[g], mid(g)) for g in view.gates_in.get(domain, [])
    )
    lines.append(f"{indent}end")
    return lines


def _mermaid_label(node: Node) -> str:
    if node.shape == "gate":
        return mermaid_text(node.label)
    return f"{mermaid_text(node.label)}<br/><small>{mermaid_text(node.sublabel)}</small>"


def _mermaid_node(node: Node, mermaid_id: str) -> str:
    label = _mermaid_label(node)
    if node.shape == "service":
        return f'{mermaid_id}("{label}")'
    if node.shape == "gate":
        return f'{mermaid_id}{{{{"{label}"}}}}'
    return f'{mermaid_id}["{label}"]'


def _mermaid_styles(view: Layout, mid: Callable[[str], str]) -> list[str]:
    lines = [
        "  classDef domain fill:#ffffff,stroke:#666666",
        f"  classDef service fill:{SERVICE_FILL},stroke:#666666",
        f"  classDef gate fill:{GATE_FILL},stroke:#999999,font-size:10px",
    ]
    for shape in ("domain", "service", "gate"):
        members = [
            mid(n.id) for n in view.nodes.values() if n.shape == shape and not view.is_cluster(n.id)
        ]
        if members:
            lines.append(f"  class {','.join(members)} {shape}")
    if not view.failed:
        return lines
    lines.append(f"  classDef failed fill:{FAILED_FILL},stroke:{FAILED_LINE},stroke-width:2px")
    lines.append(
        f"  classDef down fill:{DOWN_FILL},stroke:{DOWN_LINE},stroke-width:2px,stroke-dasharray:5 3"
    )
    for status, cluster_fill, line in (
        ("failed", CLUSTER_FAILED_FILL, FAILED_LINE),
        ("down", CLUSTER_DOWN_FILL, DOWN_LINE),
    ):
        marked = [e for e in view.nodes if view.status(e) == status]
        plain = [mid(e) for e in marked if not view.is_cluster(e)]
        if plain:
            lines.append(f"  class {','.join(plain)} {status}")
        dash = ",stroke-dasharray:5 3" if status == "down" else ""
        lines.extend(
            f"  style {mid(e)} fill:{cluster_fill},stroke:{line},stroke-width:2px{dash}"
            for e in marked
            if view.is_cluster(e)
        )
    return lines


FORMATS: dict[str, Renderer[Layout]] = {"mermaid": whole(to_mermaid)}
