"""The rules in effect (``resilint rules``) as a table, Markdown or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from checker.core.escape import escape_markdown, escape_terminal
from checker.policy.rule import Rule
from checker.render import Renderer, whole

_PACK = re.compile(r"^builtin:[A-Za-z0-9_.-]+$")


def where(rule: Rule) -> str:
    """``builtin:baseline, line 7`` (a pack's path depends on the installation) or file:line."""
    if rule.source.startswith("builtin:"):
        return f"{rule.source}, line {rule.location.line}"
    return str(rule.location)


def rule_row(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "default_severity": rule.default_severity or rule.severity,
        "enabled": rule.enabled,
        "check": rule.check,
        "source": rule.source,
        "location": where(rule),
        "aliases": list(rule.aliases),
    }


def to_text(rules: Sequence[Rule]) -> str:
    if not rules:
        return "no rules in effect\n"
    rows = [
        (
            r.id,
            r.severity
            if (r.default_severity or r.severity) == r.severity
            else f"{r.severity} (was {r.default_severity})",
            "yes" if r.enabled else "no",
            r.check,
            escape_terminal(r.source),
            escape_terminal(r.title),
        )
        for r in rules
    ]
    header = ("RULE", "SEVERITY", "ENABLED", "CHECK", "SOURCE", "TITLE")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True))
        + "  "
        + row[5]
        for row in (header, *rows)
    ]
    enabled = sum(1 for r in rules if r.enabled)
    lines.append(f"\n{enabled} of {len(rules)} rules enabled")
    return "\n".join(lines) + "\n"


def to_markdown(rules: Sequence[Rule]) -> str:
    lines = [
        "| rule | severity | enabled | check | source | title |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        severity = r.severity
        if (r.default_severity or r.severity) != r.severity:
            severity += f" (was {r.default_severity})"
        lines.append(
            f"| `{r.id}` | {severity} | {'yes' if r.enabled else 'no'} | `{r.check}` "
            f"| {_source_cell(r.source)} | {escape_markdown(r.title)} |"
        )
    return "\n".join(lines) + "\n"


def _source_cell(source: str) -> str:
    # A pack name is a known word; a file name can hold anything, so it is escaped.
    return f"`{source}`" if _PACK.match(source) else escape_markdown(source)


def to_json(rules: Sequence[Rule]) -> str:
    data = {"version": 1, "rules": [rule_row(r) for r in rules]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Renderer[Sequence[Rule]]] = {
    "text": whole(to_text),
    "json": whole(to_json),
    "markdown": whole(to_markdown),
}
