"""Read a NetBox ``manage.py dumpdata`` export: ``[{"model": ..., "pk": ..., "fields": {...}}]``.

Tags come from ``extras.taggeditem`` rows and cables from ``dcim.cabletermination``
(NetBox 3.3 and later) or from the ``termination_a``/``termination_b`` fields of
``dcim.cable`` (earlier); references to content types may be natural keys
(``["dcim", "site"]``, as ``--natural-foreign`` writes them) or keys of
``contenttypes.contenttype`` rows. See docs/importing-netbox.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.importers.netbox_schema import (
    CHOICE,
    DATA,
    LOOKUPS,
    READ,
    TEXT,
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
    tables: dict[str, dict[int, Record]] = {}
    # Hot: one pass over every row of the export (most of them not read at all).
    for index, item in enumerate(items):
        model = item.get("model") if type(item) is dict else None
        fields = item.get("fields") if model is not None else None
        if type(model) is not str or type(fields) is not dict:
            raise InputError(
                "expected an object with 'model' (a string) and 'fields' (an object)",
                locate((index,)),
            )
        spec = _CHECKS.get(model)
        if spec is not None:
            pk = item.get("pk")
            if type(pk) is not int:
                where = (index, "pk") if "pk" in item else (index,)
                raise InputError(f"{model}: expected an integer 'pk', not {pk!r}", locate(where))
            if not _plain(fields, spec):
                fields = normalize(model, fields, data, _inside(locate, index), rest=False)
            table = tables.get(model)
            if table is None:
                table = tables[model] = data.records.setdefault(model, {})
            if pk in table:
                data.notes.append(
                    f"{model} {pk} is given again in {shown} item {index}; the first is kept"
                )
            else:
                table[pk] = Record(pk, fields)
        elif model in LOOKUPS:
            pk = item.get("pk")
            if type(pk) is int:
                _learn_lookup(data, model, pk, fields)
        elif model in helpers:
            helpers[model].append((item.get("pk"), fields))
        else:
            not_read[model] += 1
    content_types = _content_types(helpers["contenttypes.contenttype"])
    _read_tags(data, helpers["extras.taggeditem"], content_types)
    _read_cables(data, helpers["dcim.cable"], helpers["dcim.cabletermination"], content_types)
    return data


class _Check(NamedTuple):
    names: frozenset[str]
    keys: tuple[str, ...]
    texts: tuple[str, ...]


#: Per model: the fields read, those that are keys (int), those that are text or choices.
_CHECKS = {
    model: _Check(
        frozenset(spec),
        tuple(n for n, kind in spec.items() if kind not in (TEXT, CHOICE, DATA)),
        tuple(n for n, kind in spec.items() if kind in (TEXT, CHOICE)),
    )
    for model, spec in READ.items()
}


def _plain(fields: dict[str, Any], check: _Check) -> bool:
    """Whether a dump row is already in normalized form (what NetBox writes), so it can be
    used as it is; if not, :func:`normalize` rebuilds it or says what is wrong."""
    get = fields.get
    for name in check.keys:
        value = get(name)
        if value is not None and type(value) is not int:
            return False
    for name in check.texts:
        value = get(name)
        if value is not None and type(value) is not str:
            return False
    return type(get("custom_field_data")) is dict and not (check.names - fields.keys())


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
