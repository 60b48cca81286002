"""The fast ways of loading a manifest agree with the plain ones.

:func:`fast.survey` (validation, with the limits survey tallied on the way) counts
what :func:`limits.survey` counts, and lists every key nested below the sections.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.loading import limits
from checker.loading.json_source import parse_json
from checker.manifest import fast
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
