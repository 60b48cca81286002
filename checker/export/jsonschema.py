"""Draft-07 JSON Schemas for manifests and policies, generated from the pydantic models.

Editors (yaml-language-server, VS Code, JetBrains, taplo) support draft-07 best, so
pydantic's 2020-12 output is rewritten: ``$defs`` becomes ``definitions``, every
``$ref`` points there, siblings of a ``$ref`` (ignored by draft-07) move into an
``allOf``, maps keyed by id say so with ``propertyNames`` (so a bad id is an error,
not silently allowed) and pydantic's module-path names become readable ones. Each
field's one-line description (shown on hover) comes from the models themselves, and
the check keys of a rule from :data:`checker.checks.CHECKS`.
The committed copies in ``schemas/`` are this module's output (a test checks).
"""

from __future__ import annotations

import json
from typing import Any

from checker.checks import CHECKS
from checker.manifest.format import ManifestFile
from checker.policy.format import PolicyFile

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
BASE_URL = "https://raw.githubusercontent.com/resilint/resilint/main/schemas/"
KINDS = ("manifest", "policy")


def schema_for(kind: str) -> dict[str, Any]:
    """The draft-07 schema of ``manifest`` or ``policy`` files."""
    if kind == "manifest":
        raw = ManifestFile.model_json_schema(ref_template="#/definitions/{model}")
        title = "resilint manifest (format version 1)"
    elif kind == "policy":
        raw = PolicyFile.model_json_schema(ref_template="#/definitions/{model}")
        title = "resilint policy (format version 1)"
    else:
        raise ValueError(f"unknown schema {kind!r}; expected one of {', '.join(KINDS)}")
    definitions = raw.pop("$defs", {})
    renames = _readable_names(definitions)
    definitions = {renames.get(name, name): body for name, body in definitions.items()}
    for new_name in renames.values():
        definitions[new_name]["title"] = new_name
    for body in [raw, *definitions.values()]:
        for prop in body.get("properties", {}).values():
            prop.pop("title", None)  # pydantic's "Depends On": noise next to the key itself
            if "description" in prop:  # after the type, where a reader looks for it
                prop["description"] = prop.pop("description")
    if kind == "manifest":
        # ``version: 1`` is required as soon as the file says anything else.
        raw["dependencies"] = {"domains": ["version"], "services": ["version"]}
    else:
        rule = definitions["Rule"]
        rule["oneOf"] = [{"required": [check]} for check in CHECKS]
        rule["description"] = (
            rule.get("description", "") + " Exactly one check key: " + ", ".join(CHECKS)
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
    """``checker__checks__spread__Params`` -> ``SpreadParams``; ``DomainDoc`` -> ``Domain``."""
    by_module = {check.Params.__module__.rsplit(".", 1)[-1]: name for name, check in CHECKS.items()}
    renames = {}
    for name in definitions:
        if name.startswith("checker__checks__") and name.endswith("__Params"):
            check = by_module[name[len("checker__checks__") : -len("__Params")]]
            renames[name] = check.title().replace("_", "") + "Params"
        elif name.endswith("Doc"):
            renames[name] = name[: -len("Doc")]
    return renames


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
