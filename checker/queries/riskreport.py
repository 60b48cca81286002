"""The ``risk-groups`` report: each service's minimal risk groups, chosen and rendered.

The groups themselves come from :func:`checker.engine.riskgroups.minimal_risk_groups` (exact, on
the failure engine); this module picks the targets and candidates the command line
asks for and turns the answer into text, JSON or Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from checker.core.errors import Problem, UsageError
from checker.core.escape import escape_markdown, escape_terminal
from checker.core.model import Model
from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import RiskGroup, minimal_risk_groups
from checker.loading.problems import suggest


@dataclass(frozen=True)
class EntityGroups:
    id: str
    #: The service's tier, or the domain's kind.
    tier: str
    groups: tuple[RiskGroup, ...]


@dataclass(frozen=True)
class RiskReport:
    max_size: int
    #: The candidate kinds, or None for every domain.
    kinds: tuple[str, ...] | None
    candidates: int
    entities: tuple[EntityGroups, ...]


def default_targets(model: Model) -> list[str]:
    """Every service of the most important tier that has any."""
    if not model.services:
        return []
    top = min(service.tier_rank for service in model.services.values())
    return [s.id for s in model.services.values() if s.tier_rank == top]


def check_targets(model: Model, ids: Sequence[str]) -> list[str]:
    problems = [
        Problem(f"unknown service {entity!r}" + suggest(entity, [*model.services, *model.domains]))
        for entity in ids
        if model.entity(entity) is None
    ]
    if problems:
        raise UsageError(problems)
    return list(dict.fromkeys(ids))


def check_kinds(model: Model, kinds: Sequence[str]) -> tuple[str, ...] | None:
    if not kinds:
        return None
    known = sorted({domain.kind for domain in model.domains.values()})
    problems = [
        Problem(
            f"no domain of kind {kind!r}"
            + suggest(kind, known)
            + f" (kinds in the manifests: {', '.join(known) or 'none'})"
        )
        for kind in kinds
        if kind not in known
    ]
    if problems:
        raise UsageError(problems)
    return tuple(dict.fromkeys(kinds))


def risk_report(
    model: Model,
    targets: Sequence[str] = (),
    max_size: int = 2,
    kinds: Sequence[str] = (),
    graph: FailureGraph | None = None,
) -> RiskReport:
    """Minimal risk groups of up to ``max_size`` domains for ``targets`` (default: top tier)."""
    if max_size < 1:
        raise UsageError(f"--max-size must be at least 1, got {max_size}")
    chosen = check_targets(model, targets) if targets else default_targets(model)
    wanted_kinds = check_kinds(model, kinds)
    graph = graph or FailureGraph(model)
    candidates = [graph.index[d] for d in graph.domains_of_kind(wanted_kinds)]
    indices = [graph.index[t] for t in chosen]
    found = minimal_risk_groups(graph, indices, candidates, max_size)
    entities = []
    for entity_id, index in zip(chosen, indices, strict=True):
        service = model.services.get(entity_id)
        label = service.tier if service is not None else model.domains[entity_id].kind
        entities.append(EntityGroups(entity_id, label, tuple(found[index])))
    return RiskReport(max_size, wanted_kinds, len(candidates), tuple(entities))


# -------------------------------------------------------------------- rendering


def _header(report: RiskReport) -> str:
    kinds = "any kind" if report.kinds is None else "kind " + "/".join(report.kinds)
    size = "1 domain" if report.max_size == 1 else f"{report.max_size} domains"
    return f"minimal risk groups of up to {size} ({report.candidates} candidate domains of {kinds})"


def _group_name(group: RiskGroup) -> str:
    return "{" + ", ".join(group.domains) + "}"


def _about(entity: EntityGroups) -> str:
    groups = entity.groups
    if groups and not groups[0].domains:
        return "down even with nothing failed"
    if not groups:
        return "no risk group of this size"
    singles = sum(1 for g in groups if len(g.domains) == 1)
    spof = f", {singles} single point{'s' if singles != 1 else ''} of failure" if singles else ""
    return f"{len(groups)} minimal risk group{'s' if len(groups) != 1 else ''}{spof}"


def text_chunks(report: RiskReport) -> Iterator[str]:
    """The text report, one service at a time (a big report is never held whole)."""
    # Ids, tiers, kinds and causes come from input files: control characters are shown escaped.
    t = escape_terminal
    yield t(_header(report)) + "\n"
    for entity in report.entities:
        lines = ["", f"{t(entity.id)} ({t(entity.tier)}): {_about(entity)}"]
        for group in entity.groups:
            if group.domains:
                lines.append(f"  {t(_group_name(group))}")
            lines.extend(f"      {t(cause)}" for cause in group.causes)
        yield "\n".join(lines) + "\n"


def json_chunks(report: RiskReport) -> Iterator[str]:
    """Per entity: ``groups`` (lists of domain ids) and ``causes`` (the chain of each).

    Streamed one service at a time; the text is exactly ``json.dumps(document, indent=2)``.
    """
    head = {
        "version": 1,
        "max_size": report.max_size,
        "kinds": list(report.kinds) if report.kinds is not None else None,
        "candidates": report.candidates,
    }
    if not report.entities:
        yield json.dumps({**head, "services": []}, indent=2, ensure_ascii=False) + "\n"
        return
    opening = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # without "\n}"
    yield opening + ',\n  "services": [\n'
    for index, entity in enumerate(report.entities):
        service = {
            "id": entity.id,
            "tier": entity.tier,
            "groups": [list(group.domains) for group in entity.groups],
            "causes": [list(group.causes) for group in entity.groups],
        }
        text = json.dumps(service, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield "    " + text + (",\n" if index < len(report.entities) - 1 else "\n")
    yield "  ]\n}\n"


def markdown_chunks(report: RiskReport) -> Iterator[str]:
    yield "### Risk groups\n\n" + escape_markdown(_header(report).capitalize()) + ".\n"
    for entity in report.entities:
        tier = escape_markdown(entity.tier)
        lines = ["", f"#### `{entity.id}` ({tier}): {_about(entity)}"]
        if entity.groups and entity.groups[0].domains:
            lines += ["", "| domains | size | cause chain |", "| --- | --- | --- |"]
            for group in entity.groups:
                names = ", ".join(f"`{d}`" for d in group.domains)
                cause = "<br>".join(escape_markdown(c) for c in group.causes)
                lines.append(f"| {names} | {len(group.domains)} | {cause} |")
        yield "\n".join(lines) + "\n"


def to_text(report: RiskReport) -> str:
    return "".join(text_chunks(report))


def to_json(report: RiskReport) -> str:
    return "".join(json_chunks(report))


def to_markdown(report: RiskReport) -> str:
    return "".join(markdown_chunks(report))


#: Format name -> a generator of the report's text in pieces, to write as they come.
CHUNKS: dict[str, Callable[[RiskReport], Iterator[str]]] = {
    "text": text_chunks,
    "json": json_chunks,
    "markdown": markdown_chunks,
}
