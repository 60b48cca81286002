"""Risk-group reports as text, JSON and Markdown, streamed one service at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring

from checker.core.escape import escape_markdown, escape_terminal
from checker.engine.riskgroups import RiskGroup
from checker.queries.riskreport import EntityGroups, RiskReport
from checker.render import Renderer


def _header(report: RiskReport) -> str:
    kinds = "any kind" if report.kinds is None else "kind " + "/".join(report.kinds)
    size = "1 domain" if report.max_size == 1 else f"{report.max_size} domains"
    return f"minimal risk groups of up to {size} ({report.candidates} candidate domains of {kinds})"


def _group_name(group: RiskGroup) -> str:
    return "{" + ", ".join(group.domains) + "}"


def _about(entity: EntityGroups) -> str:
    groups = entity.groups
    if groups and not groups[0].domains:
        return "down even with nothing failed"
    if not entity.total:
        return "no risk group of this size"
    total, singles = entity.total, entity.singles
    spof = f", {singles} single point{'s' if singles != 1 else ''} of failure" if singles else ""
    about = f"{total} minimal risk group{'s' if total != 1 else ''}{spof}"
    if len(groups) < total:
        about += f" (showing {len(groups)} of {total})"
    return about


def text_chunks(report: RiskReport) -> Iterator[str]:
    """The text report, one service at a time (a big report is never held whole)."""
    # Ids, tiers, kinds and causes come from input files: control characters are shown escaped.
    t = escape_terminal
    yield t(_header(report)) + "\n"
    for entity in report.entities:
        lines = ["", f"{t(entity.id)} ({t(entity.tier)}): {_about(entity)}"]
        for group in entity.groups:
            if group.domains:
                lines.append(f"  {t(_group_name(group))}")
            lines.extend(f"      {t(cause)}" for cause in group.causes)
        yield "\n".join(lines) + "\n"


def json_chunks(report: RiskReport) -> Iterator[str]:
    """Per entity: ``groups`` (lists of domain ids), ``causes`` (the chain of each) and
    ``total`` (how many groups in all, more than listed under ``--limit``).

    Streamed one service at a time; the text is exactly ``json.dumps(document,
    indent=2, ensure_ascii=False)``, written by :func:`_json_entity` rather than by the
    json module, whose indenting encoder is pure Python (a million groups with their
    chains took longer to encode than to find).
    """
    head = {
        "version": 1,
        "max_size": report.max_size,
        "kinds": list(report.kinds) if report.kinds is not None else None,
        "candidates": report.candidates,
        "limit": report.limit,
    }
    entities = iter(report.entities)
    first = next(entities, None)
    if first is None:
        yield json.dumps({**head, "services": []}, indent=2, ensure_ascii=False) + "\n"
        return
    opening = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # without "\n}"
    yield opening + ',\n  "services": [\n'
    strings = _Encoded()
    yield _json_entity(first, strings)
    for entity in entities:
        yield ",\n" + _json_entity(entity, strings)
    yield "\n  ]\n}\n"


#: The indentation of a service (in "services") and of its fields, lists and items.
_SERVICE, _FIELD, _LIST, _ITEM = (" " * n for n in (4, 6, 8, 10))


class _Encoded(dict[str, str]):
    """Each string's JSON text, encoded on first use and kept for the whole report:
    domain ids and chain sentences are few (tens of thousands at 100,000 services)
    where their uses are many (millions)."""

    def __missing__(self, text: str) -> str:
        value = self[text] = encode_basestring(text)
        return value


def _json_entity(entity: EntityGroups, strings: _Encoded) -> str:
    """One service as ``json.dumps`` with ``indent=2`` writes it, nested in "services"."""
    encoded = strings.__getitem__
    separator = ",\n" + _ITEM

    def lists(rows: Iterator[tuple[str, ...]]) -> str:
        items = [
            f"{_LIST}[\n{_ITEM}{separator.join(map(encoded, row))}\n{_LIST}]"
            if row
            else _LIST + "[]"
            for row in rows
        ]
        if not items:
            return "[]"
        return "[\n" + ",\n".join(items) + "\n" + _FIELD + "]"

    groups = entity.groups
    return (
        f"{_SERVICE}{{\n"
        f'{_FIELD}"id": {encoded(entity.id)},\n'
        f'{_FIELD}"tier": {encoded(entity.tier)},\n'
        f'{_FIELD}"total": {entity.total},\n'
        f'{_FIELD}"groups": {lists(group.domains for group in groups)},\n'
        f'{_FIELD}"causes": {lists(group.causes for group in groups)}\n'
        f"{_SERVICE}}}"
    )


def markdown_chunks(report: RiskReport) -> Iterator[str]:
    yield "### Risk groups\n\n" + escape_markdown(_header(report).capitalize()) + ".\n"
    for entity in report.entities:
        tier = escape_markdown(entity.tier)
        lines = ["", f"#### `{entity.id}` ({tier}): {_about(entity)}"]
        if entity.groups and entity.groups[0].domains:
            lines += ["", "| domains | size | cause chain |", "| --- | --- | --- |"]
            for group in entity.groups:
                names = ", ".join(f"`{d}`" for d in group.domains)
                cause = "<br>".join(escape_markdown(c) for c in group.causes)
                lines.append(f"| {names} | {len(group.domains)} | {cause} |")
        yield "\n".join(lines) + "\n"


def to_text(report: RiskReport) -> str:
    return "".join(text_chunks(report))


def to_json(report: RiskReport) -> str:
    return "".join(json_chunks(report))


def to_markdown(report: RiskReport) -> str:
    return "".join(markdown_chunks(report))


#: Format name -> a generator of the report's text in pieces, to write as they come.
FORMATS: dict[str, Renderer[RiskReport]] = {
    "text": text_chunks,
    "json": json_chunks,
    "markdown": markdown_chunks,
}
