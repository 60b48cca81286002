"""The fast block YAML writer gives PyYAML's bytes, or declines."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.importers.block_yaml import dump_block
from checker.importers.common import _Dumper


def pyyaml(data: Any, width: int = 100) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=width,
    )


#: Strings that YAML treats specially, beside ordinary ids.
TRICKY = [
    "",
    "1",
    "0.5",
    "1e3",
    "0x1F",
    "0o17",
    "1_000",
    "12:30",
    "190:20:30",
    "2026-01-01",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "null",
    "~",
    "y",
    "n",
    "=",
    "<<",
    "-",
    "- x",
    "? q",
    ":",
    "a:",
    "a: b",
    "a:b",
    "x #y",
    "#x",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "'q",
    '"q',
    "%p",
    "@a",
    "`b",
    "[x]",
    "{y}",
    "a,b",
    "---",
    "...",
    " lead",
    "trail ",
    "two  spaces",
    "tab\there",
    "line\nbreak",
    "\u2028",
    "é",
    "漢字",
    "emoji 😀",
    "\ufeffbom",
    "\x07bell",
    ".inf",
    ".NaN",
    "zone:eu-west-1a",
    "default/frontend",
    "node:ip-10-0-1-10.eu-west-1.compute.internal",
    "topology.kubernetes.io/zone",
    "http://x.y:80/p?q=1",
    "a" * 99,
    "word " * 30,
]
scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.from_regex(r"[a-z][a-z0-9./:-]{0,30}", fullmatch=True),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
)
keys = st.one_of(st.sampled_from(TRICKY), st.from_regex(r"[a-z][a-z0-9._/-]{0,20}", fullmatch=True))
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, data, min_size=1, max_size=5))
def test_same_bytes_as_pyyaml_or_declined(document: dict[str, Any]) -> None:
    fast = dump_block(document, _Dumper, width=100)
    if fast is not None:
        assert fast == pyyaml(document)


def test_manifest_shapes_are_written_by_the_fast_path() -> None:
    document = {
        "domains": {"zone:eu-west-1a": {"kind": "facility", "parent": "region:eu-west-1"}},
        "services": {
            "shop/web": {
                "tier": "critical",
                "instances": ["node:a", {"at": "node:b", "count": 2}],
                "min_healthy": 2,
                "depends_on": ["shop/cart", {"any_of": ["shop/x", "shop/y"], "min": 1}],
                "labels": {"spread.maxSkew": "1", "app": "web", "empty": "no"},
                "meta": {"replicas": 3, "source": {"kind": "Deployment", "name": "web"}},
                "backups": [],
                "extra": {},
            }
        },
    }
    fast = dump_block(document, _Dumper, width=100)
    assert fast is not None
    assert fast == pyyaml(document)
    assert "      spread.maxSkew: '1'\n" in fast
    assert "      empty: 'no'\n" in fast


def test_declines_what_it_does_not_imitate() -> None:
    assert dump_block({}, _Dumper, width=100) is None
    assert dump_block({"a": ""}, _Dumper, width=100) is None
    assert dump_block({"a": "two\nlines"}, _Dumper, width=100) is None
    assert dump_block({"a": [[1]]}, _Dumper, width=100) is None
    assert dump_block({"a": 1.5}, _Dumper, width=100) is None
    assert dump_block({"a": "x" * 120}, _Dumper, width=100) is None
