"""The fast block-YAML writer gives exactly PyYAML's bytes, or declines."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.importers.block_yaml import dump_block_yaml
from checker.importers.common import Inventory, Source, _Dumper, render_manifest


def _pyyaml(data: Any) -> str:
    return str(
        yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=True,
            default_flow_style=False,
            allow_unicode=True,
            width=100,
        )
    )


# Strings that exercise quoting: YAML 1.1 booleans and numbers, indicators, spaces,
# colons, unicode, empty strings, and long runs with spaces that PyYAML folds.
_TRICKY = st.sampled_from(
    [
        "",
        " ",
        "yes",
        "No",
        "on",
        "null",
        "~",
        "0x1f",
        "1e3",
        "1_000",
        "1:20",
        "2021-01-01",
        "-",
        "- a",
        "-a",
        "a:",
        "a:b",
        "a: b",
        "#x",
        "a #b",
        "'q'",
        '"d"',
        "a  b",
        " lead",
        "trail ",
        ".inf",
        ".",
        "/",
        "<<",
        "=",
        "ünï",
        "tab\there",
        "line\nbreak",
        "*star",
        "&amp",
        "!bang",
        "%pct",
        "@at",
        "`tick",
        "{x}",
        "[y]",
        "?",
        "? q",
        "a,b",
        "|",
        ">",
    ]
)
_TEXT = st.one_of(
    _TRICKY,
    st.text(alphabet="ab -_./:#'\"\n é0123456789", max_size=12),
    st.lists(st.sampled_from(["word", "x", "ncsu-065", "R101"]), min_size=1, max_size=40).map(
        " ".join
    ),
)
_SCALAR = st.one_of(_TEXT, st.integers(-5, 10**6), st.booleans(), st.none())
_TREE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _TREE, max_size=5))
def test_same_bytes_as_pyyaml_or_declines(data: dict[str, Any]) -> None:
    fast = dump_block_yaml(data, _Dumper)
    if fast is not None:
        assert fast == _pyyaml(data)


def test_typical_manifest_is_written_without_falling_back() -> None:
    data = {
        "domains": {
            "ncsu-065/row-1/R101": {
                "kind": "rack",
                "parent": "ncsu-065/row-1",
                "depends_on": [
                    {"any_of": ["ncsu-065/Panel-1/P1-1A", "ncsu-065/Panel-2/P2-1B"], "min": 1}
                ],
                "labels": {"status": "active", "tenant": "nc-state"},
                "meta": {
                    "source": {"system": "netbox", "kind": "dcim.rack", "name": "R101", "pk": 14}
                },
            },
            "yes": {"kind": "no", "labels": {}, "list": [], "nested": [[1, 2], [], {}]},
        }
    }
    fast = dump_block_yaml(data, _Dumper)
    assert fast is not None
    assert fast == _pyyaml(data)
    assert "'yes':\n" in fast


def test_declines_what_it_cannot_reproduce() -> None:
    assert dump_block_yaml({"x": 1.5}, _Dumper) is None
    assert dump_block_yaml({"x": {1: "a"}}, _Dumper) is None
    long_words = " ".join(["word"] * 30)
    assert dump_block_yaml({"x": long_words}, _Dumper) is None
    # Long without spaces is never folded, so it is written directly.
    assert dump_block_yaml({"x": "a" * 300}, _Dumper) == _pyyaml({"x": "a" * 300})


def test_render_manifest_output_unchanged_by_the_fast_path() -> None:
    inventory = Inventory("netbox")
    inventory.add_domain(
        "site/a b", "facility", Source("netbox", "dcim.site", "A B", pk=1), labels={"x": "on"}
    )
    inventory.add_service(
        "role/router",
        {"tier": "medium", "instances": ["site/a b"]},
        Source("netbox", "dcim.devicerole", "Router", pk=1),
    )
    text = render_manifest(inventory, "resilint import netbox x.json")
    body = {"domains": inventory.domains, "services": inventory.services}
    assert text.endswith("version: 1\n" + _pyyaml(body))
