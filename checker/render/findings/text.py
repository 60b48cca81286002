"""``text``: ``path:line:col: SEVERITY rule-id: message``, causes indented, then a summary.

Failures that fail the run come first, then those that do not (below ``fail_on``,
marked "not gating"), then waived findings (with their expiry), then passes (with
``--all``); each group most severe first, then by file and line. A finding says its
service's owner. Failures the baseline already records are counted, not listed,
unless ``--all`` asks (docs/commands.md, "check").
"""

from __future__ import annotations

from collections import Counter

from checker.core.escape import escape_terminal
from checker.core.findings import SEVERITIES, SEVERITY_RANK, Finding, Result
from checker.core.words import plural
from checker.gate.diff import counts as diff_counts
from checker.render.findings import ReportOptions

_COLORS = {
    "critical": "\x1b[1;31m",
    "high": "\x1b[31m",
    "medium": "\x1b[33m",
    "low": "\x1b[36m",
    "info": "\x1b[34m",
    "pass": "\x1b[32m",
    "waived": "\x1b[35m",
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
}
_RESET = "\x1b[0m"


def _paint(text: str, style: str, options: ReportOptions) -> str:
    return f"{_COLORS[style]}{text}{_RESET}" if options.color else text


def _label(finding: Finding) -> str:
    if finding.status == "fail":
        return finding.severity.upper()
    return finding.status.upper()


def _style(finding: Finding) -> str:
    if finding.status == "fail":
        return finding.severity
    return {"pass": "pass", "waived": "waived"}.get(finding.status, "critical")


def _lines(finding: Finding, options: ReportOptions, known_label: str) -> list[str]:
    # File names, messages, causes and waiver reasons come from input files: their
    # control characters are shown escaped, never sent to the terminal (docs/security.md).
    label = _paint(_label(finding), _style(finding), options)
    where = _paint(escape_terminal(str(finding.location)), "bold", options)
    message = escape_terminal(finding.message)
    notes = [f"owner: {escape_terminal(finding.owner)}"] if finding.owner else []
    if finding.known:
        notes.append(known_label)
    elif finding.status == "fail" and not finding.blocks(options.fail_on):
        notes.append(f"not gating: below fail_on={options.fail_on}")
    said = f" ({'; '.join(notes)})" if notes else ""
    lines = [f"{where}: {label} {escape_terminal(finding.rule)}: {message}{said}"]
    if finding.status != "pass":
        lines.extend(
            "    " + _paint(escape_terminal(cause), "dim", options) for cause in finding.causes
        )
    if finding.waiver is not None:
        waiver = finding.waiver
        reason = escape_terminal(f"waived until {waiver.expires}: {waiver.reason}")
        lines.append("    " + _paint(reason, "dim", options))
    return lines


def _group(finding: Finding, fail_on: str) -> int:
    """Where a finding is listed: what fails the run first, what passes last."""
    if finding.status == "fail":
        if finding.known:
            return 2
        return 0 if finding.blocks(fail_on) else 1
    return 3 if finding.status == "waived" else 4


def ordered(result: Result, options: ReportOptions) -> list[Finding]:
    """The findings to list, failing ones first, each group by severity, file and line
    (passes by file and line).

    Failures the baseline already records are only counted, unless ``--all`` asks for
    them (as for passing findings).
    """
    shown = [
        f for f in result.findings if options.show_passing or (f.status != "pass" and not f.known)
    ]

    def key(finding: Finding) -> tuple[int, int]:
        group = _group(finding, options.fail_on)
        # Passes are listed by place only: their severity says nothing.
        severity = 0 if group == 4 else SEVERITY_RANK.get(finding.severity, 0)
        return group, severity

    # A result's findings are in place order (Result.of), and the sort is stable: each
    # group and severity keeps it, without a place key per finding (80,000 of them).
    return sorted(shown, key=key)


def render(result: Result, options: ReportOptions) -> str:
    if options.quiet:
        # Notices are not listed: their count says to look without -q.
        return "\n".join([summary_line(result, options), source_line(result, True)]) + "\n"
    lines: list[str] = []
    for finding in ordered(result, options):
        found = _lines(finding, options, result.known_label)
        lines.extend(found[:1] if options.compact else found)
    known = sum(1 for f in result.findings if f.known)
    if known and not options.show_passing:
        where = (
            f"unchanged since {escape_terminal(result.diff.ref)}"
            if result.diff
            else ("already in the baseline")
        )
        lines.extend(
            [""] * bool(lines)
            + [f"{plural(known, 'failure')} {where} not listed (--all lists them)"]
        )
    if result.diff is not None and result.diff.fixed:
        # What this change fixed: REF's failures, where they were at REF.
        lines.append(("\n" if lines else "") + f"Fixed since {escape_terminal(result.diff.ref)}:")
        for finding in result.diff.fixed:
            where = escape_terminal(str(finding.location))
            message = escape_terminal(finding.message)
            lines.append(f"  {where}: FIXED {escape_terminal(finding.rule)}: {message}")
    if result.notices:
        lines.extend([""] * bool(lines) + notice_lines(result))
    lines.append(("\n" if lines else "") + summary_line(result, options))
    lines.append(source_line(result))
    return "\n".join(lines) + "\n"


def source_line(result: Result, count_notices: bool = False) -> str:
    """``checked 2 manifest files; config: resilint.toml`` (or ``; no config``), and with
    ``count_notices`` how many notices there are (``; 2 notices``)."""
    count = len(result.files)
    files = f"{count} manifest file" + ("" if count == 1 else "s")
    config = f"config: {escape_terminal(result.config)}" if result.config else "no config"
    notices = len(result.notices) if count_notices else 0
    said = f"; {notices} notice" + ("s" if notices != 1 else "") if notices else ""
    return f"checked {files}; {config}{said}"


def notice_lines(result: Result) -> list[str]:
    """``path:line:col: notice: message`` (or ``notice: message``), one per notice."""
    return [
        (f"{escape_terminal(str(n.location))}: " if n.location else "")
        + f"notice: {escape_terminal(n.message)}"
        for n in result.notices
    ]


def summary_line(result: Result, options: ReportOptions) -> str:
    failed = [f for f in result.findings if f.status == "fail"]
    by_severity = Counter(f.severity for f in failed)
    detail = ", ".join(f"{by_severity[s]} {s}" for s in SEVERITIES if by_severity[s])
    blocking = sum(1 for f in failed if f.blocks(options.fail_on))
    known = sum(1 for f in failed if f.known)
    summary = result.summary
    parts = [f"{summary['fail']} failed" + (f" ({detail})" if detail else "")]
    parts += [f"{summary['pass']} passed", f"{summary['waived']} waived"]
    rules = sum(1 for r in result.rules if r.enabled)
    text = ", ".join(parts) + f" ({plural(rules, 'rule')})"
    if failed and blocking < len(failed):
        text += f"; {blocking} at or above fail_on={options.fail_on}"
        if known and result.diff is not None:
            text += f" and new since {result.diff.ref}"
        elif known:
            text += f" and not in the baseline ({known} known)"
    if result.diff is not None:
        new, fixed, unchanged = diff_counts(result)
        text += f"; since {result.diff.ref}: {new} new, {fixed} fixed, {unchanged} unchanged"
    style = "critical" if blocking else "pass"
    return _paint(text, style, options)
