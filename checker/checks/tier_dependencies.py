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

from checker.checks.base import Context, Verdict
from checker.core.model import Entity, Requirement, Service
from checker.core.words import listing

#: The rule key that names this check in a policy.
NAME = "tier_dependencies"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "No hard requirement on a service of a lower tier."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_lower: bool = False


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    services = context.model.services
    # A domain (or unknown id) is never "lower": rank it above every tier.
    rank = {service_id: service.tier_rank for service_id, service in services.items()}
    rank_of = rank.get
    passed = {tier: f"depends on no service below tier {tier}" for tier in context.model.tiers}
    for service in entities:
        assert isinstance(service, Service)
        own = service.tier_rank
        lower: list[str] | None = None
        for requirement in service.requires:
            # The hard requirement (one member) is by far the common case: one lookup.
            members = requirement.members
            if not requirement.is_group:
                if rank_of(members[0], -1) <= own:
                    continue
            elif params.allow_lower or any(rank_of(m, -1) <= own for m in members):
                continue
            lower = lower if lower is not None else []
            lower.append(_shown(services, requirement))
        if lower:
            yield Verdict(
                service.id,
                False,
                f"is {service.tier} but depends on lower tiers: {listing(lower)}",
            )
        else:
            message = passed.get(service.tier) or f"depends on no service below tier {service.tier}"
            yield Verdict(service.id, True, message)


def _shown(services: Mapping[str, Service], requirement: Requirement) -> str:
    targets = [services[member] for member in requirement.members]
    shown = [f"{target.id} ({target.tier})" for target in targets]
    return shown[0] if not requirement.is_group else f"any_of [{', '.join(shown)}]"
