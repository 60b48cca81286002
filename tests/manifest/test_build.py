"""The fast ways of loading a manifest agree with the plain ones.

* :func:`fast.survey` (validation, with the limits survey tallied on the way) counts
  what :func:`limits.survey` counts, and lists every key nested below the sections;
* the section-at-a-time builders (:mod:`checker.manifest.entities`) make the entities
  the field-by-field construction makes;
* the reference check from what the builders could not resolve reports what the
  entity-by-entity check reports.
"""

from __future__ import annotations

import json
import re
from itertools import chain
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.durations import parse_duration
from checker.core.errors import ManifestError, Problem
from checker.core.model import DEFAULT_TIERS, Backup, Domain, Placement, Service, Source
from checker.loading import limits
from checker.loading.json_source import parse_json
from checker.manifest import entities, fast, nesting, references
from checker.manifest.fields import ID_PATTERN
from checker.manifest.load import build_model, validate_document
from checker.manifest.references import check_references
from tests.strategies import manifests

VALID = manifests(domains=(1, 8), services=(0, 8), extras=True)


def _deep_keys(value: Any, depth: int = 1) -> set[str]:
    """Keys of every mapping at ``depth`` 3 or more (the top level is depth 1)."""
    found: set[str] = set()
    if isinstance(value, dict):
        if depth >= 3:
            found.update(value)
        for item in value.values():
            found |= _deep_keys(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            found |= _deep_keys(item, depth + 1)
    return found


@settings(max_examples=300, deadline=None)
@given(VALID)
def test_validating_counts_what_the_limits_survey_counts(document: Any) -> None:
    vouched = fast.survey(document)
    plain = limits.survey(document)
    assert vouched is not None and vouched.ok and plain.ok
    assert (vouched.keys, vouched.mappings) == (plain.keys, plain.mappings)
    assert vouched.deep_keys is not None and vouched.deep_keys >= _deep_keys(document)


def test_a_valid_manifest_over_a_limit_is_valid_but_not_vouched_for() -> None:
    base = {"version": 1, "domains": {"d": {"kind": "rack"}}}
    long_label = {**base, "services": {"s": {"tier": "low", "labels": {"k" * 1025: "v"}}}}
    big_count = {
        **base,
        "services": {"s": {"tier": "low", "instances": [{"at": "d", "count": 10**20}]}},
    }
    long_id = {"version": 1, "domains": {"d" * 1025: {"kind": "rack"}}}
    deep_version = {"version": [[[1]]], "domains": {}}
    nested: Any = 1
    for _ in range(limits.MAX_DEPTH - 3):  # the meta mapping is 4 levels deep
        nested = [nested]
    deep_meta = {**base, "services": {"s": {"tier": "low", "meta": {"a": nested}}}}
    large_meta = {**base, "services": {"s": {"tier": "low", "meta": [10**20]}}}
    long_meta = {**base, "services": {"s": {"tier": "low", "meta": {"k" * 1025: 1}}}}
    fine_meta = {**base, "services": {"s": {"tier": "low", "meta": {"a": nested[0]}}}}
    vouched = fast.survey(fine_meta)
    assert vouched is not None
    assert vouched[:3] == limits.survey(fine_meta)[:3]  # ok, keys, mappings
    for document in (
        long_label,
        big_count,
        long_id,
        deep_version,
        deep_meta,
        large_meta,
        long_meta,
    ):
        survey = fast.survey(document)
        assert survey is not None and not survey.ok, document
        assert fast.file_ok(document)


@settings(max_examples=200, deadline=None)
@given(VALID, st.sampled_from([None, 2]))
def test_a_vouched_file_reads_as_an_unvouched_one(document: Any, indent: int | None) -> None:
    text = json.dumps(document, indent=indent)
    vouched = parse_json(text, "m.json", fast.survey)
    assert vouched.vouched
    assert vouched.data == parse_json(text, "m.json").data == document


def _slowly(document: dict[str, Any], path: str) -> tuple[dict[str, Domain], dict[str, Service]]:
    """The entities, built field by field (as the model's own constructors say)."""
    rank = {tier: index for index, tier in enumerate(DEFAULT_TIERS)}
    domains = {
        key: Domain(
            key,
            doc["kind"],
            doc.get("parent"),
            entities.requirements(doc.get("depends_on", ())),
            doc.get("labels", {}),
            doc,
            Source(path, ("domains", key)),
        )
        for key, doc in document.get("domains", {}).items()
    }
    services = {}
    for key, doc in document.get("services", {}).items():
        placed = entities.placements(doc.get("instances", ()))
        spec = doc.get("min_healthy", 1)
        services[key] = Service(
            key,
            doc["tier"],
            rank[doc["tier"]],
            doc.get("owner"),
            placed,
            sum(p.replicas for p in placed) // 2 + 1 if spec == "majority" else spec,
            entities.requirements(doc.get("depends_on", ())),
            tuple(
                Backup(b["at"], parse_duration(b["every"]), b["every"])
                for b in doc.get("backups", ())
            ),
            parse_duration(doc["rto"]) if doc.get("rto") else None,
            parse_duration(doc["rpo"]) if doc.get("rpo") else None,
            doc.get("labels", {}),
            doc,
            Source(path, ("services", key)),
        )
    return domains, services


@settings(max_examples=300, deadline=None)
@given(VALID)
def test_entities_built_a_section_at_a_time_are_built_field_by_field(document: Any) -> None:
    parse = parse_json(json.dumps(document), "m.json")
    model = build_model([(parse, document)], {"m.json": parse}, DEFAULT_TIERS)
    domains, services = _slowly(document, "m.json")
    assert model.domains == domains
    assert model.services == services
    placements = chain.from_iterable(s.instances for s in model.services.values())
    assert all(type(p) is Placement for p in placements)


#: Ids a reference may name: defined ones, a service where a domain is wanted, unknown.
REFERENCES = ("d0", "d1", "s0", "s1", "nowhere")


@st.composite
def _dangling(draw: st.DrawFn) -> dict[str, Any]:
    """A valid manifest with references drawn anywhere: some resolve, some do not."""
    ref = st.sampled_from(REFERENCES)
    group = st.fixed_dictionaries(
        {"any_of": st.lists(ref, min_size=1, max_size=3)}, optional={"min": st.integers(1, 3)}
    )
    needs = st.lists(st.one_of(ref, group), max_size=3)
    placed = st.one_of(
        ref, st.fixed_dictionaries({"at": ref}, optional={"count": st.integers(1, 2)})
    )
    domains = {
        f"d{i}": draw(
            st.fixed_dictionaries(
                {"kind": st.just("rack")}, optional={"parent": ref, "depends_on": needs}
            )
        )
        for i in range(draw(st.integers(0, 3)))
    }
    services = {
        f"s{i}": draw(
            st.fixed_dictionaries(
                {"tier": st.sampled_from(DEFAULT_TIERS)},
                optional={
                    "instances": st.lists(placed, max_size=3),
                    "depends_on": needs,
                    "backups": st.lists(
                        st.fixed_dictionaries({"at": ref, "every": st.just("1h")}), max_size=2
                    ),
                },
            )
        )
        for i in range(draw(st.integers(0, 3)))
    }
    return {"version": 1, "domains": domains, "services": services}


@settings(max_examples=500, deadline=None)
@given(_dangling(), st.sampled_from([frozenset(), frozenset({"nowhere"}), None]))
def test_references_checked_from_the_parts_are_reported_as_entity_by_entity(
    document: Any, elsewhere: frozenset[str] | None
) -> None:
    parse = parse_json(json.dumps(document), "m.json")
    assert validate_document(parse, []) is not None
    fast_problems: list[Problem] = []
    model = build_model(
        [(parse, document)], {"m.json": parse}, DEFAULT_TIERS, fast_problems, elsewhere
    )
    plain_problems: list[Problem] = []
    check_references(model, plain_problems, elsewhere)
    assert list(map(repr, fast_problems)) == list(map(repr, plain_problems))


def test_every_kind_of_mapping_is_counted() -> None:
    document = {
        "version": 1,
        "$schema": "x",
        "domains": {"d": {"kind": "rack", "labels": {"a": "b"}, "meta": {"x": [{"y": 1}]}}},
        "services": {
            "s": {
                "tier": "low",
                "instances": ["d", {"at": "d", "count": 2, "labels": {"c": "d"}}],
                "depends_on": ["d", {"any_of": ["d", "t"], "min": 1}],
                "backups": [{"at": "d", "every": "1h"}],
                "labels": {},
            },
            "t": {"tier": "low", "rto": "1h", "rpo": "1m"},
        },
        "extend": {"u": {"tier": "low", "labels": {"e": "f"}, "depends_on": ["d"]}, "v": {}},
    }
    vouched = fast.survey(document)
    assert vouched is not None
    assert vouched[:3] == limits.survey(document)[:3]
    assert vouched.deep_keys is not None and vouched.deep_keys >= _deep_keys(document)


def test_ids_are_checked_as_the_schema_checks_them() -> None:
    pattern = re.compile(ID_PATTERN)
    characters = [chr(code) for code in range(0x300)] + ["١", "\u2028", "\U0001f600"]
    for character in characters:
        for text in (character, f"a{character}", f"{character}b"):
            assert fast.ids_ok([text]) == (pattern.fullmatch(text) is not None), repr(text)
    assert fast.ids_ok([]) and not fast.ids_ok(["a", ""]) and fast.ids_ok(["a/b", "c:d_e.f-g"])
    assert not fast.ids_ok(["a", "b\n"]) and not fast.ids_ok(["a b"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 7)), min_size=1, max_size=8))
def test_parents_are_checked_in_one_pass_as_in_two(parents: list[int | None]) -> None:
    domains = {
        f"d{i}": {"kind": "rack", **({} if p is None or p >= len(parents) else {"parent": f"d{p}"})}
        for i, p in enumerate(parents)
    }
    document = {"version": 1, "domains": domains}
    parse = parse_json(json.dumps(document), "m.json")
    model = build_model([(parse, document)], {"m.json": parse}, DEFAULT_TIERS, [])
    with (
        patch.object(references, "MAX_PARENT_DEPTH", 3),
        patch.object(nesting, "MAX_PARENT_DEPTH", 3),
    ):
        try:
            nesting.check_parent_depth(model) if not references._parent_cycles(model) else None
            two = not references._parent_cycles(model)
        except ManifestError:
            two = False
        assert references._shallow_forest(model) == two
