"""Discovery reads manifests, not everything: a repository laid out like a real one.

Manifests sit beside a ``package.json``, a ``docker-compose.yaml``, ``node_modules/``,
the CI reports and baseline of the last run, and the policies and waivers in use.
Every command that reads manifests must take the same files, and nothing else.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

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
    instances: [dc-a/hall, dc-b]
  talk:
    tier: high
    instances: [dc-a/hall]
    depends_on: [auth]
"""
POLICY = """\
version: 1
rules:
  two-sites:
    title: Two sites
    severity: high
    spread: {across: facility}
"""
OTHERS = {
    "package.json": '{"name": "infra", "version": "1.0.0"}\n',
    "package-lock.json": '{"name": "infra", "lockfileVersion": 3}\n',
    "docker-compose.yaml": "services:\n  web: {image: nginx}\n",
    "node_modules/left-pad/package.json": '{"name": "left-pad", "version": "1.3.0"}\n',
    "node_modules/left-pad/data.yaml": "version: 1\nservices: {x: {tier: nope}}\n",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    "mkdocs.yml": "site_name: infra\n",
    "infra/values.json": '{"replicas": 3}\n',
    "waivers.yaml": "version: 1\nwaivers: []\n",
    "reports/last.json": '{"version": 1, "tool": {"name": "resilint"}, "findings": []}\n',
    "reports/gl-code-quality-report.json": "[]\n",
    "reports/results.sarif": '{"version": "2.1.0", "runs": []}\n',
    "reports/results.sarif.json": '{"version": "2.1.0", "runs": []}\n',
    "reports/codequality.json": "[]\n",
    "reports/junit.xml": "<testsuites/>\n",
    ".resilint-baseline.json": '{"version": 1, "tool": "resilint", "fingerprints": []}\n',
    "baseline.json": '{"version": 1, "tool": "resilint", "fingerprints": []}\n',
}
MANIFESTS = ["infra/domains.yaml", "infra/services.yaml"]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def repository(in_tmp: Path) -> Path:
    (in_tmp / ".git").mkdir()
    _write(in_tmp, OTHERS)
    _write(
        in_tmp,
        {
            "infra/domains.yaml": DOMAINS,
            "infra/services.yaml": SERVICES,
            "policies/ours.yaml": POLICY,
        },
    )
    return in_tmp


def _read(result: Run) -> list[str]:
    return [
        line.removeprefix("resilint: read ")
        for line in result.err.splitlines()
        if line.startswith("resilint: read ")
    ]


@pytest.mark.parametrize(
    "command",
    [
        ("check", "-v"),
        ("check", "-v", "-p", "policies/ours.yaml"),
        ("what-if", "-v", "dc-a"),
        ("risk-groups", "-v", "auth"),
        ("graph", "-v"),
    ],
    ids=["check", "check-policy", "what-if", "risk-groups", "graph"],
)
def test_every_command_reads_the_same_manifests_and_nothing_else(
    repository: Path, run_cli: Callable[..., Run], command: tuple[str, ...]
) -> None:
    result = run_cli(*command)
    assert result.code in (0, 1), result.err
    assert _read(result) == MANIFESTS
    skipped = [line for line in result.err.splitlines() if line.startswith("resilint: skipped")]
    # What a walk met with a manifest's suffix and opened to look at: never read as one.
    assert skipped == [
        "resilint: skipped baseline.json: a resilint baseline, not a manifest",
        "resilint: skipped waivers.yaml: a waivers file, not a manifest",
        "resilint: skipped infra/values.json: not a manifest: no 'version: 1' at its top level",
        *(
            ["resilint: skipped policies/ours.yaml: a policy file, not a manifest"]
            if "policies/ours.yaml" not in command
            else []
        ),
        "resilint: skipped reports/codequality.json: not a manifest: its top level is a list, "
        "not a mapping",
        "resilint: skipped reports/last.json: a resilint report, not a manifest",
    ]


