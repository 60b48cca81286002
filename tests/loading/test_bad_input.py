"""Malformed and hostile inputs: exit 2, one clear message with file:line, inputs untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

GOOD_DOMAINS = "version: 1\ndomains:\n  f1: {kind: facility}\n  f2: {kind: facility}\n"

# (case id, {file name: content}, expected "path:line" prefix, expected words in the message)
CASES: list[tuple[str, dict[str, str | bytes], str, str]] = [
    (
        "yaml-syntax",
        {"m.yaml": "version: 1\ndomains:\n  a: {kind: x\n"},
        "m.yaml:4",
        "invalid YAML",
    ),
    ("yaml-tab", {"m.yaml": "version: 1\ndomains:\n\ta: 1\n"}, "m.yaml:3", "invalid YAML"),
    ("json-syntax", {"m.json": '{"version": 1,\n "domains": {,}}'}, "m.json:2", "invalid JSON"),
    ("toml-syntax", {"m.toml": "version = 1\n[domains.a\nkind='x'\n"}, "m.toml:2", "invalid TOML"),
    (
        "wrong-type",
        {"m.yaml": "version: 1\ndomains:\n  a:\n    kind: [1]\n"},
        "m.yaml:4",
        "domains.a.kind: must be text, got [1]",
    ),
    (
        "unknown-key",
        {
            "m.yaml": GOOD_DOMAINS + "services:\n  s:\n    tier: high\n    instances: [f1]\n"
            "    depnds_on: [f2]\n"
        },
        "m.yaml:9",
        "unknown key 'depnds_on' in services.s; did you mean 'depends_on'?",
    ),
    (
        "duplicate-yaml-key",
        {"m.yaml": "version: 1\ndomains:\n  a: {kind: x}\n  a: {kind: y}\n"},
        "m.yaml:4",
        "duplicate key 'a' (first defined at line 3",
    ),
    (
        "duplicate-json-key",
        {"m.json": '{"version": 1, "domains": {\n"a": {"kind": "x"},\n"a": {"kind": "y"}}}'},
        "m.json:3",
        "duplicate key 'a' (first defined at line 2",
    ),
    (
        "duplicate-id-across-files",
        {"a.yaml": GOOD_DOMAINS, "b.yaml": "version: 1\nservices:\n  f1: {tier: low}\n"},
        "b.yaml:3",
        "id 'f1' is defined twice: here and at manifests/a.yaml:3:3",
    ),
    (
        "duplicate-id-domain-and-service-one-file",
        {"m.yaml": GOOD_DOMAINS + "services:\n  f2: {tier: low, instances: [f1]}\n"},
        "m.yaml:6",
        "id 'f2' is defined twice",
    ),
    (
        "dangling-reference",
        {"m.yaml": GOOD_DOMAINS + "services:\n  s: {tier: low, instances: [f11]}\n"},
        "m.yaml:6",
        "refers to unknown domain 'f11'; did you mean 'f1'?",
    ),
    (
        "dangling-dependency",
        {
            "m.yaml": GOOD_DOMAINS + "services:\n  s:\n    tier: low\n    depends_on: [authh]\n"
            "  auth: {tier: low}\n"
        },
        "m.yaml:8",
        "unknown entity 'authh'",
    ),
    (
        "parent-cycle",
        {"m.yaml": "version: 1\ndomains:\n  a: {kind: x, parent: b}\n  b: {kind: x, parent: a}\n"},
        "m.yaml:3",
        "parent cycle: a -> b -> a",
    ),
    (
        "any-of-min-too-large",
        {
            "m.yaml": GOOD_DOMAINS + "  h:\n    kind: hall\n    depends_on:\n"
            "      - {any_of: [f1, f2], min: 3}\n"
        },
        "m.yaml:8",
        "any_of needs min 3 but lists only 2",
    ),
    (
        "bad-duration",
        {"m.yaml": GOOD_DOMAINS + "services:\n  s: {tier: low, instances: [f1], rto: 3 hours}\n"},
        "m.yaml:6",
        "is not a duration",
    ),
    (
        "bad-version",
        {"m.yaml": "version: 2\ndomains: {}\n"},
        "m.yaml:1",
        "unsupported manifest version 2",
    ),
    (
        "missing-version",
        {"m.yaml": "domains:\n  a: {kind: x}\n"},
        "m.yaml:1",
        "missing 'version: 1'",
    ),
    (
        "unknown-tier",
        {"m.yaml": GOOD_DOMAINS + "services:\n  s: {tier: critcal, instances: [f1]}\n"},
        "m.yaml:6",
        "unknown tier 'critcal'; did you mean 'critical'?",
    ),
    (
        "python-object-tag",
        {"m.yaml": "version: 1\ndomains: !!python/object/apply:os.system [echo pwned]\n"},
        "m.yaml:2",
        "YAML tag not allowed",
    ),
    (
        "alias-bomb",
        {
            "m.yaml": "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(8)
            )
        },
        "m.yaml:",
        "alias bomb",
    ),
    ("binary", {"m.yaml": b"\x7fELF\x02\x01\x01\x00\x00\x00"}, "m.yaml:1", "binary file"),
    ("not-utf8", {"m.yaml": b"version: 1\n# \xff\xfe\n"}, "m.yaml:2", "not valid UTF-8"),
    (
        "boolean-key",
        {"m.yaml": "version: 1\ndomains:\n  no: {kind: x}\n"},
        "m.yaml:3",
        "read by YAML as a boolean; quote it",
    ),
    (
        "bad-id",
        {"m.yaml": "version: 1\ndomains:\n  'hall a': {kind: x}\n"},
        "m.yaml:3",
        "is not a valid id",
    ),
    (
        "id-ending-in-a-newline",
        {"m.yaml": 'version: 1\ndomains:\n  "dc\\n": {kind: x}\n'},
        "m.yaml:3",
        "error: domains.'dc\\n': 'dc\\n' is not a valid id (use letters, digits and . _ - / :)\n",
    ),
    (
        "duration-ending-in-a-newline",
        {
            "m.yaml": GOOD_DOMAINS
            + 'services:\n  s: {tier: critical, instances: [f1], rto: "1h\\n"}\n'
        },
        "m.yaml:6",
        "error: services.s.rto: '1h\\n' is not a duration: use e.g. 90s, 15m, 4h, 2d\n",
    ),
]


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("files", "where", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_manifest_exits_2_with_a_located_message(
    in_tmp: Path,
    run_cli: Callable[..., Run],
    files: dict[str, str | bytes],
    where: str,
    words: str,
) -> None:
    for name, content in files.items():
        path = in_tmp / "manifests" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = _digest(in_tmp)
    result = run_cli("check", "manifests")
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert result.out == ""
    first = result.err.splitlines()[0]
    assert first.startswith("manifests/" + where), first
    assert words in result.err
    assert _digest(in_tmp) == before


def test_a_huge_file_is_refused_before_reading(
    in_tmp: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.loading.files.MAX_FILE_BYTES", 2 * 1_048_576)
    (in_tmp / "m.yaml").write_text("version: 1\n" + "# padding\n" * 300_000, encoding="utf-8")
    result = run_cli("check", "m.yaml")
    assert result.code == 2
    assert result.err.startswith("m.yaml:1:1: error: file is 2.9 MiB, above the 2 MiB limit")


def test_a_missing_path_is_an_input_error(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("check", "nowhere.yaml")
    assert result.code == 2
    assert "no such file or directory: nowhere.yaml" in result.err


def test_an_empty_directory_is_an_input_error(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    (in_tmp / "empty").mkdir()
    result = run_cli("check", "empty")
    assert result.code == 2
    assert result.err == "resilint: error: nothing to check: no manifest file in empty\n"


def test_a_list_named_explicitly_is_an_error_and_a_walk_skips_it(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    (in_tmp / "manifests").mkdir()
    (in_tmp / "manifests" / "m.yaml").write_text("- a\n- b\n", encoding="utf-8")
    named = run_cli("check", "manifests/m.yaml")
    assert named.code == 2
    assert named.err.startswith("manifests/m.yaml:1:1: error: a manifest file must be a mapping")
    walked = run_cli("check", "manifests")
    assert (walked.code, walked.out) == (2, "")
    assert walked.err == (
        "resilint: error: nothing to check: no manifest file in manifests (1 file skipped: "
        "manifests/m.yaml: not a manifest: its top level is a list, not a mapping)\n"
    )
