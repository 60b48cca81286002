"""Risk-group reports as text, JSON and Markdown, streamed one service at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator

from checker.core.escape import escape_markdown, escape_terminal
from checker.engine.riskgroups import RiskGroup
from checker.queries.riskreport import EntityGroups, RiskReport
from checker.render import Renderer


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
FORMATS: dict[str, Renderer[RiskReport]] = {
    "text": text_chunks,
    "json": json_chunks,
    "markdown": markdown_chunks,
}
