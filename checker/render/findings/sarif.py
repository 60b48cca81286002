"""``sarif``: SARIF 2.1.0 for GitHub code scanning and IDEs.

Valid against the OASIS schema, and within what GitHub code scanning accepts: every
rule has a non-empty ``shortDescription``, ``fullDescription`` and ``help`` (from the
rule's title, why and fix), descriptions are capped at 1024 characters, every result
has a repo-relative location with a full region and ``partialFingerprints``, and a run
holds at most 25,000 results (the most severe are kept).

The fingerprints come from :func:`checker.core.findings.fingerprint` (rule, entity, detail),
never from a line, so an alert stays the same alert when its manifest is reformatted.

Waived results carry an accepted external suppression with the waiver's reason, except
under GitHub Actions: code scanning ignores suppressions and would open them as alerts.
With a baseline in effect each failure says ``baselineState`` ``new`` or ``unchanged``;
with ``--diff-base`` too, and the ref's failures now fixed are ``absent`` results.
"""

from __future__ import annotations

import json
import re
import secrets
from json.encoder import encode_basestring
from pathlib import PurePath
from typing import Any

from checker import __version__
from checker.core.findings import SEVERITY_RANK, AppliedWaiver, Finding, Result, RuleInfo
from checker.core.location import Location
from checker.render.findings import ReportOptions, causes_text, repo_path, rule_infos

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/resilint/resilint"
#: GitHub code scanning limits (docs: "SARIF support for code scanning").
MAX_RESULTS = 25_000
MAX_DESCRIPTION = 1024
MAX_NAME = 255
MAX_TAGS = 20
LEVELS = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "warning",
    "info": "note",
}
#: GitHub's "problem.severity" property: error, warning or recommendation.
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def render(result: Result, options: ReportOptions) -> str:
    """The log, indented, except that each result takes one line.

    An indented dump goes through the json module's pure-Python encoder, several
    times slower than its C one: at 25,000 results that was most of a check's time.
    So the log is dumped indented with a placeholder for its results, and the results
    (compact, by the C encoder, one per line) are put in its place.
    """
    log = _log(result, options, as_lines=True)
    run = log["runs"][0]
    lines: list[str] = run["results"]
    if not lines:
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    placeholder = f"resilint-results-{secrets.token_hex(16)}"  # appears nowhere else
    run["results"] = [placeholder]
    text = json.dumps(log, indent=2, ensure_ascii=False)
    joined = ",\n".join(_RESULT_INDENT + line for line in lines)
    return text.replace(_RESULT_INDENT + json.dumps(placeholder), joined, 1) + "\n"


#: Where results sit in the indented log: ``{"runs": [{"results": [ ... ]}]}``.
_RESULT_INDENT = " " * 8


