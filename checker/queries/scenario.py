"""A scenario as a user names it: domain ids, checked against the model."""

from __future__ import annotations

from collections.abc import Sequence

from checker.core.errors import Problem, UsageError
from checker.core.model import Model
from checker.core.words import suggest


def check_domains(model: Model, domains: Sequence[str]) -> tuple[str, ...]:
    """The scenario's domain ids, deduplicated; an unknown id or a service is a UsageError."""
    problems = []
    for domain in domains:
        if domain in model.domains:
            continue
        if domain in model.services:
            problems.append(
                Problem(
                    f"{domain!r} is a service, not a domain: what-if fails domains "
                    f"(to see what {domain} needs, try `resilint risk-groups {domain}`)"
                )
            )
        else:
            problems.append(
                Problem(f"unknown domain {domain!r}" + suggest(domain, [*model.domains]))
            )
    if problems:
        raise UsageError(problems)
    return tuple(dict.fromkeys(domains))
