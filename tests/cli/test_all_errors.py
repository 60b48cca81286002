"""All input errors in one run: config, policies, syntax, schema, tiers and references
of every file together, not one stage per run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_every_kind_of_error_in_every_file_is_reported_at_once(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _write(
        in_tmp,
        {
            "resilint.toml": 'manifests = ["infra"]\npolicies = ["ours.yaml"]\n'
            'disable = [\n  "two-sites",\n  "tow-sites",\n]\nfail_onn = "high"\n',
            "ours.yaml": "version: 1\nrules:\n"
            "  two-sites: {title: T, severity: high, spread: {across: facility}}\n"
            "  bad: {title: B, severity: hihg, acyclic: {}}\n",
            "infra/a-syntax.yaml": "version: 1\ndomains:\n  dc-a: {kind: facility\n",
            "infra/b-schema.yaml": "version: 1\ndomains:\n  dc-b: {knd: facility}\n",
            "infra/c-services.yaml": "version: 1\nservices:\n"
            "  auth: {tier: critcal, instances: [dc-c]}\n",
        },
    )
    result = run_cli("check")
    assert (result.code, result.out) == (2, "")
    lines = result.err.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [
        "resilint.toml:5:3",
        "resilint.toml:7:1",
        "ours.yaml:4:19",
        "infra/a-syntax.yaml:4:1",
        "infra/b-schema.yaml:3:10",
        "infra/c-services.yaml:3:10",
    ]
    assert lines[0].endswith("disable: unknown rule 'tow-sites'; did you mean 'two-sites'?")
    assert lines[1].endswith("unknown key 'fail_onn' in (top level); did you mean 'fail_on'?")
    assert lines[3].endswith(
        "invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping)"
    )
    assert lines[4].endswith("unknown key 'knd' in domains.dc-b; did you mean 'kind'?")
    assert lines[5].endswith(
        "unknown tier 'critcal'; did you mean 'critical'? "
        "(configured tiers: critical, high, medium, low)"
    )
    # A file that could not be parsed may define dc-c: no "unknown domain" is claimed.
    assert "unknown domain" not in result.err


def test_a_reference_into_a_file_that_did_not_validate_is_not_called_unknown(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _write(
        in_tmp,
        {
            "a.yaml": "version: 1\ndomains:\n  dc-a: {kind: facility, colour: red}\n",
            "b.yaml": "version: 1\nservices:\n  auth: {tier: critical, instances: [dc-a, dc-z]}\n",
        },
    )
    result = run_cli("check", ".")
    assert result.code == 2
    assert result.err.splitlines() == [
        "a.yaml:3:26: error: unknown key 'colour' in domains.dc-a",
        "b.yaml:3:44: error: service 'auth' refers to unknown domain 'dc-z'; did you mean 'dc-a'?",
    ]


def test_policy_references_are_checked_beside_manifest_errors(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _write(
        in_tmp,
        {
            "p.yaml": "version: 1\nrules:\n"
            "  r: {title: T, severity: high, survives: {loss_of: facilty}}\n",
            "a.yaml": "version: 1\ndomains:\n  dc-a: {kind: facility}\n",
            "b.yaml": "version: 1\nservices:\n  auth: {tier: critical, instances: [dc-b]}\n",
        },
    )
    result = run_cli("check", "a.yaml", "b.yaml", "-p", "p.yaml")
    assert result.code == 2
    assert [line.split(": error: ")[0] for line in result.err.splitlines()] == [
        "b.yaml:3:38",
        "p.yaml:3:44",
    ]


def test_many_problems_are_capped_with_a_count(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    services = "".join(f"  s{i}: {{tier: high, instances: [nowhere]}}\n" for i in range(25))
    _write(in_tmp, {"m.yaml": "version: 1\nservices:\n" + services})
    result = run_cli("check", "m.yaml")
    lines = result.err.splitlines()
    assert len(lines) == 21
    assert lines[0] == "m.yaml:3:32: error: service 's0' refers to unknown domain 'nowhere'"
    assert lines[-1] == (
        "resilint: error: and 5 more problems (the json, SARIF and JUnit reports list them all)"
    )
