"""Regular expressions from policies, run in linear time with RE2 (see docs/policy.md).

Python's ``re`` backtracks: ``^(a+)+$`` against forty ``a`` and a ``!`` never
finishes. Patterns come from policy files, which may arrive in a pull request from
anyone, and are matched against manifest strings, which may too; so resilint runs
them with RE2, whose matching time is linear in the text whatever the pattern. RE2
refuses the few constructs that need backtracking (backreferences, lookaround,
atomic groups, possessive quantifiers): such a pattern is an error that names them.

RE2's ``$`` (like JSON Schema's ECMA-262 dialect) matches only at the very end of
the text, never before a final newline as Python's does.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import re2

#: Constructs RE2 refuses, looked for in a pattern it has refused, named for the user.
_REFUSED = (
    (re.compile(r"\\[1-9]|\\k[<{']|\(\?P="), "a backreference"),
    (re.compile(r"\(\?<[=!]"), "a lookbehind (?<= or (?<!"),
    (re.compile(r"\(\?[=!]"), "a lookahead (?= or (?!"),
    (re.compile(r"\(\?>"), "an atomic group (?>...)"),
    (re.compile(r"[*+?}]\+"), "a possessive quantifier"),
)
#: How many compiled patterns are kept (policies hold few; the same ones run often).
_CACHE_SIZE = 4096


class RegexError(ValueError):
    """A pattern RE2 cannot run; the message says why, in the user's terms."""


@functools.cache
def _options() -> re2.Options:
    import re2  # lazy: as in compile_regex

    options = re2.Options()
    options.log_errors = False  # RE2 would print each refused pattern to stderr itself
    return options


@functools.lru_cache(maxsize=_CACHE_SIZE)
def compile_regex(pattern: str) -> re2._Regexp[str]:
    """The pattern compiled by RE2, or :class:`RegexError` saying what RE2 refuses."""
    import re2  # lazy: most policies hold no regex, and loading RE2 is a cost of start-up

    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        raise RegexError(describe_refusal(pattern, error)) from None
    except (TypeError, UnicodeError):
        raise RegexError(f"pattern {pattern!r} is not a valid regular expression") from None


def describe_refusal(pattern: str, error: Exception) -> str:
    detail = error.args[0] if error.args else str(error)
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    for found, construct in _REFUSED:
        if found.search(pattern):
            return (
                f"pattern {pattern!r} uses {construct}, which RE2 does not support "
                "(policy regexes run with RE2, in time linear in the text)"
            )
    return f"pattern {pattern!r} is not a regular expression RE2 accepts: {detail}"


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches anywhere in ``text`` (JSON Schema's ``pattern``)."""
    return compile_regex(pattern).search(text) is not None
