"""``resilint risk-groups``: exact minimal groups, every format, target and kind choices."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, Run

# hall-1 has A/B power, hall-2 only ups-b: no single UPS is fatal, but ups-b with
# anything that takes rack-1 is.
MANIFEST = """\
version: 1
domains:
  site: {kind: facility}
  ups-a: {kind: ups, parent: site}
  ups-b: {kind: ups, parent: site}
  hall-1: {kind: hall, parent: site, depends_on: [{any_of: [ups-a, ups-b]}]}
  hall-2: {kind: hall, parent: site, depends_on: [ups-b]}
  rack-1: {kind: rack, parent: hall-1}
  rack-2: {kind: rack, parent: hall-2}
services:
  db:
    tier: critical
    instances: [rack-1, rack-2]
  api:
    tier: critical
    instances: [rack-1, rack-2]
    depends_on: [db]
  batch:
    tier: low
    instances: [rack-2]
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


def _groups(result: Run) -> dict[str, list[list[str]]]:
    assert (result.code, result.err) == (0, "")
    return {s["id"]: s["groups"] for s in json.loads(result.out)["services"]}


def test_default_is_the_top_tier_with_every_pair(
    run_cli: Callable[..., Run], project: Path
) -> None:
    groups = _groups(run_cli("risk-groups", "-f", "json"))
    # Smallest first, then most services taken down (each pair downs db, api and
    # batch), then by ids.
    expected = [
        ["site"],
        ["hall-1", "hall-2"],
        ["hall-1", "rack-2"],
        ["hall-2", "rack-1"],
        ["rack-1", "rack-2"],
        ["ups-a", "ups-b"],
        ["ups-b", "hall-1"],
        ["ups-b", "rack-1"],
    ]
    assert groups == {"db": expected, "api": expected}


