"""The error hierarchy and the exit codes it maps to.

Every mistake in what the user gave us (a manifest, a policy, a config file or the
command line) is an :class:`InputError`: the CLI prints it and exits 2, never with a
traceback. Anything else escaping the core is a bug (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.core.location import Location

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 3


class Problem:
    """One thing wrong with an input, at a place in a file (if known)."""

    __slots__ = ("location", "message")

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def __repr__(self) -> str:
        return f"Problem({self.message!r}, {self.location!r})"


class InputError(Exception):
    """Bad input: one or more problems, each with its file:line:col when known."""

    kind = "input"

    def __init__(self, problems: Sequence[Problem] | str, location: Location | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, location)]
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ManifestError(InputError):
    kind = "manifest"


class PolicyError(InputError):
    kind = "policy"


class ConfigError(InputError):
    kind = "config"


class UsageError(InputError):
    kind = "usage"
