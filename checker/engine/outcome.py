"""What one propagation of the failure engine found: what is down, and why.

:class:`~checker.engine.graph.FailureGraph` computes an :class:`Outcome`; the outcome
turns what the walk recorded for each downed entity (the gate that fell and the member
that tipped it) into the cause chains every finding and risk group prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from checker.core.model import Requirement

# The kinds of gate: why an entity is down when that gate falls.
INSIDE, REQUIRES, ANY_OF, INSTANCES = range(4)
#: In place of a trigger: no member tipped it (the entity failed in the scenario, or its
#: gate cannot hold even with nothing failed).
NO_TRIGGER = -1
#: In place of a gate id: the entity is a domain of the scenario itself.
IN_SCENARIO = -1


class Tables(Protocol):
    """What an outcome reads of the compiled graph that made it
    (:class:`~checker.engine.graph.FailureGraph`): names, and each gate's facts."""

    ids: list[str]
    index: dict[str, int]
    gate_kind: list[int]
    gate_need: list[int]
    gate_total: list[int]
    gate_requirement: list[Requirement | None]

    def is_domain(self, entity: int) -> bool: ...


class Outcome:
    """The result of one scenario: what is down, and why."""

    __slots__ = ("_down", "_graph", "_lost")

    def __init__(
        self, graph: Tables, down: dict[int, tuple[int, int]], lost: dict[int, int]
    ) -> None:
        self._graph = graph
        self._down = down
        self._lost = lost

    def is_down(self, entity_id: str) -> bool:
        return self._graph.index[entity_id] in self._down

    def is_down_index(self, entity: int) -> bool:
        return entity in self._down

    @property
    def down_indices(self) -> Iterable[int]:
        return self._down.keys()

    @property
    def down_count(self) -> int:
        """How many entities are down (what the propagation reached)."""
        return len(self._down)

    def down_ids(self) -> list[str]:
        ids = self._graph.ids
        return [ids[i] for i in self._down]

    def down_services(self) -> list[str]:
        graph = self._graph
        return [graph.ids[i] for i in self._down if not graph.is_domain(i)]

    def causes(self, entity_id: str) -> tuple[str, ...]:
        """The shortest cause chain of a downed entity, one sentence per link.

        A chain longer than :data:`MAX_CHAIN_LINKS` keeps its first links and its last
        (the failed domain) around a line that counts the links left out: a chain is
        printed for every finding and risk group, and a manifest can make one as long
        as it has entities.
        """
        graph = self._graph
        links: list[tuple[int, int, int]] = []  # (entity, gate, trigger), formatted below
        entity = graph.index[entity_id]
        seen: set[int] = set()
        while entity in self._down and entity not in seen:
            seen.add(entity)
            gate, trigger = self._down[entity]
            links.append((entity, gate, trigger))
            if gate == IN_SCENARIO or trigger == NO_TRIGGER:
                break
            entity = trigger
        if len(links) > MAX_CHAIN_LINKS:
            left_out = len(links) - MAX_CHAIN_LINKS + 1
            shown = [self._link(*link) for link in links[: MAX_CHAIN_LINKS - 2]]
            return (*shown, f"... {left_out:,} more links ...", self._link(*links[-1]))
        return tuple(self._link(*link) for link in links)

    def chains(
        self, entity_ids: Sequence[str], links: dict[tuple[int, int, int, int], str]
    ) -> list[tuple[str, ...]]:
        """The cause chains of several downed entities, as :meth:`causes` gives them.

        Chains of one outcome share their tails (every target of a failed pair falls
        through the same few entities), so each entity's chain is built once, as its
        own link before its trigger's chain; ``links`` keeps each sentence once across
        outcomes, keyed by what it says (entity, gate, trigger, weight lost).
        """
        graph, down, lost = self._graph, self._down, self._lost
        built: dict[int, tuple[str, ...]] = {}
        found: list[tuple[str, ...]] = []
        for entity_id in entity_ids:
            path: list[int] = []
            entity = graph.index[entity_id]
            while entity in down and entity not in built and len(path) <= MAX_CHAIN_LINKS:
                path.append(entity)
                gate, trigger = down[entity]
                if gate == IN_SCENARIO or trigger == NO_TRIGGER or trigger in path:
                    break
                entity = trigger
            tail = built.get(entity, ()) if path and entity not in path else ()
            if len(path) + len(tail) > MAX_CHAIN_LINKS:
                found.append(self.causes(entity_id))  # long chains are cut: rare
                continue
            for step in reversed(path):
                gate, trigger = down[step]
                key = (step, gate, trigger, lost.get(gate, 0))
                link = links.get(key)
                if link is None:
                    link = links[key] = self._link(step, gate, trigger)
                tail = built[step] = (link, *tail)
            found.append(tail if path else built.get(entity, ()))
        return found

    def _link(self, entity: int, gate: int, trigger: int) -> str:
        name = self._graph.ids[entity]
        if gate == IN_SCENARIO:
            return f"{name} failed"
        return f"{name} is down: {self._reason(gate, trigger)}"

    def _reason(self, gate: int, trigger: int) -> str:
        graph = self._graph
        kind = graph.gate_kind[gate]
        member = graph.ids[trigger] if trigger != NO_TRIGGER else None
        if kind == INSIDE:
            return f"inside {member}"
        if kind == REQUIRES:
            return f"requires {member}"
        up = graph.gate_total[gate] - self._lost.get(gate, 0)
        need = graph.gate_need[gate]
        if kind == ANY_OF:
            requirement = graph.gate_requirement[gate]
            assert requirement is not None
            return f"requires {need} of any_of [{_members(requirement.members)}], {up} up"
        reason = f"{up} of {graph.gate_total[gate]} instances up (needs {need})"
        if trigger == NO_TRIGGER:
            return reason + ", even with nothing failed"
        return reason


#: Links of a cause chain shown (real chains have a dozen or so).
MAX_CHAIN_LINKS = 50
#: Members of an ``any_of`` named in a cause chain; a chain is printed for every group
#: and finding, so an ``any_of`` of 2,000 feeds must not make each one 20 KB long.
_MEMBERS_SHOWN = 10


def _members(members: Sequence[str]) -> str:
    if len(members) <= _MEMBERS_SHOWN:
        return ", ".join(members)
    shown = ", ".join(members[:_MEMBERS_SHOWN])
    return f"{shown} and {len(members) - _MEMBERS_SHOWN} more"
