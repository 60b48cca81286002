"""Single-failure kill sets: which single domains take each entity down, all at once.

Part of the failure engine (:mod:`checker.engine.graph`): the same least fixed point as a
propagation, computed for every candidate domain in one pass over the compiled graph
in dependency order, as integer bitsets. ``survives`` (one domain at a time),
``independent`` and the first stage of ``risk-groups`` ask it instead of propagating
once per domain; the tests hold it to propagation and to a brute-force oracle.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from weakref import WeakKeyDictionary

from checker.engine.graph import FailureGraph
from checker.engine.order import bit_positions


def single_failure_kills(
    graph: FailureGraph, candidates: Sequence[int], within: AbstractSet[int] | None = None
) -> list[int]:
    """For every entity, the candidates whose failure alone takes it down, as a bitset.

    Bit ``i`` stands for ``candidates[i]``. This answers "which single domains kill
    what" for all candidates at once, in one pass over the graph in dependency
    order, instead of one propagation per candidate. With ``within`` (a set closed
    under requirements, such as a :meth:`cone`), only its entities are computed:
    the others keep no bits. It is the same least fixed
    point as :meth:`propagate` (the tests hold both to the brute-force oracle),
    computed per gate: a gate falls under a single failure when the weight that
    failure takes from it exceeds its slack. Entities down with nothing failed
    get no bits (they are down in every scenario: see :meth:`nothing_failed`).
    """
    broken = graph.nothing_failed().is_down_index
    kills = [0] * len(graph.ids)
    for position, candidate in enumerate(candidates):
        if not broken(candidate):
            kills[candidate] |= 1 << position
    return _least_fixed_point(graph, kills, within)


def scenario_kills(
    graph: FailureGraph,
    scenarios: Sequence[Sequence[int]],
    within: AbstractSet[int] | None = None,
) -> list[int]:
    """For every entity, the scenarios that take it down, as a bitset.

    Bit ``s`` stands for ``scenarios[s]``, a set of domains (graph indices) failing
    together. The same pass as :func:`single_failure_kills` (which is the case of
    one domain per scenario), so the same least fixed point as :meth:`propagate`
    for each scenario, with the same conventions: ``within`` and entities down with
    nothing failed. The risk-group search decides every candidate pair at once this
    way, and weighs each group by what it takes down in the whole model.
    """
    broken = graph.nothing_failed().is_down_index
    kills = [0] * len(graph.ids)
    for position, scenario in enumerate(scenarios):
        bit = 1 << position
        for domain in scenario:
            if not broken(domain):
                kills[domain] |= bit
    return _least_fixed_point(graph, kills, within)


def _least_fixed_point(
    graph: FailureGraph, kills: list[int], within: AbstractSet[int] | None
) -> list[int]:
    """Complete ``kills`` (each failed domain's own scenarios set) over the whole graph."""
    broken = graph.nothing_failed().is_down_index
    members_of, weights_of, gates_of = graph.gate_members, graph.gate_weights, graph.gates_of
    totals = graph.gate_total
    watchers, owner_of = graph.watchers, graph.gate_owner
    slack_of = _slack(graph)

    def kills_of(entity: int) -> int:
        bits = kills[entity]
        for gate in gates_of[entity]:
            members = members_of[gate]
            slack = slack_of[gate]
            if len(members) == 1:
                if weights_of[gate][0] > slack:
                    bits |= kills[members[0]]
                continue
            union = 0
            for member in members:
                union |= kills[member]
            if not union or slack < 0:
                continue
            if slack == 0:
                bits |= union
                continue
            if slack == totals[gate] - 1 == len(members) - 1:
                # Unit weights, and only the loss of every member breaks it (a service
                # that needs one of its replicas): the scenarios that down them all.
                every = union
                for member in members:
                    every &= kills[member]
                bits |= every
                continue
            weights = weights_of[gate]
            # Bit-parallel when the members' kill sets are dense (an any_of of services
            # in an estate in bad shape); candidate by candidate when they are sparse
            # (the racks of a replica set, each killed by its own facility).
            if slack < SMALL_SLACK and union.bit_count() > slack + 1:
                bits |= over_slack([kills[member] for member in members], weights, slack)
                continue
            if len(members) > _FEW_MEMBERS:
                bits |= _breaking(members, weights, kills, slack)
                continue
            while union:
                lowest = union & -union
                union ^= lowest
                lost = 0
                for member, weight in zip(members, weights, strict=True):
                    if kills[member] & lowest:
                        lost += weight
                if lost > slack:
                    bits |= lowest
        return bits

    # In dependency order, by the plan (see _plan). An entity on no cycle gets one
    # look: one-member gates and gates that break only when every member is lost are
    # folded in directly; kills_of decides the others, and only when one of their
    # members is down in some scenario.
    for steps, cycle in _plan(graph):
        for entity, singles, every_lost, others in steps:
            if within is not None and entity not in within:
                continue
            bits = kills[entity]
            for member in singles:
                bits |= kills[member]
            for members in every_lost:
                every = kills[members[0]]
                for member in members:
                    if not every:
                        break
                    every &= kills[member]
                bits |= every
            for members in others:
                if any(kills[member] for member in members):
                    bits |= kills_of(entity)
                    break
            kills[entity] = bits
        if not cycle or (within is not None and cycle[0] not in within):
            continue  # a cycle is wholly inside a closed set, or wholly out
        # On a cycle, iterate up from nothing: the least fixed point, as propagation.
        # Sweeps in component order (requirements mostly first), but an entity is
        # looked at again only when a member of one of its gates gained bits since:
        # a 6,000-entity cycle in an estate in bad shape took a dozen full sweeps.
        # Every step only adds bits, so this is the same least fixed point.
        inside = set(cycle)
        dirty = set(cycle)
        while dirty:
            for entity in cycle:
                if entity not in dirty:
                    continue
                dirty.discard(entity)
                bits = kills_of(entity)
                if bits == kills[entity]:
                    continue
                kills[entity] = bits
                for gate, _ in watchers[entity]:
                    dependent = owner_of[gate]
                    if dependent in inside and not broken(dependent):
                        dirty.add(dependent)
    return kills


#: What a pass does for an entity on no cycle that is not down with nothing failed:
#: the entity, then the members of its one-member gates that its member's loss breaks,
#: of its gates that only the loss of every member breaks (unit weights: a service that
#: needs one of its replicas), and of its other gates.
_Step = tuple[int, tuple[int, ...], tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]
#: The whole dependency order as runs of steps, each followed by a cycle (a component
#: to iterate, its entities not down with nothing failed; empty after the last run).
_Plan = list[tuple[list[_Step], tuple[int, ...]]]
#: One plan per compiled graph: the risk-group search makes a dozen passes over one.
_PLANS: WeakKeyDictionary[FailureGraph, _Plan] = WeakKeyDictionary()


def _plan(graph: FailureGraph) -> _Plan:
    """What each pass of :func:`_least_fixed_point` does, in dependency order, worked
    out once per graph from its gates and their slack.

    The entities past the acyclic part that are on no cycle themselves (they depend
    on one: in an estate in bad shape, as many as are on cycles) get a step too, not
    a look at every gate.
    """
    plan = _PLANS.get(graph)
    if plan is not None:
        return plan
    broken = graph.nothing_failed().is_down_index
    members_of, weights_of, totals = graph.gate_members, graph.gate_weights, graph.gate_total
    slack_of = _slack(graph)
    order, first_cyclic = graph.dependency_order()
    requirements_of = graph.requirements_of

    def step(entity: int) -> _Step:
        singles: list[int] = []
        every_lost: list[tuple[int, ...]] = []
        others: list[tuple[int, ...]] = []
        for gate in graph.gates_of[entity]:
            members = members_of[gate]
            if len(members) == 1:
                if weights_of[gate][0] > slack_of[gate]:
                    singles.append(members[0])
            elif slack_of[gate] == totals[gate] - 1 == len(members) - 1:
                every_lost.append(tuple(members))
            else:
                others.append(tuple(members))
        return entity, tuple(singles), tuple(every_lost), tuple(others)

    plan = []
    steps = [step(component[0]) for component in order[:first_cyclic] if not broken(component[0])]
    for component in order[first_cyclic:]:
        entity = component[0]
        if len(component) == 1 and entity not in requirements_of(entity):
            if not broken(entity):
                steps.append(step(entity))
            continue
        plan.append((steps, tuple(e for e in component if not broken(e))))
        steps = []
    plan.append((steps, ()))
    _PLANS[graph] = plan
    return plan


#: Up to this many members, a gate is decided candidate by candidate (each candidate
#: looks at every member); above it, member by member (each member adds its weight to
#: the candidates that kill it), which is linear in the kill sets: an ``any_of`` of
#: 2,000 power feeds costs 2,000 steps, not 2,000 x 2,000.
_FEW_MEMBERS = 8


#: Below this slack, a gate is decided for all candidates at once by bitwise counting
#: (:func:`over_slack`): k-of-n gates are almost all ``any_of`` pairs and triples and
#: replica sets with a slack of 1 or 2, and in an estate in bad shape the kill sets of
#: their members hold hundreds of candidates each.
SMALL_SLACK = 4


def over_slack(kill_sets: Sequence[int], weights: Sequence[int], slack: int) -> int:
    """The candidates (as bits) that take more than ``slack`` weight from a gate alone,
    given each member's kill set and weight.

    Counts in bit-parallel: ``reached[w]`` holds the candidates that have taken at
    least ``w`` weight from the members seen so far (``w`` capped at ``slack + 1``),
    so each member costs ``slack + 1`` operations on whole kill sets, however many
    candidates they hold.
    """
    top = slack + 1
    reached = [0] * (top + 1)  # reached[0] is never read: every candidate has taken 0
    for taken, weight in zip(kill_sets, weights, strict=True):
        if not taken:
            continue
        for at_least in range(top, 0, -1):  # downwards: each member counts once
            below = at_least - weight
            reached[at_least] |= taken if below <= 0 else reached[below] & taken
    return reached[top]


def _breaking(members: list[int], weights: list[int], kills: list[int], slack: int) -> int:
    """The candidates (as bits) that take more than ``slack`` weight from a gate alone."""
    lost: dict[int, int] = {}
    get = lost.get
    for member, weight in zip(members, weights, strict=True):
        for position in bit_positions(kills[member]):
            lost[position] = get(position, 0) + weight
    bits = 0
    for position, amount in lost.items():
        if amount > slack:
            bits |= 1 << position
    return bits


def _slack(graph: FailureGraph) -> list[int]:
    """Per gate, the weight it can still lose once what is down with nothing failed is gone."""
    broken = graph.nothing_failed().is_down_index
    slack = [total - need for total, need in zip(graph.gate_total, graph.gate_need, strict=True)]
    if not graph.broken:
        return slack  # nothing is down with nothing failed, so no gate has lost anything
    for gate, members in enumerate(graph.gate_members):
        for member, weight in zip(members, graph.gate_weights[gate], strict=True):
            if broken(member):
                slack[gate] -= weight
    return slack


def fallen_region(
    graph: FailureGraph, kills: Sequence[int], position: int, targets: Sequence[int]
) -> set[int]:
    """What the targets' fall under candidate ``position`` alone can pass through.

    The entities down under that candidate (read off the kill sets) that the targets
    reach through requirements of entities that are down too. A propagation limited
    to this set downs the targets with the very chains of a full one, because a
    breadth-first propagation orders and weighs each downed entity only by downed
    members of its gates, and those are all in the set. It is usually a few dozen
    entities where the candidate downs thousands. Only for graphs where nothing is
    down with nothing failed (those entities carry no bits; see
    :func:`single_failure_kills`).
    """
    bit = 1 << position
    members_of, gates_of = graph.gate_members, graph.gates_of
    region = set(targets)
    stack = list(targets)
    while stack:
        for gate in gates_of[stack.pop()]:
            for member in members_of[gate]:
                if member not in region and kills[member] & bit:
                    region.add(member)
                    stack.append(member)
    return region
