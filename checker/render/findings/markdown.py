"""``markdown``: a summary table and the failures, for PR/MR comments and job summaries.

GitHub-flavoured Markdown that GitLab renders too: counts by status and by severity,
then one table row per failure (location, rule, entity, message) with its cause chain
folded in a ``<details>``, failures that fail the run first. Cells are escaped, so ids
and messages cannot break the table or inject HTML. :func:`report` can keep the text
under a byte limit (GitHub's step summary takes at most 1 MiB), dropping rows with a
note rather than cutting mid-row.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from checker.core.escape import escape_markdown
from checker.core.findings import SEVERITIES, SEVERITY_RANK, Finding, Result
from checker.gate.diff import counts as diff_counts
from checker.render.findings import ReportOptions
from checker.render.findings.text import summary_line

_TABLE_HEAD = "| Severity | Rule | Entity | Location | Message |\n| --- | --- | --- | --- | --- |\n"


def render(result: Result, options: ReportOptions) -> str:
    return report(result, options)


def report(result: Result, options: ReportOptions, limit: int | None = None) -> str:
    """The whole document; with ``limit``, rows are dropped (with a note) to fit in it."""
    head = _head(result, options)
    sections = _sections(result, options)
    budget = None if limit is None else limit - len(head.encode()) - 400
    parts = [head]
    left_out = 0
    for title, rows in sections:
        if not rows:
            continue
        section = [f"\n### {title}\n\n{_TABLE_HEAD}"]
        size = len(section[0].encode())
        for row in rows:
            size += len(row.encode())
            if budget is not None and size > budget:
                break
            section.append(row)
        taken = len(section) - 1
        left_out += len(rows) - taken
        if taken:
            parts.extend(section)
        if budget is not None:
            # Once a row did not fit, later sections get nothing: no gaps in the order.
            budget = budget - size if taken == len(rows) else 0
    if left_out:
        parts.append(
            f"\n_{left_out} more findings left out to stay within the size limit: "
            "see the SARIF, JUnit or json output for all of them._\n"
        )
    return "".join(parts)


def _head(result: Result, options: ReportOptions) -> str:
    blocking = result.failing(options.fail_on)
    verdict = f"**failed**: {len(blocking)} finding" if blocking else "**passed**"
    if blocking:
        verdict += "s" if len(blocking) != 1 else ""
        verdict += f" at or above `fail_on={options.fail_on}`"
    summary = result.summary
    lines = [
        "## resilint",
        "",
        f"Result: {verdict}.",
        "",
        *_diff_line(result),
        escape_markdown(summary_line(result, dataclasses.replace(options, color=False))),
        "",
        "| Status | Findings |",
        "| --- | ---: |",
        *(f"| {status} | {summary.get(status, 0)} |" for status in ("fail", "pass", "waived")),
    ]
    failed = [f for f in result.findings if f.status == "fail"]
    if failed:
        by_severity = Counter(f.severity for f in failed)
        gating = Counter(f.severity for f in blocking)
        lines += ["", "| Severity | Failed | Failing the run |", "| --- | ---: | ---: |"]
        lines += [f"| {s} | {by_severity[s]} | {gating[s]} |" for s in SEVERITIES if by_severity[s]]
    if result.notices:
        lines += ["", "### Notices", ""]
        lines += [
            "- "
            + (f"`{escape_markdown(str(n.location))}`: " if n.location else "")
            + escape_markdown(n.message)
            for n in result.notices
        ]
    return "\n".join(lines) + "\n"


def _diff_line(result: Result) -> list[str]:
    if result.diff is None:
        return []
    new, fixed, unchanged = diff_counts(result)
    ref, commit = escape_markdown(result.diff.ref), result.diff.commit[:12]
    return [f"Since {ref} ({commit}): **{new} new**, {fixed} fixed, {unchanged} unchanged.", ""]


def _sections(result: Result, options: ReportOptions) -> list[tuple[str, list[str]]]:
    def order(finding: Finding) -> tuple[int, tuple[str, int, int, int, str, str]]:
        return SEVERITY_RANK.get(finding.severity, 0), finding.sort_key

    failing = sorted((f for f in result.findings if f.status == "fail"), key=order)
    blocking = [f for f in failing if f.blocks(options.fail_on)]
    others = [f for f in failing if not f.blocks(options.fail_on)]
    waived = [f for f in result.findings if f.status == "waived"]
    label = result.known_label
    if result.diff is not None:
        # The pull-request view: what this change breaks leads, then what it fixes.
        ref = result.diff.ref
        fixed = sorted(result.diff.fixed, key=order)
        return [
            (f"New since {ref}: failing the run", [_row(f, label) for f in blocking]),
            (f"Fixed since {ref}", [_row(f, label) for f in fixed]),
            (
                f"Not failing the run (below fail_on={options.fail_on}, or unchanged since {ref})",
                [_row(f, label) for f in others],
            ),
            ("Waived", [_row(f, label) for f in waived]),
        ]
    return [
        ("Failures", [_row(f, label) for f in blocking]),
        (
            f"Not failing the run (below fail_on={options.fail_on}, or known in the baseline)",
            [_row(f, label) for f in others],
        ),
        ("Waived", [_row(f, label) for f in waived]),
    ]


def _row(finding: Finding, known_label: str) -> str:
    message = escape_markdown(finding.message)
    if finding.known:
        message += f" _({escape_markdown(known_label)})_"
    if finding.waiver is not None:
        waiver = finding.waiver
        message += "<br>" + escape_markdown(f"Waived until {waiver.expires}: {waiver.reason}")
    if finding.causes:
        chain = "<br>".join(escape_markdown(cause) for cause in finding.causes)
        message += f"<details><summary>Cause chain</summary>{chain}</details>"
    return (
        f"| {finding.severity} | {escape_markdown(finding.rule)} "
        f"| {escape_markdown(finding.entity)} "
        f"| {escape_markdown(str(finding.location))} | {message} |\n"
    )
