"""``independent``: no single domain of a kind may take down more replicas than a service can lose.

What it does
    For every domain D of the kind(s) in ``of``, fails D alone with the failure engine
    and counts the selected service's instances whose domains go down (through
    ``parent`` and domain ``depends_on``). The service's own ``depends_on`` is ignored:
    this is about where the replicas sit. It passes when every such scenario leaves at
    least ``min_healthy`` instances up; with ``pairwise: true``, when no single D takes
    down two instances at all.

Why it matters
    "No shared power domain". In Pangyo (2022) the UPS and battery rooms fed whole
    halls; replicas in two halls behind one UPS room are one replica as far as a
    battery fire is concerned.

Example
    ``independent: {of: [ups, power-feed]}`` fails a service with racks in
    ``hall-a`` and ``hall-b`` when both halls ``depends_on: [b3-ups]``.

Fix
    Put replicas behind different power domains, or give the halls A/B feeds
    (``depends_on: [{any_of: [ups-a, ups-b]}]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from checker.checks.base import Context, Verdict, count_of_kind, kinds_of
from checker.core.model import Entity, Service
from checker.core.words import listing, plural
from checker.engine.killsets import SMALL_SLACK, over_slack
from checker.engine.order import bit_positions
from checker.engine.singles import first_chains

#: The rule key that names this check in a policy.
NAME = "independent"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "No single domain of kind 'of' takes down more replicas than the service can lose."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    of: str | list[str]
    pairwise: bool = False


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    graph = context.graph
    kinds = kinds_of(params.of)
    label = "/".join(kinds)
    placed = {graph.index[p.at] for e in entities if isinstance(e, Service) for p in e.instances}
    within = graph.cone(*placed)
    candidates, kills = context.single_failure_kills(kinds, within)
    if count_of_kind(context.model, kinds) > 0:
        passed = f"no single {label} domain takes down more instances than it can lose"
    else:
        passed = f"passes vacuously: no domain of kind {label} in the manifests"
    index = graph.index
    verdicts: list[Verdict] = []
    # Chains are found together once every verdict is known: one propagation per fatal
    # domain for all the services it is named first for (engine.singles.first_chains),
    # not one per failing service. Until then such a verdict has no causes.
    unchained: list[tuple[int, int, int]] = []  # (verdict, fatal domain's position, target)
    for service in entities:
        assert isinstance(service, Service)
        total = service.replica_count
        if total < service.min_healthy:
            verdicts.append(
                Verdict(
                    service.id,
                    False,
                    f"has {plural(total, 'instance')} but needs {service.min_healthy} "
                    "healthy, so any failure is fatal",
                )
            )
            continue
        taken = [kills[index[p.at]] for p in service.instances]
        weights = [p.replicas for p in service.instances]
        # Bit-parallel first (most services pass): any candidate taking too many?
        # (-1, every bit: a large slack is cheaper to look at candidate by candidate.)
        slack = total - service.min_healthy
        suspects = over_slack(taken, weights, slack) if slack < SMALL_SLACK else -1
        if params.pairwise:
            suspects |= over_slack(taken, weights, 1)
        if not suspects:
            verdicts.append(Verdict(service.id, True, passed))
            continue
        # Per candidate, the replicas it takes down and the first instance it hits:
        # placement by placement, linear in the kill sets (a service with 5,000
        # instances is not looked at 5,000 times per candidate).
        downed: dict[int, int] = {}
        first_at: dict[int, str] = {}
        for placement in service.instances:
            for position in bit_positions(kills[index[placement.at]]):
                downed[position] = downed.get(position, 0) + placement.replicas
                first_at.setdefault(position, placement.at)
        # Every candidate that takes down too many replicas (or two, pairwise).
        fatal: list[tuple[int, int, str]] = []
        for position in sorted(downed):
            down = downed[position]
            up = total - down
            if up < service.min_healthy or (params.pairwise and down >= 2):
                fatal.append((position, up, first_at[position]))
        if not fatal:
            verdicts.append(Verdict(service.id, True, passed))
            continue
        first, up, instance_at = fatal[0]
        domain = candidates[first]
        if params.pairwise:
            what = f"losing {domain} takes down {plural(total - up, 'instance')} at once"
        else:
            what = (
                f"losing {domain} leaves {up} of {plural(total, 'instance')} up "
                f"(needs {service.min_healthy})"
            )
        others = [candidates[f[0]] for f in fatal[1:]]
        also = f"; also {listing(others)}" if others else ""
        unchained.append((len(verdicts), first, index[instance_at]))
        verdicts.append(Verdict(service.id, False, f"shares a {label} domain: {what}{also}"))
    # Each (domain, instance site) once: services sharing a site share its chain.
    chained: dict[int, dict[int, None]] = {}
    for _, first, target in unchained:
        chained.setdefault(first, {})[target] = None
    by_first = {first: list(targets) for first, targets in chained.items()}
    chains = first_chains(graph, by_first, [index[c] for c in candidates], kills, within)
    for at, first, target in unchained:
        verdicts[at] = verdicts[at]._replace(causes=chains[first, target])
    yield from verdicts
