"""``json``: a stable, versioned document for scripts (documented in docs/json-output.md)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from checker.core.findings import Finding, Notice, Result
from checker.core.location import Location
from checker.gate.diff import counts as diff_counts
from checker.render.findings import ReportOptions

SCHEMA_VERSION = 1


def finding_document(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "entity": finding.entity,
        "status": finding.status,
        "severity": finding.severity,
        "message": finding.message,
        "location": {
            "path": finding.location.path,
            "line": finding.location.line,
            "column": finding.location.column,
        },
        "fingerprint": finding.fingerprint,
        # False for a failure the baseline (or --diff-base's ref) records: it does not
        # fail the run.
        "new": finding.status == "fail" and not finding.known,
        "causes": list(finding.causes),
        "owner": finding.owner,
        "waiver": finding.waiver.as_json() if finding.waiver is not None else None,
    }


def finding_line(finding: Finding) -> str:
    """``json.dumps(finding_document(finding), ensure_ascii=False)``, written directly.

    At tens of thousands of failing findings (an estate's first run) building a dict
    per finding and walking it with the encoder was most of the report's time; the
    strings are escaped by the json module's own C function, the rest is fixed text.
    The tests hold it to the encoder, finding by finding.
    """
    where = finding.location
    waiver = finding.waiver
    owner = finding.owner
    causes = ", ".join(map(_string, finding.causes))
    return (
        f'{{"rule": {_string(finding.rule)}, "entity": {_string(finding.entity)}, '
        f'"status": {_string(finding.status)}, "severity": {_string(finding.severity)}, '
        f'"message": {_string(finding.message)}, '
        f'"location": {{"path": {_string(where.path)}, "line": {where.line:d}, '
        f'"column": {where.column:d}}}, '
        f'"fingerprint": {_string(finding.fingerprint)}, '
        f'"new": {"true" if finding.status == "fail" and not finding.known else "false"}, '
        f'"causes": [{causes}], '
        f'"owner": {"null" if owner is None else _string(owner)}, '
        f'"waiver": {"null" if waiver is None else _dumps(waiver.as_json())}}}'
    )


#: The json module's string escaper for ``ensure_ascii=False`` (its C version).
_string = encode_basestring


def location_document(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"path": location.path, "line": location.line, "column": location.column}


def notice_document(notice: Notice) -> dict[str, Any]:
    return {
        "rule": notice.rule,
        "message": notice.message,
        "location": location_document(notice.location),
    }


def render(result: Result, options: ReportOptions) -> str:
    findings = [
        finding_line(f) for f in result.findings if f.status != "pass" or options.show_passing
    ]
    header = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "resilint", "version": options.tool_version},
        "summary": dict(result.summary),
        "fail_on": options.fail_on,
        "failed": result.fails(options.fail_on),
        "files": list(result.files),
        "config": result.config,
        "notices": [notice_document(n) for n in result.notices],
        "errors": [],
    }
    if result.diff is not None:
        new, _, unchanged = diff_counts(result)
        header["diff_base"] = {
            "ref": result.diff.ref,
            "commit": result.diff.commit,
            "new": new,
            "unchanged": unchanged,
            # As they were at the ref: where they were, why they failed.
            "fixed": [finding_document(f) for f in result.diff.fixed],
        }
    # One finding per line: readable and diff-friendly, and written by the json module's
    # C encoder (an indented dump goes through its pure-Python one, several times slower).
    lines = ["{"]
    lines.extend(f"  {json.dumps(key)}: {_dumps(value)}," for key, value in header.items())
    if findings:
        lines.append('  "findings": [')
        lines.append(",\n".join(f"    {finding}" for finding in findings))
        lines.append("  ]")
    else:
        lines.append('  "findings": []')
    lines.append("}")
    return "\n".join(lines) + "\n"


#: One encoder for the run: ``json.dumps`` with options builds a new one per call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode
