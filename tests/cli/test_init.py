"""``resilint init``: starter files that pass ``check`` as they are, never overwriting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checker.export.starter import CONFIG, MANIFEST
from tests.conftest import Run


def test_writes_a_project_that_passes_check(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("init")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "wrote resilint.toml\n"
        "wrote manifests/example.yaml\n"
        "next: edit manifests/example.yaml, then run `resilint check`\n"
    )
    assert (in_tmp / "resilint.toml").read_text() == CONFIG
    assert (in_tmp / "manifests/example.yaml").read_text() == MANIFEST
    checked = run_cli("check", "--all")
    assert checked.code == 0, checked.out
    *_, summary, source = checked.out.splitlines()
    assert summary.startswith("0 failed, ")
    assert summary.endswith("(7 rules)")
    assert source == "checked 1 manifest file; config: resilint.toml"
    # Every baseline rule selects something in the example, so each one is shown passing.
    for rule in ("critical-single-facility", "shared-power-domain", "offsite-backup-missing"):
        assert f"PASS {rule}" in checked.out


def test_the_example_shows_what_the_tools_can_do(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    run_cli("init")
    what_if = run_cli("what-if", "dc-a")
    assert what_if.code == 0
    assert what_if.out.startswith("what-if dc-a fails: 0 services down, 3 up;")
    groups = run_cli("risk-groups", "orders", "--kind", "facility,region")
    assert "orders (critical): 2 minimal risk groups, 1 single point of failure\n" in groups.out
    assert "\n  {eu-west}\n" in groups.out and "\n  {dc-a, dc-b}\n" in groups.out


def test_both_files_there_are_named_together(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    assert run_cli("init").code == 0
    again = run_cli("init")
    assert again.code == 2
    assert again.err == (
        "resilint: error: resilint.toml and manifests/example.yaml already exist; "
        "resilint init never overwrites a file (move it away, or edit it instead)\n"
    )


@pytest.mark.parametrize("existing", ["resilint.toml", "manifests/example.yaml"])
def test_never_overwrites(run_cli: Callable[..., Run], in_tmp: Path, existing: str) -> None:
    path = in_tmp / existing
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mine\n")
    result = run_cli("init")
    assert result.code == 2
    assert result.err == (
        f"resilint: error: {existing} already exists; resilint init never overwrites a file "
        "(move it away, or edit it instead)\n"
    )
    assert path.read_text() == "mine\n"
    others = {"resilint.toml", "manifests/example.yaml"} - {existing}
    assert not any((in_tmp / other).exists() for other in others)  # nothing written at all
