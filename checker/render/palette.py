"""Colours and legends shared by every picture format, so DOT, Mermaid and SVG agree."""

from __future__ import annotations

FAILED_FILL, FAILED_LINE = "#e45756", "#9b1c1c"
DOWN_FILL, DOWN_LINE = "#ffbf80", "#b35900"
CLUSTER_FAILED_FILL, CLUSTER_DOWN_FILL = "#fbd0d0", "#ffe6cc"
SERVICE_FILL, GATE_FILL = "#dbe9f6", "#f2f2f2"
LEGEND = "solid: requires · dashed: runs on · hexagon: any_of"
SCENARIO_LEGEND = " · red: failed · orange: down with it"
