"""Evaluate one rule against an in-memory manifest, the way tests of check kinds need it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from checker.core.findings import Finding
from checker.evaluate import evaluate
from checker.manifest.load import model_from_data
from checker.policy.load import load_policies


def findings_for(
    manifest: dict[str, Any], rule: dict[str, Any], tmp_path: Path
) -> dict[str, Finding]:
    """Findings of a single rule ``r`` by entity id."""
    policy = tmp_path / "policy.yaml"
    document = {"version": 1, "rules": {"r": {"title": "t", "severity": "high", **rule}}}
    policy.write_text(yaml.safe_dump(document), encoding="utf-8")
    rules = load_policies([str(policy)], tmp_path)
    result = evaluate(model_from_data({"version": 1, **manifest}), rules)
    return {f.entity: f for f in result.findings}


def statuses(findings: dict[str, Finding]) -> dict[str, str]:
    return {entity: f.status for entity, f in findings.items()}


#: Two facilities, each with a UPS room feeding two halls with two racks.
SITES: dict[str, Any] = {
    "region": {"kind": "region"},
    **{name: {"kind": "facility", "parent": "region"} for name in ("f1", "f2")},
    **{f"{f}/ups": {"kind": "ups", "parent": f} for f in ("f1", "f2")},
    **{
        f"{f}/h{h}": {"kind": "hall", "parent": f, "depends_on": [f"{f}/ups"]}
        for f in ("f1", "f2")
        for h in (1, 2)
    },
    **{
        f"{f}/h{h}/r{r}": {"kind": "rack", "parent": f"{f}/h{h}"}
        for f in ("f1", "f2")
        for h in (1, 2)
        for r in (1, 2)
    },
}
