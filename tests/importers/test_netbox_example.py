"""examples/netbox-demo/netbox-demo.yaml is exactly what the import writes today."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import REPO, Run

EXAMPLE = REPO / "examples" / "netbox-demo" / "netbox-demo.yaml"


def test_the_committed_example_is_regenerated_byte_for_byte(
    run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header names the command as run from the repository root: run it there.
    monkeypatch.chdir(REPO)
    result = run_cli("import", "netbox", "tests/data/netbox/netbox-demo-v3.6.json")
    assert result.code == 0, result.err
    assert result.out.encode("utf-8") == EXAMPLE.read_bytes(), (
        "examples/netbox-demo is stale: regenerate it with the command in its header"
    )


def test_the_readme_commands_say_what_they_print(
    run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    manifest = "examples/netbox-demo/netbox-demo.yaml"
    readme = (EXAMPLE.parent / "README.md").read_text(encoding="utf-8")
    check = run_cli("check", manifest)
    assert check.code == 0
    assert check.out in readme
    one = run_cli("what-if", "ncsu-065/Panel-1", "-m", manifest)
    assert one.out.splitlines()[0] in readme
    both = run_cli("what-if", "ncsu-065/Panel-1", "ncsu-065/Panel-2", "-m", manifest)
    lines = both.out.splitlines()
    assert "\n".join(lines[: lines.index("  role/tor-switch (medium)") + 1]) in readme
