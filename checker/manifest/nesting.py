"""How deep domains may nest through ``parent`` (see docs/limits.md).

Real containment is a dozen levels at most (region > campus > facility > building >
hall > row > rack > host). Code that draws or walks the domain tree (the ``graph``
diagrams) follows it level by level, so a chain of 20,000 parents, each inside the
next, must be an error at the domain that goes too deep, not a crash.
"""

from __future__ import annotations

from checker.core.errors import ManifestError
from checker.core.model import Model

#: Levels of ``parent`` above a domain (a domain with no parent is at level 1).
MAX_PARENT_DEPTH = 64


def check_parent_depth(model: Model) -> None:
    """Raise ManifestError at the first domain nested deeper than the limit.

    The parents must already form a forest (no cycles): each domain's depth is found
    once, from the nearest ancestor whose depth is known.
    """
    depth: dict[str, int] = {}
    domains = model.domains
    for start in domains:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in depth:
            path.append(current)
            current = domains[current].parent
        level = depth[current] if current is not None else 0
        for domain_id in reversed(path):
            level += 1
            depth[domain_id] = level
            if level > MAX_PARENT_DEPTH:
                domain = domains[domain_id]
                raise ManifestError(
                    f"domain {domain_id!r} is nested {level} levels deep through 'parent', "
                    f"above the limit of {MAX_PARENT_DEPTH}",
                    model.location(domain, ("parent",)),
                )
