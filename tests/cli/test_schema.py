"""``resilint schema``: prints exactly the committed schema files."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import REPO, Run


@pytest.mark.parametrize("kind", ["manifest", "policy"])
def test_prints_the_committed_schema(run_cli: Callable[..., Run], kind: str) -> None:
    result = run_cli("schema", kind)
    assert (result.code, result.err) == (0, "")
    assert result.out == (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.out)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_unknown_kind(run_cli: Callable[..., Run]) -> None:
    result = run_cli("schema", "config")
    assert result.code == 2
    assert "'config' is not one of 'manifest', 'policy'" in result.err
