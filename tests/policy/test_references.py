"""Policy references are checked against the model: a typo never switches a rule off.

Each case is a policy with one typo; the run must exit 2 and name the value's
file:line:col in the policy with the right suggestion. Known kinds that no domain has
and rules that select nothing are notices, shown by every format.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.checks import CHECKS
from checker.policy.load import load_policies
from checker.policy.references import KIND_PARAMETERS, KNOWN_KINDS
from tests.conftest import Run
from tests.render.findings.validators import junit_errors, sarif_schema_errors

MANIFEST = """\
version: 1
domains:
  pangyo: {kind: facility}
  pangyo/hall: {kind: hall, parent: pangyo, labels: {zone: a}}
  gasan: {kind: facility}
services:
  auth:
    tier: critical
    instances: [pangyo/hall, gasan]
    labels: {team: identity}
  talk:
    tier: high
    instances: [gasan]
    labels: {team: messaging}
"""

HEAD = "version: 1\nrules:\n  r:\n    title: T\n    severity: high\n"

TYPOS = [
    (
        "survives-loss-of",
        "    survives: {loss_of: facilty}\n",
        "p.yaml:6:16",
        "rule 'r': survives.loss_of: unknown kind 'facilty'; did you mean 'facility'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "survives-loss-of-list",
        "    survives: {loss_of: [facility, hal]}\n",
        "p.yaml:6:36",
        "rule 'r': survives.loss_of: unknown kind 'hal'; did you mean 'hall'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "spread-across",
        "    spread: {across: facilty}\n",
        "p.yaml:6:14",
        "rule 'r': spread.across: unknown kind 'facilty'; did you mean 'facility'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "independent-of",
        "    independent: {of: [facility, upss]}\n",
        "p.yaml:6:34",
        "rule 'r': independent.of: unknown kind 'upss'; did you mean 'ups'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "backup-outside",
        "    backup: {outside: regoin}\n",
        "p.yaml:6:14",
        "rule 'r': backup.outside: unknown kind 'regoin'; did you mean 'region'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "recovery-offsite",
        "    recovery: {offsite: facilities}\n",
        "p.yaml:6:16",
        "rule 'r': recovery.offsite: unknown kind 'facilities'; did you mean 'facility'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "select-ids",
        "    select: {ids: [autth]}\n    acyclic:\n",
        "p.yaml:6:20",
        "rule 'r': select.ids: no service 'autth'; did you mean 'auth'?",
    ),
    (
        "select-ids-string",
        "    select: {ids: autth}\n    acyclic:\n",
        "p.yaml:6:14",
        "rule 'r': select.ids: no service 'autth'; did you mean 'auth'?",
    ),
    (
        "select-ids-glob",
        "    select: {ids: ['tlak*']}\n    acyclic:\n",
        "p.yaml:6:20",
        "rule 'r': select.ids: the pattern 'tlak*' matches no service; did you mean 'talk'?",
    ),
    (
        "select-ids-domain-as-service",
        "    select: {ids: [gasan]}\n    acyclic:\n",
        "p.yaml:6:20",
        "rule 'r': select.ids: no service 'gasan'; 'gasan' is a domain "
        "(add 'entity: domain' to the select)",
    ),
    (
        "select-kind",
        "    select: {entity: domain, kind: hal}\n    survives: {loss_of: facility}\n",
        "p.yaml:6:30",
        "rule 'r': select.kind: unknown kind 'hal'; did you mean 'hall'? "
        "(kinds in the manifests: facility, hall)",
    ),
    (
        "select-tier",
        "    select: {tier: critcal}\n    acyclic:\n",
        "p.yaml:6:14",
        "rule 'r': unknown tier 'critcal'; did you mean 'critical'? "
        "(configured tiers: critical, high, medium, low)",
    ),
    (
        "select-tier-at-least",
        "    select: {tier: {at_least: hihg}}\n    acyclic:\n",
        "p.yaml:6:14",
        "rule 'r': unknown tier 'hihg'; did you mean 'high'? "
        "(configured tiers: critical, high, medium, low)",
    ),
    (
        "select-label-key",
        "    select: {labels: {tema: identity}}\n    acyclic:\n",
        "p.yaml:6:23",
        "rule 'r': select.labels: no service has a label 'tema'; did you mean 'team'?",
    ),
    (
        "select-label-value",
        "    select: {labels: {team: [identity, mesaging]}}\n    acyclic:\n",
        "p.yaml:6:40",
        "rule 'r': select.labels.team: no service has team: mesaging; did you mean 'messaging'?",
    ),
    (
        "select-domain-label-key",
        "    select: {entity: domain, labels: {zoen: a}}\n    survives: {loss_of: facility}\n",
        "p.yaml:6:39",
        "rule 'r': select.labels: no domain has a label 'zoen'; did you mean 'zone'?",
    ),
]


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


@pytest.mark.parametrize(
    ("body", "where", "message"), [c[1:] for c in TYPOS], ids=[c[0] for c in TYPOS]
)
def test_a_typo_in_a_policy_is_an_error_at_its_line_with_a_suggestion(
    project: Path, run_cli: Callable[..., Run], body: str, where: str, message: str
) -> None:
    (project / "p.yaml").write_text(HEAD + body, encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--all")
    assert result.code == 2
    assert result.out == ""
    assert f"{where}: error: {message}\n" in result.err


def test_every_typo_of_one_policy_is_reported_in_one_run(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "p.yaml").write_text(
        "version: 1\nrules:\n"
        "  a: {title: A, severity: high, survives: {loss_of: facilty}}\n"
        "  b: {title: B, severity: high, select: {ids: [autth]}, spread: {across: facility}}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert result.code == 2
    assert [line.split(": error: ")[0] for line in result.err.splitlines()] == [
        "p.yaml:3:44",
        "p.yaml:4:48",
    ]


def test_a_known_kind_no_domain_has_is_a_notice_not_an_error(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "p.yaml").write_text(HEAD + "    survives: {loss_of: ups}\n", encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert result.code == 0
    assert result.out == (
        "p.yaml:6:16: notice: r applies to nothing: no domain of kind ups\n"
        "\n"
        "0 failed, 2 passed, 0 waived (1 rule)\n"
        "checked 1 manifest file; no config\n"
    )


def test_a_rule_that_selects_nothing_is_a_notice(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "p.yaml").write_text(
        HEAD + "    select: {tier: low}\n    acyclic:\n", encoding="utf-8"
    )
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert result.code == 0
    assert result.out == (
        "p.yaml:3:3: notice: r applies to nothing: there are no services with tier: low\n"
        "\n"
        "0 failed, 0 passed, 0 waived (1 rule)\n"
        "checked 1 manifest file; no config\n"
    )


def test_a_pack_rule_whose_kind_is_absent_is_a_notice_in_every_format(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    (in_tmp / "m.yaml").write_text(
        "version: 1\ndomains:\n  r1: {kind: rack}\n  r2: {kind: rack}\n"
        "services:\n  web: {tier: critical, instances: [r1, r2], rto: 1h, rpo: 1h}\n",
        encoding="utf-8",
    )
    notice = "facility-loss-not-survived applies to nothing: no domain of kind facility"
    args = ("check", "m.yaml", "-f", "text", "-f", "json=r.json", "-f", "sarif=r.sarif")
    result = run_cli(
        *args,
        "-f",
        "junit=r.xml",
        "-f",
        "gitlab=g.json",
        "-f",
        "markdown=r.md",
        "-f",
        "html=r.html",
    )
    assert f"\nnotice: {notice}\n" in result.out
    assert (
        "notice: shared-power-domain applies to nothing: no domain of kind ups or power-feed "
        "or battery-room or generator\n"
    ) in result.out

    report = json.loads((in_tmp / "r.json").read_text(encoding="utf-8"))
    assert {"rule": "facility-loss-not-survived", "message": notice, "location": None} in report[
        "notices"
    ]

    sarif = json.loads((in_tmp / "r.sarif").read_text(encoding="utf-8"))
    assert sarif_schema_errors(sarif) == []
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert {"level": "note", "message": {"text": notice}} in invocation[
        "toolExecutionNotifications"
    ]

    junit = (in_tmp / "r.xml").read_text(encoding="utf-8")
    assert junit_errors(junit) == []
    suite = ET.fromstring(junit).find("testsuite[@name='facility-loss-not-survived']")
    assert suite is not None
    assert suite.findtext("system-out") == f"notice: {notice}"

    gitlab = json.loads((in_tmp / "g.json").read_text(encoding="utf-8"))
    (issue,) = [i for i in gitlab if i["description"] == notice]
    assert (issue["check_name"], issue["severity"], issue["location"]) == (
        "resilint-notice",
        "info",
        {"path": "m.yaml", "lines": {"begin": 1}},
    )
    assert f"- {notice}\n" in (in_tmp / "r.md").read_text(encoding="utf-8")
    page = (in_tmp / "r.html").read_text(encoding="utf-8")
    assert '<h2 id="notices-title">5 notices</h2>' in page
    assert f"<li>{notice}</li>" in page

    github = run_cli("check", "m.yaml", "-f", "github")
    assert f"::notice title=resilint notice::{notice}\n" in github.out


def test_a_pack_rule_whose_selection_is_empty_says_so(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    (in_tmp / "m.yaml").write_text(
        "version: 1\ndomains:\n  f: {kind: facility}\n  h: {kind: hall, parent: f}\n"
        "  ups: {kind: ups, parent: f}\nservices:\n  web: {tier: low, instances: [h]}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml", "-p", "builtin:strict", "-f", "json")
    notices = [n["message"] for n in json.loads(result.out)["notices"]]
    assert notices == [
        "double-loss-not-survived applies to nothing: there are no services with tier: critical",
        "control-plane-single-facility applies to nothing: there are no services with labels: "
        "{role: [control-plane, identity]}",
        "backup-not-offregion asks about kind region, which no domain has",
    ]
    # hall-single-power-path selects the hall, whose power path holds a ups: no notice.


def test_every_kind_the_packs_name_is_known_and_every_kind_parameter_is_listed() -> None:
    named = set()
    for pack in ("baseline", "strict"):
        for rule in load_policies([f"builtin:{pack}"], Path.cwd()):
            for name in KIND_PARAMETERS.get(rule.check, ()):
                value = getattr(rule.params, name)
                named.update([value] if isinstance(value, str) else value)
    assert named - {"any"} <= KNOWN_KINDS
    assert set(KIND_PARAMETERS) <= set(CHECKS)
    for check, fields in KIND_PARAMETERS.items():
        assert set(fields) <= set(CHECKS[check].Params.model_fields)
