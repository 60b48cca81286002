"""Graphviz DOT: nested clusters for containment, styled edges, the blast radius."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from checker.core.model import Model
from checker.manifest.load import load_manifests, model_from_data
from checker.queries.layout import layout
from checker.render.dot import to_dot
from tests.conftest import REPO


def test_dot_nests_the_containment_tree_and_styles_edges(tiny: Model) -> None:
    dot = to_dot(layout(tiny))
    lines = [line.strip() for line in dot.splitlines()]
    # The rack is drawn inside the hall box, itself inside the facility box.
    opened = [line for line in lines if line.startswith("subgraph")]
    assert opened == ['subgraph "cluster_dc" {', 'subgraph "cluster_dc/hall" {']
    assert dot.index('"cluster_dc/hall"') < dot.index('"dc/hall/r1" [') < dot.index('"db" [')
    # Placement dashed with its count; a requirement solid; a box is reached with lhead.
    assert '"db" -> "dc/hall/r1" [style=dashed, color="#777777", label="×2"];' in lines
    assert '"web" -> "dc/hall/r1" [style=dashed, color="#777777", lhead="cluster_dc/hall"];' in (
        lines
    )
    assert '"web" -> "db";' in lines
    # The hall's A/B power: the hexagon sits in the facility box, an arrow to each UPS.
    assert '"dc/hall/r1" -> "dc/hall#any_of0" [ltail="cluster_dc/hall"];' in lines
    assert {'"dc/hall#any_of0" -> "dc/ups-a";', '"dc/hall#any_of0" -> "dc/ups-b";'} <= set(lines)
    assert dot.count("{") == dot.count("}")


def test_scenario_marks_failed_red_and_downed_orange_dashed(tiny: Model) -> None:
    dot = to_dot(layout(tiny, scenario=["dc/ups-a", "dc/ups-b"]))
    node = {m.group(1): m.group(2) for m in re.finditer(r'^\s*"([^"]+)" \[(.*)\];$', dot, re.M)}
    assert 'fillcolor="#e45756"' in node["dc/ups-a"] and "bold" in node["dc/ups-a"]
    for downed in ("dc/hall/r1", "db", "web"):
        assert 'fillcolor="#ffbf80"' in node[downed] and "dashed" in node[downed]
    assert 'fillcolor="#ffffff"' in to_dot(layout(tiny, scenario=["dc/ups-a"]))
    hall = dot[dot.index('subgraph "cluster_dc/hall"') :].splitlines()[1]
    assert 'fillcolor="#ffe6cc"' in hall and "dashed" in hall
    assert "red: failed" in dot


def test_diagrams_are_deterministic(pangyo: Model) -> None:
    first = to_dot(layout(pangyo, scenario=["pangyo"]))
    again = load_manifests([REPO / "examples/pangyo-2022"])
    assert first == to_dot(layout(again, scenario=["pangyo"]))


def test_labels_are_escaped_and_ids_quoted() -> None:
    model = model_from_data(
        {
            "version": 1,
            "domains": {"a-b": {"kind": "<rack>"}, "a_b": {"kind": 'x"y'}, "end": {"kind": "z"}},
            "services": {"a.b": {"tier": "low", "instances": ["a-b", "a_b", "end"]}},
        }
    )
    dot = to_dot(layout(model))
    assert "&lt;rack&gt;" in dot and '"a.b" -> "a-b"' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_renders_the_shipped_example(pangyo: Model) -> None:
    for scenario in ([], ["pangyo/b3-battery-room"]):
        dot = to_dot(layout(pangyo, scenario=scenario))
        done = subprocess.run(
            ["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # no warnings either (e.g. about lhead/ltail)
        assert "<svg" in done.stdout and "kakaotalk" in done.stdout
