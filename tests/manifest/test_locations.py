"""Entities located together are where each is located alone, in every format."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.model import Model
from checker.manifest.load import load_manifests, model_from_data
from tests.strategies import manifests


def _load_twice(document: Any, suffix: str, indent: int | None) -> tuple[Model, Model]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"m{suffix}"
        if suffix == ".json":
            path.write_text(json.dumps(document, indent=indent), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return load_manifests([path]), load_manifests([path])


@settings(max_examples=150, deadline=None)
@given(
    manifests(domains=(1, 12), services=(1, 12), extras=True),
    st.sampled_from([".json", ".yaml"]),
    st.sampled_from([None, 2]),
    st.data(),
)
def test_locations_of_many_entities_are_their_locations_one_by_one(
    document: Any, suffix: str, indent: int | None, draw: st.DataObject
) -> None:
    together, alone = _load_twice(document, suffix, indent)
    entities = [*together.domains.values(), *together.services.values()]
    # Some entities, some more than once (an entity with several findings), any order.
    chosen = draw.draw(st.lists(st.sampled_from(entities), max_size=2 * len(entities)))
    assert together.locations(chosen) == {e.id: alone.location(e) for e in chosen}


def test_a_model_from_memory_locates_every_entity_at_the_start() -> None:
    model = model_from_data({"version": 1, "domains": {"a": {"kind": "rack"}}, "services": {}})
    assert [str(where) for where in model.locations(model.domains.values()).values()] == [
        "<memory>:1:1"
    ]
