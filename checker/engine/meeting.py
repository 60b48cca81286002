"""Where two failures can meet: the candidate pairs the risk-group search must try.

Part of :mod:`checker.engine.riskgroups` (see its docstring for why this is exact):
a pair ``{a, b}`` can down a target that neither member downs alone only by jointly
breaking a *meeting gate* with slack in the target's requirement cone. This module
finds those pairs from the single-failure kill sets, and the bitsets over targets
and candidates that the search needs to stay within the cones that matter.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from checker.engine import budget
from checker.engine.graph import FailureGraph
from checker.engine.order import bit_positions


class MeetingPairs:
    """The candidate pairs that jointly break a gate with slack in some target's cone.

    ``kills`` are the single-failure kill sets over the candidates (bits by
    position), ``fatal`` per candidate position the targets (bits) it downs alone,
    ``reach`` per entity the targets (bits) whose cone holds it, and ``broken`` the
    entities down with nothing failed.
    """

    def __init__(
        self,
        graph: FailureGraph,
        kills: Sequence[int],
        fatal: Sequence[int],
        reach: Sequence[int],
        broken: Collection[int],
    ) -> None:
        self.graph = graph
        self.kills = kills
        self.fatal = fatal
        self.reach = reach
        self.broken = broken
        #: Candidate pairs weighed, against the budget.
        self.checks = 0

    def find(self) -> dict[tuple[int, int], int]:
        """Candidate pairs (by position), each with the bitset of the targets that could
        have it as a minimal group (neither member downs them alone)."""
        graph, reach = self.graph, self.reach
        pairs: dict[tuple[int, int], int] = {}
        for owner in range(len(graph.ids)):
            interested = reach[owner]
            if not interested or owner in self.broken:
                continue
            owner_kills = self.kills[owner]
            for gate in graph.gates_of[owner]:
                self._gate_pairs(gate, interested, owner_kills, pairs)
        return pairs

    def _gate_pairs(
        self,
        gate: int,
        interested: int,
        owner_kills: int,
        pairs: dict[tuple[int, int], int],
    ) -> None:
        """The pairs that break ``gate`` together, neither alone.

        Each candidate that hits the gate takes some weight from it alone (never more
        than its slack: a candidate that breaks it alone downs the owner alone, and is
        no member of a minimal pair here). Two together take at most the sum of their
        weights, so, heaviest first, each candidate is only paired with those heavy
        enough to reach past the slack with it: an ``any_of`` of 2,000 feeds that
        needs one of them (slack 1,999, weight 1 each) weighs no pair at all.
        """
        graph, fatal, kills = self.graph, self.fatal, self.kills
        members = graph.gate_members[gate]
        weights = graph.gate_weights[gate]
        already_lost = sum(w for m, w in zip(members, weights, strict=True) if m in self.broken)
        slack = graph.gate_total[gate] - graph.gate_need[gate] - already_lost
        if slack < 1:
            return  # any single loss breaks it: never the place where two failures meet
        masks: dict[int, int] = {}
        taken: dict[int, int] = {}
        for slot, (member, weight) in enumerate(zip(members, weights, strict=True)):
            if member in self.broken:
                continue
            # A candidate that downs the owner alone is no member of a minimal pair here.
            for position in bit_positions(kills[member] & ~owner_kills):
                masks[position] = masks.get(position, 0) | 1 << slot
                taken[position] = taken.get(position, 0) + weight
        # Candidates that hit the same members take the same weight, and two of them
        # together take no more than one (at most the slack): only candidates of two
        # different classes can pair. In an estate in bad shape, an any_of of two
        # services, one killed by 370 candidates, the other by 7, holds 2,590 pairs
        # among 71,000 couples of candidates.
        classes: dict[int, list[int]] = {}
        for position, mask in masks.items():
            classes.setdefault(mask, []).append(position)
        unit = all(weight == 1 for weight in weights)
        heaviest = sorted(classes, key=lambda mask: (-taken[classes[mask][0]], mask))
        for index, first_mask in enumerate(heaviest):
            firsts = classes[first_mask]
            first_weight = taken[firsts[0]]
            for second_mask in heaviest[index + 1 :]:
                seconds = classes[second_mask]
                second_weight = taken[seconds[0]]
                if first_weight + second_weight <= slack:
                    break  # lighter ones cannot reach past the slack either
                overlap = first_mask & second_mask
                lost = first_weight + second_weight
                if overlap:  # members both take down count once
                    lost -= (
                        overlap.bit_count()
                        if unit
                        else sum(weights[slot] for slot in bit_positions(overlap))
                    )
                # One check per couple of classes, and one per couple of candidates paired.
                self.checks += 1 if lost <= slack else 1 + len(firsts) * len(seconds)
                if self.checks > budget.MAX_PAIR_CHECKS:
                    raise budget.too_many_pairs()
                if lost <= slack:
                    continue
                for first in firsts:
                    wanted = interested & ~fatal[first]
                    if not wanted:
                        continue
                    for second in seconds:
                        both = wanted & ~fatal[second]
                        if both:
                            key = (first, second) if first < second else (second, first)
                            pairs[key] = pairs.get(key, 0) | both


def target_reach(graph: FailureGraph, bits: dict[int, int]) -> list[int]:
    """Per entity: a bitset of the targets whose cone holds it (``bits``: target -> bit)."""
    order, component_of = _components(graph)
    reach = [0] * len(order)
    for target, target_bit in bits.items():
        reach[component_of[target]] |= target_bit
    # Requirements come before what requires them: walk backwards, pushing each
    # component's targets down to everything it requires.
    for index in range(len(order) - 1, -1, -1):
        value = reach[index]
        if not value:
            continue
        for node in order[index]:
            for needed in graph.requirements_of(node):
                other = component_of[needed]
                if other != index:
                    reach[other] |= value
    return [reach[component_of[entity]] for entity in range(len(graph.ids))]


def candidate_cones(graph: FailureGraph, candidates: Sequence[int]) -> list[int]:
    """Per entity, a bitset of the candidates (by position) in its requirement cone."""
    order, component_of = _components(graph)
    bits = [0] * len(order)
    for position, candidate in enumerate(candidates):
        bits[component_of[candidate]] |= 1 << position
    # Requirements come first, so theirs are complete when a component is reached.
    for index, members in enumerate(order):
        value = bits[index]
        for entity in members:
            for needed in graph.requirements_of(entity):
                other = component_of[needed]
                if other != index:
                    value |= bits[other]
        bits[index] = value
    return [bits[component_of[e]] for e in range(len(graph.ids))]


def _components(graph: FailureGraph) -> tuple[list[list[int]], list[int]]:
    """The graph's components in dependency order, and the component of each entity."""
    order, _ = graph.dependency_order()
    component_of = [0] * len(graph.ids)
    for index, members in enumerate(order):
        for entity in members:
            component_of[entity] = index
    return order, component_of
