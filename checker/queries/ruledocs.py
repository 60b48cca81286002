"""``explain`` and ``rules``: a rule's documentation, assembled from what already exists.

A rule's page combines the rule itself (title, severity, selection, parameters, why,
fix, references), the "What it does" section of its check module's docstring, and
its passing and failing example manifests from ``policies/examples/<rule-id>/``
(with what resilint says about the failing one, so the example proves itself).
Nothing here is written twice: the docs, ``explain`` and SARIF help read the same text.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.core.errors import UsageError
from checker.core.escape import escape_markdown, escape_terminal
from checker.loading.problems import suggest
from checker.policy.rule import Rule

EXAMPLE_NAMES = ("pass", "fail")
WIDTH = 88


@dataclass(frozen=True)
class Example:
    name: str  # "pass" or "fail"
    path: Path
    text: str
    #: What resilint says about the example, one line per non-passing finding.
    verdicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    rule: Rule
    what_it_does: str
    examples: tuple[Example, ...]


def find_rule(name: str, in_effect: Sequence[Rule], builtin: Sequence[Rule]) -> Rule:
    """The rule called ``name`` (id or alias): in effect first, then any built-in pack."""
    for pool in (in_effect, builtin):
        for rule in pool:
            if name == rule.id or name in rule.aliases:
                return rule
    known = sorted({r.id for r in (*in_effect, *builtin)})
    raise UsageError(
        f"unknown rule {name!r}" + suggest(name, known) + " (`resilint rules` lists them)"
    )


def check_sections(check: str) -> dict[str, str]:
    """The sections of a check module's docstring (What it does, Why it matters, ...)."""
    from checker.checks import CHECKS

    doc = CHECKS[check].__doc__ or ""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines()[1:]:
        if line and not line[0].isspace():
            current = sections.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    return {name: textwrap.dedent("\n".join(body)).strip() for name, body in sections.items()}


def examples_dir(rule_id: str) -> Path:
    from checker.policy.load import packs_dir

    return packs_dir() / "examples" / rule_id


def rule_doc(rule: Rule, judge_examples: bool = True) -> RuleDoc:
    """Everything ``explain`` shows about ``rule``."""
    examples = []
    for name in EXAMPLE_NAMES:
        path = examples_dir(rule.id) / f"{name}.yaml"
        if not path.is_file():
            continue
        verdicts = _verdicts(rule, path) if judge_examples and name == "fail" else ()
        examples.append(Example(name, path, path.read_text(encoding="utf-8"), verdicts))
    what = check_sections(rule.check).get("What it does", "")
    return RuleDoc(rule, what, tuple(examples))


def _verdicts(rule: Rule, path: Path) -> tuple[str, ...]:
    from checker.evaluate import evaluate
    from checker.manifest.load import load_manifests

    model = load_manifests([path])
    result = evaluate(model, [rule.with_settings(None, True)])
    return tuple(f"{f.status.upper()} {f.message}" for f in result.findings if f.status != "pass")


# -------------------------------------------------------------------- rendering


def describe_params(rule: Rule) -> str:
    """``across: facility, min: 2``: the check's parameters as a person writes them."""
    params = rule.params
    data: Any = (
        params.model_dump(by_alias=True, exclude_none=True)
        if hasattr(params, "model_dump")
        else params
    )
    if not data:
        return "(no parameters)"
    if isinstance(data, dict):
        return ", ".join(f"{key}: {_flow(value)}" for key, value in data.items())
    return _flow(data)


def describe_select(rule: Rule) -> str:
    data = rule.select.model_dump(exclude_defaults=True)
    entity = rule.select.entity
    if not data:
        return f"every {entity}"
    data.pop("entity", None)
    if not data:
        return f"every {entity}"
    return f"{entity}s with " + ", ".join(f"{key}: {_flow(value)}" for key, value in data.items())


