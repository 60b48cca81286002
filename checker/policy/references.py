"""Policy references checked against the model, so that no typo switches a rule off.

Between loading and evaluation (docs/policy.md, "What a rule may name"): every kind,
id, id glob, tier and label a rule names is looked up in the manifests and in the
known vocabulary (the recommended kinds of docs/manifest.md and the configured tiers).

- A name that exists nowhere is a :class:`~checker.core.errors.Problem` at the value's
  file:line:col in the policy, with "did you mean".
- A known kind that no domain of this model has is no mistake (a built-in pack asks
  about power feeds whether or not a team models them), but a rule about it holds
  vacuously: it becomes a :class:`~checker.core.findings.Notice` that every format shows.

Pure: rules, names and tiers in, problems and notices out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, NamedTuple

from checker.core.errors import Problem
from checker.core.findings import Notice
from checker.core.location import Location
from checker.core.model import Model
from checker.core.words import listing, suggest
from checker.policy.rule import Rule

#: The kinds docs/manifest.md recommends ("Recommended kinds"); every kind the built-in
#: packs name is among them (a test holds them to it).
KNOWN_KINDS = frozenset(
    {
        "region",
        "campus",
        "facility",
        "building",
        "fire-zone",
        "hall",
        "row",
        "rack",
        "host",
        "power-feed",
        "ups",
        "battery-room",
        "generator",
        "cooling",
        "network",
        "provider",
        "software",
    }
)
#: Check parameters that name domain kinds, by check. A new check with such a parameter
#: adds it here (docs/contributing.md), so that its typos are caught too.
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    "spread": ("across",),
    "independent": ("of",),
    "survives": ("loss_of",),
    "backup": ("outside",),
    "recovery": ("offsite",),
}
#: Checks that hold vacuously (pass) when no domain of their kinds exists.
_VACUOUS = frozenset({"survives", "independent"})
#: ``survives: {loss_of: any}`` means every domain: not a kind.
_ANY = "any"


@dataclass
class Names:
    """What the manifests define: the names a rule may refer to."""

    services: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    #: Label key -> the values it takes, per entity type.
    labels: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {"service": {}, "domain": {}}
    )

    def ids(self, entity: str) -> set[str]:
        return self.services if entity == "service" else self.domains

    def add_labels(self, entity: str, labels: Mapping[str, Any]) -> None:
        table = self.labels[entity]
        for key, value in labels.items():
            table.setdefault(key, set()).add(str(value))


def names_of(model: Model) -> Names:
    names = Names(set(model.services), set(model.domains))
    for domain in model.domains.values():
        names.kinds.add(domain.kind)
        if domain.labels:
            names.add_labels("domain", domain.labels)
    for service in model.services.values():
        if service.labels:
            names.add_labels("service", service.labels)
    return names


def add_document_names(names: Names, data: Any) -> None:
    """Add what a manifest that did not validate still shows it defines (best effort).

    Its rules are not checked against a model that misses what it holds: an id or kind
    defined only there must not be reported as unknown as well.
    """
    if not isinstance(data, dict):
        return
    for section, entity in (("domains", "domain"), ("services", "service")):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        names.ids(entity).update(str(key) for key in entries)
        for doc in entries.values():
            if not isinstance(doc, dict):
                continue
            if entity == "domain" and isinstance(doc.get("kind"), str):
                names.kinds.add(doc["kind"])
            if isinstance(doc.get("labels"), dict):
                names.add_labels(entity, doc["labels"])


class Checked(NamedTuple):
    problems: list[Problem]
    notices: list[Notice]


def check_rule_references(
    rules: Sequence[Rule], names: Names, known_kinds: Iterable[str] = KNOWN_KINDS
) -> Checked:
    """Problems for names that exist nowhere; notices for rules about absent kinds.

    Only enabled rules are checked (a disabled rule cannot pass silently). A name the
    manifests lack is a problem in a project's own policy and a notice in a built-in
    pack, whose rules are written for every model.
    """
    known = frozenset(known_kinds)
    checked = Checked([], [])
    for rule in rules:
        if rule.enabled:
            _check_rule(rule, names, known, checked)
    return checked


def _check_rule(rule: Rule, names: Names, known: frozenset[str], checked: Checked) -> None:
    select = rule.select
    entity = select.entity
    # A built-in pack's selection that finds nothing is said by evaluation ("applies to
    # nothing"); only a project's own policy can hold a typo.
    if not rule.is_builtin:
        for pointer, value in _each(select.ids, "ids"):
            _check_id(rule, names, entity, value, rule.where("select", *pointer), checked)
        for pointer, kind in _each(select.kind, "kind"):
            _check_kind(rule, names, known, kind, ("select", *pointer), checked)
        for key, values in (select.labels or {}).items():
            _check_label(rule, names.labels[entity], entity, key, values, checked)
    named: list[tuple[str, tuple[str | int, ...]]] = []
    for name in KIND_PARAMETERS.get(rule.check, ()):
        param: Any = getattr(rule.params, name, None)
        if isinstance(param, list) and not param:
            # No kind at all: the check could only ever hold vacuously.
            message = f"{rule.check}.{name}: names no kind; give at least one"
            _problem(rule, message, rule.where(rule.check, name), checked)
        for pointer, kind in _each(param, name):
            if not (kind == _ANY and rule.check == "survives"):
                named.append((kind, (rule.check, *pointer)))
    absent = [
        (kind, pointer)
        for kind, pointer in named
        if _check_kind(rule, names, known, kind, pointer, checked)
    ]
    if not absent:
        return
    shown = " or ".join(dict.fromkeys(kind for kind, _ in absent))
    if rule.check not in _VACUOUS:
        message = f"{rule.id} asks about kind {shown}, which no domain has"
    elif len(absent) == len(named):
        message = f"{rule.id} applies to nothing: no domain of kind {shown}"
    else:
        return  # another of its kinds occurs: the rule still looks at something
    checked.notices.append(Notice(message, rule.id, _place(rule, absent[0][1])))


def _each(value: Any, name: str) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(pointer inside the rule part, value) for a one-or-many field."""
    if isinstance(value, str):
        yield (name,), value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (name, index), item


