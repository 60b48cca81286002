"""``acyclic``: a service is on no cycle of hard service requirements.

What it does
    Builds the graph of hard requirements between services (``any_of`` groups are
    fallbacks and do not count) and fails every service on a cycle, naming one.

Why it matters
    The failure semantics let a healthy cycle stay up, but after a full outage nothing
    on a cycle can start first: cold start needs an order. In AWS us-east-1 (Dec 2021)
    the tools needed for recovery depended on the impaired internal network.

Example
    ``auth`` requires ``directory`` and ``directory`` requires ``auth``: both fail.

Fix
    Break the cycle: make one edge an ``any_of`` with a bootstrap alternative (a cache,
    static credentials), or remove it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from checker.checks.base import Context, Passes, Verdict, around
from checker.core.model import Entity
from checker.core.words import listing
from checker.engine.order import cyclic_components

#: The rule key that names this check in a policy.
NAME = "acyclic"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "The service is on no cycle of hard service requirements."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _cycle_through(start: int, edges: list[list[int]], component: set[int]) -> list[int]:
    """A shortest cycle from ``start`` back to itself, within its component."""
    previous: dict[int, int] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in edges[node]:
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child in component and child not in previous:
                previous[child] = node
                queue.append(child)
    return [start]


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict | Passes]:
    ids, _, edges, _ = context.service_edges
    cycles = cyclic_components(edges)
    if not cycles:  # the common case: everything passes at once
        yield from around(entities, (), _on_no_cycle)
        return
    # Keyed by id: the many services on no cycle cost one lookup each.
    on_cycle = {ids[node]: (node, cycle) for cycle in cycles for node in cycle}
    # A large group's message is the same for every member: written once per group,
    # since sorting the group for each member is quadratic (a 4,000-service group
    # took 1.9 s that way).
    group_messages = {
        id(cycle): _group_message(cycle, ids) for cycle in cycles if len(cycle) > _CYCLE_SHOWN
    }
    detailed = []
    for position, entity in enumerate(entities):
        found = on_cycle.get(entity.id)
        if found is None:
            continue
        node, cycle = found
        message = group_messages.get(id(cycle)) or _cycle_message(node, cycle, ids, edges)
        detailed.append((position, Verdict(entity.id, False, message)))
    yield from around(entities, detailed, _on_no_cycle)


def _on_no_cycle(entity: Entity) -> str:
    return ON_NO_CYCLE


def _group_message(members: list[int], ids: list[str]) -> str:
    # A shortest cycle per member costs a search of the whole group each (and prints
    # as long): 5,000 services in one ring meant 220 MB of findings.
    names = [ids[i] for i in sorted(members)]
    return (
        f"is on a cycle of hard requirements within a group of {len(members):,} "
        f"services that all require each other ({listing(names, 10)}; "
        "nothing in it can start first)"
    )


def _cycle_message(node: int, members: list[int], ids: list[str], edges: list[list[int]]) -> str:
    cycle = _cycle_through(node, edges, set(members))
    path = " -> ".join(ids[i] for i in cycle)
    return f"is on a cycle of hard requirements: {path} (nothing on it can start first)"


ON_NO_CYCLE = "is on no cycle of hard requirements"
#: Members of a group of mutually requiring services up to which each gets its own
#: shortest cycle, in full; a larger group is named by its first members.
_CYCLE_SHOWN = 64