def _flow(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def where(rule: Rule) -> str:
    """``builtin:baseline, line 7`` (a pack's path depends on the installation) or file:line."""
    if rule.source.startswith("builtin:"):
        return f"{rule.source}, line {rule.location.line}"
    return str(rule.location)


def _plain(text: str) -> str:
    """Docstrings quote code reST-style (````x````); people and Markdown read ```x```."""
    return text.replace("``", "`")


def _severity(rule: Rule) -> str:
    default = rule.default_severity or rule.severity
    changed = f" (default {default}, changed by config)" if default != rule.severity else ""
    disabled = ", disabled by config" if not rule.enabled else ""
    return rule.severity + changed + disabled


def _wrap(text: str, indent: str = "  ") -> list[str]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    lines: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index:
            lines.append("")
        lines.extend(
            textwrap.wrap(
                " ".join(paragraph.split()), WIDTH, initial_indent=indent, subsequent_indent=indent
            )
        )
    return lines


def to_text(doc: RuleDoc) -> str:
    # Policy strings come from files: control characters are shown escaped (docs/security.md).
    rule = doc.rule
    t = escape_terminal
    lines = [
        f"{rule.id}: {t(rule.title)}",
        "",
        f"  severity  {_severity(rule)}",
        f"  check     {rule.check}: {t(describe_params(rule))}",
        f"  selects   {t(describe_select(rule))}",
        f"  source    {t(where(rule))}",
    ]
    if rule.aliases:
        lines.append(f"  aliases   {t(', '.join(rule.aliases))}")
    for heading, body in (
        ("What it does", _plain(doc.what_it_does)),
        ("Why it matters", rule.why or ""),
        ("How to fix", rule.fix or ""),
    ):
        if body:
            lines += ["", heading, *_wrap(t(body, keep_newlines=True))]
    if rule.references:
        lines += ["", "References", *(f"  - {t(ref)}" for ref in rule.references)]
    for example in doc.examples:
        title = "Passing example" if example.name == "pass" else "Failing example"
        lines += ["", f"{title} ({example.name}.yaml)", ""]
        lines += ["    " + line if line else "" for line in example.text.rstrip().splitlines()]
        if example.verdicts:
            verdicts = (f"    {t(verdict)}" for verdict in example.verdicts)
            lines += ["", "  resilint says:", *verdicts]
    return "\n".join(lines) + "\n"


def to_markdown(doc: RuleDoc) -> str:
    # Policy strings come from files: escaped, so they cannot inject HTML or markup.
    rule = doc.rule
    md = escape_markdown
    lines = [
        f"## `{rule.id}`: {md(rule.title)}",
        "",
        "| | |",
        "| --- | --- |",
        f"| severity | {_severity(rule)} |",
        f"| check | `{rule.check}`: {md(describe_params(rule))} |",
        f"| selects | {md(describe_select(rule))} |",
        f"| source | {md(where(rule))} |",
    ]
    for heading, body, escape in (
        ("What it does", _plain(doc.what_it_does), False),  # resilint's own docstring
        ("Why it matters", rule.why or "", True),
        ("How to fix", rule.fix or "", True),
    ):
        if body:
            paragraph = " ".join(body.split())
            lines += ["", f"### {heading}", "", md(paragraph) if escape else paragraph]
    if rule.references:
        lines += ["", "### References", "", *(f"- {_link(ref)}" for ref in rule.references)]
    for example in doc.examples:
        title = "Passing example" if example.name == "pass" else "Failing example"
        lines += ["", f"### {title}", "", *_fenced(example.text.rstrip(), "yaml")]
        if example.verdicts:
            verdicts = "\n".join(escape_terminal(verdict) for verdict in example.verdicts)
            lines += ["", "resilint says:", "", *_fenced(verdicts)]
    return "\n".join(lines) + "\n"


_PACK = re.compile(r"^builtin:[A-Za-z0-9_.-]+$")
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$")


def _link(reference: str) -> str:
    """A plain URL as an autolink; anything else as escaped text."""
    return f"<{reference}>" if _URL.match(reference) else escape_markdown(reference)


def _fenced(text: str, language: str = "") -> list[str]:
    """A code block whose fence is longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + language, text, fence]


def to_json(doc: RuleDoc) -> str:
    rule = doc.rule
    params = rule.params.model_dump(by_alias=True) if hasattr(rule.params, "model_dump") else {}
    data = {
        "version": 1,
        "rule": {
            **rule_row(rule),
            "select": rule.select.model_dump(exclude_defaults=True),
            "params": params,
            "what_it_does": _plain(doc.what_it_does),
            "why": rule.why,
            "fix": rule.fix,
            "tags": list(rule.tags),
            "references": list(rule.references),
            "examples": [
                {"name": e.name, "text": e.text, "verdicts": list(e.verdicts)} for e in doc.examples
            ],
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": to_text, "json": to_json, "markdown": to_markdown}


# ------------------------------------------------------------------------ rules


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


def rules_text(rules: Sequence[Rule]) -> str:
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


def rules_markdown(rules: Sequence[Rule]) -> str:
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


def rules_json(rules: Sequence[Rule]) -> str:
    data = {"version": 1, "rules": [rule_row(r) for r in rules]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
