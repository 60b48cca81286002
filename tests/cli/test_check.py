"""``resilint check``: output, exit codes and the error handler."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from checker import __version__
from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  pangyo: {kind: facility}
  pangyo/ups: {kind: ups, parent: pangyo}
  pangyo/hall: {kind: hall, parent: pangyo, depends_on: [pangyo/ups]}
  ansan: {kind: facility}
services:
  auth:
    tier: critical
    instances: [pangyo/hall]
  talk:
    tier: critical
    instances: [pangyo/hall, ansan]
    depends_on: [auth]
"""
POLICY = """\
version: 1
rules:
  facility-loss:
    title: Survive a facility loss
    severity: high
    survives: {loss_of: facility}
  spare:
    title: Two sites
    severity: low
    select: {ids: "talk*"}
    spread: {across: facility}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "p.yaml").write_text(POLICY, encoding="utf-8")
    return in_tmp


def test_text_output_is_path_line_col_severity_rule_message_and_causes(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert result.code == 1
    assert result.out == (
        "m.yaml:8:3: HIGH facility-loss: service auth does not survive the loss of pangyo\n"
        "    auth is down: 0 of 1 instances up (needs 1)\n"
        "    pangyo/hall is down: inside pangyo\n"
        "    pangyo failed\n"
        "m.yaml:11:3: HIGH facility-loss: service talk does not survive the loss of pangyo\n"
        "    talk is down: requires auth\n"
        "    auth is down: 0 of 1 instances up (needs 1)\n"
        "    pangyo/hall is down: inside pangyo\n"
        "    pangyo failed\n"
        "\n"
        "2 failed (2 high), 1 passed, 0 waived (2 rules)\n"
        "checked 1 manifest file; no config\n"
    )


def test_all_lists_passing_findings(project: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--all")
    assert (
        "m.yaml:11:3: PASS spare: service talk runs in 2 facilitys: pangyo, ansan" not in result.out
    )
    assert "m.yaml:11:3: PASS spare: service talk runs in 2 facilities: pangyo, ansan" in result.out


def test_json_document_has_the_documented_fields(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json", "--all")
    document = json.loads(result.out)
    assert document["version"] == 1
    assert document["tool"] == {"name": "resilint", "version": __version__}
    assert document["summary"] == {"pass": 1, "fail": 2, "waived": 0}
    first = document["findings"][0]
    assert set(first) >= {
        "rule",
        "entity",
        "status",
        "severity",
        "message",
        "location",
        "fingerprint",
        "causes",
        "waiver",
    }
    assert first["location"] == {"path": "m.yaml", "line": 8, "column": 3}
    assert first["waiver"] is None
    assert len(first["fingerprint"]) == 32


def test_fail_on_threshold_decides_the_exit_code(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    below = run_cli("check", "m.yaml", "-p", "p.yaml", "--fail-on", "critical")
    at = run_cli("check", "m.yaml", "-p", "p.yaml", "--fail-on", "high")
    assert (below.code, at.code) == (0, 1)
    # The threshold decides the exit code, and marks what does not gate: the same
    # findings are reported either way.
    findings = below.out.split("\n\n")[0]
    assert findings.replace(" (not gating: below fail_on=critical)", "") == at.out.split("\n\n")[0]
    assert findings.count(": HIGH facility-loss: ") == 2
    assert findings.count("(not gating: below fail_on=critical)") == 2
    assert below.out.splitlines()[-2] == (
        "2 failed (2 high), 1 passed, 0 waived (2 rules); 0 at or above fail_on=critical"
    )


def test_format_to_a_file_and_refusing_to_overwrite_inputs(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "text", "-f", "json=out/r.json")
    assert result.code == 1
    assert json.loads((project / "out" / "r.json").read_text())["summary"]["fail"] == 2
    before = (project / "m.yaml").read_text()
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=m.yaml")
    assert result.code == 2
    assert "refusing to write json output over an input file" in result.err
    assert (project / "m.yaml").read_text() == before


def test_unknown_format_suggests(project: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "jsn")
    assert result.code == 2
    assert "unknown format 'jsn'; did you mean 'json'?" in result.err


def test_usage_errors_exit_2(run_cli: Callable[..., Run]) -> None:
    threshold = run_cli("check", "--fail-on", "urgent")
    assert (threshold.code, threshold.out) == (2, "")
    assert threshold.err.endswith(
        "Error: Invalid value for '--fail-on': 'urgent' is not one of "
        "'critical', 'high', 'medium', 'low', 'info'.\n"
    )
    command = run_cli("no-such-command")
    assert (command.code, command.out) == (2, "")
    assert command.err.endswith("Error: No such command 'no-such-command'.\n")


def test_internal_errors_exit_3_with_a_traceback_and_a_request_to_report(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("checker.cli.check.evaluate_split", boom)
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert result.code == 3
    assert "Traceback" in result.err and "RuntimeError: boom" in result.err
    assert "please report it" in result.err


def test_version_and_help_as_a_real_process() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "checker", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout == f"resilint {__version__}\n"
    help_text = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--fail-on" in help_text and "--policy" in help_text
