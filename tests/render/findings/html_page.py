"""Reading the html report's data block back, as the page's script does."""

from __future__ import annotations

import json
import re
from typing import Any


def page_data(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="resilint-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def entity(data: dict[str, Any], ref: int | str) -> str:
    return data["entities"][ref][0] if isinstance(ref, int) else ref


def chain_text(data: dict[str, Any], chain: list[list[Any]]) -> list[str]:
    """What the page's script does with a chain (report.js ``fill``), in Python."""
    out = []
    for k, (ref, template) in enumerate(chain):
        text = data["templates"][template]
        following = entity(data, chain[k + 1][0]) if k + 1 < len(chain) else ""
        tail = " failed" if text == "failed" else " is down: " + text.replace("{}", following)
        out.append(entity(data, ref) + tail)
    return out
