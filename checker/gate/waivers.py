"""Waivers: accepted failures, each with a reason and a date after which it stops applying.

A waivers file (YAML, TOML or JSON) holds ``version: 1`` and a list ``waivers``; each
names ``rule`` (an id, an alias or a ``*`` glob), ``target`` (an entity id or glob),
``reason``, ``expires`` (a date, required) and optionally ``owner``.

:func:`apply_waivers` is pure: it takes today's date, so tests (and a CI user asking
"what breaks next month?") can pass any date.

- A failing finding matched by a waiver in force becomes ``waived``.
- A failing finding matched only by expired waivers stays ``fail``, and its message
  says which waiver expired and when.
- A waiver that matches no failing finding becomes a ``stale-waiver`` finding of
  severity ``info`` at the waiver's place in the file: it fails nothing under the
  default ``fail_on: low``, but every format shows it so it gets removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from checker.core.findings import AppliedWaiver, Finding, Result
from checker.core.location import Location
from checker.core.words import suggest
from checker.gate.stale import STALE_RULE
from checker.loading.problems import load_validated

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _as_date(value: Any) -> Any:
    """Accept a real date (YAML/TOML) or a ``YYYY-MM-DD`` string; refuse timestamps and numbers."""
    if isinstance(value, datetime):
        raise ValueError("expires must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("expires must be a date written YYYY-MM-DD")


Text = Annotated[str, Field(min_length=1)]


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Text
    target: Text
    reason: Text
    expires: Annotated[date, BeforeValidator(_as_date)]
    owner: str | None = None


class WaiversFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    waivers: list[Waiver] = []


@dataclass(frozen=True)
class PlacedWaiver:
    """A waiver and where it is written, so a stale one can point at its line."""

    waiver: Waiver
    location: Location

    def describe(self) -> AppliedWaiver:
        """What a waived finding carries."""
        waiver = self.waiver
        return AppliedWaiver(
            waiver.rule,
            waiver.target,
            waiver.reason,
            waiver.expires.isoformat(),
            waiver.owner,
            str(self.location),
        )


_KNOWN_KEYS = {(): tuple(WaiversFile.model_fields), ("waivers",): tuple(Waiver.model_fields)}


def load_waivers(path: Path) -> list[PlacedWaiver]:
    """Parse and validate a waivers file; every problem carries file:line:col (exit 2)."""
    document, parsed = load_validated(
        path, WaiversFile, _KNOWN_KEYS, f"waivers file not found: {path}"
    )
    return [
        PlacedWaiver(waiver, document.location(("waivers", index)))
        for index, waiver in enumerate(parsed.waivers)
    ]


def _rule_names(result: Result) -> dict[str, str]:
    """Every name a rule answers to (its id and aliases) -> its id."""
    names: dict[str, str] = {}
    for rule in result.rules:
        names[rule.id] = rule.id
        for alias in rule.aliases:
            names[alias] = rule.id
    return names


def _matches(waiver: Waiver, finding: Finding, names: dict[str, str]) -> bool:
    if not fnmatchcase(finding.entity, waiver.target):
        return False
    if fnmatchcase(finding.rule, waiver.rule):
        return True
    # An alias (a rule's old id) keeps waivers written before the rename working.
    return names.get(waiver.rule) == finding.rule


def apply_waivers(result: Result, waivers: Sequence[PlacedWaiver], today: date) -> Result:
    """Mark waived failures, note expired waivers, and report waivers that match nothing."""
    if not waivers:
        return result
    names = _rule_names(result)
    used: set[int] = set()
    findings: list[Finding] = []
    for finding in result.findings:
        if finding.status != "fail":
            findings.append(finding)
            continue
        matching = [i for i, w in enumerate(waivers) if _matches(w.waiver, finding, names)]
        used.update(matching)
        in_force = [i for i in matching if waivers[i].waiver.expires >= today]
        if in_force:
            placed = waivers[in_force[0]]
            findings.append(finding._replace(status="waived", waiver=placed.describe()))
        elif matching:
            latest = max((waivers[i] for i in matching), key=lambda w: w.waiver.expires).waiver
            note = f" (waiver expired {latest.expires.isoformat()}: {latest.reason})"
            findings.append(finding._replace(message=finding.message + note))
        else:
            findings.append(finding)
    for index, placed in enumerate(waivers):
        if index not in used:
            findings.append(_stale(placed, result, names, today))
    return result.with_findings(findings)


def _stale(placed: PlacedWaiver, result: Result, names: dict[str, str], today: date) -> Finding:
    waiver = placed.waiver
    passing = [f for f in result.findings if f.status == "pass" and _matches(waiver, f, names)]
    if passing:
        why = f"{passing[0].entity} now passes {passing[0].rule}"
        if len(passing) > 1:
            why += f" (and {len(passing) - 1} more)"
        why += ", so it is no longer needed"
    elif not any(fnmatchcase(name, waiver.rule) for name in names):
        why = f"no rule in effect is named {waiver.rule!r}"
        hint = suggest(waiver.rule, list(names)).removeprefix("; ")
        why += f" ({hint})" if hint else ""
    else:
        why = f"no finding of {waiver.rule} is about {waiver.target!r}"
    expired = f"; it also expired on {waiver.expires.isoformat()}" if waiver.expires < today else ""
    return Finding(
        rule=STALE_RULE,
        entity=f"{waiver.rule}:{waiver.target}",
        status="fail",
        severity="info",
        message=f"waiver for {waiver.rule} on {waiver.target} matches no failing finding: "
        f"{why}{expired}. Remove or correct it.",
        location=placed.location,
        owner=waiver.owner,
    )
