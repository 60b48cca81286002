"""What a ``stale-waiver`` finding says: apart from the waivers module, so that the
reporters can describe the rule without importing it (it builds pydantic models)."""

from __future__ import annotations

STALE_RULE = "stale-waiver"
STALE_TITLE = "Waiver matches no failing finding"
STALE_WHY = (
    "A waiver that no longer matches anything hides nothing today, but it would silently "
    "accept the same weakness if it came back, and it makes the list of accepted risks "
    "look longer and older than it is."
)
STALE_FIX = "Remove the waiver, or correct its rule and target so they name the failing finding."
