"""Turning pydantic validation errors into problems a person can act on, with file:line:col."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from checker.core.errors import Problem
from checker.core.location import Pointer
from checker.loading.document import Document

_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_UNION_LOC = re.compile(r"^(~.*|function-.*\[.*\]|\[key\])$")
MAX_PROBLEMS = 20

KnownKeys = Callable[[Pointer], Sequence[str]]


def key_path(pointer: Pointer) -> str:
    """``services.'pangyo/db'.instances[0]``: a pointer as people read it."""
    text = ""
    for part in pointer:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = part if _SIMPLE.fullmatch(part) else repr(part)
            text += f".{shown}" if text else shown
    return text or "(top level)"


def suggest(word: str, candidates: Sequence[str]) -> str:
    """``; did you mean 'depends_on'?`` or nothing."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from_validation(
    error: ValidationError,
    document: Document,
    known_keys: KnownKeys,
    base: Pointer = (),
) -> list[Problem]:
    """One problem per distinct place, each located at the key to change."""
    problems: dict[Pointer, Problem] = {}
    for item in error.errors(include_url=False):
        loc = item["loc"]
        is_key = bool(loc) and loc[-1] == "[key]"
        pointer: Pointer = base + tuple(
            part for part in loc if not (isinstance(part, str) and _UNION_LOC.fullmatch(part))
        )
        if pointer in problems:
            continue
        kind = item["type"]
        if kind == "extra_forbidden":
            name = str(pointer[-1])
            message = f"unknown key {name!r} in {key_path(pointer[:-1])}" + suggest(
                name, known_keys(pointer[:-1])
            )
        elif kind == "missing":
            message = f"{key_path(pointer[:-1])}: missing required key {pointer[-1]!r}"
        elif is_key or (
            kind == "string_pattern_mismatch" and "A-Za-z0-9._" in str(item.get("ctx"))
        ):
            message = (
                f"{key_path(pointer)}: {_short(item['input'])} is not a valid id "
                "(use letters, digits and . _ - / :)"
            )
        elif kind == "string_pattern_mismatch":
            message = (
                f"{key_path(pointer)}: {_short(item['input'])} is not a duration: "
                "use e.g. 90s, 15m, 4h, 2d"
            )
        else:
            message = f"{key_path(pointer)}: {item['msg']}, got {_short(item['input'])}"
        problems[pointer] = Problem(message, document.location(pointer))
        if len(problems) >= MAX_PROBLEMS:
            break
    return sorted(problems.values(), key=lambda p: (p.location or (0, 0, 0))[1:])


ModelT = TypeVar("ModelT", bound=BaseModel)


def load_validated(
    path: Path,
    model: type[ModelT],
    known_keys: Mapping[tuple[str, ...], Sequence[str]],
    missing: str,
) -> tuple[Document, ModelT]:
    """Parse a side file (waivers, baseline) and validate it with ``model``.

    ``known_keys`` maps a pointer's key names (indices left out) to the keys allowed
    there, for "did you mean" suggestions. A missing file says ``missing``.
    """
    from checker.core.errors import InputError
    from checker.core.location import Location
    from checker.loading.parse import parse_file

    if not path.is_file():
        raise InputError(missing, Location(str(path)))
    document = parse_file(path)
    try:
        parsed = model.model_validate(document.data)
    except ValidationError as error:

        def keys_at(pointer: Pointer) -> Sequence[str]:
            return known_keys.get(tuple(p for p in pointer if isinstance(p, str)), ())

        raise InputError(problems_from_validation(error, document, keys_at)) from None
    return document, parsed
