"""place_forest: the cause chains of a scenario, laid out left to right as a tidy forest."""

from __future__ import annotations

from checker.queries.forest import place_forest
from checker.queries.geometry import GAP, PAD, ROW_GAP, SUB_SIZE, text_width

SIZES = dict.fromkeys(("fire", "ups", "hall", "rack-1", "rack-2", "flood", "dc-2"), (60, 20))


def _middle(top: int, height: int) -> int:
    return top + height // 2


def test_depth_sets_the_column_and_parents_centre_on_their_children() -> None:
    children = {"fire": ["ups"], "ups": ["hall"], "hall": ["rack-1", "rack-2"]}
    placed = place_forest(["fire"], children, SIZES)
    nodes = placed.nodes
    # One column per depth, left to right, with the default gap between columns.
    xs = [nodes[name].x for name in ("fire", "ups", "hall", "rack-1")]
    assert xs == [PAD + i * (60 + 2 * GAP) for i in range(4)]
    assert nodes["rack-2"].x == nodes["rack-1"].x
    # Leaves stack in reading order; each parent sits level with the middle of its own.
    assert nodes["rack-1"].y == PAD
    assert nodes["rack-2"].y == PAD + 20 + ROW_GAP
    middle = (_middle(nodes["rack-1"].y, 20) + _middle(nodes["rack-2"].y, 20)) // 2
    assert _middle(nodes["hall"].y, 20) == middle
    assert nodes["ups"].y == nodes["hall"].y == nodes["fire"].y
    assert placed.width == max(r.right for r in nodes.values()) + PAD
    assert placed.height == max(r.bottom for r in nodes.values()) + PAD


def test_trees_of_a_forest_stack_without_overlapping() -> None:
    placed = place_forest(["fire", "flood"], {"fire": ["ups"], "flood": ["dc-2"]}, SIZES)
    fire, flood = placed.nodes["fire"], placed.nodes["flood"]
    assert fire.x == flood.x and flood.y >= fire.bottom + ROW_GAP
    assert placed.nodes["dc-2"].y == flood.y


def test_an_edge_label_widens_the_gap_before_its_column() -> None:
    label = "0 of 2 instances up (needs 1)"
    plain = place_forest(["fire"], {"fire": ["ups"]}, SIZES)
    labelled = place_forest(["fire"], {"fire": ["ups"]}, SIZES, {"ups": label})
    assert labelled.nodes["ups"].x - labelled.nodes["fire"].right == (
        text_width(label, SUB_SIZE) + 2 * GAP
    )
    assert labelled.nodes["ups"].x > plain.nodes["ups"].x


def test_a_loop_in_bad_input_is_laid_out_once() -> None:
    # A forest has no cycle, but the layout must end whatever it is given.
    placed = place_forest(["fire"], {"fire": ["ups"], "ups": ["fire"]}, SIZES)
    assert set(placed.nodes) == {"fire", "ups"}
    assert placed.nodes["ups"].x > placed.nodes["fire"].x
