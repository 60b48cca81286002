"""The failure engine: the one implementation of the failure semantics (docs/manifest.md).

Every requirement of an entity becomes a *gate*: "at least ``need`` of these members
(weighted) must be up". A domain's ``parent`` is a one-member gate, a hard
requirement too, an ``any_of`` group is a k-of-n gate, and a service's placements
form one gate weighted by ``count`` with ``need = min_healthy``.

Propagating a scenario is a breadth-first walk from the failed domains: when an
entity goes down, each gate watching it loses that member's weight, and a gate that
drops below ``need`` takes its owner down. This computes exactly the least fixed
point (nothing goes down without a cause, so healthy cycles stay up), costs time
proportional to what the scenario reaches, and, being breadth-first, records for
every downed entity a shortest cause chain.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from checker.core.model import Model, Requirement, required_ids
from checker.engine.order import dependency_order

# The kinds of gate: why an entity is down when that gate falls.
INSIDE, REQUIRES, ANY_OF, INSTANCES = range(4)
_NO_TRIGGER = -1
#: In place of a gate id: the entity is a domain of the scenario itself.
_IN_SCENARIO = -1


@dataclass(frozen=True, slots=True, order=True)
class Scenario:
    """A set of failed domains, kept sorted so equal scenarios compare and print alike."""

    failed: tuple[str, ...]

    @classmethod
    def of(cls, domains: Iterable[str]) -> Scenario:
        return cls(tuple(sorted(set(domains))))

    def __str__(self) -> str:
        return "{" + ", ".join(self.failed) + "}"


def requirement_cone(model: Model, entity_ids: Iterable[str]) -> set[str]:
    """The entities and everything they transitively require, read off the model."""
    domains, services = model.domains, model.services
    seen: set[str] = set()
    stack = [e for e in entity_ids if e in domains or e in services]
    while stack:
        entity_id = stack.pop()
        if entity_id in seen:
            continue
        seen.add(entity_id)
        stack.extend(required_ids(domains.get(entity_id) or services[entity_id]))
    return seen


class FailureGraph:
    """The model compiled to integer-indexed gates, built once and shared by every check."""

    def __init__(self, model: Model, only: AbstractSet[str] | None = None) -> None:
        """Compile ``model``, or only the entities in ``only``.

        ``only`` must be closed under requirements (see :func:`requirement_cone`): the
        state of every entity in it is then decided exactly, and a check that asks
        about a few entities of a large manifest compiles no more than it needs.
        """
        self.model = model
        domains = [d for d in model.domains.values() if only is None or d.id in only]
        services = [s for s in model.services.values() if only is None or s.id in only]
        self.ids: list[str] = [d.id for d in domains] + [s.id for s in services]
        self.index: dict[str, int] = {entity_id: i for i, entity_id in enumerate(self.ids)}
        self.domain_count = len(domains)
        self.gate_owner: list[int] = []
        self.gate_need: list[int] = []
        self.gate_total: list[int] = []
        self.gate_kind: list[int] = []
        self.gate_requirement: list[Requirement | None] = []
        self.gate_members: list[list[int]] = []
        self.gate_weights: list[list[int]] = []
        self.watchers: list[list[tuple[int, int]]] = [[] for _ in self.ids]
        self.gates_of: list[list[int]] = [[] for _ in self.ids]
        index = self.index
        # Gates are appended to parallel lists by a local closure: this runs once per
        # requirement of every entity (hundreds of thousands), so it is kept lean.
        owners, needs, totals = self.gate_owner, self.gate_need, self.gate_total
        kinds, requirements = self.gate_kind, self.gate_requirement
        members_of, weights_of = self.gate_members, self.gate_weights
        gates_of, watchers = self.gates_of, self.watchers

        def add(
            owner: int,
            kind: int,
            need: int,
            members: list[int],
            weights: list[int],
            requirement: Requirement | None,
        ) -> None:
            gate = len(owners)
            owners.append(owner)
            needs.append(need)
            totals.append(sum(weights))
            kinds.append(kind)
            requirements.append(requirement)
            members_of.append(members)
            weights_of.append(weights)
            gates_of[owner].append(gate)
            for member, weight in zip(members, weights, strict=True):
                watchers[member].append((gate, weight))

        one = [1]

        def add_single(owner: int, kind: int, member: int, requirement: Requirement | None) -> None:
            # The common gate (a parent, a hard requirement): one member, weight 1, need 1.
            gate = len(owners)
            owners.append(owner)
            needs.append(1)
            totals.append(1)
            kinds.append(kind)
            requirements.append(requirement)
            members_of.append([member])
            weights_of.append(one)
            gates_of[owner].append(gate)
            watchers[member].append((gate, 1))

        for owner, domain in enumerate(domains):
            if domain.parent is not None:
                add_single(owner, INSIDE, index[domain.parent], None)
            for requirement in domain.requires:
                if requirement.is_group:
                    group = [index[m] for m in requirement.members]
                    add(owner, ANY_OF, requirement.min, group, [1] * len(group), requirement)
                else:
                    add_single(owner, REQUIRES, index[requirement.members[0]], requirement)
        for owner, service in enumerate(services, start=self.domain_count):
            weights: dict[int, int] = {}
            for placement in service.instances:
                at = index[placement.at]
                weights[at] = weights.get(at, 0) + placement.replicas
            add(owner, INSTANCES, service.min_healthy, list(weights), list(weights.values()), None)
            for requirement in service.requires:
                if requirement.is_group:
                    group = [index[m] for m in requirement.members]
                    add(owner, ANY_OF, requirement.min, group, [1] * len(group), requirement)
                else:
                    add_single(owner, REQUIRES, index[requirement.members[0]], requirement)
        #: Entities down before anything fails (e.g. fewer replicas than ``min_healthy``).
        self.broken: list[tuple[int, int]] = [
            (owners[gate], gate) for gate in range(len(owners)) if totals[gate] < needs[gate]
        ]
        self._nothing_failed: Outcome | None = None
        self._order: tuple[list[list[int]], int] | None = None

    def requirements_of(self, entity: int) -> list[int]:
        """The members of all of an entity's gates (with repeats)."""
        members = self.gate_members
        return [m for gate in self.gates_of[entity] for m in members[gate]]

    def dependency_order(self) -> tuple[list[list[int]], int]:
        """Components, each after every component it requires, and where cyclic ones start.

        Components before the returned position are single entities on no cycle.
        """
        if self._order is None:
            counts = [0] * len(self.ids)
            for owner, members in zip(self.gate_owner, self.gate_members, strict=True):
                counts[owner] += len(members)
            owner_of = self.gate_owner
            dependents = [[owner_of[gate] for gate, _ in watching] for watching in self.watchers]
            self._order = dependency_order(counts, dependents, self.requirements_of)
        return self._order

    def cone(self, *entities: int) -> set[int]:
        """Everything the entities transitively require, themselves included.

        The state of an entity depends only on its cone, so a propagation limited to
        the cone of some targets decides them exactly, at a fraction of the cost.
        """
        seen = set(entities)
        stack = list(entities)
        gates_of, members_of = self.gates_of, self.gate_members
        while stack:
            for gate in gates_of[stack.pop()]:  # not requirements_of: no list per entity
                for member in members_of[gate]:
                    if member not in seen:
                        seen.add(member)
                        stack.append(member)
        return seen

    def explain(self, entity_id: str, failed: Iterable[str]) -> tuple[str, ...]:
        """The cause chain of one entity under a scenario, propagating only in its cone.

        An entity's state depends only on what it requires, so this gives the same
        answer (and chain) as a full propagation at a fraction of the cost.
        """
        entity = self.index[entity_id]
        cone = self.cone(entity)
        seeds = [self.index[d] for d in failed if self.index[d] in cone]
        return self.propagate_indices(seeds, cone).causes(entity_id)

    def is_domain(self, entity: int) -> bool:
        return entity < self.domain_count

    def domains_of_kind(self, kinds: Iterable[str] | None) -> list[str]:
        """Compiled domain ids of the given kinds, in manifest order (all for ``None``)."""
        domains = self.model.domains
        compiled = self.ids[: self.domain_count]
        if kinds is None:
            return compiled
        wanted = set(kinds)
        return [d for d in compiled if domains[d].kind in wanted]

    def nothing_failed(self) -> Outcome:
        """What is down when nothing has failed (normally nothing)."""
        if self._nothing_failed is None:
            self._nothing_failed = self.propagate(())
        return self._nothing_failed

    def propagate(self, failed: Iterable[str]) -> Outcome:
        """Everything down under the scenario in which ``failed`` domains fail together."""
        return self.propagate_indices([self.index[domain] for domain in failed])

    def propagate_indices(
        self,
        failed: Iterable[int],
        within: AbstractSet[int] | None = None,
        marked: tuple[Sequence[int], int] | None = None,
        watchers: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    ) -> Outcome:
        """Propagate from entity indices; ``within`` limits the walk to a closed set.

        ``marked`` (``marks, wanted``) limits it too, to the entities whose marks share
        a bit with ``wanted``: with marks that say whose requirement cone holds each
        entity, that is the union of the wanted cones, without building it as a set.
        ``watchers`` replaces :attr:`watchers` (each entity's ``(gate, weight)`` in
        gate order) with the same lists cut to where the walk is limited, so that an
        entity with thousands of dependents outside it costs nothing.
        """
        down: dict[int, tuple[int, int]] = {}
        lost: dict[int, int] = {}
        queue: deque[int] = deque()
        for entity in failed:
            if entity not in down:
                down[entity] = (_IN_SCENARIO, _NO_TRIGGER)
                queue.append(entity)
        for owner, gate in self.broken:
            if owner in down or (within is not None and owner not in within):
                continue
            if marked is None or marked[0][owner] & marked[1]:
                down[owner] = (gate, _NO_TRIGGER)
                queue.append(owner)
        watching = self.watchers if watchers is None else watchers
        gate_owner, gate_need, gate_total = self.gate_owner, self.gate_need, self.gate_total
        while queue:
            entity = queue.popleft()
            for gate, weight in watching[entity]:
                owner = gate_owner[gate]
                if within is not None and owner not in within:
                    continue
                if marked is not None and not marked[0][owner] & marked[1]:
                    continue
                gone = lost.get(gate, 0) + weight
                lost[gate] = gone
                if owner not in down and gate_total[gate] - gone < gate_need[gate]:
                    down[owner] = (gate, entity)
                    queue.append(owner)
        return Outcome(self, down, lost)


class Outcome:
    """The result of one scenario: what is down, and why."""

    __slots__ = ("_down", "_graph", "_lost")

    def __init__(
        self, graph: FailureGraph, down: dict[int, tuple[int, int]], lost: dict[int, int]
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
            if gate == _IN_SCENARIO or trigger == _NO_TRIGGER:
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
                if gate == _IN_SCENARIO or trigger == _NO_TRIGGER or trigger in path:
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
        if gate == _IN_SCENARIO:
            return f"{name} failed"
        return f"{name} is down: {self._reason(gate, trigger)}"

    def _reason(self, gate: int, trigger: int) -> str:
        graph = self._graph
        kind = graph.gate_kind[gate]
        member = graph.ids[trigger] if trigger != _NO_TRIGGER else None
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
        if trigger == _NO_TRIGGER:
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