def _problem(rule: Rule, message: str, where: Location, checked: Checked) -> None:
    checked.problems.append(Problem(f"rule {rule.id!r}: {message}", where))


def _check_id(
    rule: Rule, names: Names, entity: str, value: str, where: Location, checked: Checked
) -> None:
    pool = names.ids(entity)
    if any(c in value for c in "*?["):
        if any(fnmatchcase(entity_id, value) for entity_id in pool):
            return
        message = f"select.ids: the pattern {value!r} matches no {entity}"
    elif value in pool:
        return
    else:
        message = f"select.ids: no {entity} {value!r}"
    other = "domain" if entity == "service" else "service"
    if value in names.ids(other):
        hint = f"; {value!r} is a {other}"
        hint += " (add 'entity: domain' to the select)" if other == "domain" else ""
    else:
        hint = suggest(value, sorted(pool))
    _problem(rule, message + hint, where, checked)


def _check_kind(
    rule: Rule,
    names: Names,
    known: frozenset[str],
    kind: str,
    pointer: tuple[str | int, ...],
    checked: Checked,
) -> bool:
    """Whether ``kind`` is known but absent from the model; a problem if it is unknown."""
    if kind in names.kinds:
        return False
    if kind in known or rule.is_builtin:
        return True
    field_name = ".".join(str(p) for p in pointer if isinstance(p, str))
    message = f"{field_name}: unknown kind {kind!r}" + kind_hint(kind, names.kinds, known)
    _problem(rule, message, rule.where(*pointer), checked)
    return False


def kind_hint(kind: str, in_model: Iterable[str], known: Iterable[str] = ()) -> str:
    """``; did you mean 'facility'? (kinds in the manifests: facility, hall)``: the one way
    every command says that a kind is wrong (policies, ``risk-groups --kind``)."""
    kinds = sorted(set(in_model))
    return (
        suggest(kind, sorted({*kinds, *known}))
        + f" (kinds in the manifests: {listing(kinds, 8) or 'none'})"
    )


def _place(rule: Rule, pointer: tuple[str | int, ...]) -> Location | None:
    return None if rule.is_builtin else rule.where(*pointer)


def _check_label(
    rule: Rule,
    labels: dict[str, set[str]],
    entity: str,
    key: str,
    values: str | list[str],
    checked: Checked,
) -> None:
    if key not in labels:
        message = f"select.labels: no {entity} has a label {key!r}" + suggest(key, sorted(labels))
        _problem(rule, message, rule.where("select", "labels", key), checked)
        return
    seen = labels[key]
    for pointer, value in _each(values, key):
        if value not in seen:
            message = f"select.labels.{key}: no {entity} has {key}: {value}"
            message += suggest(value, sorted(seen))
            _problem(rule, message, rule.where("select", "labels", *pointer), checked)
