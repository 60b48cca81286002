"""``github``: GitHub Actions workflow commands, one annotation per failure.

``::error file=..,line=..,col=..,title=..::message`` for each failure that fails the
run, then ``::warning`` for the failures that do not (below ``fail_on``, known in the
baseline, stale waivers), escaped exactly as ``@actions/core`` escapes them. GitHub
shows only about ten annotations of each kind per step, so the most severe come first;
a plain summary line closes the output.

The Markdown job summary (:func:`summary_markdown`) is appended to
``$GITHUB_STEP_SUMMARY`` by the command line, not here: reporters do no I/O.
"""

from __future__ import annotations

import dataclasses

from checker.core.findings import SEVERITY_RANK, Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions, repo_path
from checker.render.findings.markdown import report
from checker.render.findings.text import summary_line

#: GitHub displays about this many annotations of one kind per step.
SHOWN_PER_KIND = 10


def escape_data(text: str) -> str:
    """``@actions/core`` ``escapeData``: the message after ``::``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """``@actions/core`` ``escapeProperty``: a ``key=value`` parameter."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Result, options: ReportOptions) -> str:
    def order(finding: Finding) -> tuple[int, tuple[str, int, int, int, str, str]]:
        return SEVERITY_RANK.get(finding.severity, 0), finding.sort_key

    failing = [f for f in result.findings if f.status == "fail"]
    errors = sorted((f for f in failing if f.blocks(options.fail_on)), key=order)
    warnings = sorted((f for f in failing if not f.blocks(options.fail_on)), key=order)
    label = result.known_label
    lines = [_command("error", f, options, label) for f in errors]
    lines += [_command("warning", f, options, label) for f in warnings]
    lines += [
        annotation("notice", n.message, n.location, "resilint notice", options)
        for n in result.notices
    ]
    lines.append(_summary(result, options))
    if len(errors) > SHOWN_PER_KIND or len(warnings) > SHOWN_PER_KIND:
        lines.append(
            f"GitHub shows only the first {SHOWN_PER_KIND} annotations of each kind: "
            "see the job summary or the SARIF upload for all of them."
        )
    return "\n".join(lines) + "\n"


def _command(kind: str, finding: Finding, options: ReportOptions, known_label: str) -> str:
    where = finding.location
    path = repo_path(where.path, options) or where.path
    title = f"{finding.severity.upper()} {finding.rule}"
    if finding.known:
        title += f" ({known_label})"
    properties = {
        "file": path,
        "line": str(where.line),
        "col": str(where.column),
        "title": title,
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = "\n".join([finding.message, *("  " + cause for cause in finding.causes)])
    return f"::{kind} {rendered}::{escape_data(message)}"


def annotation(
    kind: str, message: str, location: Location | None, title: str, options: ReportOptions
) -> str:
    """``::KIND file=..,line=..,col=..,title=..::message`` for what is not a finding."""
    properties = {}
    if location is not None:
        properties = {
            "file": repo_path(location.path, options) or location.path,
            "line": str(location.line),
            "col": str(location.column),
        }
    properties["title"] = title
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {rendered}::{escape_data(message)}"


def _summary(result: Result, options: ReportOptions) -> str:
    return "resilint: " + summary_line(result, dataclasses.replace(options, color=False))


def summary_markdown(result: Result, options: ReportOptions, limit: int) -> str:
    """The job summary: the Markdown report, kept under ``limit`` bytes."""
    return report(result, options, limit)
