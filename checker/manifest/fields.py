"""What a run needs of the manifest format without building its models.

:mod:`checker.manifest.format` defines every mapping of a manifest as a pydantic model,
but a run on valid manifests never validates through them (:mod:`checker.manifest.fast`
accepts those) and building them costs a noticeable part of start-up. The id pattern,
the ``Duration`` type that the checks' parameters share and the keys each mapping
accepts therefore live here; ``format`` uses the same types, and
tests/manifest/test_fast.py holds the key sets to its models' fields.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from checker.core.durations import PATTERN as DURATION_PATTERN
from checker.core.durations import parse_duration

ID_PATTERN = r"^[A-Za-z0-9._\-/:]+$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1)]
Duration = Annotated[
    str,
    StringConstraints(pattern=DURATION_PATTERN),
    AfterValidator(lambda text: (parse_duration(text), text)[1]),
]

#: The keys each kind of mapping accepts, in the models' order: for the fast path and
#: for "unknown key" suggestions.
KEYS_BY_MODEL: dict[str, tuple[str, ...]] = {
    "file": ("$schema", "version", "domains", "services", "extend"),
    "domain": ("kind", "parent", "depends_on", "labels", "meta"),
    "service": (
        "tier",
        "owner",
        "instances",
        "min_healthy",
        "depends_on",
        "backups",
        "rto",
        "rpo",
        "labels",
        "meta",
    ),
    "any_of": ("any_of", "min"),
    "instance": ("at", "count", "labels"),
    "backup": ("at", "every"),
    "extend": ("tier", "owner", "rto", "rpo", "labels", "depends_on", "backups", "parent"),
}
