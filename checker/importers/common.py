"""What every importer shares: the inventory it builds, stable ids, the YAML it writes.

An importer fills an :class:`Inventory` (domains, services, what it skipped and why)
and :func:`render_manifest` turns it into the manifest text. The output is
deterministic: keys and entities sorted, no timestamps, so a re-import diffs cleanly
in review (docs/importing.md).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from checker.core.errors import InputError
from checker.core.words import shortened
from checker.importers.block_yaml import dump_block_yaml
from checker.loading import limits

#: Characters a manifest id may hold (docs/manifest.md); everything else becomes ``-``.
_NOT_ID = re.compile(r"[^A-Za-z0-9._/:-]+")


class Origin(NamedTuple):
    """Where an imported entity came from; written as its ``meta.source``."""

    system: str
    kind: str
    name: str
    namespace: str | None = None
    pk: int | str | None = None
    address: str | None = None

    def as_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"system": self.system, "kind": self.kind, "name": self.name}
        if self.namespace is not None:
            meta["namespace"] = self.namespace
        if self.pk is not None:
            meta["pk"] = self.pk
        if self.address is not None:
            meta["address"] = self.address
        return meta


class Skipped(NamedTuple):
    """Something in the input the importer did not turn into an entity, and why."""

    kind: str
    name: str
    reason: str


def slug(text: str) -> str:
    """``text`` as a valid manifest id part: runs of other characters become ``-``."""
    cleaned = _NOT_ID.sub("-", text.strip()).strip("-")
    return cleaned or "unnamed"


@dataclass
class Inventory:
    """The entities an import produces, keyed by id, plus what it skipped and noted.

    Entities are plain manifest documents (``{"kind": ..., "parent": ...}``); every
    one carries ``meta.source``. Adding an id twice is a bug in the importer, so ids
    are made unique with :meth:`unique_id` first where the source's names may clash.
    """

    system: str
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    #: Facts worth telling the user that are not skips (e.g. an unresolved reference).
    notes: list[str] = field(default_factory=list)

    def unique_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``wanted-3``... if an entity already has it."""
        candidate, n = wanted, 1
        while candidate in self.domains or candidate in self.services:
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def add_domain(
        self,
        entity_id: str,
        kind: str,
        source: Origin,
        *,
        parent: str | None = None,
        depends_on: Iterable[str | Mapping[str, Any]] = (),
        labels: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        if entity_id in self.domains or entity_id in self.services:
            raise ValueError(f"importer bug: id {entity_id!r} added twice")
        doc: dict[str, Any] = {"kind": kind}
        if parent is not None:
            doc["parent"] = parent
        requirements = list(depends_on)
        if requirements:
            doc["depends_on"] = requirements
        if labels:
            doc["labels"] = dict(labels)
        doc["meta"] = {"source": source.as_meta()}
        self.domains[entity_id] = doc
        return doc

    def add_service(
        self, entity_id: str, document: Mapping[str, Any], source: Origin
    ) -> dict[str, Any]:
        """A service from its manifest fields (``tier``, ``instances``, ``depends_on``...)."""
        if entity_id in self.domains or entity_id in self.services:
            raise ValueError(f"importer bug: id {entity_id!r} added twice")
        doc = dict(document)
        meta = dict(doc.get("meta", {}))
        meta["source"] = source.as_meta()
        doc["meta"] = meta
        self.services[entity_id] = doc
        return doc

    def skip(self, kind: str, name: str, reason: str) -> None:
        self.skipped.append(Skipped(kind, name, reason))


def skipped_summary(skipped: Iterable[Skipped]) -> list[str]:
    """Lines for stderr: each skipped object, then a count per kind."""
    items = sorted(skipped)
    lines = [f"skipped {s.kind} {s.name!r}: {s.reason}" for s in items]
    counts = Counter(s.kind for s in items)
    if counts:
        lines.append(
            "skipped in all: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        )
    return lines


def render_manifest(inventory: Inventory, command: str) -> str:
    """The manifest as YAML: a header naming source and command, then sorted content."""
    body: dict[str, Any] = {}
    if inventory.domains:
        body["domains"] = {k: inventory.domains[k] for k in sorted(inventory.domains)}
    if inventory.services:
        body["services"] = {k: inventory.services[k] for k in sorted(inventory.services)}
    _check_limits(body)
    header = (
        f"# Generated by resilint from {inventory.system} data; do not edit by hand.\n"
        f"# Regenerate with: {command}\n"
        "# Add hand-kept facts in an overlay file (docs/importing.md).\n"
    )
    # The same bytes as the yaml.dump below, many times faster on large inventories.
    # No entities: no sections ("{}" is no manifest).
    text = dump_block_yaml(body, width=100) if body else ""
    if text is None:
        text = yaml.dump(
            body,
            Dumper=_Dumper,
            sort_keys=True,
            default_flow_style=False,
            allow_unicode=True,
            width=100,
        )
    # ``version`` first, as people write it; the sections after it sorted.
    return header + "version: 1\n" + text


def _check_limits(body: dict[str, Any]) -> None:
    """Refuse to write a manifest that resilint would not read (docs/limits.md).

    Inputs are held to the limits on scalars where they are parsed, at their place; this
    catches what they cannot: an id made of a name longer than a key may be, or a
    number the importer computed. One walk over what is written (a tenth of what was
    read, or less), strings left out: a lone surrogate can only come from an input,
    and every input refuses them. The entity's source names where in the input to look.
    """
    if limits.survey(body, strings=False).ok:
        return
    found = limits.find_problem(body, scalars=True)
    if found is None:  # pragma: no cover - survey and find_problem apply the same limits
        return
    pointer, problem = found
    where = " -> ".join(shortened(str(part)) for part in pointer)
    source = ""
    if len(pointer) >= 2:
        origin = body[str(pointer[0])][pointer[1]].get("meta", {}).get("source", {})
        if origin:
            pk = f" {origin['pk']}" if "pk" in origin else ""
            source = f" (from {origin['kind']}{pk} {shortened(str(origin['name']))!r})"
    raise InputError(f"the manifest would break a limit at {where}{source}: {problem}")


class _Dumper(yaml.SafeDumper):
    """Safe dumping, no aliases: a shared list must not become ``&id001`` in a manifest."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
