"""``gitlab``: GitLab Code Quality (a JSON array in the Code Climate subset GitLab reads).

Each failure (waived and passing findings are left out) gives ``description``,
``check_name`` (the rule id), ``fingerprint``, ``severity`` (``info`` .. ``blocker``)
and ``location.path`` (repo-relative) with ``location.lines.begin``.

The fingerprint is an MD5 of rule, entity and detail key, never the line: GitLab
matches issues between the merge request and its target branch by fingerprint, so a
reformatted manifest does not show its old issues as fixed and new ones as introduced.
The file is UTF-8 without a byte-order mark, which GitLab rejects.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions, repo_path

SEVERITIES = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def render(result: Result, options: ReportOptions) -> str:
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    for finding in result.findings:
        if finding.status != "fail":
            continue
        fingerprint = _fingerprint(finding, seen)
        issues.append(_issue(finding, fingerprint, options, result.known_label))
    fallback = result.files[0] if result.files else "."
    for notice in result.notices:
        issues.append(
            note_issue(
                "resilint-notice", "info", notice.message, notice.location, fallback, seen, options
            )
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def note_issue(
    check_name: str,
    severity: str,
    message: str,
    location: Location | None,
    fallback: str,
    seen: set[str],
    options: ReportOptions,
) -> dict[str, Any]:
    """An issue that is not a finding (a notice, an input error), at its place or ``fallback``.

    Code Quality needs a path for every issue: one without a place of its own (a
    built-in pack's rule) is shown at ``fallback`` (the first manifest), line 1.
    """
    where = location or Location(fallback)
    key = f"{check_name}\x00{message}\x00{where}"
    digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
    while digest in seen:
        digest = hashlib.md5((key := key + "\x00").encode(), usedforsecurity=False).hexdigest()
    seen.add(digest)
    return {
        "type": "issue",
        "engine_name": "resilint",
        "check_name": check_name,
        "description": message,
        "categories": ["Bug Risk"],
        "severity": severity,
        "fingerprint": digest,
        "location": {
            "path": repo_path(where.path, options) or where.path,
            "lines": {"begin": where.line},
        },
    }


def _fingerprint(finding: Finding, seen: set[str]) -> str:
    key = f"{finding.rule}\x00{finding.entity}\x00{finding.detail}"
    # Same rule, entity and detail twice (two identical stale waivers): keep both issues.
    for occurrence in range(1, len(seen) + 2):
        text = key if occurrence == 1 else f"{key}\x00{occurrence}"
        digest = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
        if digest not in seen:
            seen.add(digest)
            return digest
    raise AssertionError("unreachable")  # pragma: no cover


def _issue(
    finding: Finding, fingerprint: str, options: ReportOptions, known_label: str
) -> dict[str, Any]:
    description = f"{finding.rule}: {finding.message}"
    if finding.known:
        description += f" ({known_label})"
    issue: dict[str, Any] = {
        "type": "issue",
        "engine_name": "resilint",
        "check_name": finding.rule,
        "description": description,
        "categories": ["Bug Risk"],
        # A check that could not run blocks the gate whatever the rule's severity.
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": repo_path(finding.location.path, options) or finding.location.path,
            "lines": {"begin": finding.location.line},
        },
    }
    if finding.causes:
        issue["content"] = {"body": "\n".join(f"- {cause}" for cause in finding.causes)}
    return issue
