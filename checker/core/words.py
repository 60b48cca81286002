"""Words for people: "did you mean", plurals, short listings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def suggest(word: str, candidates: Sequence[str]) -> str:
    """``; did you mean 'depends_on'?`` or nothing. ``P1`` finds ``p1``: case first."""
    same = [c for c in candidates if c.casefold() == word.casefold() and c != word]
    if same:
        return f"; did you mean {same[0]!r}?"
    import difflib  # lazy: suggestions are for mistakes, and difflib is a cost of start-up

    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def plural(count: int, word: str) -> str:
    """``1 facility``, ``2 facilities``, ``3 racks``: kinds are free words, so plain rules."""
    if count == 1:
        return f"{count} {word}"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return f"{count} {word[:-1]}ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return f"{count} {word}es"
    return f"{count} {word}s"


def listing(items: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def shortened(text: str) -> str:
    """A name for a message: a long one (the kind a limit refuses) cut to its two ends,
    which tell names apart (a path's end is its file), with its length."""
    return text if len(text) <= 80 else f"{text[:40]}...{text[-20:]} ({len(text):,} characters)"


def flow(value: Any) -> str:
    """A value as YAML's flow style writes it (``[a, b]``, ``{at_least: high}``): how
    rules and parameters are quoted back to people."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)
