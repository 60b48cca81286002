"""Diagram layout: what a diagram holds, around an entity and under a scenario."""

from __future__ import annotations

import pytest

from checker.core.errors import UsageError
from checker.core.model import Model
from checker.queries.layout import around, layout
from checker.render.mermaid import to_mermaid


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
