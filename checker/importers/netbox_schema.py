"""What the NetBox importer reads, and the one shape every input is brought to.

A Django ``dumpdata`` export, REST list responses on disk and the live API all give
the same objects in different clothes: a foreign key is ``3`` in a dump and
``{"id": 3, "name": ..., "slug": ...}`` in the API, a status is ``"active"`` or
``{"value": "active", "label": "Active"}``. :func:`normalize` turns either into a
:class:`Record` whose fields are plain (keys as ints, choices as strings), so the
mapping (``netbox.py``) is written once. See docs/importing-netbox.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.importers.common import Skipped

TEXT = "text"
CHOICE = "choice"
DATA = "data"

#: Model -> the fields read from it: TEXT, CHOICE, DATA (custom fields) or, for a
#: foreign key, the model it points to. Anything else in an object is ignored.
READ: dict[str, dict[str, str]] = {
    "dcim.region": {"name": TEXT, "slug": TEXT, "parent": "dcim.region"},
    "dcim.site": {
        "name": TEXT,
        "slug": TEXT,
        "status": CHOICE,
        "region": "dcim.region",
        "group": "dcim.sitegroup",
        "tenant": "tenancy.tenant",
    },
    "dcim.location": {
        "name": TEXT,
        "slug": TEXT,
        "status": CHOICE,
        "site": "dcim.site",
        "parent": "dcim.location",
        "tenant": "tenancy.tenant",
    },
    "dcim.rack": {
        "name": TEXT,
        "status": CHOICE,
        "site": "dcim.site",
        "location": "dcim.location",
        "tenant": "tenancy.tenant",
        "role": "dcim.rackrole",
    },
    "dcim.device": {
        "name": TEXT,
        "status": CHOICE,
        "site": "dcim.site",
        "location": "dcim.location",
        "rack": "dcim.rack",
        "tenant": "tenancy.tenant",
        "role": "dcim.devicerole",
        "cluster": "virtualization.cluster",
    },
    "dcim.powerpanel": {"name": TEXT, "site": "dcim.site", "location": "dcim.location"},
    "dcim.powerfeed": {
        "name": TEXT,
        "status": CHOICE,
        "type": CHOICE,
        "power_panel": "dcim.powerpanel",
        "rack": "dcim.rack",
    },
    "dcim.powerport": {"name": TEXT, "device": "dcim.device"},
    "dcim.poweroutlet": {"name": TEXT, "device": "dcim.device", "power_port": "dcim.powerport"},
    "virtualization.cluster": {
        "name": TEXT,
        "status": CHOICE,
        "type": "virtualization.clustertype",
        "group": "virtualization.clustergroup",
        "site": "dcim.site",
        "tenant": "tenancy.tenant",
    },
    "virtualization.virtualmachine": {
        "name": TEXT,
        "status": CHOICE,
        "cluster": "virtualization.cluster",
        "device": "dcim.device",
        "site": "dcim.site",
        "tenant": "tenancy.tenant",
        "role": "dcim.devicerole",
    },
}
#: Every model read also keeps its custom fields and tags (for --group-by, --tier-from).
for _fields in READ.values():
    _fields["custom_field_data"] = DATA

#: Objects only looked up by key, for their name and slug (labels, service ids).
LOOKUPS = frozenset(
    {
        "dcim.sitegroup",
        "dcim.rackrole",
        "dcim.devicerole",
        "tenancy.tenant",
        "virtualization.clustertype",
        "virtualization.clustergroup",
        "extras.tag",
    }
)
#: Older names of fields in REST responses (NetBox before 3.6 said ``device_role``).
REST_ALIASES: dict[str, dict[str, str]] = {
    "dcim.device": {"role": "device_role"},
    "virtualization.virtualmachine": {"role": "device_role"},
}
#: Where power flows through a cable: a port takes power from an outlet or a feed.
POWER_MODELS = frozenset({"dcim.powerport", "dcim.poweroutlet", "dcim.powerfeed"})

#: REST endpoint (``app/name`` as in ``/api/dcim/power-feeds/``) -> model.
ENDPOINTS: dict[str, str] = {
    "dcim/regions": "dcim.region",
    "dcim/site-groups": "dcim.sitegroup",
    "dcim/sites": "dcim.site",
    "dcim/locations": "dcim.location",
    "dcim/racks": "dcim.rack",
    "dcim/rack-roles": "dcim.rackrole",
    "dcim/devices": "dcim.device",
    "dcim/device-roles": "dcim.devicerole",
    "dcim/power-panels": "dcim.powerpanel",
    "dcim/power-feeds": "dcim.powerfeed",
    "dcim/power-ports": "dcim.powerport",
    "dcim/power-outlets": "dcim.poweroutlet",
    "dcim/cables": "dcim.cable",
    "tenancy/tenants": "tenancy.tenant",
    "extras/tags": "extras.tag",
    "virtualization/clusters": "virtualization.cluster",
    "virtualization/cluster-types": "virtualization.clustertype",
    "virtualization/cluster-groups": "virtualization.clustergroup",
    "virtualization/virtual-machines": "virtualization.virtualmachine",
}
#: What ``--url`` fetches: the objects mapped; lookups come nested in them.
LIVE_ENDPOINTS = tuple(e for e, model in ENDPOINTS.items() if model in READ)

#: An object: (model, primary key).
Ref = tuple[str, int]


class Record(NamedTuple):
    """One object: its key and its normalized fields (only those in :data:`READ`)."""

    pk: int
    fields: dict[str, Any]


class Related(NamedTuple):
    name: str
    slug: str


class Tag(NamedTuple):
    pk: int | None
    name: str
    slug: str


@dataclass
class NetBoxData:
    """Everything read, from however many inputs."""

    records: dict[str, dict[int, Record]] = field(default_factory=dict)
    related: dict[Ref, Related] = field(default_factory=dict)
    tags: dict[Ref, list[Tag]] = field(default_factory=dict)
    #: Power port, outlet or feed -> what is at the other end of its cable.
    peers: dict[Ref, set[Ref]] = field(default_factory=dict)
    #: Power termination -> its cable, and the cables known not to be connected
    #: (planned, decommissioning): those carry no power.
    cable_of: dict[Ref, int] = field(default_factory=dict)
    dead_cables: set[int] = field(default_factory=set)
    #: Power port or outlet -> its device's key, when known from a nested object only.
    port_device: dict[Ref, int] = field(default_factory=dict)
    #: Objects of models with no failure-domain meaning, counted per model.
    not_read: Counter[str] = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, model: str, record: Record, where: str) -> None:
        table = self.records.setdefault(model, {})
        if record.pk in table:
            self.notes.append(f"{model} {record.pk} is given again in {where}; the first is kept")
            return
        table[record.pk] = record

    def link(self, one: Ref, other: Ref) -> None:
        """A cable between two power terminations (kept both ways)."""
        if one[0] in POWER_MODELS and other[0] in POWER_MODELS:
            self.peers.setdefault(one, set()).add(other)
            self.peers.setdefault(other, set()).add(one)


#: Finds where a pointer (relative to the object being read) is written.
Locate = Callable[[Pointer], Location]


def key_of(value: Any) -> int | None:
    """A foreign key as written in a dump (``3``) or the API (``{"id": 3, ...}``)."""
    if value is None or (type(value) is int):
        return value
    if isinstance(value, Mapping):
        inner = value.get("id")
        if type(inner) is int:
            return inner
    raise ValueError("a key (an integer or an object with an integer 'id')")


def choice_of(value: Any) -> str | None:
    """A choice field: ``"active"``, or ``{"value": "active", "label": "Active"}``.

    Old API versions gave numeric values (``{"value": 1, "label": "Active"}``); their
    label, lower-cased, is the value NetBox uses today.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        inner = value.get("value")
        if isinstance(inner, str):
            return inner
        label = value.get("label")
        if isinstance(label, str):
            return label.lower()
    raise ValueError("a choice (a string or an object with a 'value')")


