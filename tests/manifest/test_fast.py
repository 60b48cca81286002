"""The fast acceptance test agrees with the pydantic schema on every document."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from checker.manifest import fast
from checker.manifest import format as schema

#: Ids, with the near misses a regex gets wrong: a trailing newline or space (Python's
#: ``$`` matches before a final newline), non-ASCII digits.
ids = st.one_of(
    st.sampled_from(["a", "pangyo/b3-ups", "x:y.z_1", "bad id", "", "é", "app\n", "١"]),
    st.tuples(
        st.sampled_from(["a", "x:y.z_1"]), st.sampled_from(["\n", "\n\n", " ", "\t", "\r\n"])
    ).map("".join),
)
durations = st.one_of(
    st.sampled_from(["majority", "1h", "90s", "1h30m", "3 hours", "2d", "critical", "١h"]),
    st.tuples(
        st.sampled_from(["1h", "90s", "1h30m"]), st.sampled_from(["\n", " ", "\n\n", "\t"])
    ).map("".join),
    st.integers(16, 20).map(lambda digits: "9" * digits + "s"),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 4),
    st.just(2.0),
    ids,
    durations,
)


def maybe(key: str, value: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(st.just({}), value.map(lambda v: {key: v}))


requirement = st.one_of(
    ids,
    scalars,
    st.fixed_dictionaries(
        {"any_of": st.one_of(st.lists(ids, max_size=3), scalars)},
        optional={"min": scalars, "max": scalars},
    ),
)
labels = st.one_of(
    st.dictionaries(ids, ids, max_size=2), st.dictionaries(ids, scalars, max_size=2), scalars
)
instance = st.one_of(
    ids,
    scalars,
    st.fixed_dictionaries(
        {}, optional={"at": st.one_of(ids, scalars), "count": scalars, "labels": labels}
    ),
)
backup = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {}, optional={"at": st.one_of(ids, scalars), "every": scalars, "x": scalars}
    ),
)


def field(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(value, scalars)


domains = st.fixed_dictionaries(
    {},
    optional={
        "kind": field(st.sampled_from(["rack", ""])),
        "parent": field(ids),
        "depends_on": field(st.lists(requirement, max_size=3)),
        "labels": labels,
        "meta": scalars,
        "kidn": scalars,
    },
)
services = st.fixed_dictionaries(
    {},
    optional={
        "tier": field(st.sampled_from(["critical", "low", ""])),
        "owner": scalars,
        "instances": field(st.lists(instance, max_size=3)),
        "min_healthy": scalars,
        "depends_on": field(st.lists(requirement, max_size=3)),
        "backups": field(st.lists(backup, max_size=2)),
        "rto": scalars,
        "rpo": scalars,
        "labels": labels,
        "meta": scalars,
        "depnds_on": scalars,
    },
)


def accepts(model: type[schema.BaseModel], document: Any) -> bool:
    try:
        model.model_validate(document)
    except ValidationError:
        return False
    return True


@settings(max_examples=1500, deadline=None)
@given(domains)
def test_domains(document: dict[str, Any]) -> None:
    assert fast.domain_ok(document) == accepts(schema.Domain, document), document


@settings(max_examples=3000, deadline=None)
@given(services)
def test_services(document: dict[str, Any]) -> None:
    assert fast.service_ok(document) == accepts(schema.Service, document), document


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "version": st.just(1),
            "domains": st.one_of(st.dictionaries(ids, domains, max_size=2), scalars),
            "services": st.one_of(st.dictionaries(ids, services, max_size=2), scalars),
            "$schema": scalars,
            "extra": scalars,
        },
    )
)
def test_files(document: dict[str, Any]) -> None:
    assert fast.file_ok(document) == accepts(schema.ManifestFile, document), document
