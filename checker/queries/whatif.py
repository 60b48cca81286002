"""What-if: fail some domains together and see which services go down, and why.

Pure logic over the failure engine: validate the scenario against the model, ask the
engine, and return a frozen :class:`WhatIf` that the CLI renders. Services are listed
most important tier first, then in manifest order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from checker.core.errors import Problem, UsageError
from checker.core.escape import escape_markdown, escape_terminal
from checker.core.model import Model
from checker.engine.graph import FailureGraph
from checker.loading.problems import suggest


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
    baseline = graph.baseline()
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
        s.id for s in ranked if baseline.is_down(s.id) and (not wanted or s.id in wanted)
    )
    return WhatIf(scenario, tuple(down), tuple(up), domains_down, anyway)


# -------------------------------------------------------------------- rendering


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def summary(result: WhatIf) -> str:
    """``3 services down, 1 up; 7 domains down``."""
    return (
        f"{_count(len(result.down), 'service')} down, {len(result.up)} up; "
        f"{_count(len(result.domains_down), 'domain')} down"
    )


def to_text(result: WhatIf) -> str:
    # Ids, tiers and causes come from input files: control characters are shown escaped.
    t = escape_terminal
    lines = [f"what-if {t(', '.join(result.scenario))} fails: {summary(result)}"]
    anyway = set(result.down_anyway)
    if result.down:
        lines += ["", "DOWN"]
        for service in result.down:
            note = ", down even with nothing failed" if service.id in anyway else ""
            lines.append(f"  {t(service.id)} ({t(service.tier)}{note})")
            lines.extend(f"      {t(cause)}" for cause in service.causes)
    if result.up:
        lines += ["", "UP"]
        lines.extend(f"  {t(service.id)} ({t(service.tier)})" for service in result.up)
    return "\n".join(lines) + "\n"


def to_json(result: WhatIf) -> str:
    import json

    data = {
        "version": 1,
        "scenario": list(result.scenario),
        "summary": {
            "down": len(result.down),
            "up": len(result.up),
            "domains_down": len(result.domains_down),
        },
        "down": [{"id": s.id, "tier": s.tier, "causes": list(s.causes)} for s in result.down],
        "up": [{"id": s.id, "tier": s.tier} for s in result.up],
        "domains_down": list(result.domains_down),
        "down_anyway": list(result.down_anyway),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_markdown(result: WhatIf) -> str:
    scenario = ", ".join(f"`{domain}`" for domain in result.scenario)
    lines = [f"### What if {scenario} fails?", "", summary(result) + "."]
    if result.down:
        lines += ["", "| down | tier | why |", "| --- | --- | --- |"]
        for service in result.down:
            chain = "<br>".join(escape_markdown(cause) for cause in service.causes)
            lines.append(f"| `{service.id}` | {escape_markdown(service.tier)} | {chain} |")
    if result.up:
        up = ", ".join(f"`{s.id}` ({escape_markdown(s.tier)})" for s in result.up)
        lines += ["", f"Still up: {up}."]
    return "\n".join(lines) + "\n"


def to_mermaid(result: WhatIf) -> str:
    """What-if as a Mermaid flowchart: each downed service traced back to a failed domain."""
    from checker.queries.diagram import (
        DOWN_FILL,
        DOWN_LINE,
        FAILED_FILL,
        FAILED_LINE,
        MermaidIds,
        mermaid_text,
    )

    ids = MermaidIds()
    lines = ["flowchart LR", "  %% what-if " + " ".join(result.scenario)]
    declared: set[str] = set()
    edges: list[str] = []
    for failed in result.scenario:
        lines.append(f'  {ids(failed, "n_")}["{mermaid_text(failed)}"]:::failed')
        declared.add(failed)
    for service in result.down:
        # Each link starts with its entity's id (ids hold no spaces).
        chain = [cause.split(" ", 1)[0] for cause in service.causes]
        for entity in chain:
            if entity not in declared:
                declared.add(entity)
                shape = '("{}")' if entity in {s.id for s in result.down} else '["{}"]'
                lines.append(f"  {ids(entity, 'n_')}{shape.format(mermaid_text(entity))}:::down")
        for effect, cause in pairwise(chain):
            edge = f"  {ids(cause, 'n_')} --> {ids(effect, 'n_')}"
            if edge not in edges:
                edges.append(edge)
    if result.up:
        lines.append('  subgraph still_up["still up"]')
        lines.extend(f'    {ids(s.id, "n_")}("{mermaid_text(s.id)}"):::up' for s in result.up)
        lines.append("  end")
    lines.extend(edges)
    lines.append(f"  classDef failed fill:{FAILED_FILL},stroke:{FAILED_LINE},stroke-width:2px")
    lines.append(f"  classDef down fill:{DOWN_FILL},stroke:{DOWN_LINE},stroke-dasharray:5 3")
    lines.append("  classDef up fill:#c7e9c0,stroke:#2f7d32")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": to_text, "json": to_json, "markdown": to_markdown, "mermaid": to_mermaid}
