"""Baselines as a CI user meets them: record today, then edit, reformat and move manifests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

POLICY = """\
version: 1
rules:
  facility-loss:
    title: Survive the loss of a facility
    severity: critical
    select: {tier: critical}
    survives: {loss_of: facility}
  two-sites:
    title: Two facilities
    severity: low
    spread: {across: facility, min: 2}
"""
DOMAINS = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-a/hall: {kind: hall, parent: dc-a}
  dc-b: {kind: facility}
"""
SERVICES = """\
version: 1
services:
  auth:
    tier: critical
    instances: [dc-a/hall]
  login:
    tier: critical
    instances: [dc-a/hall, dc-b]
    depends_on: [auth]
  batch:
    tier: low
    instances: [dc-b]
  web:
    tier: critical
    instances: [dc-a, dc-b]
"""
#: The same services, reordered, re-indented, in flow style, with comments, and with
#: the domains moved into the same file further down.
REFORMATTED = """\
# Reformatted by a well-meaning colleague.
version: 1
services:
    web: {tier: critical, instances: [dc-a, dc-b]}
    batch:
        instances: [dc-b]      # nightly
        tier: low


    login:
        depends_on: [auth]
        instances:
          - dc-a/hall
          - dc-b
        tier: critical
    auth: {instances: [dc-a/hall], tier: critical}
domains:
    dc-b: {kind: facility}
    dc-a/hall: {parent: dc-a, kind: hall}
    dc-a: {kind: facility}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "infra").mkdir()
    (in_tmp / "infra" / "domains.yaml").write_text(DOMAINS, encoding="utf-8")
    (in_tmp / "infra" / "services.yaml").write_text(SERVICES, encoding="utf-8")
    (in_tmp / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (in_tmp / "resilint.toml").write_text(
        'manifests = ["infra"]\npolicies = ["policy.yaml"]\n', encoding="utf-8"
    )
    return in_tmp


def _json(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads(run.out)  # type: ignore[no-any-return]


def _new(run: Run) -> set[tuple[str, str]]:
    return {(f["rule"], f["entity"]) for f in _json(run)["findings"] if f["new"]}


def test_write_baseline_records_every_failure_and_exits_0(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    assert run_cli("check").code == 1
    run = run_cli("check", "--write-baseline", "baseline.json")
    assert run.code == 0
    assert "resilint: recorded 4 failing findings in baseline.json" in run.err
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["tool"] == "resilint"
    assert document["fingerprints"] == sorted(document["fingerprints"])
    assert [(f["rule"], f["entity"]) for f in document["findings"]] == [
        ("facility-loss", "auth"),
        ("facility-loss", "login"),
        ("two-sites", "auth"),
        ("two-sites", "batch"),
    ]


def test_with_the_baseline_known_failures_are_reported_but_do_not_fail(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run_cli("check", "--write-baseline", "baseline.json")
    run = run_cli("check", "--baseline", "baseline.json")
    assert run.code == 0, run.out
    # Folded into a count by default; listed, marked as known, with --all.
    assert run.out.splitlines()[0] == (
        "4 failures already in the baseline not listed (--all lists them)"
    )
    run = run_cli("check", "--baseline", "baseline.json", "--all")
    assert "CRITICAL facility-loss: service auth does not survive the loss of dc-a " in run.out
    assert "(known: in the baseline)" in run.out
    document = _json(run_cli("check", "--baseline", "baseline.json", "-f", "json"))
    assert document["failed"] is False
    failing = [f for f in document["findings"] if f["status"] == "fail"]
    assert failing
    assert not any(f["new"] for f in failing)


def test_reformatting_reordering_and_moving_the_manifests_makes_nothing_new(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run_cli("check", "--write-baseline", "baseline.json")
    for path in (project / "infra").iterdir():
        path.unlink()
    (project / "infra").rmdir()
    (project / "elsewhere" / "deep").mkdir(parents=True)
    (project / "elsewhere" / "deep" / "all-in-one.yml").write_text(REFORMATTED, encoding="utf-8")
    run = run_cli("check", "elsewhere", "--baseline", "baseline.json", "-f", "json")
    assert run.code == 0, run.out + run.err
    assert _new(run) == set()
    assert _json(run)["summary"]["fail"] == 4


def test_a_new_failing_service_is_exactly_what_is_new(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run_cli("check", "--write-baseline", "baseline.json")
    services = project / "infra" / "services.yaml"
    services.write_text(
        SERVICES.replace(
            "services:\n",
            "services:\n  payments:\n    tier: critical\n    instances: [dc-a/hall]\n",
        ),
        encoding="utf-8",
    )
    run = run_cli("check", "--baseline", "baseline.json", "-f", "json")
    assert run.code == 1
    assert _new(run) == {("facility-loss", "payments"), ("two-sites", "payments")}
    text = run_cli("check", "--baseline", "baseline.json").out
    # In text, the new failures are listed and the known ones counted (--all lists them).
    payments = [line for line in text.splitlines() if "service payments " in line]
    assert len(payments) == 2
    assert "known: in the baseline" not in text
    assert "4 failures already in the baseline not listed (--all lists them)" in text
    assert text.splitlines()[-2].endswith(
        "; 2 at or above fail_on=low and not in the baseline (4 known)"
    )
    listed = run_cli("check", "--baseline", "baseline.json", "--all").out
    assert listed.count("known: in the baseline") == 4


def test_fixing_a_failure_needs_no_new_baseline(project: Path, run_cli: Callable[..., Run]) -> None:
    run_cli("check", "--write-baseline", "baseline.json")
    services = project / "infra" / "services.yaml"
    services.write_text(
        SERVICES.replace("instances: [dc-a/hall]\n", "instances: [dc-a/hall, dc-b]\n"),
        encoding="utf-8",
    )
    run = run_cli("check", "--baseline", "baseline.json")
    assert run.code == 0, run.out
    # auth now runs in both facilities: its two findings pass; batch's is still known.
    assert run.out == (
        "1 failure already in the baseline not listed (--all lists them)\n"
        "\n"
        "1 failed (1 low), 6 passed, 0 waived (2 rules); "
        "0 at or above fail_on=low and not in the baseline (1 known)\n"
        "checked 2 manifest files; config: resilint.toml\n"
    )


def test_a_baseline_written_at_any_fail_on_covers_lower_severities(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    written = run_cli("check", "--fail-on", "critical", "--write-baseline", "baseline.json")
    assert written.err == "resilint: recorded 4 failing findings in baseline.json\n"
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    # The low-severity failures are recorded too, although they were below fail_on.
    assert [(f["rule"], f["entity"]) for f in document["findings"]] == [
        ("facility-loss", "auth"),
        ("facility-loss", "login"),
        ("two-sites", "auth"),
        ("two-sites", "batch"),
    ]
    run = run_cli("check", "--fail-on", "low", "--baseline", "baseline.json")
    assert run.code == 0, run.out
    assert run.out.splitlines()[-2].endswith(
        "; 0 at or above fail_on=low and not in the baseline (4 known)"
    )


def test_baseline_from_the_config_and_refreshing_it_in_place(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    config = project / "resilint.toml"
    # The baseline sits inside the manifest directory: it must never be read as a manifest.
    config.write_text(
        config.read_text(encoding="utf-8") + 'baseline = "infra/.baseline.json"\n',
        encoding="utf-8",
    )
    run = run_cli("check")
    assert run.code == 2
    assert "baseline file not found: " in run.err
    assert "--write-baseline" in run.err
    assert run_cli("check", "--write-baseline", "infra/.baseline.json").code == 0
    assert run_cli("check").code == 0
    (project / "infra" / "x.yaml").write_text(
        "version: 1\nservices:\n  new: {tier: critical, instances: [dc-a]}\n", encoding="utf-8"
    )
    assert run_cli("check").code == 1
    # Refresh: the old baseline has no say in what is recorded.
    refreshed = run_cli("check", "--write-baseline", "infra/.baseline.json")
    assert (refreshed.code, refreshed.err) == (
        0,
        "resilint: recorded 6 failing findings in infra/.baseline.json\n",
    )
    document = json.loads((project / "infra" / ".baseline.json").read_text(encoding="utf-8"))
    assert [(f["rule"], f["entity"]) for f in document["findings"]] == [
        ("facility-loss", "auth"),
        ("facility-loss", "login"),
        ("facility-loss", "new"),
        ("two-sites", "auth"),
        ("two-sites", "batch"),
        ("two-sites", "new"),
    ]
    assert run_cli("check").code == 0


def test_a_baseline_named_on_the_command_line_is_not_read_as_a_manifest(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    first = run_cli("check", "--write-baseline", "infra/baseline.json")
    # Written again over itself: the baseline now in the manifest directory is skipped.
    again = run_cli("check", "--write-baseline", "infra/baseline.json")
    recorded = "resilint: recorded 4 failing findings in infra/baseline.json\n"
    assert (first.code, first.err) == (again.code, again.err) == (0, recorded)
    run = run_cli("check", "--baseline", "infra/baseline.json", "-f", "json")
    assert (run.code, run.err) == (0, "")
    assert _json(run)["files"] == ["infra/domains.yaml", "infra/services.yaml"]
    assert _json(run)["summary"] == {"pass": 3, "fail": 4, "waived": 0}
    assert _new(run) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": 1, "tool": "resilint"}', "base.json:1:1: error: (top level): missing"),
        (
            '{"version": 1,\n "fingerprints": ["not-a-fingerprint"]}',
            "base.json:2:19: error: fingerprints[0]:",
        ),
        ('{"version": 1, "fingerprints": [], "extra": 1}', "base.json:1:36: error: unknown key"),
        ("{not json", "base.json:1:"),
    ],
)
def test_a_malformed_baseline_is_exit_2_with_file_line_col(
    project: Path, run_cli: Callable[..., Run], text: str, expected: str
) -> None:
    (project / "base.json").write_text(text, encoding="utf-8")
    run = run_cli("check", "--baseline", "base.json")
    assert run.code == 2
    assert run.err.startswith(expected), run.err


def test_never_writes_a_baseline_over_an_input(project: Path, run_cli: Callable[..., Run]) -> None:
    for target in ("infra/services.yaml", "policy.yaml", "resilint.toml"):
        before = (project / target).read_bytes()
        run = run_cli("check", "--write-baseline", target)
        assert run.code == 2, target
        assert "refusing to write the baseline over" in run.err
        assert (project / target).read_bytes() == before
    run = run_cli("check", "--write-baseline", "b.json", "-f", "json=b.json")
    assert run.code == 2
    assert not (project / "b.json").exists()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # past Python's JSON recursion: once a traceback
        '{"tool": "resilint", "fingerprints": [], "n": ' + "9" * 5000 + "}",
        "not json",
    ],
)
def test_a_file_that_is_no_baseline_is_never_overwritten_by_one(
    project: Path, run_cli: Callable[..., Run], text: str
) -> None:
    (project / "other.json").write_text(text, encoding="utf-8")
    run = run_cli("check", "--write-baseline", "other.json")
    assert run.code == 2
    assert run.err.endswith(
        "resilint: error: refusing to write the baseline over other.json: "
        "it is not a resilint baseline file\n"
    ), run.err
    assert (project / "other.json").read_text(encoding="utf-8") == text


def test_sarif_says_which_failures_are_new(project: Path, run_cli: Callable[..., Run]) -> None:
    run_cli("check", "--write-baseline", "baseline.json")
    (project / "infra" / "x.yaml").write_text(
        "version: 1\nservices:\n  new: {tier: low, instances: [dc-a]}\n", encoding="utf-8"
    )
    run_cli("check", "--baseline", "baseline.json", "-f", "sarif=out.sarif")
    results = json.loads((project / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    states = {(r["ruleId"], r["properties"]["entity"]): r["baselineState"] for r in results}
    assert states.pop(("two-sites", "new")) == "new"
    assert set(states.values()) == {"unchanged"}
