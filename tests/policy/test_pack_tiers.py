"""Custom tier names with the built-in packs: ``[pack_tiers]`` maps the packs' tiers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.policy.format import AtLeast, Select
from checker.policy.pack_tiers import translate
from tests.conftest import REPO, Run

TIERS = ("tier0", "tier1", "tier2", "tier3")
MAPPING = 'critical = "tier0"\nhigh = "tier1"\nmedium = "tier2"\nlow = "tier3"\n'


def _pangyo(root: Path, tiers: dict[str, str]) -> None:
    for name in ("domains.yaml", "services.yaml"):
        text = (REPO / "examples" / "pangyo-2022" / name).read_text(encoding="utf-8")
        for old, new in tiers.items():
            text = text.replace(f"tier: {old}", f"tier: {new}")
        (root / name).write_text(text, encoding="utf-8")


def _verdicts(result: Run) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["entity"], f["status"]) for f in json.loads(result.out)["findings"])


def test_a_team_with_its_own_tiers_uses_the_baseline_as_it_is(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _pangyo(in_tmp, {})
    default = run_cli("check", ".", "-f", "json", "--all")
    _pangyo(in_tmp, dict(zip(("critical", "high", "medium", "low"), TIERS, strict=True)))
    (in_tmp / "resilint.toml").write_text(
        f"tiers = {json.dumps(list(TIERS))}\n[pack_tiers]\n{MAPPING}", encoding="utf-8"
    )
    mapped = run_cli("check", "-f", "json", "--all")
    assert (mapped.code, default.code) == (1, 1)
    assert _verdicts(mapped) == _verdicts(default)
    assert len(_verdicts(mapped)) == 43


def test_without_a_mapping_the_error_says_how_to_write_one(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    _pangyo(in_tmp, {"critical": "p0", "high": "p1", "medium": "p2", "low": "p3"})
    (in_tmp / "resilint.toml").write_text(
        'tiers = ["p0", "p1", "p2", "p3"]\npolicies = ["builtin:baseline"]\n', encoding="utf-8"
    )
    result = run_cli("check")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint.toml:2:13: error: builtin:baseline selects services by tier 'critical', "
        "'high', which is not a configured tier (p0, p1, p2, p3): say which of your tiers it "
        'stands for in the config\'s [pack_tiers] table, e.g. critical = "p0"\n'
    )


def test_a_wrong_mapping_is_an_error_at_its_line(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    _pangyo(in_tmp, {"critical": "p0", "high": "p1", "medium": "p2", "low": "p3"})
    (in_tmp / "resilint.toml").write_text(
        'tiers = ["p0", "p1", "p2", "p3"]\n[pack_tiers]\ncritical = "p0"\nhihg = "p1"\n'
        'high = "P1"\n',
        encoding="utf-8",
    )
    result = run_cli("check")
    assert result.code == 2
    assert result.err.splitlines() == [
        "resilint.toml:4:1: error: pack_tiers: 'hihg' is not a tier of the built-in packs; "
        "did you mean 'high'? (they use critical, high, medium, low)",
        "resilint.toml:5:1: error: pack_tiers.high: unknown tier 'P1'; did you mean 'p1'? "
        "(configured tiers: p0, p1, p2, p3)",
    ]


@pytest.mark.parametrize(
    ("tier", "translated"),
    [
        ("critical", "tier0"),
        (["critical", "high"], ["tier0", "tier1", "tier1b"]),
        (AtLeast(at_least="high"), AtLeast(at_least="tier1b")),
        (AtLeast(at_least="critical"), AtLeast(at_least="tier0")),
    ],
)
def test_pack_tiers_translate_every_form_of_tier(
    tier: str | list[str] | AtLeast, translated: str | list[str] | AtLeast
) -> None:
    tiers = ("tier0", "tier1", "tier1b", "tier2")
    mapping = {"critical": ("tier0",), "high": ("tier1", "tier1b")}
    select, unmapped = translate(Select(tier=tier), mapping, tiers)
    assert (select.tier, unmapped) == (translated, [])
    assert translate(Select(tier="medium"), mapping, tiers)[1] == ["medium"]
