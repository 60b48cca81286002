"""Diagrams: the containment tree as boxes, services and their edges, the blast radius."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checker.core.errors import UsageError
from checker.core.model import Model
from checker.manifest.load import load_manifests, model_from_data
from checker.queries.layout import around, layout
from checker.queries.whatif import what_if
from checker.render.dot import to_dot
from checker.render.mermaid import to_mermaid
from checker.render.whatif import to_mermaid as what_if_mermaid

REPO = Path(__file__).resolve().parent.parent

TINY: dict[str, Any] = {
    "version": 1,
    "domains": {
        "dc": {"kind": "facility"},
        "dc/ups-a": {"kind": "ups", "parent": "dc"},
        "dc/ups-b": {"kind": "ups", "parent": "dc"},
        "dc/hall": {
            "kind": "hall",
            "parent": "dc",
            "depends_on": [{"any_of": ["dc/ups-a", "dc/ups-b"]}],
        },
        "dc/hall/r1": {"kind": "rack", "parent": "dc/hall"},
    },
    "services": {
        "db": {"tier": "critical", "instances": [{"at": "dc/hall/r1", "count": 2}]},
        "web": {"tier": "high", "instances": ["dc/hall"], "depends_on": ["db"]},
    },
}


@pytest.fixture(scope="module")
def tiny() -> Model:
    return model_from_data(TINY)


@pytest.fixture(scope="module")
def pangyo() -> Model:
    return load_manifests([REPO / "examples/pangyo-2022"])


def test_mermaid_exact(tiny: Model) -> None:
    assert to_mermaid(layout(tiny, scenario=["dc/ups-a", "dc/ups-b"])) == (
        "flowchart LR\n"
        "  %% solid: requires · dashed: runs on · hexagon: any_of · red: failed · "
        "orange: down with it\n"
        '  subgraph d_dc["dc · facility"]\n'
        '    d_dc_ups_a["ups-a<br/><small>ups</small>"]\n'
        '    d_dc_ups_b["ups-b<br/><small>ups</small>"]\n'
        '    subgraph d_dc_hall["hall · hall"]\n'
        '      d_dc_hall_r1["r1<br/><small>rack</small>"]\n'
        "    end\n"
        '    g_dc_hall_any_of0{{"1 of 2"}}\n'
        "  end\n"
        '  s_db("db<br/><small>critical</small>")\n'
        '  s_web("web<br/><small>high</small>")\n'
        "  d_dc_hall --> g_dc_hall_any_of0\n"
        "  g_dc_hall_any_of0 --> d_dc_ups_a\n"
        "  g_dc_hall_any_of0 --> d_dc_ups_b\n"
        "  s_db -.->|×2| d_dc_hall_r1\n"
        "  s_web -.-> d_dc_hall\n"
        "  s_web --> s_db\n"
        "  classDef domain fill:#ffffff,stroke:#666666\n"
        "  classDef service fill:#dbe9f6,stroke:#666666\n"
        "  classDef gate fill:#f2f2f2,stroke:#999999,font-size:10px\n"
        "  class d_dc_ups_a,d_dc_ups_b,d_dc_hall_r1 domain\n"
        "  class s_db,s_web service\n"
        "  class g_dc_hall_any_of0 gate\n"
        "  classDef failed fill:#e45756,stroke:#9b1c1c,stroke-width:2px\n"
        "  classDef down fill:#ffbf80,stroke:#b35900,stroke-width:2px,stroke-dasharray:5 3\n"
        "  class d_dc_ups_a,d_dc_ups_b failed\n"
        "  class d_dc_hall_r1,s_db,s_web down\n"
        "  style d_dc_hall fill:#ffe6cc,stroke:#b35900,stroke-width:2px,stroke-dasharray:5 3\n"
    )


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


def test_one_ups_of_two_takes_nothing_down(tiny: Model) -> None:
    view = layout(tiny, scenario=["dc/ups-a"])
    assert view.failed == {"dc/ups-a"}
    assert view.down == frozenset()


def test_around_keeps_what_an_entity_touches(pangyo: Model) -> None:
    touched = around(pangyo, "failover-controller")
    # What it needs, transitively...
    assert {"ops-console", "deploy-automation", "pangyo/hall-b/r07", "pangyo/b3-ups"} <= touched
    assert {"pangyo/grid", "pangyo", "kr-capital"} <= touched
    # ...and what needs it; but not unrelated neighbours.
    assert {"kakaotalk", "kakao-pay"} <= touched
    assert not {"talk-db", "daum-mail", "dc-3", "gasan/hall-1"} & touched
    mermaid = to_mermaid(layout(pangyo, touched))
    assert "s_talk_db" not in mermaid and "s_kakaotalk -->|" not in mermaid
    assert "s_kakaotalk --> s_failover_controller" in mermaid


def test_around_an_unknown_id(pangyo: Model) -> None:
    with pytest.raises(UsageError, match="unknown entity 'kakaotak'; did you mean 'kakaotalk'"):
        around(pangyo, "kakaotak")


def test_ids_are_sanitised_and_never_collide() -> None:
    model = model_from_data(
        {
            "version": 1,
            "domains": {"a-b": {"kind": "<rack>"}, "a_b": {"kind": 'x"y'}, "end": {"kind": "z"}},
            "services": {"a.b": {"tier": "low", "instances": ["a-b", "a_b", "end"]}},
        }
    )
    mermaid = to_mermaid(layout(model))
    assert 'd_a_b["a-b<br/><small>#lt;rack#gt;</small>"]' in mermaid
    assert 'd_a_b_2["a_b<br/><small>x#quot;y</small>"]' in mermaid
    assert 'd_end["end' in mermaid  # a prefix keeps Mermaid keywords out of the ids
    assert "s_a_b -.-> d_a_b\n  s_a_b -.-> d_a_b_2\n" in mermaid
    dot = to_dot(layout(model))
    assert "&lt;rack&gt;" in dot and '"a.b" -> "a-b"' in dot


def test_diagrams_are_deterministic(pangyo: Model) -> None:
    first = to_dot(layout(pangyo, scenario=["pangyo"]))
    again = load_manifests([REPO / "examples/pangyo-2022"])
    assert first == to_dot(layout(again, scenario=["pangyo"]))


def test_cause_mermaid_traces_each_service_to_the_fire(pangyo: Model) -> None:
    text = what_if_mermaid(what_if(pangyo, ["pangyo/b3-battery-room"]))
    assert text.startswith("flowchart LR\n")
    assert '  n_pangyo_b3_battery_room["pangyo/b3-battery-room"]:::failed\n' in text
    assert "  n_auth --> n_kakaotalk\n" in text
    assert "  n_pangyo_b3_battery_room --> n_pangyo_b3_ups\n" in text
    assert '    n_talk_db("talk-db"):::up\n' in text
    assert text.count("n_auth --> n_kakaotalk") == 1


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
