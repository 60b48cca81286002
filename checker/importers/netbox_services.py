"""Devices and virtual machines -> services, grouped by a field NetBox does have.

NetBox has no notion of an application. ``--group-by`` chooses what makes objects
one service: their ``role`` (the default), ``tenant``, each of their tags, or the
value of a custom field. Each active device or VM is one instance: a device on its
own host, a VM on its device if known, else its cluster, else its site. Objects
without the field, not active, or with nowhere to place them are skipped, with the
reason. The tier is the most important one among the members (``--tier-from``), else
``--tier`` (docs/importing-netbox.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from checker.core.errors import UsageError
from checker.core.model import DEFAULT_TIERS
from checker.importers.common import Inventory, Origin, slug
from checker.importers.netbox_schema import NetBoxData, Record, Ref, Tag

SYSTEM = "netbox"
DEFAULT_TIER = "medium"
GROUP_BY_HELP = "role, tag, tenant or custom-field:NAME"


class Grouping(NamedTuple):
    """How objects become services. ``field`` is the custom field's name or tag prefix."""

    by: str = "role"
    by_field: str | None = None
    tier_from: str | None = None
    tier_field: str | None = None
    default_tier: str = DEFAULT_TIER


def parse_group_by(text: str) -> tuple[str, str | None]:
    if text in ("role", "tag", "tenant"):
        return text, None
    kind, _, name = text.partition(":")
    if kind == "custom-field" and name:
        return kind, name
    raise UsageError(f"--group-by must be {GROUP_BY_HELP}, not {text!r}")


def parse_tier_from(text: str) -> tuple[str, str]:
    kind, _, name = text.partition(":")
    if kind in ("custom-field", "tag") and name:
        return kind, name
    raise UsageError(
        f"--tier-from must be custom-field:NAME or tag:PREFIX (e.g. tag:tier-), not {text!r}"
    )


class _Group(NamedTuple):
    id_wanted: str
    source: Origin


class _Service:
    __slots__ = ("instances", "source", "tier_rank")

    def __init__(self, source: Origin) -> None:
        self.source = source
        self.instances: list[str | dict[str, Any]] = []
        self.tier_rank: int | None = None


def add_services(
    inventory: Inventory,
    data: NetBoxData,
    ids: dict[Ref, str],
    grouping: Grouping,
) -> None:
    services: dict[str, _Service] = {}
    groups_of = _Groups(data, grouping)
    for model, record, name in _members(data):
        shown = name or ids.get((model, record.pk), f"{model} {record.pk}")
        status = record.fields["status"]
        if status not in (None, "active"):
            inventory.skip(model, shown, f"status {status}: not an instance of any service")
            continue
        at = _placement(model, record, ids)
        if at is None:
            inventory.skip(model, shown, "no device, cluster or site to place it on")
            continue
        groups = groups_of.of(model, record)
        if not groups:
            inventory.skip(model, shown, f"no {_what(grouping)}: in no service")
            continue
        rank = _tier_rank(model, record, shown, data, grouping, inventory.notes)
        instance: str | dict[str, Any] = at
        if model != "dcim.device":
            # A device's instance is its own host, whose meta.source names it; a VM's
            # is its host or cluster, so the instance says which VM it is.
            labels = {"source": f"{model}/{record.pk}"}
            if name:
                labels["name"] = name
            instance = {"at": at, "labels": labels}
        for group in groups:
            service = services.get(group.id_wanted)
            if service is None:
                service = services[group.id_wanted] = _Service(group.source)
            service.instances.append(instance)
            if rank is not None and (service.tier_rank is None or rank < service.tier_rank):
                service.tier_rank = rank
    default_rank = DEFAULT_TIERS.index(grouping.default_tier)
    for wanted in sorted(services):
        service = services[wanted]
        rank = default_rank if service.tier_rank is None else service.tier_rank
        document = {"tier": DEFAULT_TIERS[rank], "instances": service.instances}
        inventory.add_service(inventory.unique_id(wanted), document, service.source)


