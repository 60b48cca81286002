"""The published JSON Schemas: draft-07, committed, and true to what resilint accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from checker.core.errors import ManifestError
from checker.export.jsonschema import KINDS, render, schema_for
from checker.export.starter import MANIFEST
from checker.manifest.load import model_from_data
from tests.conftest import REPO

MANIFESTS = sorted(
    [*(REPO / "examples").rglob("*.yaml"), *(REPO / "policies" / "examples").rglob("*.yaml")]
)
PACKS = sorted((REPO / "policies").glob("*.yaml"))


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_matches_the_models(kind: str) -> None:
    committed = (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == render(kind), (
        f"schemas/{kind}.schema.json is out of date: "
        f"run `resilint schema {kind} > schemas/{kind}.schema.json`"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_clean_draft_07(kind: str) -> None:
    schema = schema_for(kind)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].endswith(f"/schemas/{kind}.schema.json")
    text = json.dumps(schema)
    assert "$defs" not in text and "checker__" not in text and "prefixItems" not in text
    refs = _refs(schema)
    assert refs and all(ref.startswith("#/definitions/") for ref in refs)
    assert {ref.rsplit("/", 1)[1] for ref in refs} <= set(schema["definitions"])
    for node in _nodes(schema):  # draft-07 ignores anything next to a $ref
        assert "$ref" not in node or set(node) == {"$ref"}, node


def test_union_fields_are_string_or_object() -> None:
    service = schema_for("manifest")["definitions"]["Service"]["properties"]
    assert [
        branch.get("type") or branch["$ref"] for branch in service["depends_on"]["items"]["oneOf"]
    ] == [
        "string",
        "#/definitions/AnyOf",
    ]
    assert service["min_healthy"]["oneOf"] == [
        {"minimum": 1, "type": "integer"},
        {"const": "majority", "type": "string"},
    ]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_manifests_validate(path: Path) -> None:
    validator = Draft7Validator(schema_for("manifest"))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(document)] == []


def test_init_manifest_validates() -> None:
    validator = Draft7Validator(schema_for("manifest"))
    assert [e.message for e in validator.iter_errors(yaml.safe_load(MANIFEST))] == []


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_shipped_packs_validate(path: Path) -> None:
    validator = Draft7Validator(schema_for("policy"))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(document)] == []


@pytest.mark.parametrize(
    "document",
    [
        {"version": 1, "services": {"s": {"tier": "high", "depnds_on": ["x"]}}},  # typo
        {"version": 1, "domains": {"bad id!": {"kind": "rack"}}},  # not an id
        {"domains": {"r": {"kind": "rack"}}},  # sections need version: 1
        {"version": 2},
        {"version": 1, "services": {"s": {"tier": "high", "min_healthy": "most"}}},
        {"version": 1, "services": {"s": {"tier": "high", "rto": "1 hour"}}},
        {"version": 1, "domains": {"h": {"kind": "hall", "depends_on": [{"any_of": []}]}}},
    ],
)
def test_manifest_schema_rejects(document: dict[str, Any]) -> None:
    assert not Draft7Validator(schema_for("manifest")).is_valid(document)
    with pytest.raises(ManifestError):  # and so does resilint itself
        model_from_data(document)


@pytest.mark.parametrize(
    "rule",
    [
        {"title": "t", "severity": "high"},  # no check
        {"title": "t", "severity": "high", "acyclic": {}, "spread": {"across": "facility"}},
        {"title": "t", "severity": "urgent", "acyclic": {}},
        {"title": "t", "severity": "high", "survives": {"loss_of": "facility", "max_sise": 2}},
    ],
)
def test_policy_schema_rejects(rule: dict[str, Any]) -> None:
    document = {"version": 1, "rules": {"r": rule}}
    assert not Draft7Validator(schema_for("policy")).is_valid(document)


def test_json_manifest_may_name_its_schema() -> None:
    document = {"$schema": schema_for("manifest")["$id"], "version": 1}
    assert Draft7Validator(schema_for("manifest")).is_valid(document)


def test_fields_carry_descriptions_for_editors() -> None:
    definitions = schema_for("manifest")["definitions"]
    assert "Replicas needed" in definitions["Service"]["properties"]["min_healthy"]["description"]
    rule = schema_for("policy")["definitions"]["Rule"]
    assert rule["properties"]["why"]["description"].startswith("Why the rule exists")


def _nodes(node: Any) -> list[dict[str, Any]]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            found.append(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _refs(schema: dict[str, Any]) -> list[str]:
    return [n["$ref"] for n in _nodes(schema) if isinstance(n.get("$ref"), str)]
