"""What-if answers as text, JSON, Markdown, Mermaid and SVG (drawn by :mod:`checker.render.svg`)."""

from __future__ import annotations

import json
import textwrap
from itertools import pairwise

from checker.core.escape import escape_markdown, escape_terminal
from checker.queries.whatif import WhatIf
from checker.render import Renderer, whole
from checker.render.mermaid import MermaidIds, mermaid_text
from checker.render.palette import DOWN_FILL, DOWN_LINE, FAILED_FILL, FAILED_LINE
from checker.render.svg import what_if_svg

#: Domains named in the text answer; a blast radius of hundreds is counted, not listed.
SHOWN_DOMAINS = 12


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def summary(result: WhatIf) -> str:
    """``3 services down, 1 up; 7 domains down``."""
    return (
        f"{_count(len(result.down), 'service')} down, {len(result.up)} up; "
        f"{_count(len(result.domains_down), 'domain')} down"
    )


def to_text(result: WhatIf) -> str:
    """The domains that went down, then each service down with its cause chain, cut where
    it meets a chain already shown ("(as above)"), then the services still up."""
    # Ids, tiers and causes come from input files: control characters are shown escaped.
    t = escape_terminal
    lines = [f"what-if {t(', '.join(result.scenario))} fails: {summary(result)}"]
    anyway = set(result.down_anyway)
    if result.domains_down:
        failed = set(result.scenario)
        # The failed domains first, then what they took down.
        ordered = sorted(result.domains_down, key=lambda d: d not in failed)
        names = [t(d) + (" (failed)" if d in failed else "") for d in ordered]
        if len(names) > SHOWN_DOMAINS:
            more = len(names) - SHOWN_DOMAINS
            names = [*names[:SHOWN_DOMAINS], f"and {more} more (-f json lists them all)"]
        lines += ["", "DOMAINS DOWN"]
        lines += textwrap.wrap(
            ", ".join(names),
            86,
            initial_indent="  ",
            subsequent_indent="  ",
            break_on_hyphens=False,
            break_long_words=False,
        )
    if result.down:
        lines += ["", "DOWN"]
        shown: set[str] = set()
        for service in result.down:
            note = ", down even with nothing failed" if service.id in anyway else ""
            lines.append(f"  {t(service.id)} ({t(service.tier)}{note})")
            for cause in service.causes:
                if cause in shown:
                    # The rest of this chain is a chain already shown: said once.
                    lines.append(f"      {t(cause)} (as above)")
                    break
                shown.add(cause)
                lines.append(f"      {t(cause)}")
    if result.up:
        lines += ["", "UP"]
        lines.extend(f"  {t(service.id)} ({t(service.tier)})" for service in result.up)
    return "\n".join(lines) + "\n"


def to_json(result: WhatIf) -> str:
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


FORMATS: dict[str, Renderer[WhatIf]] = {
    "text": whole(to_text),
    "json": whole(to_json),
    "markdown": whole(to_markdown),
    "mermaid": whole(to_mermaid),
    "svg": whole(what_if_svg),
}
