"""The data block of the ``html`` report: what its script reads (docs/report.md).

One JSON document, compact because a report can hold tens of thousands of findings:
entities, files and the sentences of cause chains are stored once and referred to by
position. The page (:mod:`checker.render.findings.html`) escapes it into its script
element; every row's status and every link is decided here, not by the script.
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from checker.core.findings import SEVERITIES, Finding, Result
from checker.queries.pictures import chain_entities
from checker.render.findings import ReportOptions, repo_path, rule_infos
from checker.render.palette import DOWN_FILL, DOWN_LINE, FAILED_FILL, FAILED_LINE, SERVICE_FILL

#: Statuses of a row, in the order they sort: what fails the run first.
STATUS_LABELS = {
    "fail": "fails the run",
    "below": "below fail_on",
    "known": "known (baseline)",
    "waived": "waived",
    "pass": "passes",
}


def status_of(finding: Finding, fail_on: str) -> str:
    if finding.status in ("pass", "waived"):
        return finding.status
    if finding.known:
        return "known"
    return "fail" if finding.blocks(fail_on) else "below"


def status_labels(result: Result) -> dict[str, str]:
    """Statuses in the order rows sort; with --diff-base, what the change broke leads."""
    if result.diff is None:
        return STATUS_LABELS
    ref = result.diff.ref
    return {
        "fail": "new: fails the run",
        "below": "new, below fail_on",
        "fixed": f"fixed since {ref}",
        "known": f"unchanged since {ref}",
        "waived": "waived",
        "pass": "passes",
    }


def report_data(result: Result, shown: list[Finding], options: ReportOptions) -> dict[str, Any]:
    """The JSON block the page's script reads (compact: ids and sentences are shared)."""
    pictures = options.pictures
    entities = pictures.entities if pictures is not None else ()
    index = {entity.id: position for position, entity in enumerate(entities)}
    templates = _Table()
    files = _Table()
    hrefs: list[str | None] = []

    def entity_ref(entity: str) -> int | str:
        return index.get(entity, entity)

    def file_index(path: str) -> int:
        position = files(path)
        if position == len(hrefs):
            hrefs.append(_href(path, options))
        return position

    fixed = result.diff.fixed if result.diff is not None else ()
    rows = []
    statuses = [status_of(f, options.fail_on) for f in shown] + ["fixed"] * len(fixed)
    for finding, status in zip([*shown, *fixed], statuses, strict=True):
        links = chain_entities(finding.causes)
        chain = [
            [entity_ref(entity), templates(_template(cause, entity, links[k + 1 : k + 2]))]
            for k, (entity, cause) in enumerate(zip(links, finding.causes, strict=True))
        ]
        waiver = finding.waiver
        rows.append(
            {
                "r": finding.rule,
                "e": finding.entity,
                "s": finding.severity,
                "st": status,
                "m": finding.message,
                "f": file_index(finding.location.path),
                "l": finding.location.line,
                "c": finding.location.column,
                "o": finding.owner,
                "ch": chain,
                "w": f"until {waiver.expires}: {waiver.reason}" if waiver is not None else None,
                "fp": finding.fingerprint,
            }
        )
    what_if = None
    if pictures is not None:
        what_if = [
            [
                [
                    index[link.entity],
                    index[link.trigger] if link.trigger is not None else -1,
                    templates(_template(link.sentence, link.entity, [link.trigger or ""])),
                ]
                for link in pictures.what_if.get(entity.id, ())
            ]
            for entity in entities
            if entity.is_domain
        ]
    rules = {
        info.id: {
            "t": info.title,
            "s": info.severity,
            "why": " ".join((info.why or "").split()),
            "fix": " ".join((info.fix or "").split()),
            "refs": list(info.references),
        }
        for info in rule_infos(result).values()
    }
    return {
        "severities": list(SEVERITIES),
        "tiers": list(pictures.tiers) if pictures is not None else [],
        "statuses": list(status_labels(result).items()),
        "colors": {
            "failed": [FAILED_FILL, FAILED_LINE],
            "down": [DOWN_FILL, DOWN_LINE],
            "service": SERVICE_FILL,
        },
        "rules": rules,
        "entities": [[e.id, 1 if e.is_domain else 0, e.sub] for e in entities],
        "templates": templates.items,
        "files": [[path, href] for path, href in zip(files.items, hrefs, strict=True)],
        "findings": rows,
        "whatif": what_if,
        "downAnyway": [entity_ref(e) for e in pictures.down_anyway] if pictures else [],
    }


class _Table:
    """Strings by position, each stored once."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.items)
            self.items.append(text)
        return found


def _template(sentence: str, entity: str, trigger: list[str]) -> str:
    """``auth is down: requires x`` -> ``requires {}`` (x being the next link): shared."""
    rest = sentence[len(entity) :].lstrip()
    if rest == "failed":
        return "failed"
    reason = rest.removeprefix("is down: ")
    if trigger and trigger[0] and reason.endswith(" " + trigger[0]):
        return reason[: -len(trigger[0])] + "{}"
    return reason


def _href(path: str, options: ReportOptions) -> str | None:
    """A link to a manifest: the configured repository URL, else a path relative to the page."""
    relative = repo_path(path, options)
    if options.source_url and relative is not None:
        return options.source_url.replace("{path}", quote(relative))
    target = PurePath(path)
    if not target.is_absolute() and options.workdir is not None:
        target = options.workdir / target
    if options.output is not None and options.workdir is not None:
        folder = PurePath(options.output)
        if not folder.is_absolute():
            folder = options.workdir / folder
        base = folder.parent
    else:
        base = options.workdir or PurePath()
    return quote(PurePath(os.path.relpath(target, base)).as_posix())
