"""The resolved rule: what evaluation runs, with where it was defined."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pydantic import BaseModel

from checker.core.findings import RuleInfo
from checker.core.location import Location, Pointer
from checker.loading.document import Document
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
    #: The policy file the rule is written in, to locate the values inside it.
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def is_builtin(self) -> bool:
        """From a built-in pack (``builtin:NAME``), not from a file of the project."""
        return self.source.startswith("builtin:")

    def where(self, *pointer: str | int) -> Location:
        """Where a value of the rule is written (``where("select", "ids", 0)``)."""
        if self.document is None:
            return self.location
        path: Pointer = ("rules", self.id, *pointer)
        return self.document.location(path)

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
