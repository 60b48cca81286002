"""The value types a run produces: findings and the result that holds them."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal, NamedTuple, get_args

from pydantic import BeforeValidator

from checker.core.errors import Problem
from checker.core.location import Location

#: The one list of severities, most severe first; pydantic models validate against it.
Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


#: A severity as written in a policy or config: ``High`` and ``HIGH`` are ``high``.
SeverityName = Annotated[Severity, BeforeValidator(_lower)]
#: Lower is more severe.
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
STATUSES = ("pass", "fail", "waived")


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether ``severity`` is at least as severe as ``threshold``."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold]


def fingerprint(rule: str, entity: str, detail: str = "") -> str:
    """Stable across reformatting and reordering: rule, entity and a detail key, no line."""
    digest = hashlib.sha256(f"{rule}\x00{entity}\x00{detail}".encode()).hexdigest()
    return digest[:32]


class RuleInfo(NamedTuple):
    """What a result says about a rule: reporters show it beside the rule's findings."""

    id: str
    title: str
    severity: str
    enabled: bool = True
    aliases: tuple[str, ...] = ()
    why: str | None = None
    fix: str | None = None
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


class AppliedWaiver(NamedTuple):
    """The waiver that turned a failure into ``waived`` (the json format's ``waiver``)."""

    rule: str
    target: str
    reason: str
    #: ISO date.
    expires: str
    owner: str | None
    #: Where the waiver is written (``file:line:col``).
    location: str

    def as_json(self) -> dict[str, str | None]:
        return self._asdict()


class Finding(NamedTuple):
    """The verdict of one rule on one entity.

    A NamedTuple: immutable, and cheap to build by the hundred thousand.
    """

    rule: str
    entity: str
    status: str
    severity: str
    message: str
    location: Location
    causes: tuple[str, ...] = ()
    detail: str = ""
    owner: str | None = None
    waiver: AppliedWaiver | None = None
    #: With a baseline in effect, a failure is ``"new"`` or ``"unchanged"`` (SARIF's terms);
    #: ``None`` when no baseline was given (every failure then counts as new).
    baseline: str | None = None

    @property
    def known(self) -> bool:
        """A failure the baseline already records: reported, but it does not fail the run."""
        return self.baseline == "unchanged"

    def blocks(self, threshold: str) -> bool:
        """Fails the run: a failure at or above ``threshold`` not in the baseline."""
        return self.status == "fail" and not self.known and at_or_above(self.severity, threshold)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.entity, self.detail)

    @property
    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        where = self.location
        severity = SEVERITY_RANK.get(self.severity, 0)
        return (where.path, where.line, where.column, severity, self.rule, self.entity)


class Notice(NamedTuple):
    """Something a run wants its reader to know that is not a finding.

    A rule that applies to nothing (its selection is empty, or the kinds it is about
    occur in no manifest) passes without having looked at anything: every format says
    so, so that a gate cannot be disarmed silently (docs/policy.md, "Notices").
    """

    message: str
    #: The rule the notice is about, if any.
    rule: str | None = None
    #: Where to look (the rule or the value in a policy file), when it is in a file of the
    #: project; None for the built-in packs.
    location: Location | None = None


class FailedRun(NamedTuple):
    """A run that could not check anything: the input is wrong (exit 2).

    Every report requested with ``-f NAME=PATH`` is still written, saying why, so that a
    CI job shows the real error instead of "no report found" (docs/ci.md).
    """

    problems: tuple[Problem, ...]
    #: The config in effect, as shown, when it could be read.
    config: str | None = None


@dataclass(frozen=True)
class DiffBase:
    """``check --diff-base REF``: what changed since a git ref (docs/ci.md).

    The findings of the run are marked ``new`` or ``unchanged`` by fingerprint against
    the failures at REF (as a baseline marks them); ``fixed`` holds REF's failures that
    no longer fail, as they were at REF.
    """

    ref: str
    commit: str
    fixed: tuple[Finding, ...] = ()

    @property
    def unchanged_label(self) -> str:
        return f"unchanged since {self.ref}"


@dataclass(frozen=True)
class Result:
    """Everything one evaluation found, findings sorted by where they point."""

    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...] = ()
    files: tuple[str, ...] = ()
    summary: Mapping[str, int] = field(default_factory=dict)
    #: Passing findings counted in ``summary`` but not kept
    #: (see ``EvaluationOptions.keep_passing``).
    passes_omitted: int = 0
    #: With ``--diff-base``: the comparison with the ref.
    diff: DiffBase | None = None
    #: Rules that apply to nothing, and the like (:class:`Notice`), in policy order.
    notices: tuple[Notice, ...] = ()
    #: The config file in effect, as shown (None: no config file, the defaults).
    config: str | None = None

    @classmethod
    def of(
        cls,
        findings: list[Finding],
        rules: tuple[RuleInfo, ...],
        files: tuple[str, ...],
        passes_omitted: int = 0,
        notices: tuple[Notice, ...] = (),
    ) -> Result:
        findings.sort(key=lambda f: f.sort_key)
        counts = Counter(f.status for f in findings)
        summary = {status: counts.get(status, 0) for status in STATUSES}
        summary["pass"] += passes_omitted
        return cls(tuple(findings), rules, files, summary, passes_omitted, notices=notices)

    def with_findings(self, findings: list[Finding]) -> Result:
        """The same run (rules, files, notices, config) with other findings, re-counted."""
        return dataclasses.replace(
            Result.of(findings, self.rules, self.files, self.passes_omitted, self.notices),
            config=self.config,
        )

    def failing(self, threshold: str) -> list[Finding]:
        """Failed findings at or above ``threshold``, minus those the baseline knows."""
        return [f for f in self.findings if f.blocks(threshold)]

    def fails(self, threshold: str) -> bool:
        """Whether any finding fails the run at ``threshold``: the exit code's question,
        answered at the first such finding (an estate's first run has 80,000)."""
        return any(f.blocks(threshold) for f in self.findings)

    @property
    def known_label(self) -> str:
        """How reporters mark a failure that does not count as new."""
        return self.diff.unchanged_label if self.diff else "known: in the baseline"
