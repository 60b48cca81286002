"""Draft-07 JSON Schemas for manifests and policies, generated from the pydantic models.

Editors (yaml-language-server, VS Code, JetBrains, taplo) support draft-07 best, so
pydantic's 2020-12 output is rewritten: ``$defs`` becomes ``definitions``, every
``$ref`` points there, siblings of a ``$ref`` (ignored by draft-07) move into an
``allOf``, maps keyed by id say so with ``propertyNames`` (so a bad id is an error,
not silently allowed), pydantic's module-path names become readable ones, and each
field gets the one-line description of MANIFEST.md / POLICY.md to show on hover.
The committed copies in ``schemas/`` are this module's output (a test checks).
"""

from __future__ import annotations

import json
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
BASE_URL = "https://raw.githubusercontent.com/resilint/resilint/main/schemas/"
KINDS = ("manifest", "policy")

_MANIFEST_FIELDS = {
    "ManifestFile": {
        "$schema": "The JSON Schema this file follows (for editors; ignored by resilint).",
        "version": "Format version; required (1) when the file has any other key.",
        "domains": "The things that fail, keyed by id: regions, facilities, halls, power, racks.",
        "services": "The things that must stay up, keyed by id.",
    },
    "Domain": {
        "kind": "A free word that rules name: region, facility, hall, ups, power-feed, rack...",
        "parent": "The domain that contains this one (a rack is in a hall).",
        "depends_on": "Requirements: an id (hard) or {any_of: [ids], min: K}.",
        "labels": "Free string-to-string data; rules can select on it.",
        "meta": "Free data of any shape; never interpreted.",
    },
    "Service": {
        "tier": "One of the configured tiers, most important first (default: critical, high, "
        "medium, low).",
        "owner": "Who to call; shown in findings.",
        "instances": "Where the replicas run: a domain id, or {at: ID, count: N}.",
        "min_healthy": "Replicas needed to serve: a number (default 1) or 'majority'.",
        "depends_on": "Requirements on services or domains: an id (hard) or {any_of: [ids], "
        "min: K}.",
        "backups": "Copies of the data: {at: DOMAIN, every: DURATION}.",
        "rto": "Recovery time objective, e.g. 1h.",
        "rpo": "Recovery point objective (data loss), e.g. 15m.",
        "labels": "Free string-to-string data; rules can select on it.",
        "meta": "Free data of any shape; never interpreted.",
    },
    "AnyOf": {
        "any_of": "Entities of which at least 'min' must be up.",
        "min": "How many of the listed entities must be up (default 1).",
    },
    "Instance": {
        "at": "The domain the replicas are placed at.",
        "count": "How many replicas are placed there (default 1).",
        "labels": "Free string-to-string data.",
    },
    "Backup": {
        "at": "The domain holding the copy.",
        "every": "How often a copy is taken, e.g. 24h.",
    },
}

_POLICY_FIELDS = {
    "PolicyFile": {
        "$schema": "The JSON Schema this file follows (for editors; ignored by resilint).",
        "version": "Format version: 1.",
        "rules": "Rules keyed by a stable kebab-case id that names the weakness.",
    },
    "Rule": {
        "title": "One line.",
        "severity": "critical, high, medium, low or info.",
        "select": "Which entities the rule applies to (default: all services).",
        "spread": "Instances lie in at least 'min' distinct domains of kind 'across'.",
        "independent": "No single domain of kind 'of' takes down more replicas than the service "
        "can lose.",
        "survives": "The entity stays up, transitively, when any domain (or any 'max_size' "
        "domains) of kind 'loss_of' fail.",
        "backup": "A backup lies outside every instance's domain of kind 'outside'.",
        "recovery": "rto/rpo are declared, within bounds, and met by the backups.",
        "tier_dependencies": "No hard requirement on a service of a lower tier.",
        "acyclic": "The service is on no cycle of hard service requirements.",
        "schema": "A JSON Schema the entity's own document must satisfy.",
        "why": "Why the rule exists: the incident behind it (required in shipped packs).",
        "fix": "How to fix a failure (required in shipped packs).",
        "tags": "Free words for grouping.",
        "references": "URLs: incident reports, postmortems, standards.",
        "aliases": "Old ids of a renamed rule.",
    },
    "Select": {
        "entity": "service (default) or domain.",
        "ids": "Entity ids; * globs allowed.",
        "tier": "Service tier(s), or {at_least: TIER} in the configured order.",
        "kind": "Domain kind(s) (with entity: domain).",
        "labels": "{key: value} or {key: [values]}.",
        "where": "A JSON Schema the entity's own document must satisfy.",
    },
}

