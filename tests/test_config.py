"""Configuration discovery, precedence and validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  f1: {kind: facility}
services:
  solo: {tier: critical, instances: [f1]}
"""
POLICY = """\
version: 1
rules:
  one-site: {title: One site, severity: medium, spread: {across: facility, min: 2}}
  no-cycles: {title: No cycles, severity: low, acyclic: {}}
"""


def _project(root: Path, config_name: str, config: str) -> None:
    (root / "infra").mkdir()
    (root / "infra" / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "rules.yaml").write_text(POLICY, encoding="utf-8")
    (root / config_name).write_text(config, encoding="utf-8")


def test_pyproject_tool_section_is_found_from_a_subdirectory(
    in_tmp: Path, run_cli: Callable[..., Run], monkeypatch: object
) -> None:
    _project(
        in_tmp,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.resilint]\n'
        'manifests = ["infra"]\npolicies = ["rules.yaml"]\n',
    )
    import os

    os.chdir(in_tmp / "infra")
    result = run_cli("check", "-f", "json")
    document = json.loads(result.out)
    assert result.code == 1
    assert [f["rule"] for f in document["findings"]] == ["one-site"]
    assert document["findings"][0]["location"]["path"] == "m.yaml"


def test_flags_override_the_file_and_severity_overrides_apply(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _project(
        in_tmp,
        "resilint.toml",
        'manifests = ["infra"]\npolicies = ["rules.yaml"]\nfail_on = "high"\n',
    )
    assert run_cli("check").code == 0  # medium is below fail_on = high
    assert run_cli("check", "--fail-on", "medium").code == 1
    (in_tmp / "resilint.toml").write_text(
        'manifests = ["infra"]\npolicies = ["rules.yaml"]\nfail_on = "high"\n'
        '[severity]\none-site = "critical"\n',
        encoding="utf-8",
    )
    result = run_cli("check")
    assert result.code == 1
    assert "CRITICAL one-site" in result.out


def test_disable_and_enable(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    _project(
        in_tmp,
        ".resilint.toml",
        'manifests = ["infra"]\npolicies = ["rules.yaml"]\ndisable = ["one-site"]\n',
    )
    result = run_cli("check", "--all")
    assert result.code == 0
    assert "one-site" not in result.out
    assert "PASS no-cycles" in result.out


def test_unknown_config_key_is_an_error_with_a_suggestion(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _project(in_tmp, "resilint.toml", 'manifests = ["infra"]\npolicy = ["rules.yaml"]\n')
    result = run_cli("check")
    assert result.code == 2
    assert result.err.startswith("resilint.toml:2:1: error: unknown key 'policy'")
    assert "did you mean 'policies'?" in result.err


def test_unknown_rule_in_disable_is_an_error(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    _project(
        in_tmp,
        "resilint.toml",
        'manifests = ["infra"]\npolicies = ["rules.yaml"]\ndisable = ["one-sites"]\n',
    )
    result = run_cli("check")
    assert result.code == 2
    assert "disable: unknown rule 'one-sites'; did you mean 'one-site'?" in result.err


def test_explicit_config_file_must_exist(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("check", "--config", "missing.toml")
    assert result.code == 2
    assert "config file not found: missing.toml" in result.err
