"""Which candidate pairs of a batch hold a domain that takes a target down alone.

Part of the pair stage of :mod:`checker.engine.riskgroups`: a batch of pairs is
decided by :func:`~checker.engine.killsets.scenario_kills`, and every pair that holds
a candidate fatal to a target on its own downs that target too, without being one of
its minimal groups; those pairs are masked out. The mask of a target is the union,
over its fatal candidates, of the pairs that hold each. In an estate in bad shape a
critical service has hundreds of fatal candidates, and every batch would pay hundreds
of operations on kilobyte-wide bitsets for each target.

Fatal candidates are inherited, though: whatever downs a hard requirement downs its
owner. So each entity's mask is the union of the masks of the requirements whose kill
sets its own contains, and of the pairs holding the few candidates fatal to it that
none of those is fatal to. That is exact by construction (the kill sets of those
requirements and those few candidates make up its kill set), and it costs one look at
each entity of the targets' cones per batch, computed in dependency order.

The few candidates are not always few: a service behind an ``any_of`` of two services
that hundreds of domains each take down has hundreds that none of its requirements
is fatal to alone. So they are indexed by candidate, and a batch visits only the
candidates its pairs hold (a quarter of them, or less), not every entity's list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.engine.graph import FailureGraph
from checker.engine.order import bit_positions


class FatalMasks:
    """Per target, the pairs of a batch that hold a candidate fatal to it alone.

    ``kills`` are the single-failure kill sets (per entity, the candidates by
    position that down it alone); ``targets`` the entities whose masks are wanted.
    """

    def __init__(self, graph: FailureGraph, kills: Sequence[int], targets: Sequence[int]) -> None:
        order, _ = graph.dependency_order()
        component_of = [0] * len(graph.ids)
        for index, members in enumerate(order):
            for entity in members:
                component_of[entity] = index
        members_of, gates_of = graph.gate_members, graph.gates_of
        #: Per entity needed: the requirements it inherits masks from, and the
        #: positions of the candidates fatal to it that none of them is fatal to.
        plan: dict[int, tuple[tuple[int, ...], list[int]]] = {}
        stack = [target for target in targets if kills[target]]
        while stack:
            entity = stack.pop()
            if entity in plan:
                continue
            own = kills[entity]
            inherited: dict[int, None] = {}
            covered = 0
            for gate in gates_of[entity]:
                for member in members_of[gate]:
                    bits = kills[member]
                    # Only from earlier components, so that masks are complete when
                    # read; a requirement on the same cycle is covered by the extras.
                    if bits and not bits & ~own and component_of[member] < component_of[entity]:
                        inherited[member] = None
                        covered |= bits
            plan[entity] = (tuple(inherited), bit_positions(own & ~covered))
            stack.extend(member for member in inherited if member not in plan)
        #: In dependency order: each entity after every one it inherits from.
        ordered = sorted(plan, key=component_of.__getitem__)
        self._plan = [(entity, plan[entity][0]) for entity in ordered]
        #: Per candidate position: the entities it is one of the extra candidates of.
        self._extra: dict[int, list[int]] = {}
        for entity in ordered:
            for position in plan[entity][1]:
                self._extra.setdefault(position, []).append(entity)
        self._targets = list(dict.fromkeys(targets))

    def masks(self, holding: Mapping[int, int]) -> dict[int, int]:
        """Per target, the pairs (bits by position in the batch) holding a candidate
        fatal to it alone; ``holding`` maps a candidate position to the pairs of the
        batch that hold it (absent: none)."""
        masks: dict[int, int] = {}
        get = masks.get
        extra = self._extra
        for position, pairs in holding.items():
            for entity in extra.get(position, ()):
                masks[entity] = get(entity, 0) | pairs
        for entity, inherited in self._plan:
            bits = get(entity, 0)
            for member in inherited:
                bits |= masks[member]
            masks[entity] = bits
        return {target: get(target, 0) for target in self._targets}
