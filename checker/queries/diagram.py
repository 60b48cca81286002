"""Diagrams of a manifest: the domain tree and the service graph, as Graphviz DOT or Mermaid.

Both formats draw the same picture, built once by :func:`layout`:

* the containment tree as nested boxes (a facility box holds its halls, a hall its
  racks); a domain with nothing drawn inside it is a plain node;
* services as rounded boxes, placements as dashed arrows ("runs on", with ``×N`` for
  ``count``), requirements as solid arrows; an ``any_of`` group is a small hexagon
  ("1 of 2") with an arrow to each member, so A/B power reads as a fault tree;
* with a scenario, failed domains are filled red and everything they take down is
  filled orange with a dashed outline: the blast radius.

Output is deterministic (manifest order throughout), so diagrams can be committed
and diffed. ``around`` keeps one entity and what it touches: everything it needs,
transitively, and everything that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from checker.core.errors import UsageError
from checker.core.model import Model, Requirement
from checker.engine.graph import FailureGraph
from checker.loading.problems import suggest
from checker.queries.whatif import check_domains

FAILED_FILL, FAILED_LINE = "#e45756", "#9b1c1c"
DOWN_FILL, DOWN_LINE = "#ffbf80", "#b35900"
CLUSTER_FAILED_FILL, CLUSTER_DOWN_FILL = "#fbd0d0", "#ffe6cc"
SERVICE_FILL, GATE_FILL = "#dbe9f6", "#f2f2f2"
LEGEND = "solid: requires · dashed: runs on · hexagon: any_of"
SCENARIO_LEGEND = " · red: failed · orange: down with it"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    sublabel: str
    shape: str  # "domain", "service" or "gate"


@dataclass(frozen=True)
class Edge:
    tail: str
    head: str
    style: str  # "runs_on" or "requires"
    label: str = ""


@dataclass
class Layout:
    """What to draw: nested domain boxes, free nodes, edges, and the scenario's marks."""

    children: dict[str | None, list[str]] = field(default_factory=dict)
    #: ``any_of`` nodes by the box they sit in (their owner's container; None: top level).
    gates_in: dict[str | None, list[str]] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    failed: frozenset[str] = frozenset()
    down: frozenset[str] = frozenset()

    def is_cluster(self, entity: str) -> bool:
        return bool(self.children.get(entity))

    def status(self, entity: str) -> str | None:
        if entity in self.failed:
            return "failed"
        return "down" if entity in self.down else None


def around(model: Model, entity_id: str) -> frozenset[str]:
    """The entity, everything it requires transitively, and everything requiring it."""
    if model.entity(entity_id) is None:
        raise UsageError(
            f"unknown entity {entity_id!r}" + suggest(entity_id, [*model.domains, *model.services])
        )
    needs: dict[str, list[str]] = {}
    needed_by: dict[str, list[str]] = {}
    for entity, required in _requirement_edges(model):
        needs.setdefault(entity, []).append(required)
        needed_by.setdefault(required, []).append(entity)
    return frozenset(_reach(entity_id, needs) | _reach(entity_id, needed_by))


def layout(
    model: Model,
    only: Iterable[str] | None = None,
    scenario: Sequence[str] = (),
    graph: FailureGraph | None = None,
) -> Layout:
    """The picture of ``model`` (or of the entities in ``only``), marking a scenario."""
    keep = set(only) if only is not None else None
    result = Layout()
    if scenario:
        failed = check_domains(model, scenario)
        outcome = (graph or FailureGraph(model)).propagate(failed)
        result.failed = frozenset(failed)
        result.down = frozenset(outcome.down_ids()) - result.failed

    def drawn(entity: str) -> bool:
        return keep is None or entity in keep

    for domain in model.domains.values():
        if not drawn(domain.id):
            continue
        parent = domain.parent if domain.parent is not None and drawn(domain.parent) else None
        result.children.setdefault(parent, []).append(domain.id)
        short = _short_name(domain.id, parent)
        result.nodes[domain.id] = Node(domain.id, short, domain.kind, "domain")
        _add_requirements(result, domain.id, domain.requires, drawn, parent)
    for service in model.services.values():
        if not drawn(service.id):
            continue
        result.nodes[service.id] = Node(service.id, service.id, service.tier, "service")
        for placement in service.instances:
            if drawn(placement.at):
                count = f"×{placement.replicas}" if placement.replicas > 1 else ""
                result.edges.append(Edge(service.id, placement.at, "runs_on", count))
        _add_requirements(result, service.id, service.requires, drawn, None)
    return result


def _add_requirements(
    result: Layout,
    owner: str,
    requires: Sequence[Requirement],
    drawn: Callable[[str], bool],
    container: str | None,
) -> None:
    for index, requirement in enumerate(requires):
        members = [m for m in requirement.members if drawn(m)]
        if not requirement.is_group:
            if members:
                result.edges.append(Edge(owner, members[0], "requires"))
            continue
        gate = f"{owner}#any_of{index}"
        label = f"{requirement.min} of {len(requirement.members)}"
        result.nodes[gate] = Node(gate, label, "any_of", "gate")
        result.gates_in.setdefault(container, []).append(gate)
        result.edges.append(Edge(owner, gate, "requires"))
        result.edges.extend(Edge(gate, member, "requires") for member in members)


def _short_name(entity: str, parent: str | None) -> str:
    """``r03`` for ``pangyo/hall-a/r03`` drawn inside ``pangyo/hall-a``: the box says the rest."""
    if parent is not None and entity.startswith(parent + "/"):
        return entity[len(parent) + 1 :]
    return entity


def _requirement_edges(model: Model) -> Iterable[tuple[str, str]]:
    for domain in model.domains.values():
        if domain.parent is not None:
            yield domain.id, domain.parent
        for requirement in domain.requires:
            yield from ((domain.id, m) for m in requirement.members)
    for service in model.services.values():
        yield from ((service.id, p.at) for p in service.instances)
        for requirement in service.requires:
            yield from ((service.id, m) for m in requirement.members)


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


# ----------------------------------------------------------------------------- DOT


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dot_label(node: Node, on_dark: bool = False) -> str:
    shade = "#ffffff" if on_dark else "#555555"
    sub = f'<br/><font point-size="8" color="{shade}">{_html(node.sublabel)}</font>'
    return f"<{_html(node.label)}{sub if node.shape != 'gate' else ''}>"


def to_dot(model: Model, view: Layout, title: str = "resilint") -> str:
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


# ------------------------------------------------------------------------- Mermaid


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


def to_mermaid(model: Model, view: Layout) -> str:
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
