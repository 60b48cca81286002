"""``junit``: JUnit XML for Jenkins and GitLab test reports, valid against ``junit-10.xsd``.

One ``<testsuite>`` per rule and one ``<testcase classname=RULE name=ENTITY>`` per
(rule, entity), passes included, so names are unique (GitLab keeps only the first of
several tests with the same name). The report agrees with the exit code:

- a failure that fails the run is a ``<failure>`` whose message starts with
  ``path:line:col`` and whose text holds the cause chain;
- a check that could not run is an ``<error>``;
- a waived finding, and a failure that does not fail the run (below ``fail_on``, or
  known in the baseline), is ``<skipped>`` with the reason, so Jenkins does not mark the
  build unstable for what the gate accepted; its text still says what and where.

No ``file``/``line`` attributes on ``<testcase>``: the XSD rejects them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from checker.core.findings import Finding, Result
from checker.render.findings import ReportOptions, rule_infos

#: Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Most telling first: a merged testcase takes the outcome of its worst finding.
_RANK = {"failure": 0, "skipped": 1, "pass": 2}


def render(result: Result, options: ReportOptions) -> str:
    groups: dict[str, dict[str, list[Finding]]] = {rule: {} for rule in rule_infos(result)}
    for finding in result.findings:
        groups[finding.rule].setdefault(finding.entity, []).append(finding)
    notes: dict[str, list[str]] = {}
    for notice in result.notices:
        where = f"{notice.location}: " if notice.location else ""
        notes.setdefault(notice.rule or "resilint", []).append(f"{where}notice: {notice.message}")
    root = ET.Element("testsuites", name="resilint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for rule in [*groups, *(name for name in notes if name not in groups)]:
        cases = groups.get(rule, {})
        if not cases and rule not in notes:
            continue
        unchanged = result.diff.unchanged_label if result.diff is not None else None
        suite = _suite(rule, cases.values(), options, unchanged)
        if rule in notes:
            # A rule that applies to nothing has no test case: its suite says why.
            ET.SubElement(suite, "system-out").text = _clean("\n".join(notes[rule]))
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(
    rule: str, cases: Iterable[list[Finding]], options: ReportOptions, unchanged: str | None
) -> ET.Element:
    suite = ET.Element("testsuite", name=_clean(rule))
    counts = {"failure": 0, "skipped": 0}
    tests = 0
    for findings in cases:
        tests += 1
        case = ET.SubElement(
            suite, "testcase", classname=_clean(rule), name=_clean(findings[0].entity)
        )
        ranked = sorted(findings, key=lambda f: _RANK[_outcome(f, options)])
        outcome = _outcome(ranked[0], options)
        if outcome == "pass":
            continue
        counts[outcome] += 1
        message = _message(ranked[0], options, unchanged)
        element = ET.SubElement(case, outcome, message=_clean(message))
        if outcome != "skipped":
            element.set("type", _clean(rule))
        element.text = _clean("\n\n".join(_details(f) for f in ranked if f.status != "pass"))
    suite.set("tests", str(tests))
    suite.set("failures", str(counts["failure"]))
    suite.set("errors", "0")
    suite.set("skipped", str(counts["skipped"]))
    return suite


def _outcome(finding: Finding, options: ReportOptions) -> str:
    if finding.blocks(options.fail_on):
        return "failure"
    if finding.status in ("fail", "waived"):
        return "skipped"
    return "pass"


def _message(finding: Finding, options: ReportOptions, unchanged: str | None) -> str:
    where = f"{finding.location}: {finding.message}"
    if finding.status == "waived" and finding.waiver is not None:
        return f"waived until {finding.waiver.expires}: {finding.waiver.reason}"
    if finding.known:
        # With --diff-base the ref, not a baseline, knows it.
        return f"{unchanged}: {where}" if unchanged else f"known failure (in the baseline): {where}"
    if finding.status == "fail" and not finding.blocks(options.fail_on):
        return f"{finding.severity} is below fail_on={options.fail_on}: {where}"
    return where


def _details(finding: Finding) -> str:
    label = finding.severity.upper() if finding.status == "fail" else finding.status.upper()
    lines = [f"{finding.location}: {label} {finding.rule}: {finding.message}"]
    lines.extend("    " + cause for cause in finding.causes)
    if finding.waiver is not None:
        lines.append(f"    waived: {finding.waiver.reason}")
    return "\n".join(lines)


def clean(text: str) -> str:
    """Text XML 1.0 can carry: characters it cannot are replaced by U+FFFD."""
    return _clean(text)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
