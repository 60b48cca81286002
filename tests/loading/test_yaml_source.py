"""YAML is read safely and every position is exact."""

from __future__ import annotations

import pytest

from checker.core.errors import InputError
from checker.loading.yaml_source import parse_yaml


def test_positions_of_keys_and_items() -> None:
    document = parse_yaml("a:\n  b: [1, {c: 2}]\n  d: 3\n", "m.yaml")
    assert document.locator.locate(("a", "d")) == (3, 3)
    assert document.locator.locate(("a", "b", 1, "c")) == (2, 11)


def test_anchors_and_merge_keys_are_allowed() -> None:
    text = "base: &b {kind: rack}\nx:\n  <<: *b\n  parent: h\n"
    assert parse_yaml(text, "m.yaml").data["x"] == {"kind": "rack", "parent": "h"}


def test_an_impossible_date_is_reported_at_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("waivers:\n  - expires: 2026-13-45\n", "w.yaml")
    assert str(caught.value).startswith("w.yaml:2:14: invalid YAML value")


def test_more_than_one_document_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("a: 1\n---\nb: 2\n", "m.yaml")
    assert "m.yaml:2:1" in str(caught.value)


def test_an_empty_file_is_an_empty_document() -> None:
    assert parse_yaml("# nothing\n", "m.yaml").data is None