_CHECK_NAMES = {
    "spread": "SpreadParams",
    "independent": "IndependentParams",
    "survives": "SurvivesParams",
    "backup": "BackupParams",
    "recovery": "RecoveryParams",
    "tier_dependencies": "TierDependenciesParams",
    "acyclic": "AcyclicParams",
    "schema": "SchemaParams",
}


def schema_for(kind: str) -> dict[str, Any]:
    """The draft-07 schema of ``manifest`` or ``policy`` files."""
    if kind == "manifest":
        from checker.manifest.format import ManifestFile

        raw = ManifestFile.model_json_schema(ref_template="#/definitions/{model}")
        fields = _MANIFEST_FIELDS
        title = "resilint manifest (format version 1)"
    elif kind == "policy":
        from checker.policy.format import PolicyFile

        raw = PolicyFile.model_json_schema(ref_template="#/definitions/{model}")
        fields = _POLICY_FIELDS
        title = "resilint policy (format version 1)"
    else:
        raise ValueError(f"unknown schema {kind!r}; expected one of {', '.join(KINDS)}")
    definitions = raw.pop("$defs", {})
    renames = _readable_names(definitions)
    definitions = {renames.get(name, name): body for name, body in definitions.items()}
    for new_name in renames.values():
        definitions[new_name]["title"] = new_name
    top_name = raw.get("title", "")
    for name, body in [(top_name, raw), *definitions.items()]:
        _describe(body, fields.get(name, {}))
    if kind == "manifest":
        # ``version: 1`` is required as soon as the file says anything else.
        raw["dependencies"] = {"domains": ["version"], "services": ["version"]}
    else:
        rule = definitions["Rule"]
        rule["oneOf"] = [{"required": [check]} for check in _CHECK_NAMES]
        rule["description"] = (
            rule.get("description", "") + " Exactly one check key: " + ", ".join(_CHECK_NAMES)
        ).strip()
    schema: dict[str, Any] = {
        "$schema": DRAFT_07,
        "$id": f"{BASE_URL}{kind}.schema.json",
        "title": title,
        **{key: value for key, value in raw.items() if key != "title"},
        "definitions": dict(sorted(definitions.items())),
    }
    cleaned: dict[str, Any] = _clean(schema, renames)
    return cleaned


def render(kind: str) -> str:
    """The schema as committed under ``schemas/``: sorted-free, 2-space JSON, final newline."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def _readable_names(definitions: dict[str, Any]) -> dict[str, str]:
    """``checker__checks__spread__Params`` -> ``SpreadParams``."""
    renames = {}
    for name in definitions:
        if name.startswith("checker__checks__") and name.endswith("__Params"):
            check = name[len("checker__checks__") : -len("__Params")]
            renames[name] = _CHECK_NAMES.get(check, check.title().replace("_", "") + "Params")
    return renames


def _describe(body: dict[str, Any], descriptions: dict[str, str]) -> None:
    for name, prop in body.get("properties", {}).items():
        prop.pop("title", None)  # pydantic's "Depends On": noise next to the key itself
        if name in descriptions:
            prop["description"] = descriptions[name]


def _clean(node: Any, renames: dict[str, str]) -> Any:
    """Rewrite refs, move ``$ref`` siblings into ``allOf``, key maps by id with propertyNames."""
    if isinstance(node, list):
        return [_clean(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _clean(value, renames) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        node["$ref"] = "#/definitions/" + renames.get(name, name)
        if len(node) > 1:
            target = {"$ref": node.pop("$ref")}
            node.pop("default", None)  # a default object restating the model's own defaults
            node = {"allOf": [target], **node}
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        # ``{id: X}`` maps: every key must be an id, rather than non-ids passing unchecked.
        ((pattern, value),) = patterns.items()
        del node["patternProperties"]
        names = dict(node.get("propertyNames", {}))
        names["pattern"] = pattern
        node["propertyNames"] = names
        node["additionalProperties"] = value
    return node
