"""``resilint graph``: DOT and Mermaid of the manifests, around an entity, with a scenario."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.core.model import Model
from tests.conftest import REPO, Run

MANIFEST = """\
version: 1
domains:
  dc: {kind: facility}
  dc/hall: {kind: hall, parent: dc}
  far: {kind: facility}
services:
  db: {tier: critical, instances: [dc/hall, far]}
  web: {tier: high, instances: [dc/hall], depends_on: [db]}
  other: {tier: low, instances: [far]}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


def test_mermaid_around_with_scenario(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("graph", "m.yaml", "-f", "mermaid", "--around", "web", "--scenario", "dc")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "flowchart LR\n"
        "  %% solid: requires · dashed: runs on · hexagon: any_of · red: failed · "
        "orange: down with it\n"
        '  subgraph d_dc["dc · facility"]\n'
        '    d_dc_hall["hall<br/><small>hall</small>"]\n'
        "  end\n"
        '  d_far["far<br/><small>facility</small>"]\n'
        '  s_db("db<br/><small>critical</small>")\n'
        '  s_web("web<br/><small>high</small>")\n'
        "  s_db -.-> d_dc_hall\n"
        "  s_db -.-> d_far\n"
        "  s_web -.-> d_dc_hall\n"
        "  s_web --> s_db\n"
        "  classDef domain fill:#ffffff,stroke:#666666\n"
        "  classDef service fill:#dbe9f6,stroke:#666666\n"
        "  classDef gate fill:#f2f2f2,stroke:#999999,font-size:10px\n"
        "  class d_dc_hall,d_far domain\n"
        "  class s_db,s_web service\n"
        "  classDef failed fill:#e45756,stroke:#9b1c1c,stroke-width:2px\n"
        "  classDef down fill:#ffbf80,stroke:#b35900,stroke-width:2px,stroke-dasharray:5 3\n"
        "  style d_dc fill:#fbd0d0,stroke:#9b1c1c,stroke-width:2px\n"
        "  class d_dc_hall,s_web down\n"
    )


def test_dot_by_default_from_the_config(run_cli: Callable[..., Run], project: Path) -> None:
    result = run_cli("graph")
    assert result.code == 0
    assert result.out.startswith('digraph "resilint" {\n')
    assert '  "other" -> "far" [style=dashed, color="#777777"];\n' in result.out
    assert result.out.endswith("}\n")


def test_shipped_example_names_every_entity(run_cli: Callable[..., Run], pangyo: Model) -> None:
    result = run_cli("graph", str(REPO / "examples/pangyo-2022"), "--scenario", "pangyo/b3-ups")
    assert (result.code, result.err) == (0, "")
    # Each entity once: a node, or a box (cluster) for a domain that contains others;
    # the any_of hexagons ("owner#any_of0") are not entities.
    nodes = re.findall(r'^\s*"([^"#]+)" \[', result.out, re.MULTILINE)
    boxes = re.findall(r'^\s*subgraph "cluster_([^"]+)" \{', result.out, re.MULTILINE)
    assert sorted(nodes + boxes) == sorted([*pangyo.domains, *pangyo.services])
    assert result.out.count('fillcolor="#e45756"') == 1  # one failed domain: the UPS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--around", "wbe"], "unknown entity 'wbe'; did you mean 'web'?"),
        (["--scenario", "dc,farr"], "unknown domain 'farr'; did you mean 'far'?"),
        (["--scenario", "db"], "'db' is a service, not a domain"),
        (["-f", "png"], "Invalid value for '-f' / '--format'"),
    ],
)
def test_errors(run_cli: Callable[..., Run], project: Path, args: list[str], message: str) -> None:
    result = run_cli("graph", *args)
    assert (result.code, result.out) == (2, "")
    assert message in result.err
