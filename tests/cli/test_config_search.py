"""The configuration comes from the project being checked, and every command agrees on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-b: {kind: facility}
services:
  auth: {tier: critical, instances: [dc-a]}
"""
POLICY = """\
version: 1
rules:
  two-sites:
    title: Two sites
    severity: high
    spread: {across: facility}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    """``work/infra`` holds a config, a policy and a manifest; the test runs in ``in_tmp``."""
    infra = in_tmp / "work" / "infra"
    infra.mkdir(parents=True)
    (infra / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (infra / "ours.yaml").write_text(POLICY, encoding="utf-8")
    (infra / "resilint.toml").write_text('policies = ["ours.yaml"]\n', encoding="utf-8")
    return infra


def test_check_finds_the_config_of_the_paths_it_checks(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "work/infra")
    assert result.out == (
        "work/infra/m.yaml:6:3: HIGH two-sites: service auth runs in 1 facility (dc-a), "
        "needs at least 2\n"
        "\n"
        "1 failed (1 high), 0 passed, 0 waived (1 rule)\n"
        "checked 1 manifest file; config: work/infra/resilint.toml\n"
    )
    # A file, and a glob, find it the same way.
    for path in ("work/infra/m.yaml", "work/infra/*.yaml"):
        result = run_cli("check", path, "-f", "json")
        assert json.loads(result.out)["config"] == "work/infra/resilint.toml"


def test_the_config_above_the_paths_is_found_too(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "sub").mkdir()
    (project / "m.yaml").rename(project / "sub" / "m.yaml")
    result = run_cli("check", "work/infra/sub", "-f", "json")
    assert json.loads(result.out)["config"] == "work/infra/resilint.toml"


def test_a_config_of_the_working_directory_does_not_apply_to_paths_outside_it(
    project: Path, run_cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (project.parent / "resilint.toml").write_text('policies = ["nope.yaml"]\n', "utf-8")
    result = run_cli("check", str(elsewhere), "-f", "json")
    assert result.code == 1, result.err
    assert json.loads(result.out)["config"] is None


def test_the_explicit_config_wins(project: Path, run_cli: Callable[..., Run]) -> None:
    (project.parent / "other.toml").write_text(
        'disable = ["two-sites"]\npolicies = ["infra/ours.yaml"]\n', "utf-8"
    )
    result = run_cli("check", "work/infra", "--config", "work/other.toml")
    assert result.code == 0
    assert result.out.splitlines()[-1] == "checked 1 manifest file; config: work/other.toml"


@pytest.mark.parametrize(
    "command",
    [
        ("what-if", "dc-a", "work/infra"),
        ("risk-groups", "auth", "work/infra"),
        ("graph", "work/infra"),
    ],
    ids=["what-if", "risk-groups", "graph"],
)
def test_every_command_uses_the_same_config_and_skips_its_policy(
    project: Path, run_cli: Callable[..., Run], command: tuple[str, ...]
) -> None:
    result = run_cli(*command, "-v")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "resilint: config: work/infra/resilint.toml",
        "resilint: read work/infra/m.yaml",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ("check", "work/infra"),
        ("what-if", "dc-a", "work/infra"),
        ("risk-groups", "auth", "work/infra"),
        ("graph", "work/infra"),
        ("rules",),
        ("explain", "two-sites"),
    ],
    ids=["check", "what-if", "risk-groups", "graph", "rules", "explain"],
)
def test_a_missing_policy_is_an_error_for_every_command(
    project: Path, run_cli: Callable[..., Run], command: tuple[str, ...]
) -> None:
    result = run_cli(*command, "-p", "missing.yaml")
    assert (result.code, result.out) == (2, "")
    assert result.err == "resilint: error: policy file not found: missing.yaml\n"
    # Named in the config, it is an error at its line there.
    (project / "resilint.toml").write_text('fail_on = "high"\npolicies = ["nope.yaml"]\n', "utf-8")
    config = ("--config", "work/infra/resilint.toml") if command[0] in ("rules", "explain") else ()
    result = run_cli(*command, *config)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "work/infra/resilint.toml:2:13: error: policies: no such file: nope.yaml\n"
    )


def test_rules_and_explain_use_the_config_of_the_working_directory(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = run_cli("rules", "-f", "json")
    assert [rule["id"] for rule in json.loads(result.out)["rules"]] == ["two-sites"]
    assert run_cli("explain", "two-sites").out.startswith("two-sites: Two sites\n")
