"""A rule's documentation (``explain``) as text, JSON and Markdown."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from checker.core.escape import escape_markdown, escape_terminal
from checker.core.words import flow
from checker.policy.rule import Rule
from checker.policy.select import describe_select as select_words
from checker.queries.ruledocs import RuleDoc
from checker.render import Renderer, whole
from checker.render.rules import rule_row, where

WIDTH = 88


def describe_params(rule: Rule) -> str:
    """``across: facility, min: 2``: the check's parameters as a person writes them."""
    data: Any = rule.params.model_dump(by_alias=True, exclude_none=True)
    if not data:
        return "(no parameters)"
    if isinstance(data, dict):
        return ", ".join(f"{key}: {flow(value)}" for key, value in data.items())
    return flow(data)


def describe_select(rule: Rule) -> str:
    return select_words(rule.select)


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
    params = rule.params.model_dump(by_alias=True)
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


FORMATS: dict[str, Renderer[RuleDoc]] = {
    "text": whole(to_text),
    "json": whole(to_json),
    "markdown": whole(to_markdown),
}
