"""The files ``resilint init`` writes: a starter config and a small example manifest.

The example passes ``builtin:baseline`` as it is (a test holds it to that), so a new
user starts from green and sees each rule fail as they change things.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.core.errors import UsageError
from checker.export.jsonschema import BASE_URL

CONFIG_NAME = "resilint.toml"
MANIFEST_NAME = "manifests/example.yaml"

CONFIG = """\
# resilint configuration. Paths are relative to this file.
# Keys: manifests, policies, disable, enable, severity, fail_on, tiers, waivers,
# baseline, format.

# Manifest files or directories to check (directories are searched recursively).
manifests = ["manifests"]

# Policies: built-in packs (builtin:baseline, builtin:strict) or policy files.
policies = ["builtin:baseline"]

# The lowest severity that fails a run: critical, high, medium, low or info.
fail_on = "low"

# Service tiers, most important first.
tiers = ["critical", "high", "medium", "low"]

# Turn rules off by id (see `resilint rules`), or change their severity:
# disable = ["recovery-objectives-undeclared"]
# [severity]
# tier-inversion = "low"
"""

MANIFEST = f"""\
# yaml-language-server: $schema={BASE_URL}manifest.schema.json
#
# An example resilience manifest: where things run and what they need.
# `resilint check` evaluates the rules in effect against it; `resilint what-if dc-a`
# shows what would go down with a facility; `resilint graph | dot -Tsvg` draws it.
# Replace it with your own domains and services.
version: 1

# Domains are the things that fail together. `parent` is containment (a rack is in
# a hall, a hall in a facility); `depends_on` is what a domain needs to stay up.
domains:
  eu-west: {{kind: region}}

  dc-a: {{kind: facility, parent: eu-west}}
  dc-a/ups-1: {{kind: ups, parent: dc-a}}
  dc-a/ups-2: {{kind: ups, parent: dc-a}}
  dc-a/hall-1:
    kind: hall
    parent: dc-a
    depends_on:
      - any_of: [dc-a/ups-1, dc-a/ups-2]   # A/B power: either UPS is enough
  dc-a/hall-1/rack-1: {{kind: rack, parent: dc-a/hall-1}}

  dc-b: {{kind: facility, parent: eu-west}}
  dc-b/ups-1: {{kind: ups, parent: dc-b}}
  dc-b/hall-1: {{kind: hall, parent: dc-b, depends_on: [dc-b/ups-1]}}
  dc-b/hall-1/rack-1: {{kind: rack, parent: dc-b/hall-1}}

  # Somewhere that is neither dc-a nor dc-b, for backups.
  vault: {{kind: facility, parent: eu-west}}

# Services are the things that must stay up. Each replica is an instance placed at
# a domain; `min_healthy` replicas must be up (a number, or `majority` for quorums).
services:
  login:
    tier: critical
    owner: identity-team
    instances: [dc-a/hall-1/rack-1, dc-b/hall-1/rack-1]   # one per facility
    rto: 15m   # how long it may take to recover
    rpo: 5m    # how much data it may lose

  orders:
    tier: critical
    owner: shop-team
    instances:
      - dc-a/hall-1/rack-1
      - {{at: dc-b/hall-1/rack-1, count: 2}}
    depends_on: [login]   # a hard requirement: orders is down whenever login is
    backups:
      - {{at: vault, every: 1h}}   # off-site: in a facility holding no replica
    rto: 1h
    rpo: 1h

  reports:
    tier: medium
    owner: shop-team
    instances: [dc-b/hall-1/rack-1]
    depends_on: [orders]
"""


def starter_files() -> dict[str, str]:
    """Relative path -> content of every file ``init`` writes."""
    return {CONFIG_NAME: CONFIG, MANIFEST_NAME: MANIFEST}


def write_starter(directory: Path, write: Callable[[Path, str], None]) -> list[Path]:
    """Write the starter files into ``directory``; refuse (writing nothing) if any exists.

    ``write(path, text)`` writes one file and must refuse an existing one (the command
    line passes its atomic writer).
    """
    files = {directory / name: text for name, text in starter_files().items()}
    existing = [path for path in files if path.exists()]
    if existing:
        names = " and ".join(str(path.relative_to(directory)) for path in existing)
        exist = "exists" if len(existing) == 1 else "exist"
        raise UsageError(
            f"{names} already {exist}; resilint init never overwrites a file "
            "(move it away, or edit it instead)"
        )
    written = []
    for path, text in files.items():
        write(path, text)
        written.append(path.relative_to(directory))
    return written
