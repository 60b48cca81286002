"""Multi-document YAML is read with the same safety and exact positions as one document."""

from __future__ import annotations

import pytest

from checker.core.errors import InputError
from checker.loading.yaml_source import parse_yaml_stream


def test_each_document_has_its_own_positions() -> None:
    documents = parse_yaml_stream("a: 1\n---\nb:\n  c: 2\n---\n- x\n", "k.yaml")
    assert [d.data for d in documents] == [{"a": 1}, {"b": {"c": 2}}, ["x"]]
    assert documents[1].location(("b", "c")) == ("k.yaml", 4, 3)
    assert documents[2].location((0,)) == ("k.yaml", 6, 3)


def test_empty_documents_are_left_out() -> None:
    documents = parse_yaml_stream("---\n# only a comment\n---\na: 1\n---\n...\n", "k.yaml")
    assert [d.data for d in documents] == [{"a": 1}]


def test_a_syntax_error_in_a_later_document_is_at_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml_stream("a: 1\n---\nb: [1,\n", "k.yaml")
    assert str(caught.value) == (
        "k.yaml:4:1: invalid YAML: did not find expected node content (while parsing a flow node)"
    )


def test_duplicate_keys_and_tags_are_refused_as_in_one_document() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml_stream("a: 1\n---\nb: 1\nb: 2\n", "k.yaml")
    assert str(caught.value) == (
        "k.yaml:4:1: duplicate key 'b' (first defined at line 3, column 1)"
    )
    with pytest.raises(InputError) as caught:
        parse_yaml_stream("---\nx: !!python/object:os.system ls\n", "k.yaml")
    assert str(caught.value).startswith("k.yaml:2:4: YAML tag not allowed here")


def test_the_alias_budget_is_shared_by_the_whole_stream() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    bomb += "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    bomb += "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    # One such document (about 111,000 values) fits the budget of one input (3 million,
    # docs/limits.md); forty of them do not, although each one alone would.
    assert len(parse_yaml_stream(bomb, "k.yaml")) == 1
    text = "---\n".join([bomb] * 40)
    with pytest.raises(InputError) as caught:
        parse_yaml_stream(text, "k.yaml")
    assert "alias bomb" in str(caught.value)
