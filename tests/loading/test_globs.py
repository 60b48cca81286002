"""Name patterns: a set of plain names and one regex answer as one regex per pattern would."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.loading.discovery import DEFAULT_INCLUDE, OTHER_FILES, SKIPPED_DIRECTORIES
from checker.loading.globs import Patterns, _compile, pattern_problem

pieces = st.sampled_from(["a", "b", ".", "-", "*", "?", "[ab]", "[!a]", "x.json", "yaml"])
patterns = st.lists(pieces, min_size=1, max_size=4).map("".join)
names = st.lists(st.sampled_from(["a", "b", ".", "-", "x", "json", "yaml", "ab"]), max_size=5)


def _one_by_one(written: list[str], name: str) -> bool:
    return any(_compile(p).match(name) is not None for p in written)


@settings(max_examples=800, deadline=None)
@given(st.lists(patterns, max_size=5), names.map("".join))
def test_names_match_as_with_one_regex_each(written: list[str], name: str) -> None:
    assert Patterns(written, Path.cwd()).matches_name(name) == _one_by_one(written, name)


def test_the_walks_own_patterns() -> None:
    written = [*OTHER_FILES, *SKIPPED_DIRECTORIES, *DEFAULT_INCLUDE]
    patterns = Patterns(written, Path.cwd())
    for name in [*written, "tsconfig.base.json", "compose.prod.yml", "x.sarif", "a.yaml", "b"]:
        assert patterns.matches_name(name) == _one_by_one(written, name), name


def test_plain_names_match_only_themselves() -> None:
    patterns = Patterns(["venv", "a.b"], Path.cwd())
    assert patterns.matches_name("venv")
    assert not patterns.matches_name("venv2")
    assert not patterns.matches_name("axb")


_BRACKETY = st.lists(
    st.sampled_from(["a", "b", "]", "[", "!", "^", "\\", "-", "*", "?", "x"]), max_size=6
).map("".join)


@settings(max_examples=800, deadline=None)
@given(
    _BRACKETY,
    st.lists(st.sampled_from(["a", "b", "]", "[", "!", "^", "\\", "-", "x"]), max_size=4).map(
        "".join
    ),
)
def test_a_name_pattern_matches_as_fnmatch_does(pattern: str, name: str) -> None:
    # Within one name (no "/"), a pattern means what fnmatch says, brackets included;
    # a pattern fnmatch cannot compile either is refused with a message, never a crash.
    try:
        expected = fnmatch.fnmatchcase(name, pattern)
    except re.error:
        assert pattern_problem(pattern) is not None
        return
    assert pattern_problem(pattern) is None
    assert (_compile(pattern).match(name) is not None) == expected


def test_brackets_fnmatch_reads_literally_are_no_error() -> None:
    for pattern in ("[]", "[!]", "[", "a]", "[z-a]"):
        assert pattern_problem(pattern) is None
    assert _compile("[z-a]").match("m") is None  # a reversed range matches nothing
