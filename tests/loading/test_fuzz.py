"""Fuzzing every loader: whatever the bytes, the only way out is an InputError.

Mutated versions of real inputs (the manifests, configs and policies in examples/ and
policies/, also as JSON and TOML) and random text go through the manifest loader (and,
when they load, through the baseline pack's evaluation), the policy loader (and, when
it loads, an evaluation on the Pangyo example) and the config loader. Anything else
escaping (a traceback for the user) fails the test. Bounded by ``max_examples`` so
that the whole file runs in about half a minute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.config import load_config
from checker.core.errors import InputError
from checker.evaluate import evaluate
from checker.manifest.load import load_manifests
from checker.policy.load import load_policies

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").rglob("*.yaml"))
POLICIES = sorted((REPO / "policies").rglob("*.yaml"))
CONFIGS = sorted((REPO / "examples").rglob("*.toml"))

#: Tokens that have broken parsers before: structure, aliases, tags, escapes, numbers.
TOKENS = [
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "- ",
    "\n",
    "\t",
    "  ",
    "#",
    "'",
    '"',
    "&a ",
    "*a",
    "<<: ",
    "!!set ",
    "!!python/object:os.system ",
    "? ",
    "---\n",
    "\\ud800",
    "\\U0000dfff",
    "\\u0000",
    "9" * 30,
    "0x" + "f" * 30,
    "1e400",
    ".nan",
    "=",
    ".",
    "[[",
    "]]",
    '"""',
    "$ref: ",
    "'#/$defs/x'",
    "file:///etc/passwd",
    "pattern: '(a)\\1'",
    "pattern: '^(a+)+$'",
    "any_of: ",
    "min: ",
    "count: ",
    "majority",
    "1h\n",
    "max_size: 3",
    "loss_of: any",
    "\u2028",
    "\ufeff",
    "é",
]


def _as_json(path: Path) -> str:
    return json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), indent=1, default=str)


def _as_toml_manifest(path: Path) -> str:
    """A TOML rendering of a manifest (tables per entity, inline tables below)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    lines = [f"version = {data.get('version', 1)}"]
    for section in ("domains", "services"):
        for entity_id, entity in (data.get(section) or {}).items():
            lines.append(f'\n[{section}."{entity_id}"]')
            lines.extend(f"{key} = {json.dumps(value)}" for key, value in entity.items())
    return "\n".join(lines).replace(": ", " = ") + "\n"


SEEDS: dict[str, list[str]] = {
    ".yaml": [p.read_text(encoding="utf-8") for p in EXAMPLES],
    ".json": [_as_json(p) for p in EXAMPLES],
    ".toml": [_as_toml_manifest(p) for p in EXAMPLES],
}
POLICY_SEEDS: dict[str, list[str]] = {
    ".yaml": [p.read_text(encoding="utf-8") for p in POLICIES],
    ".json": [_as_json(p) for p in POLICIES if "examples" not in p.parts],
}
CONFIG_SEEDS = [p.read_text(encoding="utf-8") for p in CONFIGS] + [
    '[tool.resilint]\nmanifests = ["."]\npolicies = ["builtin:strict"]\nfail_on = "high"\n'
    'severity = {tier-inversion = "low"}\ntiers = ["gold", "silver"]\n'
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed with a few insertions, deletions, duplications and replacements."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 40)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "nest"]))
        token = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
        if action == "insert":
            text = text[:at] + token + text[at:]
        elif action == "delete":
            text = text[:at] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[at:end] * draw(st.integers(1, 50)) + text[end:]
        elif action == "replace":
            text = text[:at] + token + text[end:]
        else:
            depth = draw(st.integers(1, 120))
            opener = draw(st.sampled_from(["[", "{a: ", "{a = ", '{"a": ']))
            closer = {"[": "]", "{a: ": "}", "{a = ": "}", '{"a": ': "}"}[opener]
            text = text[:at] + opener * depth + "1" + closer * depth + text[at:]
    return text


#: Values that have broken the layers after parsing: huge or odd numbers, ids that
#: print like others, lone surrogates, deep nesting, schemas that reach outside.
ODD_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([10**19, -(10**19), 0, -1, 2**63]),
        st.floats(allow_nan=False),
        st.text(max_size=10),
        st.sampled_from(
            ["app\n", "1h\n", " 1h", "majority", "critical", "f1", "any", "\ud800", "#/$defs/x"]
        ),
        st.sampled_from(["9" * 19 + "s", "(a)\\1", "^(a+)+$", "file:///etc/passwd", "*"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "kind",
                    "parent",
                    "depends_on",
                    "any_of",
                    "min",
                    "at",
                    "count",
                    "tier",
                    "instances",
                    "min_healthy",
                    "$ref",
                    "pattern",
                    "loss_of",
                    "max_size",
                    "where",
                    "select",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@st.composite
def restructured(draw: st.DrawFn, seeds: list[str], suffix: str) -> str:
    """A seed parsed, with a few values replaced by odd ones, written out again."""
    data = yaml.safe_load(draw(st.sampled_from(seeds))) if suffix != ".toml" else None
    if not isinstance(data, (dict, list)):
        return draw(mutated(seeds))
    for _ in range(draw(st.integers(1, 4))):
        node: Any = data
        for _ in range(draw(st.integers(0, 5))):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if not isinstance(node[key], (dict, list)):
                break
            node = node[key]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if keys:
            node[draw(st.sampled_from(keys))] = draw(ODD_VALUES)
    if suffix == ".json":
        return json.dumps(data, indent=1)
    try:
        return yaml.safe_dump(data, sort_keys=False)
    except yaml.YAMLError:
        return json.dumps(data)


def texts(seeds: list[str], suffix: str = ".yaml") -> st.SearchStrategy[str]:
    return st.one_of(mutated(seeds), restructured(seeds, suffix), st.text(max_size=200))


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def baseline() -> list[Any]:
    return load_policies(["builtin:baseline"], REPO)


@pytest.fixture(scope="module")
def pangyo() -> Any:
    return load_manifests([REPO / "examples" / "pangyo-2022"])


def _only_input_errors(action: Callable[[], Any]) -> None:
    try:
        action()
    except InputError as error:
        assert error.problems, "an InputError says what is wrong"
        assert all(str(problem) for problem in error.problems)


def _write(workdir: Path, name: str, text: str) -> Path:
    path = workdir / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_manifest_loader(workdir: Path, baseline: list[Any], suffix: str) -> None:
    @FUZZ
    @given(texts(SEEDS[suffix], suffix))
    def run(text: str) -> None:
        path = _write(workdir, "manifest" + suffix, text)
        _only_input_errors(lambda: evaluate(load_manifests([path]), baseline))

    run()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_policy_loader(workdir: Path, pangyo: Any, suffix: str) -> None:
    @FUZZ
    @given(texts(POLICY_SEEDS[suffix], suffix))
    def run(text: str) -> None:
        path = _write(workdir, "policy" + suffix, text)
        _only_input_errors(lambda: evaluate(pangyo, load_policies([str(path)], workdir)))

    run()


@pytest.mark.parametrize("name", ["resilint.toml", "pyproject.toml"])
def test_config_loader(workdir: Path, name: str) -> None:
    @FUZZ
    @given(texts(CONFIG_SEEDS, ".toml"))
    def run(text: str) -> None:
        path = _write(workdir, name, text)
        _only_input_errors(lambda: load_config(explicit=path))

    run()
