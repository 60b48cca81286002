"""``tier_dependencies``: no service depends on a service of a lower tier.

What it does
    Fails a service with a hard requirement on a service of a lower tier (later in the
    configured tier order), or an ``any_of`` group whose members are all services of a
    lower tier. With ``allow_lower: true`` only hard requirements are checked: an
    ``any_of`` group may fall back to lower tiers.

Why it matters
    A critical service that cannot run without a low-tier one is only as available as
    that low-tier service, which nobody replicated, paged or tested for it. Kakao's
    "redundancy level of the whole system is that of its weakest system" (2022).

Example
    ``checkout`` (critical) with ``depends_on: [feature-flags]`` (low) fails.

Fix
    Raise the dependency's tier (and its resilience with it), or make the requirement
    optional through an ``any_of`` group with a same-tier alternative.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from checker.checks.base import Context, Passes, Verdict, around
from checker.core.model import Entity, Requirement, Service
from checker.core.words import listing

#: The rule key that names this check in a policy.
NAME = "tier_dependencies"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "No hard requirement on a service of a lower tier."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    allow_lower: bool = False


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict | Passes]:
    services = context.model.services
    ranks = [service.tier_rank for service in services.values()]
    tiers = [service.tier for service in services.values()]
    ids, _, edges, with_groups = context.service_edges
    # Every hard edge to a lower tier in one comprehension (this runs over every
    # requirement of every service); only those services and the ones with an
    # ``any_of`` are looked at in detail, the others pass together.
    suspects = {
        node for node, row in enumerate(edges) for target in row if ranks[target] > ranks[node]
    }
    suspects |= with_groups
    selected = {entity.id: position for position, entity in enumerate(entities)}
    detailed: list[tuple[int, Verdict]] = []
    for node in suspects:
        position = selected.get(ids[node])
        if position is None:
            continue
        service_id, own = ids[node], ranks[node]
        if node in with_groups:
            lower = _lower(services, services[service_id], params.allow_lower)
        else:
            # Only hard requirements: the lower ones are read off the edges (which
            # keep the written order and leave out domains, which are never lower).
            lower = [f"{ids[t]} ({tiers[t]})" for t in edges[node] if ranks[t] > own]
        tier = tiers[node]
        if lower:
            message = f"is {tier} but depends on lower tiers: {listing(lower)}"
            detailed.append((position, Verdict(service_id, False, message)))
        else:
            detailed.append((position, Verdict(service_id, True, _passing(tier))))
    detailed.sort()
    yield from around(entities, detailed, _passed)


def _passed(service: Entity) -> str:
    assert isinstance(service, Service)
    return _passing(service.tier)


def _passing(tier: str) -> str:
    return f"depends on no service below tier {tier}"


def _lower(services: Mapping[str, Service], service: Service, allow_lower: bool) -> list[str]:
    """The requirements of ``service`` that only services of a lower tier can meet."""
    own = service.tier_rank
    lower: list[str] = []
    for requirement in service.requires:
        for member in requirement.members:
            found = services.get(member)
            # A domain (or unknown id) is never "lower": it meets the requirement.
            if found is None or found.tier_rank <= own:
                break
        else:
            if not (requirement.is_group and allow_lower):
                lower.append(_shown(services, requirement))
    return lower


def _shown(services: Mapping[str, Service], requirement: Requirement) -> str:
    targets = [services[member] for member in requirement.members]
    shown = [f"{target.id} ({target.tier})" for target in targets]
    return shown[0] if not requirement.is_group else f"any_of [{', '.join(shown)}]"
