"""Every format of ``check`` for a run that failed on its input (exit 2).

A CI job that asked for ``-f sarif=r.sarif -f junit=r.xml`` must find both files even
when a manifest is broken, and they must say why (docs/ci.md, "When the input is
wrong"):

- ``json``: the usual header with ``failed: true`` and an ``errors`` list;
- ``sarif``: ``invocations[0].executionSuccessful: false`` with one
  ``toolExecutionNotification`` of level ``error`` per problem, at its file and line;
- ``junit``: a ``resilint`` suite with one ``<error>`` test case per problem;
- ``gitlab``: one ``blocker`` issue per problem;
- ``github``: one ``::error file=..,line=..::`` annotation per problem;
- ``markdown`` and ``text``: the problems, one a line.

:data:`FAILED` maps a format to its renderer; a format without one (added later)
gets the text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from checker.core.errors import Problem
from checker.core.escape import escape_markdown
from checker.core.findings import FailedRun
from checker.render.findings import ReportOptions
from checker.render.findings.github import annotation
from checker.render.findings.gitlab import note_issue
from checker.render.findings.json_report import SCHEMA_VERSION, location_document
from checker.render.findings.junit import clean
from checker.render.findings.sarif import INFORMATION_URI, SCHEMA_URI, notification

TITLE = "resilint: input error"


def _plural(count: int) -> str:
    return f"{count} input error" + ("" if count == 1 else "s")


def _line(problem: Problem) -> str:
    return (
        f"{problem.location}: error: {problem.message}"
        if problem.location
        else (f"resilint: error: {problem.message}")
    )


def render_text(failed: FailedRun, options: ReportOptions) -> str:
    lines = [_line(p) for p in failed.problems]
    lines.append(f"resilint: {_plural(len(failed.problems))}: nothing was checked")
    return "\n".join(lines) + "\n"


def render_json(failed: FailedRun, options: ReportOptions) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "resilint", "version": options.tool_version},
        "summary": {"pass": 0, "fail": 0, "waived": 0},
        "fail_on": options.fail_on,
        "failed": True,
        "files": [],
        "config": failed.config,
        "notices": [],
        "errors": [
            {"message": p.message, "location": location_document(p.location)}
            for p in failed.problems
        ],
        "findings": [],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_sarif(failed: FailedRun, options: ReportOptions) -> str:
    version = options.tool_version or "0"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "resilint",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [],
            }
        },
        "automationDetails": {"id": "resilint/"},
        "columnKind": "unicodeCodePoints",
        "results": [],
        "invocations": [
            {
                "executionSuccessful": False,
                "exitCode": 2,
                "toolExecutionNotifications": [
                    notification("error", p.message, p.location, options) for p in failed.problems
                ],
            }
        ],
    }
    if options.repo_root is not None and options.repo_root.is_absolute():
        run["originalUriBaseIds"] = {
            "%SRCROOT%": {"uri": options.repo_root.as_uri().rstrip("/") + "/"}
        }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render_junit(failed: FailedRun, options: ReportOptions) -> str:
    count = str(len(failed.problems))
    root = ET.Element("testsuites", name="resilint", tests=count, failures="0", errors=count)
    suite = ET.SubElement(
        root, "testsuite", name="resilint", tests=count, failures="0", errors=count, skipped="0"
    )
    names: set[str] = set()
    for index, problem in enumerate(failed.problems, start=1):
        name = str(problem.location) if problem.location else "input"
        if name in names:
            name = f"{name} ({index})"
        names.add(name)
        case = ET.SubElement(suite, "testcase", classname="resilint.input", name=clean(name))
        error = ET.SubElement(case, "error", message=clean(_line(problem)), type="input-error")
        error.text = clean(_line(problem))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def render_gitlab(failed: FailedRun, options: ReportOptions) -> str:
    seen: set[str] = set()
    fallback = failed.config or "."
    issues = [
        note_issue(
            "resilint-input-error", "blocker", p.message, p.location, fallback, seen, options
        )
        for p in failed.problems
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def render_github(failed: FailedRun, options: ReportOptions) -> str:
    lines = [annotation("error", p.message, p.location, TITLE, options) for p in failed.problems]
    lines.append(f"resilint: {_plural(len(failed.problems))}: nothing was checked (exit 2)")
    return "\n".join(lines) + "\n"


def render_markdown(failed: FailedRun, options: ReportOptions) -> str:
    lines = [
        "## resilint",
        "",
        f"Result: **error**: {_plural(len(failed.problems))}, nothing was checked.",
        "",
        "| Location | Problem |",
        "| --- | --- |",
    ]
    lines += [
        f"| {escape_markdown(str(p.location) if p.location else '')} "
        f"| {escape_markdown(p.message)} |"
        for p in failed.problems
    ]
    return "\n".join(lines) + "\n"


FAILED: dict[str, Callable[[FailedRun, ReportOptions], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "gitlab": render_gitlab,
    "github": render_github,
    "markdown": render_markdown,
}


def failed_renderer(name: str) -> Callable[[FailedRun, ReportOptions], str]:
    return FAILED.get(name, render_text)
