"""Messages in the project's own words, at exact positions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MANIFEST = (
    "version: 1\ndomains:\n  dc-a: {kind: facility}\n"
    "services:\n  s: {tier: high, instances: [dc-a]}\n"
)
HEAD = "version: 1\nrules:\n  x:\n    title: X\n    severity: high\n"

POLICIES = [
    (
        "tier-wrong-type",
        "    select: {tier: 3}\n    acyclic:\n",
        "p.yaml:6:14: error: rules.x.select.tier: expected a name, a list of names or a mapping, "
        "got 3",
    ),
    (
        "at-least-misspelt",
        "    select: {tier: {atleast: high}}\n    acyclic:\n",
        "p.yaml:6:21: error: unknown key 'atleast' in rules.x.select.tier; did you mean "
        "'at_least'?",
    ),
    (
        "tier-list-item",
        "    select: {tier: [critical, 3]}\n    acyclic:\n",
        "p.yaml:6:31: error: rules.x.select.tier[1]: must be text, got 3",
    ),
    (
        "loss-of-wrong-type",
        "    survives: {loss_of: 3}\n",
        "p.yaml:6:16: error: rules.x.survives.loss_of: expected a name or a list of names, got 3",
    ),
    (
        "loss-of-empty",
        "    survives: {loss_of: []}\n",
        "p.yaml:6:16: error: rule 'x': survives.loss_of: names no kind; give at least one",
    ),
    (
        "max-size",
        "    survives: {loss_of: facility, max_size: 7}\n",
        "p.yaml:6:35: error: rules.x.survives.max_size: must be at most 3, got 7",
    ),
    (
        "min-not-a-number",
        "    spread: {across: facility, min: x}\n",
        "p.yaml:6:32: error: rules.x.spread.min: must be a whole number, got 'x'",
    ),
    (
        "pairwise",
        "    independent: {of: facility, pairwise: maybe}\n",
        "p.yaml:6:33: error: rules.x.independent.pairwise: must be true or false, got 'maybe'",
    ),
    (
        "entity",
        "    select: {entity: rack}\n    acyclic:\n",
        "p.yaml:6:14: error: rules.x.select.entity: must be one of service, domain, got 'rack'",
    ),
    (
        "alias",
        "    aliases: [Old_Name]\n    acyclic:\n",
        "p.yaml:6:15: error: rules.x.aliases[0]: 'Old_Name' is not a valid rule id (lowercase "
        "letters and digits, words joined by -)",
    ),
]
PYDANTIC_WORDS = (
    "Input should",
    "Value error",
    "'list[str]'",
    "AtLeast",
    ".str:",
    "Field required",
)


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


@pytest.mark.parametrize(("body", "line"), [c[1:] for c in POLICIES], ids=[c[0] for c in POLICIES])
def test_policy_mistakes_are_said_in_the_projects_words(
    project: Path, run_cli: Callable[..., Run], body: str, line: str
) -> None:
    (project / "p.yaml").write_text(HEAD + body, encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "p.yaml")
    assert (result.code, result.out) == (2, "")
    assert result.err == line + "\n"
    assert not any(words in result.err for words in PYDANTIC_WORDS)


def test_config_mistakes_are_said_in_the_projects_words_at_their_line(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "resilint.toml").write_text(
        'fail_on = "urgent"\ntiers = "gold"\ndisable = [\n  "tier-inversion",\n  "nope",\n]\n',
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml")
    assert result.err.splitlines() == [
        "resilint.toml:1:1: error: fail_on: must be one of critical, high, medium, low, info, "
        "got 'urgent'",
        "resilint.toml:2:1: error: tiers: must be a list, got 'gold'",
        "resilint.toml:5:3: error: disable: unknown rule 'nope'",
    ]


def test_a_toml_error_at_the_end_of_the_file_points_where_it_begins(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "resilint.toml").write_text(
        'fail_on = "high"\ndisable = [\n  "tier-inversion",\n', encoding="utf-8"
    )
    result = run_cli("check", "m.yaml")
    assert result.err == (
        "resilint.toml:2:11: error: invalid TOML: Invalid value (the file ends before it)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "nope.yaml"), "no such file or directory: nope.yaml"),
        (("check", "m.yaml", "--config", "nope.toml"), "config file not found: nope.toml"),
        (("check", "m.yaml", "-p", "nope.yaml"), "policy file not found: nope.yaml"),
        (("check", "m.yaml", "--waivers", "nope.yaml"), "waivers file not found: nope.yaml"),
        (
            ("check", "m.yaml", "--baseline", "nope.json"),
            "baseline file not found: nope.json (create it with --write-baseline nope.json)",
        ),
    ],
)
def test_a_missing_file_has_no_made_up_position(
    project: Path, run_cli: Callable[..., Run], args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args)
    assert (result.code, result.err) == (2, f"resilint: error: {message}\n")


def test_a_file_with_only_a_version_says_there_is_nothing_to_check(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "m.yaml").write_text("version: 1\n", encoding="utf-8")
    result = run_cli("check", "m.yaml")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: nothing to check: m.yaml defines no domain and no service\n"
    )
