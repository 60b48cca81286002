"""Read a NetBox ``manage.py dumpdata`` export: ``[{"model": ..., "pk": ..., "fields": {...}}]``.

Tags come from ``extras.taggeditem`` rows and cables from ``dcim.cabletermination``
(NetBox 3.3 and later) or from the ``termination_a``/``termination_b`` fields of
``dcim.cable`` (earlier); references to content types may be natural keys
(``["dcim", "site"]``, as ``--natural-foreign`` writes them) or keys of
``contenttypes.contenttype`` rows. See docs/importing-netbox.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.importers.netbox_schema import (
    LOOKUPS,
    READ,
    Locate,
    NetBoxData,
    Record,
    Ref,
    Related,
    Tag,
    normalize,
)

#: Rows read for what they say about other objects, not mapped themselves.
_HELPERS = frozenset(
    {"extras.taggeditem", "dcim.cabletermination", "dcim.cable", "contenttypes.contenttype"}
)


def looks_like_dumpdata(data: Any) -> bool:
    """A list whose first item has a ``model`` and no ``id``: a dump, not an API response.

    (API objects have an ``id``; some, such as device types, also have a ``model``.)
    """
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and "model" in data[0]
        and "id" not in data[0]
    )


def read_dumpdata(
    items: list[Any], shown: str, locate: Locate, data: NetBoxData | None = None
) -> NetBoxData:
    """Add the objects of one dump to ``data`` (a new one if not given)."""
    data = data if data is not None else NetBoxData()
    helpers: dict[str, list[tuple[Any, Mapping[str, Any]]]] = {name: [] for name in _HELPERS}
    not_read = data.not_read
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError("expected an object with 'model' and 'fields'", locate((index,)))
        model = item.get("model")
        fields = item.get("fields")
        if not isinstance(model, str) or not isinstance(fields, dict):
            raise InputError(
                "expected an object with 'model' (a string) and 'fields' (an object)",
                locate((index,)),
            )
        if model in READ or model in LOOKUPS:
            pk = item.get("pk")
            if type(pk) is not int:
                where = (index, "pk") if "pk" in item else (index,)
                raise InputError(f"{model}: expected an integer 'pk', not {pk!r}", locate(where))
            if model in READ:
                record = Record(
                    pk, normalize(model, fields, data, _inside(locate, index), rest=False)
                )
                data.add(model, record, f"{shown} item {index}")
            else:
                _learn_lookup(data, model, pk, fields)
        elif model in helpers:
            helpers[model].append((item.get("pk"), fields))
        else:
            not_read[model] += 1
    content_types = _content_types(helpers["contenttypes.contenttype"])
    _read_tags(data, helpers["extras.taggeditem"], content_types)
    _read_cables(data, helpers["dcim.cable"], helpers["dcim.cabletermination"], content_types)
    return data


def _inside(locate: Locate, index: int) -> Locate:
    def located(pointer: Pointer) -> Location:
        return locate((index, "fields", *pointer))

    return located


def _learn_lookup(data: NetBoxData, model: str, pk: int, fields: Mapping[str, Any]) -> None:
    name, slug = fields.get("name"), fields.get("slug")
    if isinstance(name, str):
        data.related[(model, pk)] = Related(name, slug if isinstance(slug, str) else name)


def _content_types(rows: list[tuple[Any, Mapping[str, Any]]]) -> dict[int, str]:
    """Content type key -> ``app.model``, for dumps written without natural keys."""
    found: dict[int, str] = {}
    for pk, fields in rows:
        app, model = fields.get("app_label"), fields.get("model")
        if type(pk) is int and isinstance(app, str) and isinstance(model, str):
            found[pk] = f"{app}.{model}"
    return found


def _model_of(value: Any, content_types: dict[int, str]) -> str | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return f"{value[0]}.{value[1]}"
    if type(value) is int:
        return content_types.get(value)
    if isinstance(value, str) and "." in value:
        return value
    return None


def _read_tags(
    data: NetBoxData,
    rows: list[tuple[Any, Mapping[str, Any]]],
    content_types: dict[int, str],
) -> None:
    unresolved = 0
    for _, fields in rows:
        model = _model_of(fields.get("content_type"), content_types)
        object_id, tag = fields.get("object_id"), fields.get("tag")
        related = data.related.get(("extras.tag", tag)) if type(tag) is int else None
        if model is None or type(object_id) is not int or related is None:
            unresolved += 1
            continue
        if model in READ:
            tags = data.tags.setdefault((model, object_id), [])
            tags.append(Tag(tag, related.name, related.slug))
    if unresolved:
        data.notes.append(
            f"{unresolved} extras.taggeditem rows name a content type or tag not in the input; "
            "those tags are not known"
        )


def _read_cables(
    data: NetBoxData,
    cables: list[tuple[Any, Mapping[str, Any]]],
    terminations: list[tuple[Any, Mapping[str, Any]]],
    content_types: dict[int, str],
) -> None:
    """Power cables, both ways; a cable whose status is not ``connected`` carries nothing."""
    dead: set[int] = set()
    for pk, fields in cables:
        status = fields.get("status")
        if isinstance(status, str) and status != "connected" and type(pk) is int:
            dead.add(pk)
            continue
        # Before NetBox 3.3 a cable named its two ends itself.
        a = _end(fields, "termination_a", content_types)
        b = _end(fields, "termination_b", content_types)
        if a is not None and b is not None:
            data.link(a, b)
    ends: dict[int, tuple[list[Ref], list[Ref]]] = {}
    for _, fields in terminations:
        cable, side = fields.get("cable"), fields.get("cable_end")
        model = _model_of(fields.get("termination_type"), content_types)
        pk = fields.get("termination_id")
        if type(cable) is not int or cable in dead or model is None or type(pk) is not int:
            continue
        a_side, b_side = ends.setdefault(cable, ([], []))
        if side == "A":
            a_side.append((model, pk))
        elif side == "B":
            b_side.append((model, pk))
    for a_side, b_side in ends.values():
        for a in a_side:
            for b in b_side:
                data.link(a, b)


def _end(fields: Mapping[str, Any], prefix: str, content_types: dict[int, str]) -> Ref | None:
    model = _model_of(fields.get(f"{prefix}_type"), content_types)
    pk = fields.get(f"{prefix}_id")
    if model is None or type(pk) is not int:
        return None
    return (model, pk)
