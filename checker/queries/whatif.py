"""What-if: fail some domains together and see which services go down, and why.

Pure logic over the failure engine: validate the scenario against the model, ask the
engine, and return a frozen :class:`WhatIf` (rendered by :mod:`checker.render.whatif`).
Services are listed most important tier first, then in manifest order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checker.core.errors import Problem, UsageError
from checker.core.model import Model
from checker.core.words import suggest
from checker.engine.graph import FailureGraph
from checker.queries.scenario import check_domains


@dataclass(frozen=True)
class DownService:
    id: str
    tier: str
    #: The shortest cause chain, from the service back to a failed domain.
    causes: tuple[str, ...]


@dataclass(frozen=True)
class UpService:
    id: str
    tier: str


@dataclass(frozen=True)
class WhatIf:
    """The answer to "if these domains fail together, what goes with them?"."""

    scenario: tuple[str, ...]
    down: tuple[DownService, ...]
    up: tuple[UpService, ...]
    #: Every domain down in the scenario (the failed ones and what they take along).
    domains_down: tuple[str, ...]
    #: Services down even with nothing failed (e.g. fewer replicas than ``min_healthy``).
    down_anyway: tuple[str, ...] = ()


def check_services(model: Model, services: Sequence[str]) -> tuple[str, ...]:
    """Service ids to narrow a listing to; an unknown id is a UsageError with a suggestion."""
    problems = []
    for service in services:
        if service in model.services:
            continue
        hint = (f"; {service!r} is a domain" if service in model.domains else "") or suggest(
            service, [*model.services]
        )
        problems.append(Problem(f"unknown service {service!r}{hint}"))
    if problems:
        raise UsageError(problems)
    return tuple(dict.fromkeys(services))


def what_if(
    model: Model,
    domains: Sequence[str],
    services: Sequence[str] = (),
    graph: FailureGraph | None = None,
) -> WhatIf:
    """Fail ``domains`` together; list every service (or only ``services``) down or up."""
    scenario = check_domains(model, domains)
    wanted = set(check_services(model, services))
    graph = graph or FailureGraph(model)
    outcome = graph.propagate(scenario)
    unfailed = graph.nothing_failed()
    down: list[DownService] = []
    up: list[UpService] = []
    ranked = sorted(model.services.values(), key=lambda service: service.tier_rank)
    for service in ranked:
        if wanted and service.id not in wanted:
            continue
        if outcome.is_down(service.id):
            down.append(DownService(service.id, service.tier, outcome.causes(service.id)))
        else:
            up.append(UpService(service.id, service.tier))
    domains_down = tuple(d for d in model.domains if outcome.is_down(d))
    anyway = tuple(
        s.id for s in ranked if unfailed.is_down(s.id) and (not wanted or s.id in wanted)
    )
    return WhatIf(scenario, tuple(down), tuple(up), domains_down, anyway)
