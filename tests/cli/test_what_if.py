"""``resilint what-if``: exact output in every format, and its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  site-a: {kind: facility}
  site-a/ups: {kind: ups, parent: site-a}
  site-a/hall: {kind: hall, parent: site-a, depends_on: [site-a/ups]}
  site-b: {kind: facility}
  site-b/hall: {kind: hall, parent: site-b}
services:
  db:
    tier: critical
    instances: [site-a/hall, site-b/hall]
  auth:
    tier: critical
    instances: [site-a/hall]
  web:
    tier: high
    instances: [site-a/hall, site-b/hall]
    depends_on: [auth, db]
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


def test_text(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("what-if", "site-a/ups")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "what-if site-a/ups fails: 2 services down, 1 up; 2 domains down\n"
        "\n"
        "DOMAINS DOWN\n"
        "  site-a/ups (failed), site-a/hall\n"
        "\n"
        "DOWN\n"
        "  auth (critical)\n"
        "      auth is down: 0 of 1 instances up (needs 1)\n"
        "      site-a/hall is down: requires site-a/ups\n"
        "      site-a/ups failed\n"
        "  web (high)\n"
        "      web is down: requires auth\n"
        "      auth is down: 0 of 1 instances up (needs 1) (as above)\n"
        "\n"
        "UP\n"
        "  db (critical)\n"
    )


def test_json(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("what-if", "site-a/ups", "site-b", "-m", "m.yaml", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == {
        "version": 1,
        "scenario": ["site-a/ups", "site-b"],
        "summary": {"down": 3, "up": 0, "domains_down": 4},
        "down": [
            {
                "id": "db",
                "tier": "critical",
                "causes": [
                    "db is down: 0 of 2 instances up (needs 1)",
                    "site-b/hall is down: inside site-b",
                    "site-b failed",
                ],
            },
            {
                "id": "auth",
                "tier": "critical",
                "causes": [
                    "auth is down: 0 of 1 instances up (needs 1)",
                    "site-a/hall is down: requires site-a/ups",
                    "site-a/ups failed",
                ],
            },
            {
                "id": "web",
                "tier": "high",
                "causes": [  # the shortest of its chains: its own replicas, not auth's
                    "web is down: 0 of 2 instances up (needs 1)",
                    "site-b/hall is down: inside site-b",
                    "site-b failed",
                ],
            },
        ],
        "up": [],
        "domains_down": ["site-a/ups", "site-a/hall", "site-b", "site-b/hall"],
        "down_anyway": [],
    }


def test_narrowed_markdown(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("what-if", "site-b", "--service", "db", "--service", "web", "-f", "markdown")
    assert result.out == (
        "### What if `site-b` fails?\n"
        "\n"
        "0 services down, 2 up; 2 domains down.\n"
        "\n"
        "Still up: `db` (critical), `web` (high).\n"
    )


def test_mermaid(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("what-if", "site-a/ups", "-f", "mermaid")
    assert result.out == (
        "flowchart LR\n"
        "  %% what-if site-a/ups\n"
        '  n_site_a_ups["site-a/ups"]:::failed\n'
        '  n_auth("auth"):::down\n'
        '  n_site_a_hall["site-a/hall"]:::down\n'
        '  n_web("web"):::down\n'
        '  subgraph still_up["still up"]\n'
        '    n_db("db"):::up\n'
        "  end\n"
        "  n_site_a_hall --> n_auth\n"
        "  n_site_a_ups --> n_site_a_hall\n"
        "  n_auth --> n_web\n"
        "  classDef failed fill:#e45756,stroke:#9b1c1c,stroke-width:2px\n"
        "  classDef down fill:#ffbf80,stroke:#b35900,stroke-dasharray:5 3\n"
        "  classDef up fill:#c7e9c0,stroke:#2f7d32\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["site-a/upz"],
            "resilint: error: unknown domain 'site-a/upz'; did you mean 'site-a/ups'?\n",
        ),
        (
            ["auth"],
            "resilint: error: 'auth' is a service, not a domain: what-if fails domains "
            "(to see what auth needs, try `resilint risk-groups auth`)\n",
        ),
        (
            ["site-a", "--service", "dbb"],
            "resilint: error: unknown service 'dbb'; did you mean 'db'?\n",
        ),
    ],
)
def test_errors_exit_2(
    run_cli: Callable[..., Run], project: Path, args: list[str], message: str
) -> None:
    result = run_cli("what-if", *args)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_needs_a_domain(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("what-if")
    assert result.code == 2
    assert "Missing argument 'DOMAIN... [PATHS...]'" in result.err


def test_bad_manifest_is_exit_2_with_location(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "m.yaml").write_text("version: 1\ndomains:\n  a: {kind: rack, parnt: b}\n")
    result = run_cli("what-if", "a")
    assert result.code == 2
    assert result.err.startswith("m.yaml:3:")
    assert "did you mean 'parent'?" in result.err


def test_manifest_paths_given_positionally(run_cli: Callable[..., Run], project: Path) -> None:
    (project / "sub").mkdir()
    (project / "m.yaml").rename(project / "sub" / "m.yaml")
    result = run_cli("what-if", "sub", "site-b", "-f", "json")
    assert json.loads(result.out)["scenario"] == ["site-b"]
    assert run_cli("what-if", "sub/m.yaml", "site-b").out.startswith("what-if site-b fails:")
    nothing = run_cli("what-if", "sub")
    assert (nothing.code, nothing.err) == (2, "resilint: error: name at least one domain to fail\n")
