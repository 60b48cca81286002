"""The picture of a manifest, before any format: what :mod:`checker.render.dot` and
:mod:`checker.render.mermaid` draw, built once by :func:`layout`:

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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from checker.core.errors import UsageError
from checker.core.model import Entity, Model, Requirement, required_ids
from checker.core.words import suggest
from checker.engine.graph import FailureGraph
from checker.queries.scenario import check_domains


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
    entities: list[Entity] = [*model.domains.values(), *model.services.values()]
    for entity in entities:
        yield from ((entity.id, required) for required in required_ids(entity))


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
