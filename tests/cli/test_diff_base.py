"""``check --diff-base REF``: new, fixed and unchanged findings against a git ref."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, Run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AUTH_FIXED = {
    "facility-loss-not-survived:auth",
    "critical-single-facility:auth",
    "shared-power-domain:auth",
}
BILLING_NEW = {
    "facility-loss-not-survived:billing",
    "critical-single-facility:billing",
    "shared-power-domain:billing",
    "recovery-objectives-undeclared:billing",
}
BILLING = """
  billing:
    tier: critical
    owner: payments
    instances: [pangyo/hall-a/r12]
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    """The Pangyo example as a repository of its own, one commit, cwd at its root."""
    for name in ("domains.yaml", "services.yaml", "resilint.toml"):
        shutil.copy(REPO / "examples" / "pangyo-2022" / name, in_tmp / name)
    git(in_tmp, "init", "-q", "-b", "main")
    commit(in_tmp, "the Pangyo example")
    return in_tmp


def keys(findings: list[dict[str, Any]]) -> set[str]:
    return {f"{f['rule']}:{f['entity']}" for f in findings}


def check_json(run_cli: Callable[..., Run], *args: str) -> tuple[int, dict[str, Any]]:
    done = run_cli("check", "-f", "json", *args)
    assert done.err == ""
    return done.code, json.loads(done.out)


def move_auth_to_a_second_facility(repo: Path) -> None:
    services = repo / "services.yaml"
    text = services.read_text(encoding="utf-8")
    old = "instances: [pangyo/hall-a/r03, pangyo/hall-b/r07]"
    assert old in text
    services.write_text(
        text.replace(old, "instances: [pangyo/hall-a/r03, gasan/hall-1]"), encoding="utf-8"
    )


def test_moving_a_service_into_a_second_facility_reports_exactly_the_fixed(
    run_cli: Callable[..., Run], repo: Path
) -> None:
    move_auth_to_a_second_facility(repo)
    commit(repo, "auth: a replica in Gasan")
    code, document = check_json(run_cli, "--diff-base", "HEAD~1")
    assert code == 0  # nothing new: the run passes although 13 old failures remain
    diff = document["diff_base"]
    assert keys(diff["fixed"]) == AUTH_FIXED
    assert (diff["ref"], diff["new"], diff["unchanged"]) == ("HEAD~1", 0, 13)
    assert diff["commit"] == git(repo, "rev-parse", "HEAD~1").strip()
    assert not [f for f in document["findings"] if f["new"]]
    # As they were at the ref: where they were then, with the chain they had.
    auth = next(f for f in diff["fixed"] if f["rule"] == "facility-loss-not-survived")
    assert auth["location"] == {"path": "services.yaml", "line": 11, "column": 3}
    assert auth["causes"][-1] == "pangyo failed"


def test_adding_a_single_facility_critical_service_reports_exactly_the_new(
    run_cli: Callable[..., Run], repo: Path
) -> None:
    with (repo / "services.yaml").open("a", encoding="utf-8") as stream:
        stream.write(BILLING)
    commit(repo, "billing")
    code, document = check_json(run_cli, "--diff-base", "main~1")
    assert code == 1
    assert keys([f for f in document["findings"] if f["new"]]) == BILLING_NEW
    assert document["diff_base"]["fixed"] == []
    assert (document["diff_base"]["new"], document["diff_base"]["unchanged"]) == (4, 16)
    text = run_cli("check", "--diff-base", "main~1").out
    assert text.splitlines()[-2] == (
        "20 failed (6 critical, 9 high, 5 medium), 29 passed, 0 waived (7 rules); "
        "4 at or above fail_on=low and new since main~1; "
        "since main~1: 4 new, 0 fixed, 16 unchanged"
    )
    # Unchanged failures are counted, not listed, unless --all asks for them.
    assert "16 failures unchanged since main~1 not listed (--all lists them)" in text
    assert "kakaotalk does not survive the loss of pangyo" not in text
    listed = run_cli("check", "--diff-base", "main~1", "--all").out
    assert (
        "kakaotalk does not survive the loss of pangyo (owner: messaging; unchanged since main~1)"
        in listed
    )


def test_uncommitted_changes_are_compared_with_the_ref(
    run_cli: Callable[..., Run], repo: Path
) -> None:
    move_auth_to_a_second_facility(repo)  # not committed: the pull-request view, locally
    _, document = check_json(run_cli, "--diff-base", "HEAD")
    assert keys(document["diff_base"]["fixed"]) == AUTH_FIXED
    assert document["diff_base"]["new"] == 0


def test_moving_and_reformatting_files_changes_nothing(
    run_cli: Callable[..., Run], repo: Path
) -> None:
    (repo / "infra").mkdir()
    services = yaml.safe_load((repo / "services.yaml").read_text(encoding="utf-8"))
    services["services"] = dict(reversed(list(services["services"].items())))
    (repo / "infra" / "services.json").write_text(json.dumps(services, indent=1), encoding="utf-8")
    (repo / "services.yaml").unlink()
    git(repo, "mv", "domains.yaml", "infra/domains.yaml")
    (repo / "resilint.toml").write_text('manifests = ["infra"]\n', encoding="utf-8")
    commit(repo, "move the manifests into infra/, services as JSON")
    code, document = check_json(run_cli, "--diff-base", "HEAD~1")
    assert code == 0
    assert (document["diff_base"]["new"], document["diff_base"]["unchanged"]) == (0, 16)
    assert document["diff_base"]["fixed"] == []
    assert {f["location"]["path"] for f in document["findings"]} == {"infra/services.json"}


