"""SVG drawn by resilint: well-formed, nested as the containment tree, marked by the engine."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from checker.core.model import Model
from checker.manifest.load import load_manifests, model_from_data
from checker.queries.geometry import Rect, place, ranks, text_width
from checker.queries.layout import layout
from checker.queries.whatif import what_if
from checker.render.svg import chain_link, short_reason, to_svg, what_if_svg
from tests.conftest import REPO, Run

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode())


def states(root: ET.Element) -> dict[str, str]:
    """data-id -> data-state ("" when unmarked) of every box and node."""
    return {
        g.attrib["data-id"]: g.attrib.get("data-state", "")
        for g in root.iter(f"{NS}g")
        if "data-id" in g.attrib
    }


def rect_of(root: ET.Element, entity: str) -> Rect:
    for g in root.iter(f"{NS}g"):
        if g.attrib.get("data-id") == entity:
            shape = g.find(f"{NS}rect")
            assert shape is not None
            a = shape.attrib
            return Rect(int(a["x"]), int(a["y"]), int(a["width"]), int(a["height"]))
    raise AssertionError(f"{entity} is not drawn")


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        outer.x < inner.x
        and outer.y < inner.y
        and inner.right < outer.right
        and inner.bottom < outer.bottom
    )


def test_graph_svg_is_well_formed_and_draws_every_entity(tiny: Model) -> None:
    svg = to_svg(layout(tiny))
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.findtext(f"{NS}title") == "resilint graph"
    assert states(root) == {
        "dc": "",
        "dc/hall": "",
        "dc/ups-a": "",
        "dc/ups-b": "",
        "dc/hall/r1": "",
        "dc/hall#any_of0": "",
        "db": "",
        "web": "",
    }
    # Boxes for domains with something inside, plain nodes for the rest.
    kinds = {
        g.attrib["data-id"]: g.attrib["class"] for g in root.iter(f"{NS}g") if "data-id" in g.attrib
    }
    assert kinds["dc"] == kinds["dc/hall"] == "box"
    assert kinds["dc/hall/r1"] == "node domain"
    assert kinds["db"] == "node service"
    assert kinds["dc/hall#any_of0"] == "node gate"
    # Six edges: hall -> gate -> two UPS, db -> r1 (×2), web -> hall, web -> db.
    edges = list(root.iterfind(f".//{NS}g[@class='edge']"))
    assert len(edges) == 6
    labels = [t.text for e in edges for t in e.iter(f"{NS}text")]
    assert labels == ["×2"]
    dashed = [e for e in edges if e.find(f"{NS}path").attrib.get("stroke-dasharray")]  # type: ignore[union-attr]
    assert len(dashed) == 2  # the two placements
    legend = root.find(f"{NS}text[@class='legend']")
    assert legend is not None
    assert legend.text == "solid: requires · dashed: runs on · hexagon: any_of"


def test_boxes_nest_as_the_containment_tree_and_nothing_overlaps(pangyo: Model) -> None:
    root = parse(to_svg(layout(pangyo)))
    assert inside(rect_of(root, "pangyo/hall-a/r03"), rect_of(root, "pangyo/hall-a"))
    assert inside(rect_of(root, "pangyo/hall-a"), rect_of(root, "pangyo"))
    assert inside(rect_of(root, "pangyo"), rect_of(root, "kr-capital"))
    assert inside(rect_of(root, "gasan/hall-1"), rect_of(root, "gasan"))
    assert not inside(rect_of(root, "gasan/hall-1"), rect_of(root, "pangyo"))
    placed = place(layout(pangyo))
    leaves = list(placed.nodes.values())
    for i, a in enumerate(leaves):
        for b in leaves[i + 1 :]:
            apart = a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y
            assert apart, (a, b)
    # Requirements point left: a UPS left of the halls it feeds, services right of racks.
    assert rect_of(root, "pangyo/b3-ups").right < rect_of(root, "pangyo/hall-a").x
    assert rect_of(root, "pangyo/b3-battery-room").right < rect_of(root, "pangyo/b3-ups").x
    assert rect_of(root, "kr-capital").right < rect_of(root, "auth").x
    assert rect_of(root, "auth").right < rect_of(root, "kakaotalk").x
    assert rect_of(root, "failover-controller").right < rect_of(root, "kakaotalk").x


def test_a_scenario_is_marked_in_colour_and_in_words(pangyo: Model) -> None:
    root = parse(to_svg(layout(pangyo, scenario=["pangyo/b3-battery-room"])))
    marked = {entity: state for entity, state in states(root).items() if state}
    assert marked == {
        "pangyo/b3-battery-room": "failed",
        "pangyo/b3-ups": "down",
        "pangyo/hall-a": "down",
        "pangyo/hall-b": "down",
        "pangyo/hall-a/r03": "down",
        "pangyo/hall-a/r12": "down",
        "pangyo/hall-b/r07": "down",
        "pangyo/hall-b/r21": "down",
        "auth": "down",
        "ops-console": "down",
        "deploy-automation": "down",
        "failover-controller": "down",
        "kakaotalk": "down",
        "kakao-pay": "down",
        "daum-mail": "down",
    }
    battery = next(
        g for g in root.iter(f"{NS}g") if g.attrib.get("data-id") == "pangyo/b3-battery-room"
    )
    shape = battery.find(f"{NS}rect")
    assert shape is not None and shape.attrib["fill"] == "#e45756"
    assert [t.text for t in battery.iter(f"{NS}text")] == [
        "b3-battery-room",
        "battery-room · failed",
    ]
    hall = next(g for g in root.iter(f"{NS}g") if g.attrib.get("data-id") == "pangyo/hall-a")
    assert [t.text for t in hall.iter(f"{NS}text")] == ["hall-a", "hall · down"]
    legend = root.find(f"{NS}text[@class='legend']")
    assert legend is not None and legend.text is not None
    assert legend.text.endswith("red: failed · orange: down with it")


def test_inline_svg_has_no_namespace_url_and_prefixed_markers(tiny: Model) -> None:
    svg = to_svg(layout(tiny), standalone=False, prefix="p1-")
    assert "http" not in svg and not svg.startswith("<?xml")
    assert 'id="p1-arrow"' in svg and 'marker-end="url(#p1-arrow)"' in svg
    assert 'id="arrow"' not in svg


def test_kinds_are_escaped() -> None:
    model = model_from_data(
        {
            "version": 1,
            "domains": {"a": {"kind": "<rack&>"}, "q": {"kind": "x\"y'z"}},
            "services": {"s": {"tier": "low", "instances": ["a", "q"]}},
        }
    )
    svg = to_svg(layout(model))
    root = parse(svg)  # would raise on a stray & or <
    assert states(root).keys() == {"a", "q", "s"}
    assert "&lt;rack&amp;&gt;" in svg and "x&quot;y&#39;z" in svg


def test_svg_is_deterministic(pangyo: Model) -> None:
    again = load_manifests([REPO / "examples/pangyo-2022"])
    assert to_svg(layout(pangyo, scenario=["pangyo"])) == to_svg(layout(again, scenario=["pangyo"]))


def test_what_if_svg_traces_each_service_to_the_failed_domain(pangyo: Model) -> None:
    root = parse(what_if_svg(what_if(pangyo, ["pangyo"])))
    assert root.findtext(f"{NS}title") == "what-if pangyo"
    drawn = states(root)
    assert drawn == {
        "pangyo": "failed",
        "pangyo/hall-b": "down",
        "pangyo/hall-a": "down",
        "pangyo/hall-b/r07": "down",
        "pangyo/hall-b/r21": "down",
        "pangyo/hall-a/r03": "down",
        "auth": "down",
        "failover-controller": "down",
        "deploy-automation": "down",
        "ops-console": "down",
        "kakaotalk": "down",
        "kakao-pay": "down",
        "daum-mail": "down",
        "talk-db": "up",
    }
    # The forest reads left to right: the fire, the hall, the rack, login, KakaoTalk.
    chain = ["pangyo", "pangyo/hall-b", "pangyo/hall-b/r07", "auth", "kakaotalk"]
    xs = [rect_of(root, entity).x for entity in chain]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    labels = [
        t.text for g in root.iterfind(f".//{NS}g[@class='edge']") for t in g.iter(f"{NS}text")
    ]
    assert labels.count("inside") == 5
    assert labels.count("requires") == 3
    assert "0 of 2 instances up (needs 1)" in labels
    still_up = root.find(f".//{NS}g[@class='still-up']")
    assert still_up is not None
    assert [t.text for t in still_up.iter(f"{NS}text")] == [
        "still up (1)",
        "talk-db",
        "critical · up",
    ]


def test_chain_links_are_read_from_the_first_word() -> None:
    assert chain_link("auth is down: 0 of 2 instances up (needs 1)") == (
        "auth",
        "0 of 2 instances up (needs 1)",
    )
    assert chain_link("pangyo failed") == ("pangyo", "failed")
    assert short_reason("inside pangyo", "pangyo") == "inside"
    assert (
        short_reason("requires 1 of any_of [a, b], 0 up", "a")
        == "requires 1 of any_of [a, b], 0 up"
    )


def test_ranks_put_requirements_first_and_survive_cycles() -> None:
    assert ranks(["c", "b", "a"], {"c": ["b"], "b": ["a"]}) == {"a": 0, "b": 1, "c": 2}
    assert ranks(["x", "y"], {"x": ["y"], "y": ["x"]}) == {"y": 0, "x": 1}
    long_chain = {f"n{i}": [f"n{i - 1}"] for i in range(1, 5000)}
    assert ranks([f"n{i}" for i in range(5000)], long_chain)["n4999"] == 4999


def test_wide_characters_are_measured_wider() -> None:
    assert text_width("판교") > text_width("ab")
    assert text_width("abcd", 10) == 24


def test_cli_graph_and_what_if_write_svg(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "m.yaml").write_text(
        "version: 1\ndomains:\n  dc: {kind: facility}\n  dc/hall: {kind: hall, parent: dc}\n"
        "services:\n  db: {tier: critical, instances: [dc/hall]}\n",
        encoding="utf-8",
    )
    graph = run_cli("graph", "m.yaml", "-f", "svg", "--scenario", "dc")
    assert (graph.code, graph.err) == (0, "")
    assert graph.out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
    assert states(parse(graph.out)) == {"dc": "failed", "dc/hall": "down", "db": "down"}
    answer = run_cli("what-if", "dc", "m.yaml", "-f", "svg")
    assert (answer.code, answer.err) == (0, "")
    assert states(parse(answer.out)) == {"dc": "failed", "dc/hall": "down", "db": "down"}
