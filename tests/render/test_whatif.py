"""What-if answers as JSON, Markdown and a Mermaid cause graph."""

from __future__ import annotations

import json

from checker.core.model import Model
from checker.queries.whatif import what_if
from checker.render.whatif import to_json, to_markdown, to_mermaid


def test_json_and_markdown(pangyo: Model) -> None:
    result = what_if(pangyo, ["gasan"])
    data = json.loads(to_json(result))
    assert data["version"] == 1
    assert data["scenario"] == ["gasan"]
    assert data["down"] == []
    assert [s["id"] for s in data["up"]][:2] == ["auth", "ops-console"]
    assert data["domains_down"] == ["gasan", "gasan/hall-1"]
    markdown = to_markdown(what_if(pangyo, ["pangyo/hall-b/r07"]))
    assert markdown.startswith("### What if `pangyo/hall-b/r07` fails?\n")
    assert "| `failover-controller` | critical | failover-controller is down: 0 of 1" in markdown


def test_cause_mermaid_traces_each_service_to_the_fire(pangyo: Model) -> None:
    text = to_mermaid(what_if(pangyo, ["pangyo/b3-battery-room"]))
    assert text.startswith("flowchart LR\n")
    assert '  n_pangyo_b3_battery_room["pangyo/b3-battery-room"]:::failed\n' in text
    assert "  n_auth --> n_kakaotalk\n" in text
    assert "  n_pangyo_b3_battery_room --> n_pangyo_b3_ups\n" in text
    assert '    n_talk_db("talk-db"):::up\n' in text
    assert text.count("n_auth --> n_kakaotalk") == 1