def test_a_ref_without_manifests_makes_every_failure_new(
    run_cli: Callable[..., Run], in_tmp: Path
) -> None:
    (in_tmp / "README.md").write_text("nothing yet\n", encoding="utf-8")
    git(in_tmp, "init", "-q", "-b", "main")
    commit(in_tmp, "empty")
    for name in ("domains.yaml", "services.yaml"):
        shutil.copy(REPO / "examples" / "pangyo-2022" / name, in_tmp / name)
    code, document = check_json(run_cli, ".", "--diff-base", "HEAD")
    assert code == 1
    assert (document["diff_base"]["new"], document["diff_base"]["unchanged"]) == (16, 0)


def test_every_format_says_what_changed(
    run_cli: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    move_auth_to_a_second_facility(repo)
    with (repo / "services.yaml").open("a", encoding="utf-8") as stream:
        stream.write(BILLING)
    out = tmp_path / "out"
    formats = ["sarif", "junit", "gitlab", "github", "markdown", "html"]
    done = run_cli(
        "check",
        "--diff-base",
        "HEAD",
        *[f"-f{name}={out / name}" for name in formats],
        "-f",
        "text",
    )
    assert done.code == 1
    assert (
        "\nFixed since HEAD:\n  services.yaml:11:3: FIXED facility-loss-not-survived: " in done.out
    )
    sarif = json.loads((out / "sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    states = {(r["ruleId"], r["properties"]["entity"]): r["baselineState"] for r in sarif}
    assert {
        f"{rule}:{entity}" for (rule, entity), state in states.items() if state == "new"
    } == BILLING_NEW
    assert {
        f"{rule}:{entity}" for (rule, entity), state in states.items() if state == "absent"
    } == AUTH_FIXED
    junit = (out / "junit").read_text(encoding="utf-8")
    assert 'message="unchanged since HEAD: services.yaml:61:3: service kakaotalk' in junit
    assert len(re.findall(r"<failure ", junit)) == 4
    gitlab = json.loads((out / "gitlab").read_text(encoding="utf-8"))
    assert (
        sum(1 for issue in gitlab if issue["description"].endswith("(unchanged since HEAD)")) == 13
    )
    github = (out / "github").read_text(encoding="utf-8")
    assert len(re.findall(r"^::error ", github, re.M)) == 4
    assert "title=CRITICAL facility-loss-not-survived (unchanged since HEAD)::" in github
    markdown = (out / "markdown").read_text(encoding="utf-8")
    assert "**4 new**, 3 fixed, 13 unchanged." in markdown
    sections = re.findall(r"^### (.*)$", markdown, re.M)
    assert sections == [
        "New since HEAD: failing the run",
        "Fixed since HEAD",
        "Not failing the run (below fail_on=low, or unchanged since HEAD)",
    ]
    html = (out / "html").read_text(encoding="utf-8")
    assert "This change, since HEAD (" in html and "): 4 new, 3 fixed, 13 unchanged.</p>" in html
    found = re.search(r'id="resilint-data">(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["statuses"][:3] == [
        ["fail", "new: fails the run"],
        ["below", "new, below fail_on"],
        ["fixed", "fixed since HEAD"],
    ]
    by_status: dict[str, set[str]] = {}
    for row in data["findings"]:
        by_status.setdefault(row["st"], set()).add(f"{row['r']}:{row['e']}")
    assert by_status["fail"] == BILLING_NEW and by_status["fixed"] == AUTH_FIXED
    assert len(by_status["known"]) == 13


def test_wrong_uses_are_input_errors(
    run_cli: Callable[..., Run], repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    unknown = run_cli("check", "--diff-base", "no-such-branch")
    assert unknown.code == 2
    assert "--diff-base: no commit 'no-such-branch' in this repository" in unknown.err
    option = run_cli("check", "--diff-base", "--help")
    assert option.code == 2 and "--diff-base takes a git ref, not '--help'" in option.err
    (repo / "b.json").write_text(
        '{"version": 1, "tool": "resilint", "fingerprints": []}', encoding="utf-8"
    )
    both = run_cli("check", "--diff-base", "HEAD", "--baseline", "b.json")
    assert (
        both.code == 2
        and "--diff-base compares with a git ref: it takes no baseline file" in both.err
    )
    outside = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(repo / "domains.yaml", outside / "domains.yaml")
    os.chdir(outside)
    lonely = run_cli("check", ".", "--diff-base", "HEAD")
    assert lonely.code == 2 and "--diff-base needs a git repository" in lonely.err


def test_a_broken_manifest_at_the_ref_says_so(run_cli: Callable[..., Run], repo: Path) -> None:
    services = repo / "services.yaml"
    good = services.read_text(encoding="utf-8")
    services.write_text(good.replace("tier: critical", "tier: crtical", 1), encoding="utf-8")
    commit(repo, "a typo")
    services.write_text(good, encoding="utf-8")
    done = run_cli("check", "--diff-base", "HEAD")
    assert done.code == 2
    assert done.err == (
        "services.yaml:12:5: error: at --diff-base HEAD: services.auth: unknown tier 'crtical'; "
        "did you mean 'critical'? (configured tiers: critical, high, medium, low)\n"
    )