def test_a_configured_policy_waivers_and_baseline_are_never_manifests(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    (repository / "resilint.toml").write_text(
        'policies = ["policies/ours.yaml"]\nwaivers = "waivers.yaml"\nbaseline = "baseline.json"\n'
        'exclude = ["reports", "infra/values.json"]\n',
        encoding="utf-8",
    )
    for command in (("check", "-v"), ("what-if", "-v", "dc-a"), ("graph", "-v")):
        result = run_cli(*command)
        assert _read(result) == MANIFESTS
        assert "skipped" not in result.err
        assert result.err.splitlines()[0] == "resilint: config: resilint.toml"


def test_the_summary_counts_the_files_and_names_the_config(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "-p", "policies/ours.yaml")
    assert result.out.splitlines()[-1] == "checked 2 manifest files; no config"
    (repository / "resilint.toml").write_text('policies = ["policies/ours.yaml"]\n', "utf-8")
    result = run_cli("check", "-f", "json")
    report = json.loads(result.out)
    assert (report["files"], report["config"]) == (MANIFESTS, "resilint.toml")


def test_include_and_exclude_globs_in_the_config(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    _write(repository, {"infra/extra.yml": "version: 1\ndomains:\n  dc-c: {kind: facility}\n"})
    (repository / "resilint.toml").write_text(
        'manifests = ["infra"]\ninclude = ["*.yml", "domains.yaml"]\nexclude = ["services.*"]\n',
        encoding="utf-8",
    )
    result = run_cli("graph", "-v")
    assert _read(result) == ["infra/domains.yaml", "infra/extra.yml"]


def test_include_with_a_slash_is_relative_to_the_config(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    (repository / "resilint.toml").write_text('include = ["infra/d*.yaml"]\n', encoding="utf-8")
    result = run_cli("graph", "-v")
    assert _read(result) == ["infra/domains.yaml"]


def test_exclude_with_a_slash_is_relative_to_the_config(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    (repository / "infra" / "old").mkdir()
    (repository / "infra" / "old" / "domains.yaml").write_text(DOMAINS, encoding="utf-8")
    (repository / "resilint.toml").write_text(
        'manifests = ["infra"]\nexclude = ["infra/old/**"]\n', encoding="utf-8"
    )
    result = run_cli("graph", "-v")
    assert _read(result) == MANIFESTS


def test_globs_on_the_command_line_and_in_manifests(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("graph", "-v", "infra/*.yaml")
    assert _read(result) == MANIFESTS
    result = run_cli("graph", "-v", "**/domains.yaml")
    assert _read(result) == ["infra/domains.yaml"]
    (repository / "resilint.toml").write_text('manifests = ["infra/d*.yaml"]\n', "utf-8")
    result = run_cli("what-if", "-v", "dc-a")
    assert _read(result) == ["infra/domains.yaml"]


def test_a_glob_that_matches_nothing_is_an_error(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "infra/*.yml")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: no file or directory matches the pattern 'infra/*.yml'\n"
    )


def test_a_file_named_explicitly_is_always_read(
    repository: Path, run_cli: Callable[..., Run]
) -> None:
    # Named explicitly, a file that a walk would skip by its name is a manifest like any other.
    _write(repository, {"compose.yaml": DOMAINS.replace("dc-", "x-")})
    result = run_cli("graph", "-v", "compose.yaml", "infra/services.yaml")
    assert result.code == 2
    assert "infra/services.yaml:5:17: error: service 'auth' refers to unknown domain" in result.err
    result = run_cli("graph", "-v", "compose.yaml")
    assert _read(result) == ["compose.yaml"]
    # And a file named explicitly that is not a manifest says why, at its line.
    result = run_cli("check", "package.json")
    assert result.code == 2
    assert result.err == (
        "package.json:1:19: error: unsupported manifest version '1.0.0': "
        "this resilint reads version 1\n"
    )


def test_standard_input_is_read_with_dash_and_shown_as_stdin(
    in_tmp: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = DOMAINS + SERVICES.replace("version: 1\n", "")
    monkeypatch.setattr("sys.stdin", io.StringIO(manifest))
    result = run_cli("what-if", "dc-a", "-")
    assert result.code == 0
    assert result.out.splitlines()[0] == "what-if dc-a fails: 1 service down, 1 up; 2 domains down"
    monkeypatch.setattr("sys.stdin", io.StringIO(manifest.replace("dc-b]", "dc-c]")))
    result = run_cli("check", "-")
    assert result.code == 2
    assert result.err.startswith(
        "<stdin>:9:28: error: service 'auth' refers to unknown domain 'dc-c'; did you mean 'dc-b'?"
    )
    document = {"version": 1, "domains": {"dc-a": {"kind": "facility"}}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(document)))
    result = run_cli("check", "-", "-f", "json")
    assert json.loads(result.out)["files"] == ["<stdin>"]


def test_a_directory_of_other_files_says_there_is_nothing_to_check(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _write(in_tmp, {"app/package.json": OTHERS["package.json"], "app/conf.yaml": "debug: true\n"})
    result = run_cli("check", "app")
    assert (result.code, result.out) == (2, "")
    assert result.err == textwrap.dedent(
        """\
        resilint: error: nothing to check: no manifest file in app (1 file skipped: \
app/conf.yaml: not a manifest: no 'version: 1' at its top level)
        """
    )
