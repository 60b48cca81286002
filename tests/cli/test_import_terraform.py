"""``resilint import terraform``: the written manifest, stderr, errors, and the imported
manifests held to verdicts through ``check``, ``what-if`` and ``risk-groups``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, Run

DATA = "tests/data/terraform"
GOLDEN = REPO / DATA / "expected" / "aws-three-tier.yaml"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so inputs are named as the golden's header names them."""
    monkeypatch.chdir(REPO)
    return REPO


def test_golden_manifest(run_cli: Callable[..., Run], in_repo: Path) -> None:
    result = run_cli("import", "terraform", f"{DATA}/aws-three-tier-plan.json")
    assert result.code == 0
    assert result.out == GOLDEN.read_text(encoding="utf-8"), (
        "if the change is intended, regenerate from the repository root with: resilint import "
        f"terraform {DATA}/aws-three-tier-plan.json -o {GOLDEN.relative_to(REPO)}"
    )
    assert result.err == (
        "resilint: skipped aws_s3_bucket 'aws_s3_bucket.assets': resource type not mapped\n"
        "resilint: skipped aws_vpc 'aws_vpc.main': resource type not mapped\n"
        "resilint: skipped in all: 1 aws_s3_bucket, 1 aws_vpc\n"
    )


def test_same_input_same_bytes(run_cli: Callable[..., Run], in_repo: Path, tmp_path: Path) -> None:
    inputs = [
        f"{DATA}/{n}" for n in ("checkov-plan-tfplan.json", "gcp-state.json", "azure-state.json")
    ]
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    one = run_cli("import", "terraform", *inputs, "-o", str(first))
    two = run_cli("import", "terraform", *inputs, "-o", str(second))
    assert (one.code, one.out, two.code) == (0, "", 0)
    assert one.err == two.err
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").splitlines()[1] == (
        f"# Regenerate with: resilint import terraform {' '.join(inputs)}"
    )


def test_a_file_named_twice_is_read_once(run_cli: Callable[..., Run], in_repo: Path) -> None:
    once = run_cli("import", "terraform", f"{DATA}/gcp-state.json")
    twice = run_cli("import", "terraform", f"{DATA}/gcp-state.json", f"./{DATA}/gcp-state.json")
    assert (twice.code, twice.err) == (0, once.err)
    assert twice.out.splitlines()[3:] == once.out.splitlines()[3:]


def test_options_are_in_the_regenerate_line(run_cli: Callable[..., Run], in_repo: Path) -> None:
    result = run_cli(
        "import",
        "terraform",
        f"{DATA}/gcp-state.json",
        "--zone-kind",
        "zone",
        "--default-tier",
        "high",
    )
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1] == (
        f"# Regenerate with: resilint import terraform {DATA}/gcp-state.json "
        "--zone-kind zone --default-tier high"
    )
    assert "  europe-west1-b:\n    kind: zone\n" in result.out


def test_stderr_lists_skipped_and_unplaced(run_cli: Callable[..., Run], in_repo: Path) -> None:
    result = run_cli("import", "terraform", f"{DATA}/terraform-json-nested_config_keys-plan.json")
    assert result.code == 0
    assert result.err == (
        "resilint: note: aws_instance.foo: not placed in a zone (1 on us-east-1): no zone: "
        "availability_zone known after apply; subnet_id known after apply, no reference to a "
        "subnet\n"
    )
    checkov = run_cli("import", "terraform", f"{DATA}/checkov-plan-tfplan.json")
    lines = checkov.err.splitlines()
    assert len(lines) == 45 + 1 + 2  # each skipped resource, the count, two notes
    assert lines[45].startswith("resilint: skipped in all: 1 aws_db_option_group, ")


# -- bad input ------------------------------------------------------------------------------


def test_invalid_json_is_exit_2_at_its_position(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    Path("plan.json").write_text('{\n  "planned_values": {,\n}\n', encoding="utf-8")
    result = run_cli("import", "terraform", "plan.json")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "plan.json:2:22: error: invalid JSON: Expecting property name enclosed in double quotes\n"
    )


