"""Baselines: record today's failures, then fail only on new ones.

The file is JSON, written sorted so that it diffs cleanly in review::

    {"version": 1, "tool": "resilint",
     "fingerprints": ["<32 hex>", ...],
     "findings": [{"rule": ..., "entity": ..., "fingerprint": ...}, ...]}

Only ``fingerprints`` is read back; ``findings`` says what each one stands for. A
fingerprint depends on the rule, the entity and a detail key, never on a line, a
column or a file name, so reformatting, reordering or moving a manifest does not turn
old failures into new ones.

:func:`apply_baseline` is pure: with a baseline in effect every failure is marked
``new`` or ``unchanged``; unchanged ones are still reported but do not fail the run
(see :meth:`checker.core.findings.Result.failing`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.core.errors import InputError
from checker.core.findings import Finding, Result
from checker.loading.files import read_text
from checker.loading.json_source import parse_json
from checker.loading.problems import load_validated

BASELINE_VERSION = 1
#: Findings about the waivers file, not the manifests: never baselined (fix the file instead).
_NOT_RECORDED = frozenset({"stale-waiver"})

Fingerprint = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    entity: str
    fingerprint: Fingerprint


class BaselineFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    tool: str = "resilint"
    fingerprints: list[Fingerprint]
    findings: list[BaselineEntry] = []


_KNOWN_KEYS = {
    (): tuple(BaselineFile.model_fields),
    ("findings",): tuple(BaselineEntry.model_fields),
}


def recorded(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a baseline records: every failure, whatever its severity.

    Below-threshold failures are recorded too, so lowering ``fail_on`` later does not
    present old findings as new.
    """
    return [f for f in findings if f.status == "fail" and f.rule not in _NOT_RECORDED]


def baseline_document(result: Result) -> str:
    """The baseline file's text for ``result``."""
    entries = {f.fingerprint: f for f in recorded(result.findings)}
    document = {
        "version": BASELINE_VERSION,
        "tool": "resilint",
        "fingerprints": sorted(entries),
        "findings": [
            {"rule": f.rule, "entity": f.entity, "fingerprint": f.fingerprint}
            for f in sorted(entries.values(), key=lambda f: (f.rule, f.entity, f.fingerprint))
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file records; a missing or malformed file is exit 2."""
    missing = f"baseline file not found: {path} (create it with --write-baseline {path})"
    _, parsed = load_validated(path, BaselineFile, _KNOWN_KEYS, missing)
    return frozenset(parsed.fingerprints)


def _is_known(finding: Finding, known: frozenset[str]) -> bool:
    # Errors (a check that could not run) are never baselined: they always need attention.
    return finding.status == "fail" and finding.fingerprint in known


def is_baseline_file(path: Path) -> bool:
    """Whether ``path`` holds a resilint baseline (and so may be overwritten by a new one)."""
    shown = str(path)
    try:  # read and parsed as every input is: never blocks on a FIFO, never raises else
        data = parse_json(read_text(path, shown), shown).data
    except InputError:
        return False
    return isinstance(data, dict) and data.get("tool") == "resilint" and "fingerprints" in data


def apply_baseline(result: Result, known: frozenset[str]) -> Result:
    """Mark each failure ``new`` or ``unchanged`` against the recorded fingerprints."""
    findings = tuple(
        f._replace(baseline="unchanged" if _is_known(f, known) else "new")
        if f.status == "fail"
        else f
        for f in result.findings
    )
    return dataclasses.replace(result, findings=findings)
