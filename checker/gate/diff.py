"""``check --diff-base REF``: findings new, fixed or unchanged since a git ref (docs/ci.md).

Pure: the failures at REF come in as findings (the command line evaluates the inputs
as they are at REF); they are matched by fingerprint, exactly as a baseline matches
them, so moving, splitting or reformatting manifests between REF and now changes
nothing. A failure now is ``new`` unless the same fingerprint failed at REF; new ones
fail the run, unchanged ones are reported but do not (as a baseline's known ones).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from checker.core.findings import DiffBase, Finding, Result


def apply_diff_base(result: Result, before: Iterable[Finding], ref: str, commit: str) -> Result:
    """``result`` marked against REF's findings, with REF's failures that are now gone."""
    # Lazy: the baseline module builds pydantic models for its file; the reporters that
    # import this module for counts() never need them.
    from checker.gate.baseline import apply_baseline, recorded

    failed_before = {f.fingerprint: f for f in recorded(before)}
    marked = apply_baseline(result, frozenset(failed_before))
    # Still there, whether failing or accepted by a waiver: not fixed.
    present = {f.fingerprint for f in result.findings if f.status in ("fail", "waived")}
    fixed = tuple(f for fingerprint, f in failed_before.items() if fingerprint not in present)
    fixed = tuple(sorted(fixed, key=lambda f: f.sort_key))
    return dataclasses.replace(marked, diff=DiffBase(ref, commit, fixed))


def counts(result: Result) -> tuple[int, int, int]:
    """(new, fixed, unchanged) failures of a result compared with a ref."""
    failed = [f for f in result.findings if f.status == "fail"]
    unchanged = sum(1 for f in failed if f.known)
    fixed = len(result.diff.fixed) if result.diff else 0
    return len(failed) - unchanged, fixed, unchanged