def test_wrong_shape_is_exit_2_at_its_position(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    Path("state.json").write_text(
        '{\n  "values": {\n    "root_module": {\n      "child_modules": "no"\n    }\n  }\n}\n',
        encoding="utf-8",
    )
    result = run_cli("import", "terraform", "state.json")
    assert (result.code, result.out) == (2, "")
    assert result.err == "state.json:4:7: error: `child_modules` must be a list\n"


def test_missing_file_and_yaml_input(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    missing = run_cli("import", "terraform", "nope.json")
    assert missing.code == 2
    assert missing.err.startswith("nope.json:1:1: error: cannot read file: ")
    Path("plan.yaml").write_text("values: {}\n", encoding="utf-8")
    yaml_input = run_cli("import", "terraform", "plan.yaml")
    assert yaml_input.code == 2
    assert yaml_input.err == ("plan.yaml:1:1: error: invalid JSON: Expecting value\n")


def test_refuses_to_write_over_an_input(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    Path("state.json").write_text('{"format_version": "1.0"}', encoding="utf-8")
    result = run_cli("import", "terraform", "state.json", "-o", "state.json")
    assert result.code == 2
    assert (
        result.err
        == "resilint: error: refusing to write the manifest over an input file: state.json\n"
    )
    assert Path("state.json").read_text(encoding="utf-8") == '{"format_version": "1.0"}'


# -- end to end: the imported manifests through check, what-if and risk-groups -------------


def _import(run_cli: Callable[..., Run], target: Path, *names: str) -> Path:
    result = run_cli(
        "import", "terraform", *(str(REPO / DATA / n) for n in names), "-o", str(target)
    )
    assert result.code == 0, result.err
    return target


def _failing(run_cli: Callable[..., Run], manifest: Path, rule: str) -> set[str]:
    result = run_cli("check", str(manifest), "-f", "json")
    assert result.code in (0, 1), result.err
    report = json.loads(result.out)
    return {f["entity"] for f in report["findings"] if f["rule"] == rule and f["status"] == "fail"}


def _what_if(
    run_cli: Callable[..., Run], manifest: Path, *domains: str
) -> tuple[set[str], set[str]]:
    result = run_cli("what-if", *domains, "-m", str(manifest), "-f", "json")
    assert result.code == 0, result.err
    answer = json.loads(result.out)
    return {s["id"] for s in answer["down"]}, {s["id"] for s in answer["up"]}


def test_checkov_plan_verdicts(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    manifest = _import(run_cli, in_tmp / "m.yaml", "checkov-plan-tfplan.json")
    # Unplaced replicas are never counted as spread: the check says it cannot tell.
    assert _failing(run_cli, manifest, "critical-single-facility") == {
        "aws_instance.web_host",
        "aws_instance.db_app",
        "aws_db_instance.default",
        "aws_neptune_cluster.default",
    }
    assert _failing(run_cli, manifest, "facility-loss-not-survived") == {
        "aws_instance.web_host",
        "aws_instance.db_app",
    }
    assert _what_if(run_cli, manifest, "us-west-2a") == (
        {"aws_instance.web_host", "aws_instance.db_app"},
        {"aws_db_instance.default", "aws_neptune_cluster.default"},
    )
    assert _what_if(run_cli, manifest, "us-west-2")[1] == set()
    risk = run_cli("risk-groups", "-m", str(manifest), "-f", "json")
    assert risk.code == 0
    groups = {s["id"]: s["groups"] for s in json.loads(risk.out)["services"]}
    assert groups["aws_instance.web_host"] == [["us-west-2"], ["us-west-2a"]]
    assert groups["aws_db_instance.default"] == [["us-west-2"]]


def test_three_tier_plan_verdicts(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    manifest = _import(run_cli, in_tmp / "m.yaml", "aws-three-tier-plan.json")
    assert _failing(run_cli, manifest, "critical-single-facility") == {
        "module.app.aws_instance.worker"
    }
    assert _failing(run_cli, manifest, "facility-loss-not-survived") == {
        "module.app.aws_instance.worker"
    }
    # Zone a holds 2 of the group's 3 instances and it needs 2 (min_size).
    down, _ = _what_if(run_cli, manifest, "eu-west-1a")
    assert down == {"aws_autoscaling_group.web", "aws_instance.bastion"}
    down, _ = _what_if(run_cli, manifest, "eu-west-1b")
    assert down == {"aws_db_instance.reports", "module.app.aws_instance.worker"}
    down, up = _what_if(run_cli, manifest, "eu-west-1a", "eu-west-1c")
    assert down == {
        "aws_autoscaling_group.web",
        "aws_instance.bastion",
        "aws_rds_cluster.ledger",
    }
    assert "aws_instance.api" in up


def test_gcp_and_azure_verdicts(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    manifest = _import(run_cli, in_tmp / "m.yaml", "gcp-state.json", "azure-state.json")
    assert _failing(run_cli, manifest, "critical-single-facility") == {
        "azurerm_windows_virtual_machine.ad",
        "google_compute_instance_group_manager.batch",
    }
    down, _ = _what_if(run_cli, manifest, "europe-west1-b")
    assert down == {"google_compute_instance_group_manager.batch"}
    down, _ = _what_if(run_cli, manifest, "westeurope")
    assert down == {
        "azurerm_linux_virtual_machine.app",
        "azurerm_windows_virtual_machine.ad",
        "azurerm_linux_virtual_machine_scale_set.web",
        "azurerm_virtual_machine.legacy",
    }
    assert run_cli("risk-groups", "-m", str(manifest)).code == 0


def test_an_empty_state_writes_a_manifest_that_loads(
    run_cli: Callable[..., Run], in_tmp: Path
) -> None:
    Path("empty.json").write_text('{"format_version": "1.0"}', encoding="utf-8")
    result = run_cli("import", "terraform", "empty.json", "-o", "m.yaml")
    assert result.code == 0
    assert result.err == (
        "resilint: note: the input holds no resources\n"
        "resilint: note: nothing imported: the manifest written defines no domain and no "
        "service\n"
    )
    assert Path("m.yaml").read_text(encoding="utf-8").endswith("\nversion: 1\n")
    # A valid manifest: on its own it holds nothing to check (exit 2, said plainly) ...
    alone = run_cli("check", "m.yaml")
    assert alone.code == 2
    assert "nothing to check: m.yaml defines no domain and no service" in alone.err
    # ... and beside another manifest it loads and adds nothing.
    Path("other.yaml").write_text(
        "version: 1\ndomains:\n  d: {kind: rack}\nservices:\n  s: {tier: low, instances: [d]}\n",
        encoding="utf-8",
    )
    assert run_cli("check", "m.yaml", "other.yaml").code == 0
