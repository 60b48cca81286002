"""The fast block-YAML writer writes exactly what PyYAML writes, or declines."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.importers.block_yaml import dump_block_yaml


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _pyyaml(data: Any, width: int = 100) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=width,
    )


# Words like the ones importers write, plus the characters that change a string's style.
_WORDS = st.sampled_from(
    [
        "us-west-2a", "aws_instance.web[0]", 'module.a["x"].b', "no", "yes", "null", "on",
        "1.5", "0x1F", "2024-01-01", "~", "-", "- x", "a:", "a: b", "#c", "x #y", "it's",
        "'q'", '"dq"', "[x]", "{y}", "*a", "&b", "!t", "%p", "@v", "`b`", "|", ">", "?",
        "é", "Zürich", "東京", ",", "=", "<<", ".inf", "", " ", "tab\there", "critical",
        "2 x us-west-2a", "10 x", "3 x 4", "1 x -", "0 x y:",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.lists(_WORDS, max_size=8).map("".join),
    st.text(max_size=40),
    st.text(alphabet="ab -'", max_size=260),
)
_SCALARS = st.one_of(_TEXT, st.integers(-(10**6), 10**12), st.booleans(), st.none())
_KEYS = st.one_of(_TEXT, st.text(alphabet="abc.", min_size=120, max_size=140))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5), st.sampled_from([20, 60, 100]))
def test_same_as_pyyaml_or_declines(data: dict[str, Any], width: int) -> None:
    fast = dump_block_yaml(data, width)
    if fast is not None:
        assert fast == _pyyaml(data, width)


def test_writes_a_manifest_shape_itself() -> None:
    service = {
        "tier": "critical",
        "instances": ["us-west-2a", {"at": "us-west-2b", "count": 2}],
        "min_healthy": 2,
        "meta": {
            "placement": {
                'aws_autoscaling_group.web["eu"]': "2 x us-west-2b, 1 x us-west-2a "
                "(vpc_zone_identifier -> aws_subnet.a, aws_subnet.b; the remainder "
                "assumed in the first zones)",
            },
            "source": {"system": "terraform", "kind": "aws_autoscaling_group", "pk": 7},
        },
        "labels": {},
        "depends_on": [],
    }
    data = {"services": {"module.x.aws_autoscaling_group.web": service}, "domains": {}}
    fast = dump_block_yaml(data)
    assert fast is not None
    assert fast == _pyyaml(data)


def test_declines_what_it_does_not_write() -> None:
    assert dump_block_yaml({"a": 1.5}) is None
    assert dump_block_yaml({"a": [[1]]}) is None
    assert dump_block_yaml({"a": "two\nlines"}) is None
    assert dump_block_yaml({"a": "\x07bell"}) is None
    assert dump_block_yaml({"k" * 123: 1}) is None
    assert dump_block_yaml({"k" * 122: 1}) == _pyyaml({"k" * 122: 1})
    assert dump_block_yaml({}) is None
    assert dump_block_yaml({"a": {1: "x"}}) is None
    assert dump_block_yaml({"a": {1: "x", "b": "y"}}) is None