def _what(grouping: Grouping) -> str:
    if grouping.by == "custom-field":
        return f"value in custom field {grouping.by_field} (--group-by custom-field:...)"
    return f"{grouping.by} (--group-by {grouping.by})"


def _members(data: NetBoxData) -> Iterator[tuple[str, Record, str]]:
    for model in ("dcim.device", "virtualization.virtualmachine"):
        table = data.records.get(model, {})
        for pk in sorted(table):
            record = table[pk]
            yield model, record, record.fields["name"] or ""


def _placement(model: str, record: Record, ids: dict[Ref, str]) -> str | None:
    f = record.fields
    if model == "dcim.device":
        return ids.get((model, record.pk))
    for field, target in (
        ("device", "dcim.device"),
        ("cluster", "virtualization.cluster"),
        ("site", "dcim.site"),
    ):
        found = ids.get((target, f[field])) if f[field] is not None else None
        if found is not None:
            return found
    return None


class _Groups:
    """The services an object belongs to; one :class:`_Group` per value, made once."""

    def __init__(self, data: NetBoxData, grouping: Grouping) -> None:
        self.data = data
        self.by = grouping.by
        self.field = grouping.by_field or ""
        self.target = "dcim.devicerole" if self.by == "role" else "tenancy.tenant"
        self.made: dict[Any, _Group] = {}

    def of(self, model: str, record: Record) -> list[_Group]:
        if self.by in ("role", "tenant"):
            key = record.fields[self.by]
            if key is None:
                return []
            return [self.made.get(key) or self.related(key)]
        if self.by == "tag":
            return [self.tag(tag) for tag in self.data.tags.get((model, record.pk), ())]
        values = _custom_values(record.fields["custom_field_data"].get(self.field))
        return [self.made.get(value) or self.custom(value) for value in values]

    def related(self, key: int) -> _Group:
        found = self.data.related.get((self.target, key))
        name, text = (found.name, found.slug) if found else (str(key), str(key))
        source = Origin(SYSTEM, self.target, name, pk=key)
        group = self.made[key] = _Group(f"{self.by}/{slug(text)}", source)
        return group

    def tag(self, tag: Tag) -> _Group:
        group = self.made.get(tag)
        if group is None:
            source = Origin(SYSTEM, "extras.tag", tag.name, pk=tag.pk)
            group = self.made[tag] = _Group(f"tag/{slug(tag.slug)}", source)
        return group

    def custom(self, value: str) -> _Group:
        source = Origin(SYSTEM, "extras.customfield", f"{self.field}={value}")
        group = self.made[value] = _Group(f"{slug(self.field)}/{slug(value)}", source)
        return group


def _custom_values(value: Any) -> list[str]:
    """A custom field's value(s) as text: multi-selects give several, objects their name."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [text for item in value for text in _custom_values(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        for key in ("name", "value", "label", "id"):
            if key in value:
                return _custom_values(value[key])
        return []
    return [str(value)]


def _tier_rank(
    model: str, record: Record, shown: str, data: NetBoxData, grouping: Grouping, notes: list[str]
) -> int | None:
    """The most important tier the object names, if ``--tier-from`` finds one."""
    if grouping.tier_from is None:
        return None
    prefix = grouping.tier_field or ""
    if grouping.tier_from == "tag":
        named = [
            t.slug[len(prefix) :]
            for t in data.tags.get((model, record.pk), ())
            if t.slug.startswith(prefix)
        ]
    else:
        named = _custom_values(record.fields["custom_field_data"].get(prefix))
    ranks = []
    for value in named:
        if value in DEFAULT_TIERS:
            ranks.append(DEFAULT_TIERS.index(value))
        else:
            notes.append(
                f"{model} {shown}: tier {value!r} (--tier-from {grouping.tier_from}:{prefix}) is "
                f"not one of {', '.join(DEFAULT_TIERS)}; ignored"
            )
    return min(ranks) if ranks else None
