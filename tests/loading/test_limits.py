"""The limits of docs/limits.md: each refused at its file and line, in every format.

Large but legal inputs (a 100,000-service manifest) still load.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from checker.core.errors import InputError
from checker.loading import limits
from checker.loading.json_source import parse_json
from checker.loading.parse import gc_paused, parse_file
from checker.loading.toml_source import load_toml_text, parse_toml
from checker.loading.yaml_source import parse_yaml
from checker.manifest.load import load_manifests

REPO = Path(__file__).resolve().parents[2]
TOO_DEEP = "nested more than 64 levels deep (the limit for one input)"
INT_TOO_LONG = "an integer of more than 20 digits (the limit for one input)"
SURROGATE = (
    "a string holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), "
    "which is not a character"
)


def _error(parse: Any, text: str, path: str) -> str:
    with pytest.raises(InputError) as caught:
        parse(text, path)
    return str(caught.value)


# (case, parser, file name, text, expected "file:line:column: message")
CASES = [
    (
        "json-deep",
        parse_json,
        "m.json",
        '{"a":\n ' + "[" * 70 + "]" * 70 + "}",
        f"2:65: {TOO_DEEP}",
    ),
    ("json-deeper-than-python", parse_json, "m.json", "[" * 100_000, f"1:65: {TOO_DEEP}"),
    (
        "json-int",
        parse_json,
        "m.json",
        '{"a": 1,\n "b": ' + "9" * 5000 + "}",
        f"2:2: {INT_TOO_LONG}",
    ),
    ("json-int-21", parse_json, "m.json", '{"b": [1, -' + "9" * 21 + "]}", f"1:11: {INT_TOO_LONG}"),
    ("json-surrogate", parse_json, "m.json", '{"a": 1,\n "b": "x\\ud800"}', f"2:2: {SURROGATE}"),
    ("json-surrogate-key", parse_json, "m.json", '{"\\udc00": 1}', f"1:2: {SURROGATE}"),
    (
        "json-key",
        parse_json,
        "m.json",
        '{"a": 1,\n "' + "k" * 1025 + '": 1}',
        "2:2: a key of 1,025 characters, above the limit of 1,024",
    ),
    ("yaml-deep", parse_yaml, "m.yaml", "a:\n  " + "[" * 70 + "]" * 70, f"2:66: {TOO_DEEP}"),
    ("yaml-int", parse_yaml, "m.yaml", "a: 1\nb: " + "9" * 5000, f"2:4: {INT_TOO_LONG}"),
    ("yaml-hex-int", parse_yaml, "m.yaml", "b: 0x" + "f" * 17, f"1:4: {INT_TOO_LONG}"),
    (
        "yaml-key",
        parse_yaml,
        "m.yaml",
        "a: 1\n? " + "k" * 1025 + "\n: 1\n",
        "2:3: a key of 1,025 characters, above the limit of 1,024",
    ),
    (
        "toml-dotted-key",
        load_toml_text,
        "m.toml",
        "version = 1\n" + ".".join(["a"] * 40_000) + " = 1\n",
        "2:1: a dotted key or table header of more than 32 parts (the limit for one key)",
    ),
    (
        "toml-table-header",
        load_toml_text,
        "m.toml",
        "[" + ".".join(["a"] * 33) + "]\n",
        "1:2: a dotted key or table header of more than 32 parts (the limit for one key)",
    ),
    (
        "toml-deep-arrays",
        load_toml_text,
        "m.toml",
        "version = 1\nx = " + "[" * 1000 + "]" * 1000,
        f"2:69: {TOO_DEEP}",
    ),
    (
        "toml-deep-tables",
        load_toml_text,
        "m.toml",
        "x = " + "{b = " * 1000 + "1" + "}" * 1000,
        f"1:325: {TOO_DEEP}",
    ),
    ("toml-int", load_toml_text, "m.toml", "a = 1\nb = " + "9" * 5000, f"2:5: {INT_TOO_LONG}"),
    ("toml-int-21", load_toml_text, "m.toml", "a = 1\nb = " + "9" * 21, f"2:1: {INT_TOO_LONG}"),
    (
        "toml-size",
        load_toml_text,
        "m.toml",
        "a = 1\n" * 1_500_000,
        "1:1: TOML file of 8.6 MiB, above the limit of 8 MiB for TOML",
    ),
]


@pytest.mark.parametrize(
    ("parse", "path", "text", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_limit_is_an_error_at_its_place(
    parse: Any, path: str, text: str, expected: str
) -> None:
    assert _error(parse, text, path).startswith(f"{path}:{expected}")


def test_yaml_events_are_counted_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_YAML_EVENTS", 20)
    message = _error(parse_yaml, "a: [" + "x, " * 20 + "]", "m.yaml")
    assert message == (
        "m.yaml:1:1: YAML file of 29 parser events (about one per value), above the limit "
        "of 20 for one file: split it, or write it as JSON"
    )


def test_aliases_count_against_the_event_budget_as_they_expand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_YAML_EVENTS", 10_000)
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcd", "bcde", strict=True)
    )
    assert _error(parse_yaml, text, "m.yaml") == (
        "m.yaml:1:35: YAML aliases expand to far more data than the file holds "
        "(an alias bomb?); refusing to expand it"
    )


def test_a_syntax_error_at_the_end_of_a_long_file_is_found_without_building_it() -> None:
    text = "version: 1\nitems:\n" + "- a\n" * 200_000 + "- [\n"
    assert _error(parse_yaml, text, "m.yaml").startswith("m.yaml:200004:1: invalid YAML")


def test_legal_values_at_the_limits_are_accepted() -> None:
    nested: Any = 1
    for _ in range(limits.MAX_DEPTH - 1):
        nested = [nested]
    deep = json.dumps({"a": nested})  # the outer object is level 1: exactly 64 levels
    assert parse_json(deep, "m.json").data == {"a": nested}
    assert parse_yaml(deep, "m.yaml").data == {"a": nested}
    big = "9" * limits.MAX_INT_DIGITS
    assert parse_json(f'{{"a": -{big}, "b": "\\ud83d\\ude00"}}', "m.json").data == {
        "a": -int(big),
        "b": "\U0001f600",
    }
    assert parse_yaml(f"a: {big}\nb: 017\n", "m.yaml").data == {"a": int(big), "b": 15}
    assert parse_toml(f"a = {big}\n[{'.'.join(['t'] * 32)}]\n", "m.toml").data["a"] == int(big)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_gc() -> Iterator[None]:
    """Millions of objects, as the command line runs them (see checker.cli.errors)."""
    with gc_paused():
        yield


@pytest.mark.usefixtures("no_gc")
def test_a_100k_service_manifest_still_loads_as_json_and_as_yaml(tmp_path: Path) -> None:
    document = _generator().generate(100_000, 20_000, 1)
    text = json.dumps(document, separators=(",", ":"))
    # JSON is YAML too (flow style): the same values, as many parser events as block
    # style (2.4 million, under the limit), without the minutes PyYAML takes to write them.
    (tmp_path / "big.json").write_text(text, encoding="utf-8")
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    as_yaml = parse_file(tmp_path / "big.yaml").data
    assert (len(as_yaml["services"]), len(as_yaml["domains"])) == (100_000, 20_000)
    assert as_yaml["services"]["svc-099999"] == document["services"]["svc-099999"]
    model = load_manifests([tmp_path / "big.json"])
    assert (len(model.services), len(model.domains)) == (100_000, 20_000)