def sarif_log(result: Result, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as a document."""
    return _log(result, options, as_lines=False)


def _log(result: Result, options: ReportOptions, as_lines: bool) -> dict[str, Any]:
    """The log; with ``as_lines``, each result is already its compact JSON text."""
    infos = rule_infos(result)
    index = {rule_id: position for position, rule_id in enumerate(infos)}
    reported = [f for f in result.findings if _reported(f, options)]
    kept = _most_severe(reported, options)
    version = options.tool_version or _own_version()
    driver = {
        "name": "resilint",
        "version": version,
        "semanticVersion": version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(info) for info in infos.values()],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": "resilint/"},
        "columnKind": "unicodeCodePoints",
        "results": [
            (_result_line if as_lines else _result)(f, index[f.rule], options) for f in kept
        ],
    }
    if result.diff is not None and not options.github_actions:
        # Fixed since --diff-base: "absent" results. Code scanning closes an alert that
        # is no longer reported by itself, so under GitHub Actions they are left out.
        for finding in result.diff.fixed:
            if finding.rule in index:
                absent = _result(finding._replace(status="pass"), index[finding.rule], options)
                absent["baselineState"] = "absent"
                run["results"].append(_encode(absent) if as_lines else absent)
    if options.repo_root is not None and options.repo_root.is_absolute():
        root_uri = options.repo_root.as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    notifications = [notification("note", n.message, n.location, options) for n in result.notices]
    if len(kept) < len(reported):
        left_out = len(reported) - len(kept)
        notifications.append(
            notification(
                "warning",
                f"{left_out} less severe results left out: GitHub code scanning accepts at "
                f"most {MAX_RESULTS} per run. Use the json format for the complete list.",
            )
        )
    if notifications:
        run["invocations"] = [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def notification(
    level: str,
    message: str,
    location: Location | None = None,
    options: ReportOptions | None = None,
) -> dict[str, Any]:
    """A ``toolExecutionNotification`` (a notice, or an input error), at its file and line."""
    item: dict[str, Any] = {"level": level, "message": {"text": message}}
    if location is not None and options is not None:
        item["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_of(location.path, options),
                    "region": {"startLine": location.line, "startColumn": location.column},
                }
            }
        ]
    return item


def _own_version() -> str:
    return __version__


def _reported(finding: Finding, options: ReportOptions) -> bool:
    if finding.status == "pass":
        # Code scanning has no use for passes; other consumers get them with --all.
        return options.show_passing and not options.github_actions
    if finding.status == "waived":
        return not options.github_actions
    return True


def _most_severe(findings: list[Finding], options: ReportOptions) -> list[Finding]:
    if len(findings) <= MAX_RESULTS:
        return findings
    order = sorted(
        range(len(findings)),
        key=lambda i: (
            not findings[i].blocks(options.fail_on),
            findings[i].status != "fail",
            SEVERITY_RANK.get(findings[i].severity, 0),
        ),
    )
    return [findings[i] for i in sorted(order[:MAX_RESULTS])]


def _cap(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pascal(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id))


def _rule(info: RuleInfo) -> dict[str, Any]:
    title = info.title.strip() or info.id
    why = (info.why or "").strip()
    fix = (info.fix or "").strip() or title
    level = LEVELS.get(info.severity, "warning")
    markdown = [f"**{title}**"]
    if why:
        markdown.append(f"**Why:** {' '.join(why.split())}")
    markdown.append(f"**Fix:** {' '.join(fix.split())}")
    if info.references:
        markdown.append("References:\n" + "\n".join(f"- <{ref}>" for ref in info.references))
    return {
        "id": info.id,
        "name": (_pascal(info.id) or info.id)[:MAX_NAME],
        "shortDescription": {"text": _cap(title)},
        "fullDescription": {"text": _cap(why or title)},
        "help": {"text": " ".join(fix.split()), "markdown": "\n\n".join(markdown)},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": ["resilience", *info.tags][:MAX_TAGS],
            "precision": "very-high",
            "problem.severity": PROBLEM_SEVERITY[level],
            "resilint-severity": info.severity,
        },
    }


def _artifact(finding: Finding, options: ReportOptions) -> dict[str, str]:
    # Every finding of a file has the same artifact: worked out once per file.
    key = (finding.location.path, options.repo_root, options.workdir)
    found = _ARTIFACTS.get(key)
    if found is None:
        if len(_ARTIFACTS) >= _ARTIFACTS_KEPT:
            _ARTIFACTS.clear()
        found = _ARTIFACTS[key] = _artifact_of(finding.location.path, options)
    return dict(found)


_ARTIFACTS: dict[tuple[str, PurePath | None, PurePath | None], dict[str, str]] = {}
_ARTIFACTS_KEPT = 1024


def _artifact_of(shown: str, options: ReportOptions) -> dict[str, str]:
    relative = repo_path(shown, options)
    if relative is not None:
        return {"uri": _uri_escape(relative), "uriBaseId": "%SRCROOT%"}
    # Outside the repository: only an absolute URI says where it is.
    path = PurePath(shown)
    if not path.is_absolute() and options.workdir is not None:
        path = options.workdir / path
    return {"uri": path.as_uri() if path.is_absolute() else _uri_escape(path.as_posix())}


def _uri_escape(path: str) -> str:
    from urllib.parse import quote

    # A file name that is not UTF-8 holds lone surrogates: percent-encode its real bytes.
    return quote(path.encode("utf-8", "surrogateescape"), safe="/-._~!$&'()*+,;=:@")


def _result_line(finding: Finding, rule_index: int, options: ReportOptions) -> str:
    """The compact JSON of :func:`_result`, written directly (the tests hold the two
    equal): at 25,000 results, building and encoding a dozen nested dicts each was
    most of the report's time."""
    where = finding.location
    passed = finding.status == "pass"
    fingerprint = finding.fingerprint
    entity = _string(finding.entity)
    severity = _string(finding.severity)
    artifact = _artifact_text(finding, options)
    end = where.column + max(1, len(finding.entity))
    level = "none" if passed else LEVELS.get(finding.severity, "warning")
    owner = f', "owner": {_string(finding.owner)}' if finding.owner else ""
    line = (
        f'{{"ruleId": {_string(finding.rule)}, "ruleIndex": {rule_index:d}, '
        f'"kind": "{"pass" if passed else "fail"}", "level": {_string(level)}, '
        f'"message": {{"text": {_string(causes_text(finding))}}}, '
        f'"locations": [{{"physicalLocation": {{"artifactLocation": {artifact}, '
        f'"region": {{"startLine": {where.line:d}, "startColumn": {where.column:d}, '
        f'"endLine": {where.line:d}, "endColumn": {end:d}}}}}, '
        f'"logicalLocations": [{{"name": {entity}, "kind": "object"}}]}}], '
        f'"partialFingerprints": {{"primaryLocationLineHash": "{fingerprint[:16]}:1", '
        f'"resilint/v1": "{fingerprint}"}}, '
        f'"properties": {{"entity": {entity}, "severity": {severity}{owner}}}'
    )
    if finding.baseline is not None:
        line += f', "baselineState": {_string(finding.baseline)}'
    if finding.status == "waived" and finding.waiver is not None:
        line += f', "suppressions": {_encode(_suppressions(finding.waiver))}'
    return line + "}"


#: The json module's string escaper (``ensure_ascii=False``) and a compact encoder.
_string = encode_basestring
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _artifact_text(finding: Finding, options: ReportOptions) -> str:
    return _encode(_artifact(finding, options))


def _suppressions(waiver: AppliedWaiver) -> list[dict[str, str]]:
    justification = f"{waiver.reason} (waiver expires {waiver.expires}"
    justification += f", owner {waiver.owner})" if waiver.owner else ")"
    return [{"kind": "external", "status": "accepted", "justification": justification}]


def _result(finding: Finding, rule_index: int, options: ReportOptions) -> dict[str, Any]:
    where = finding.location
    level = LEVELS.get(finding.severity, "warning")
    fingerprint = finding.fingerprint
    item: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": "pass" if finding.status == "pass" else "fail",
        "level": "none" if finding.status == "pass" else level,
        "message": {"text": causes_text(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding, options),
                    "region": {
                        "startLine": where.line,
                        "startColumn": where.column,
                        "endLine": where.line,
                        "endColumn": where.column + max(1, len(finding.entity)),
                    },
                },
                "logicalLocations": [{"name": finding.entity, "kind": "object"}],
            }
        ],
        "partialFingerprints": {
            # Not a hash of the line's text, as the name suggests: GitHub only reads this
            # key, and a line-free value keeps the alert when the manifest is reformatted.
            "primaryLocationLineHash": f"{fingerprint[:16]}:1",
            "resilint/v1": fingerprint,
        },
        "properties": {"entity": finding.entity, "severity": finding.severity},
    }
    if finding.baseline is not None:
        item["baselineState"] = finding.baseline
    if finding.status == "waived" and finding.waiver is not None:
        item["suppressions"] = _suppressions(finding.waiver)
    if finding.owner:
        item["properties"]["owner"] = finding.owner
    return item