def test_json_document(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("risk-groups", "batch", "db", "--kind", "ups,rack", "-f", "json")
    data = json.loads(result.out)
    assert {k: data[k] for k in ("version", "max_size", "kinds", "candidates", "limit")} == {
        "version": 1,
        "max_size": 2,
        "kinds": ["ups", "rack"],
        "candidates": 4,
        "limit": None,
    }
    batch, db = data["services"]
    assert (batch["id"], batch["tier"], batch["total"], batch["groups"]) == (
        "batch",
        "low",
        2,
        [["rack-2"], ["ups-b"]],
    )
    assert batch["causes"][0] == ["batch is down: 0 of 1 instances up (needs 1)", "rack-2 failed"]
    assert db["groups"] == [["rack-1", "rack-2"], ["ups-a", "ups-b"], ["ups-b", "rack-1"]]
    assert len(db["causes"]) == 3 and db["causes"][0][0].startswith("db is down")


def test_text(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("risk-groups", "batch", "db", "--kind", "ups", "--kind", "facility")
    assert result.out == (
        "minimal risk groups of up to 2 domains (3 candidate domains of kind ups/facility)\n"
        "\n"
        "batch (low): 2 minimal risk groups, 2 single points of failure\n"
        "  {site}\n"
        "      batch is down: 0 of 1 instances up (needs 1)\n"
        "      rack-2 is down: inside hall-2\n"
        "      hall-2 is down: inside site\n"
        "      site failed\n"
        "  {ups-b}\n"
        "      batch is down: 0 of 1 instances up (needs 1)\n"
        "      rack-2 is down: inside hall-2\n"
        "      hall-2 is down: requires ups-b\n"
        "      ups-b failed\n"
        "\n"
        "db (critical): 2 minimal risk groups, 1 single point of failure\n"
        "  {site}\n"
        "      db is down: 0 of 2 instances up (needs 1)\n"
        "      rack-2 is down: inside hall-2\n"
        "      hall-2 is down: inside site\n"
        "      site failed\n"
        "  {ups-a, ups-b}\n"
        "      db is down: 0 of 2 instances up (needs 1)\n"
        "      rack-2 is down: inside hall-2\n"
        "      hall-2 is down: requires ups-b\n"
        "      ups-b failed\n"
    )


def test_max_size_one_lists_single_points_of_failure(
    run_cli: Callable[..., Run], project: Path
) -> None:
    assert _groups(run_cli("risk-groups", "api", "-k", "1", "-f", "json")) == {"api": [["site"]]}
    markdown = run_cli("risk-groups", "api", "-k", "1", "-f", "markdown").out
    assert markdown.startswith("### Risk groups\n\nMinimal risk groups of up to 1 domain ")
    assert "| `site` | 1 | api is down: 0 of 2 instances up (needs 1)<br>" in markdown


def test_a_domain_target_and_a_broken_service(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "m.yaml").write_text(
        MANIFEST + "  ghost:\n    tier: low\n    instances: [rack-1]\n    min_healthy: 2\n"
    )
    groups = _groups(run_cli("risk-groups", "hall-2", "ghost", "-f", "json"))
    assert groups == {"hall-2": [["site"], ["ups-b"]], "ghost": [[]]}
    text = run_cli("risk-groups", "ghost").out
    assert "ghost (low): down even with nothing failed\n" in text


def test_pangyo_failover_controller(run_cli: Callable[..., Run]) -> None:
    result = run_cli(
        "risk-groups", "talk-db", "-m", str(REPO / "examples/pangyo-2022"), "-f", "json"
    )
    (talk_db,) = json.loads(result.out)["services"]
    assert talk_db["groups"] == [
        ["kr-capital"],
        ["pangyo", "gasan"],
        ["pangyo", "gasan/hall-1"],
        ["pangyo/b3-battery-room", "gasan"],
        ["pangyo/b3-battery-room", "gasan/hall-1"],
        ["pangyo/b3-ups", "gasan"],
        ["pangyo/b3-ups", "gasan/hall-1"],
        ["pangyo/hall-b", "gasan"],
        ["pangyo/hall-b", "gasan/hall-1"],
        ["pangyo/hall-b/r21", "gasan"],
        ["pangyo/hall-b/r21", "gasan/hall-1"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dbb"], "resilint: error: unknown service 'dbb'; did you mean 'db'?\n"),
        (
            ["--kind", "upss"],
            "resilint: error: no domain of kind 'upss'; did you mean 'ups'? "
            "(kinds in the manifests: facility, hall, rack, ups)\n",
        ),
    ],
)
def test_errors(run_cli: Callable[..., Run], project: Path, args: list[str], message: str) -> None:
    result = run_cli("risk-groups", *args)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_max_size_must_be_positive(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("risk-groups", "-k", "0")
    assert result.code == 2 and "0 is not in the range x>=1" in result.err


def test_manifest_paths_given_positionally(run_cli: Callable[..., Run], project: Path) -> None:
    """As ``check FILE``: an argument that exists on disk is a manifest, not an id."""
    (project / "sub").mkdir()
    (project / "m.yaml").rename(project / "sub" / "m.yaml")
    by_file = _groups(run_cli("risk-groups", "--max-size", "2", "sub/m.yaml", "--format", "json"))
    assert set(by_file) == {"db", "api"}
    by_directory = _groups(run_cli("risk-groups", "batch", "sub", "-k", "1", "-f", "json"))
    assert by_directory == {"batch": [["site"], ["hall-2"], ["rack-2"], ["ups-b"]]}


def test_streamed_json_is_ordinary_json(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    out = run_cli("risk-groups", str(REPO / "examples/pangyo-2022"), "-f", "json").out
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    assert [s["id"] for s in json.loads(out)["services"]][:2] == ["auth", "ops-console"]
    (in_tmp / "empty.yaml").write_text("version: 1\ndomains:\n  a: {kind: rack}\n")
    empty = json.loads(run_cli("risk-groups", "empty.yaml", "-f", "json").out)
    assert (empty["services"], empty["candidates"]) == ([], 1)


def test_limit_shows_the_most_important_groups_first(
    run_cli: Callable[..., Run], project: Path
) -> None:
    full = json.loads(run_cli("risk-groups", "-f", "json").out)
    limited = json.loads(run_cli("risk-groups", "--limit", "3", "-f", "json").out)
    assert limited["limit"] == 3
    for every, some in zip(full["services"], limited["services"], strict=True):
        assert (some["total"], every["total"]) == (8, 8)
        assert some["groups"] == every["groups"][:3]
        assert some["causes"] == every["causes"][:3]
    text = run_cli("risk-groups", "db", "--limit", "2").out
    assert "db (critical): 8 minimal risk groups, 1 single point of failure (showing 2 of 8)\n" in (
        text
    )
    assert text.count("\n  {") == 2
    markdown = run_cli("risk-groups", "db", "--limit", "2", "-f", "markdown").out
    assert (
        "#### `db` (critical): 8 minimal risk groups, 1 single point of failure (showing 2 of 8)"
        in (markdown)
    )
    # A limit above the number of groups shows them all, and says nothing more.
    assert "(showing" not in run_cli("risk-groups", "db", "--limit", "8").out


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_limit_must_be_a_positive_number(
    run_cli: Callable[..., Run], project: Path, value: str
) -> None:
    result = run_cli("risk-groups", "--limit", value)
    assert (result.code, result.out) == (2, "")
    assert "--limit" in result.err and "Traceback" not in result.err


def test_no_chains_with_a_limit(run_cli: Callable[..., Run], project: Path) -> None:
    text = run_cli("risk-groups", "db", "--limit", "2", "--no-chains").out
    assert text.endswith("(showing 2 of 8)\n  {site}\n  {hall-1, hall-2}\n")
