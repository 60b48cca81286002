"""Overlays: hand-kept facts added to entities that another file defines.

An imported manifest is regenerated from its source and must never be edited by
hand; what the source does not know (tier, owner, rto, rpo, backups, extra
requirements, labels) lives in an ``extend:`` section of a hand-written file, applied
here before the model is built (docs/importing.md, "Overlays"):

* ``tier``, ``owner``, ``rto``, ``rpo`` replace the entity's own value;
* ``labels`` are merged, the overlay winning per key;
* ``depends_on`` and ``backups`` are appended;
* ``parent`` may be given to a domain that has none (placing an imported node on a
  host that another import describes).

Two overlays that disagree about one field (or label) of one entity are an error at
both places, as is an overlay naming no entity, a field the entity's kind does not
have, or a ``parent`` for a domain that already has one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from checker.core.errors import Problem
from checker.core.location import Location
from checker.core.words import suggest
from checker.loading.document import Document

#: Fields an overlay replaces, by the section of the entity it extends.
REPLACED = {"services": ("tier", "owner", "rto", "rpo"), "domains": ()}
APPENDED = {"services": ("depends_on", "backups"), "domains": ("depends_on",)}
MERGED = ("labels",)

Validated = Sequence[tuple[Document, dict[str, Any]]]


def apply_overlays(
    validated: Validated, problems: list[Problem]
) -> list[tuple[Document, dict[str, Any]]]:
    """The documents with every ``extend`` entry applied to the entity it names."""
    if not any(data.get("extend") for _, data in validated):
        return list(validated)
    owners: dict[str, tuple[int, str]] = {}  # id -> (document index, section)
    for index, (_, data) in enumerate(validated):
        for section in ("domains", "services"):
            for entity_id in data.get(section, {}):
                owners.setdefault(entity_id, (index, section))
    merged: dict[str, dict[str, Any]] = {}
    #: (id, field or "labels.KEY") -> where it was first set by an overlay, and to what.
    set_by: dict[tuple[str, str], tuple[Location, Any]] = {}
    for document, data in validated:
        for entity_id, extra in data.get("extend", {}).items():
            where = document.location(("extend", entity_id))
            owner = owners.get(entity_id)
            if owner is None:
                problems.append(
                    Problem(
                        f"extend: no domain or service {entity_id!r} is defined"
                        + suggest(entity_id, list(owners)),
                        where,
                    )
                )
                continue
            index, section = owner
            base = merged.get(entity_id) or dict(validated[index][1][section][entity_id])
            merged[entity_id] = base
            _extend(
                entity_id, section, base, extra, _locator(document, entity_id), set_by, problems
            )
    result = []
    for document, data in validated:
        touched = {
            section: {
                entity_id: merged.get(entity_id, doc)
                for entity_id, doc in data.get(section, {}).items()
            }
            for section in ("domains", "services")
            if any(e in merged for e in data.get(section, {}))
        }
        result.append((document, {**data, **touched} if touched else data))
    return result


def _locator(document: Document, entity_id: str) -> Callable[[str], Location]:
    """Where a field of an ``extend`` entry is written."""
    return lambda field: document.location(("extend", entity_id, field))


def _extend(
    entity_id: str,
    section: str,
    base: dict[str, Any],
    extra: dict[str, Any],
    at: Callable[[str], Location],
    set_by: dict[tuple[str, str], tuple[Location, Any]],
    problems: list[Problem],
) -> None:
    kind = section[:-1]
    for field, value in extra.items():
        if field in REPLACED[section]:
            if _agrees(entity_id, field, value, at(field), set_by, problems):
                base[field] = value
        elif field in APPENDED[section]:
            base[field] = [*base.get(field, ()), *value]
        elif field in MERGED:
            labels = dict(base.get("labels", {}))
            for key, text in value.items():
                if _agrees(entity_id, f"labels.{key}", text, at(field), set_by, problems):
                    labels[key] = text
            base["labels"] = labels
        elif field == "parent" and section == "domains":
            if base.get("parent") not in (None, value):
                problems.append(
                    Problem(
                        f"extend: domain {entity_id!r} already has parent {base['parent']!r}; "
                        "an overlay may only give a parent to a domain that has none",
                        at(field),
                    )
                )
            elif _agrees(entity_id, field, value, at(field), set_by, problems):
                base["parent"] = value
        else:
            problems.append(
                Problem(
                    f"extend: {field!r} of {kind} {entity_id!r} comes from its own definition; "
                    f"an overlay can set {_settable(section)}",
                    at(field),
                )
            )


def _settable(section: str) -> str:
    fields = [*REPLACED[section], *APPENDED[section], *MERGED]
    return ", ".join(fields + (["parent (when it has none)"] if section == "domains" else []))


def _agrees(
    entity_id: str,
    field: str,
    value: Any,
    where: Location,
    set_by: dict[tuple[str, str], tuple[Location, Any]],
    problems: list[Problem],
) -> bool:
    """Record an overlay's value; a different value from another overlay is a conflict."""
    first = set_by.setdefault((entity_id, field), (where, value))
    if first[1] == value:
        return True
    problems.append(
        Problem(
            f"extend: {field} of {entity_id!r} is set to {value!r} here and to {first[1]!r} "
            f"at {first[0]}: overlays must agree",
            where,
        )
    )
    return False
