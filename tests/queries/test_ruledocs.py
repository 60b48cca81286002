"""A rule's documentation is found by id or alias and assembled from its check module."""

from __future__ import annotations

import pytest

from checker.checks import CHECKS
from checker.checks.base import check_sections
from checker.core.errors import UsageError
from checker.policy.rule import Rule
from checker.queries.ruledocs import find_rule
from tests.conftest import builtin_rule, builtin_rules


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_every_check_documents_itself(check: str) -> None:
    sections = check_sections(CHECKS[check])
    assert {"What it does", "Why it matters", "Example", "Fix"} <= set(sections)
    assert all(sections[name] for name in ("What it does", "Fix"))


def test_find_by_id_or_alias_in_effect_first() -> None:
    rule = builtin_rule("facility-loss-not-survived")
    aliased = Rule(**{**rule.__dict__, "id": "custom", "aliases": ("old-name",), "source": "x"})
    assert find_rule("old-name", [aliased], builtin_rules()) is aliased
    assert find_rule("facility-loss-not-survived", [aliased], builtin_rules()) is rule


def test_unknown_rule_suggests() -> None:
    with pytest.raises(UsageError, match="did you mean 'tier-inversion'"):
        find_rule("tier-inversoin", [], builtin_rules())
