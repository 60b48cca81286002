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
from checker.engine.outcome import (
    ANY_OF,
    IN_SCENARIO,
    INSIDE,
    INSTANCES,
    NO_TRIGGER,
    REQUIRES,
    Outcome,
)


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
                down[entity] = (IN_SCENARIO, NO_TRIGGER)
                queue.append(entity)
        for owner, gate in self.broken:
            if owner in down or (within is not None and owner not in within):
                continue
            if marked is None or marked[0][owner] & marked[1]:
                down[owner] = (gate, NO_TRIGGER)
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
