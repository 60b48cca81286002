"""Reporters turn a result into text, one module per format, named in a plain registry.

Each module provides ``render(result, options) -> str``. Modules are imported only
when their format is asked for. Reporters are pure: whatever they need to know about
the environment (GitHub Actions, the repository root) comes in ``ReportOptions``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from checker.core.findings import Finding, Result, RuleInfo
from checker.gate.stale import STALE_FIX, STALE_RULE, STALE_TITLE, STALE_WHY

if TYPE_CHECKING:  # only html uses it: the engine is not imported for the other formats
    from checker.queries.pictures import Pictures

REPORTERS: dict[str, str] = {
    "text": "checker.render.findings.text",
    "json": "checker.render.findings.json_report",
    "sarif": "checker.render.findings.sarif",
    "junit": "checker.render.findings.junit",
    "gitlab": "checker.render.findings.gitlab",
    "github": "checker.render.findings.github",
    "markdown": "checker.render.findings.markdown",
    "html": "checker.render.findings.html",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_passing: bool = False
    fail_on: str = "low"
    tool_version: str = ""
    #: Running as a GitHub Actions step (``GITHUB_ACTIONS=true``): code scanning does not
    #: understand SARIF suppressions, so waived results are left out rather than shown open.
    github_actions: bool = False
    #: Absolute repository root and working directory: findings' paths are relative to the
    #: working directory, CI systems want them relative to the repository root.
    repo_root: PurePath | None = None
    workdir: PurePath | None = None
    #: Where this format is written (None: standard output): the html report's links to
    #: manifests are relative to its folder.
    output: PurePath | None = None
    #: A link to a file in the repository: ``{path}`` (repo-relative) and ``{line}``.
    source_url: str | None = None
    #: For the html report, built by the command line only when it is asked for: the
    #: engine's pictures of the model, and the config and policies in effect.
    pictures: Pictures | None = None
    config_file: str | None = None
    policies: tuple[str, ...] = ()
    #: Text: one line per finding, without cause chains (``--compact``).
    compact: bool = False
    #: Text: only the summary (``-q``).
    quiet: bool = False


def renderer(name: str) -> Callable[[Result, ReportOptions], str]:
    module = importlib.import_module(REPORTERS[name])
    render: Callable[[Result, ReportOptions], str] = module.render
    return render


def repo_path(path: str, options: ReportOptions) -> str | None:
    """``path`` relative to the repository root (POSIX), or None when it lies outside it."""
    pure = PurePath(path)
    if not pure.is_absolute():
        if options.workdir is None:
            return PurePath(os.path.normpath(pure)).as_posix()
        pure = options.workdir / pure
    root = options.repo_root or options.workdir
    if root is None:
        return None
    relative = PurePath(os.path.relpath(pure, root))
    if relative.parts and relative.parts[0] == "..":
        return None
    return relative.as_posix()


def causes_text(finding: Finding, indent: str = "  ") -> str:
    """The message followed by its cause chain, one cause a line."""
    return "\n".join([finding.message, *(indent + cause for cause in finding.causes)])


def rule_infos(result: Result) -> dict[str, RuleInfo]:
    """Every rule a finding may name, by id, in policy order; built-in ones last."""
    infos: dict[str, RuleInfo] = {}
    for rule in result.rules:
        if rule.enabled:
            infos[rule.id] = rule
    if any(f.rule == STALE_RULE for f in result.findings):
        infos.setdefault(
            STALE_RULE,
            RuleInfo(
                STALE_RULE, STALE_TITLE, "info", why=STALE_WHY, fix=STALE_FIX, tags=("waiver",)
            ),
        )
    for finding in result.findings:
        # A finding of a rule the result does not describe still gets a (minimal) entry.
        infos.setdefault(finding.rule, RuleInfo(finding.rule, finding.rule, finding.severity))
    return infos
