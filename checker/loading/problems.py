"""Turning pydantic validation errors into problems a person can act on, with file:line:col."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from checker.core.errors import InputError, Problem
from checker.core.location import Pointer
from checker.core.words import suggest
from checker.loading.document import Document
from checker.loading.parse import parse_file
from checker.loading.words import chosen_form, describe, expected, is_union_tag

_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_UNION_LOC = re.compile(r"^(~.*|function-.*\[.*\]|\[key\])$")
#: Problems kept per file; the command line shows the first few and counts the rest.
MAX_PROBLEMS = 200

KnownKeys = Callable[[Pointer], Sequence[str]]


def key_path(pointer: Pointer) -> str:
    """``services.'pangyo/db'.instances[0]``: a pointer as people read it."""
    text = ""
    for part in pointer:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            # fullmatch: with match, "$" passes a key ending in a newline, printed raw.
            shown = part if _SIMPLE.fullmatch(part) else repr(part)
            text += f".{shown}" if text else shown
    return text or "(top level)"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _at(data: Any, pointer: Pointer) -> Any:
    """The input at ``pointer`` (None when the pointer leads nowhere)."""
    for part in pointer:
        if isinstance(data, dict):
            if part not in data:
                return None
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


class _Error(NamedTuple):
    pointer: Pointer
    #: The place of the value whose forms (a union) the error is about, and the form.
    union: Pointer | None
    form: str | None
    item: ErrorDetails


def _read(item: ErrorDetails, data: Any) -> _Error:
    """An error's pointer into the input, with pydantic's own location parts left out."""
    pointer: list[str | int] = []
    union: Pointer | None = None
    form: str | None = None
    value = data
    for part in item["loc"]:
        if isinstance(part, str) and _UNION_LOC.match(part):
            continue
        if union is None and is_union_tag(part, value):
            union, form = tuple(pointer), str(part)
            continue
        pointer.append(part)
        value = _at(value, (part,))
    return _Error(tuple(pointer), union, form, item)


def _chosen(errors: list[_Error], data: Any) -> tuple[list[_Error], list[tuple[Pointer, str]]]:
    """Of the errors about a union's forms, those of the form the value has; the unions
    whose value has none of their forms, with what was expected."""
    kept = [e for e in errors if e.union is None]
    unions: dict[Pointer, list[_Error]] = {}
    for error in errors:
        if error.union is not None:
            unions.setdefault(error.union, []).append(error)
    wrong: list[tuple[Pointer, str]] = []
    for place, members in unions.items():
        forms = list(dict.fromkeys(e.form for e in members if e.form))
        form = chosen_form(forms, _at(data, place))
        if form is None:
            wrong.append((place, expected(forms)))
        else:
            kept.extend(e for e in members if e.form == form)
    return kept, wrong


def _pattern_words(item: ErrorDetails, pointer: Pointer) -> str:
    pattern = str((item.get("ctx") or {}).get("pattern", ""))
    value = _short(item["input"])
    if "A-Za-z0-9._" in pattern:
        return f"{key_path(pointer)}: {value} is not a valid id (use letters, digits and . _ - / :)"
    if pattern.startswith("^[a-z0-9]+(-"):
        return (
            f"{key_path(pointer)}: {value} is not a valid rule id "
            "(lowercase letters and digits, words joined by -)"
        )
    if "smhdw" in pattern or "[0-9]+" in pattern:
        return f"{key_path(pointer)}: {value} is not a duration: use e.g. 90s, 15m, 4h, 2d"
    return f"{key_path(pointer)}: {value} does not have the expected form"


def problems_from_validation(
    error: ValidationError,
    document: Document,
    known_keys: KnownKeys,
    base: Pointer = (),
) -> list[Problem]:
    """One problem per distinct place, each located at the key to change, in the
    project's words (:mod:`checker.loading.words`, imported only when there are errors)."""
    data = document.data
    errors, wrong = _chosen([_read(item, data) for item in error.errors(include_url=False)], data)
    problems: dict[Pointer, Problem] = {}
    for place, wanted in wrong:
        pointer = base + place
        message = f"{key_path(pointer)}: expected {wanted}, got {_short(_at(data, place))}"
        problems[pointer] = Problem(message, document.location(pointer))
    for found in errors:
        item = found.item
        pointer = base + found.pointer
        if pointer in problems:
            continue
        kind = item["type"]
        is_key = bool(item["loc"]) and item["loc"][-1] == "[key]"
        if kind == "extra_forbidden":
            name = str(pointer[-1])
            message = f"unknown key {name!r} in {key_path(pointer[:-1])}" + suggest(
                name, known_keys(pointer[:-1])
            )
        elif kind == "missing":
            message = f"{key_path(pointer[:-1])}: missing required key {pointer[-1]!r}"
        elif is_key:
            message = (
                f"{key_path(pointer)}: {_short(item['input'])} is not a valid id "
                "(use letters, digits and . _ - / :)"
            )
        elif kind == "string_pattern_mismatch":
            message = _pattern_words(item, pointer)
        else:
            message = f"{key_path(pointer)}: {describe(item)}, got {_short(item['input'])}"
        problems[pointer] = Problem(message, document.location(pointer))
        if len(problems) >= MAX_PROBLEMS:
            break
    _drop_missing_keys_suggested_elsewhere(problems, known_keys)
    return sorted(problems.values(), key=lambda p: (p.location or (0, 0, 0))[1:])


def _drop_missing_keys_suggested_elsewhere(
    problems: dict[Pointer, Problem], known_keys: KnownKeys
) -> None:
    """``knd: facility`` is one mistake: "unknown key 'knd'; did you mean 'kind'?" says it
    all, so "missing required key 'kind'" beside it goes."""
    for pointer in list(problems):
        if not pointer or not problems[pointer].message.startswith("unknown key "):
            continue
        hint = suggest(str(pointer[-1]), known_keys(pointer[:-1]))
        wanted = hint.removeprefix("; did you mean ").strip("'?")
        missing = (*pointer[:-1], wanted)
        if wanted and missing in problems and "missing required key" in problems[missing].message:
            del problems[missing]


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
    if not path.exists():  # anything else there (a FIFO, a directory) is refused when read
        raise InputError(missing)  # no file: no position to make up
    document = parse_file(path)
    try:
        parsed = model.model_validate(document.data)
    except ValidationError as error:

        def keys_at(pointer: Pointer) -> Sequence[str]:
            return known_keys.get(tuple(p for p in pointer if isinstance(p, str)), ())

        raise InputError(problems_from_validation(error, document, keys_at)) from None
    return document, parsed
