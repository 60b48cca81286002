"""Mermaid diagrams: the containment tree as subgraphs, exact text, safe ids."""

from __future__ import annotations

from checker.core.model import Model
from checker.manifest.load import model_from_data
from checker.queries.layout import layout
from checker.render.mermaid import to_mermaid


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