def normalize(
    model: str, raw: Mapping[str, Any], data: NetBoxData, locate: Locate, *, rest: bool
) -> dict[str, Any]:
    """The fields of ``model`` read from ``raw`` (a dump's ``fields`` or an API object).

    Nested objects in API responses also teach the names and slugs of what they point
    to (a device's role, a site's tenant), so no lookup endpoint is needed.
    """
    aliases = REST_ALIASES.get(model, {}) if rest else {}
    fields: dict[str, Any] = {}
    for name, kind in READ[model].items():
        source = name
        if rest and name == "custom_field_data":
            source = "custom_fields"
        elif name not in raw and name in aliases:
            source = aliases[name]
        value = raw.get(source)
        try:
            if kind == TEXT:
                if value is not None and not isinstance(value, str):
                    raise ValueError("a string")
                fields[name] = value
            elif kind == CHOICE:
                fields[name] = choice_of(value)
            elif kind == DATA:
                if value is not None and not isinstance(value, Mapping):
                    raise ValueError("an object")
                fields[name] = value or {}
            else:
                fields[name] = key = key_of(value)
                if key is not None and kind in LOOKUPS and isinstance(value, Mapping):
                    learn_related(data, kind, key, value)
        except ValueError as expected:
            raise InputError(
                f"{model}: field {source!r} should be {expected}, not {value!r}",
                locate((source,)) if source in raw else locate(()),
            ) from None
    return fields


def learn_related(data: NetBoxData, model: str, key: int, value: Mapping[str, Any]) -> None:
    name, slug = value.get("name"), value.get("slug")
    if isinstance(name, str) and (model, key) not in data.related:
        data.related[(model, key)] = Related(name, slug if isinstance(slug, str) else name)
