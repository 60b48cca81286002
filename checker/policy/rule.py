"""The resolved rule: what evaluation runs, with where it was defined."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel

from checker.core.findings import RuleInfo
from checker.core.location import Location
from checker.policy.format import Select


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    select: Select
    check: str
    params: BaseModel
    why: str | None
    fix: str | None
    tags: tuple[str, ...]
    references: tuple[str, ...]
    aliases: tuple[str, ...]
    #: ``builtin:baseline`` or the policy file's path.
    source: str
    location: Location
    default_severity: str = ""
    enabled: bool = True

    def info(self) -> RuleInfo:
        """What a result carries about this rule."""
        return RuleInfo(
            self.id,
            self.title,
            self.severity,
            self.enabled,
            self.aliases,
            self.why,
            self.fix,
            self.tags,
            self.references,
        )

    def with_settings(self, severity: str | None, enabled: bool) -> Rule:
        return replace(
            self,
            severity=severity or self.severity,
            default_severity=self.default_severity or self.severity,
            enabled=enabled,
        )
