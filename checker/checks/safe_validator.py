"""The validator that runs policy JSON Schemas safely (see docs/policy.md).

:mod:`checker.checks.schema_safety` checks a schema before it is used; this module
builds the validator that runs it: a registry that refuses to retrieve anything (no
file, no connection, even if a check were missed), ``pattern`` and
``patternProperties`` (and their use by ``additionalProperties`` and
``unevaluatedProperties``) run with RE2, and the keywords that jsonschema decides by
comparing pairs or walking a whole map decided in time that does not grow with the
size of the schema: ``uniqueItems`` and ``enum`` by hashing, ``properties`` and the
``dependent*`` keywords from the entity's side.
"""

from __future__ import annotations

import functools
import reprlib
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from checker.core.linear_regex import search


def _linear_re() -> SimpleNamespace:
    """What jsonschema's keyword modules use of ``re``, with RE2 behind it."""

    def linear_search(pattern: str, text: str) -> bool:
        return search(pattern, text)

    return SimpleNamespace(search=linear_search)


_SHIM = _linear_re()

#: The keywords in which jsonschema matches regular expressions (``pattern``; the
#: others match the names of ``patternProperties``).
REGEX_KEYWORDS = ("pattern", "patternProperties", "additionalProperties", "unevaluatedProperties")
#: The jsonschema modules that match them, each by its name since jsonschema 4.19.1,
#: then its name before (4.18.0 to 4.19.0).
_REGEX_MODULES = (
    ("_keywords", "_validators"),
    ("_utils", "_utils"),
    ("_legacy_keywords", "_legacy_validators"),
)


def _regex_modules() -> list[Any]:
    import importlib

    found = []
    for current, earlier in _REGEX_MODULES:
        try:
            found.append(importlib.import_module(f"jsonschema.{current}"))
        except ModuleNotFoundError:
            found.append(importlib.import_module(f"jsonschema.{earlier}"))
    return found


@functools.cache  # one reading of jsonschema's source per process
def regex_engine_problem() -> str | None:
    """Why the regexes of a policy schema cannot be run with RE2 by the jsonschema
    installed here; None when they can (and then they are: see :func:`_use_re2`).

    RE2 is put in jsonschema's place by re-pointing the ``re`` of the modules that
    match regexes (jsonschema has no hook for it). That is only safe while those
    modules call nothing of ``re`` but ``re.search``, and the regex keywords of every
    draft are theirs: a newer jsonschema that does otherwise would run patterns with
    Python's backtracking ``re`` again, silently. This checks it, in the source, as
    the test suite does, on the jsonschema actually installed; a policy with a regex
    is then refused at its place (exit 2), never run unsafely.
    """
    problem = _regex_verdict()
    if problem is None:
        _use_re2()
    return problem


def _regex_verdict() -> str | None:
    import inspect
    import re

    import jsonschema

    version = _installed_version()
    refusal = (
        f"this jsonschema ({version}) matches regexes in a way resilint cannot make safe "
        "(RE2 instead of backtracking) {why}; install a jsonschema resilint supports "
        "(see docs/policy.md) or remove the regex from the schema"
    )
    try:
        modules = _regex_modules()
    except ImportError as error:
        return refusal.format(why=f"(no module {error.name})")
    names = {module.__name__ for module in modules}
    for module in modules:
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            return refusal.format(why=f"(the source of {module.__name__} is not installed)")
        calls = set(re.findall(r"\bre\.(\w+)", source))
        if re.search(r"^\s*(from re |import re as |import regex)", source, re.M):
            return refusal.format(why=f"({module.__name__} imports a regex engine by name)")
        if not calls:
            continue  # no regex here (jsonschema 4.18's legacy keywords)
        used = getattr(module, "re", None)
        if (used is not re and used is not _SHIM) or not calls <= {"search"}:
            return refusal.format(why=f"({module.__name__} uses re.{', re.'.join(sorted(calls))})")
    for name in dir(jsonschema):
        if not name.startswith("Draft"):
            continue  # (and no deprecated attribute is touched, which would warn)
        keywords = getattr(getattr(jsonschema, name), "VALIDATORS", None)
        if not isinstance(keywords, dict):
            continue
        for keyword in REGEX_KEYWORDS:
            function = keywords.get(keyword)
            if function is not None and getattr(function, "__module__", None) not in names:
                return refusal.format(why=f"({name}'s {keyword} is in {function.__module__})")
    return None


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jsonschema")
    except PackageNotFoundError:
        return "version unknown"


def _use_re2() -> None:
    """Point jsonschema's regex matching (``pattern``, ``patternProperties``, and the
    property bookkeeping of ``additionalProperties``/``unevaluatedProperties``) at RE2:
    only once :func:`regex_engine_problem` has found that they call ``re.search`` alone."""
    for module in _regex_modules():
        module.re = _SHIM


def _canonical(value: Any) -> Any:
    """A hashable form in which equal JSON values (and only they) are equal: ``1`` is
    ``1.0``, ``true`` is not ``1``, key order does not matter."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
    return ("other", repr(value))


def enum_matcher(options: list[Any]) -> Callable[[Any], bool]:
    """Whether a value equals (as JSON) one of ``options``, in time independent of how
    many there are: an ``enum`` of 100,000 owners checked against 100,000 services
    would otherwise compare 10**10 pairs."""
    known = {_canonical(option) for option in options}
    return lambda value: _canonical(value) in known


#: Each enum's matcher, by the identity of its list (kept alive here with it).
_ENUMS: dict[int, tuple[list[Any], Callable[[Any], bool]]] = {}


def _bounded_repr() -> reprlib.Repr:
    """A repr that looks at a few items of a few levels only (``repr`` of a 100,000-item
    enum, once per failing entity, is quadratic in the end)."""
    shown = reprlib.Repr()
    shown.maxlist = shown.maxdict = shown.maxset = shown.maxtuple = 5
    shown.maxstring = shown.maxother = 60
    shown.maxlevel = 3
    return shown


_short = _bounded_repr().repr


def _enum(validator: Any, options: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not isinstance(options, list):
        return
    entry = _ENUMS.get(id(options))
    if entry is None or entry[0] is not options:
        entry = _ENUMS[id(options)] = (options, enum_matcher(options))
    if not entry[1](instance):
        yield ValidationError(f"{_short(instance)} is not one of {_short(options)}")


#: Keywords that walk a map of property names, of which an entity has a few: looked
#: up from the entity's side when the map is the larger (a schema naming 100,000
#: properties must not cost 100,000 steps for each of 100,000 entities).
_BY_PROPERTY = ("properties", "dependentRequired", "dependentSchemas", "dependencies")
#: Each map's key order, by the identity of the map (kept alive here with it).
_RANKS: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}


def _present_properties_only(keyword: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def by_present_properties(
        validator: Any, mapping: Any, instance: Any, schema: Any
    ) -> Iterator[Any]:
        if (
            isinstance(mapping, dict)
            and isinstance(instance, dict)
            and len(mapping) > len(instance)
        ):
            entry = _RANKS.get(id(mapping))
            if entry is None or entry[0] is not mapping:
                entry = _RANKS[id(mapping)] = (mapping, {k: i for i, k in enumerate(mapping)})
            rank = entry[1]
            # The same properties in the same order as the whole map would give.
            present = sorted((key for key in instance if key in rank), key=rank.__getitem__)
            mapping = {key: mapping[key] for key in present}
        yield from keyword(validator, mapping, instance, schema)

    return by_present_properties


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    if len({_canonical(item) for item in instance}) != len(instance):
        yield ValidationError(f"{_short(instance)} has non-unique elements")


def _refusing_regexes(
    name: str, keyword: Callable[..., Iterator[Any]], problem: str
) -> Callable[..., Any]:
    """The keyword ``name`` (``keyword``), raising ``problem`` instead where it would
    match a regex: ``pattern`` on a string, and the names of a ``patternProperties``
    (which ``additionalProperties`` and ``unevaluatedProperties`` match too)."""

    def refusing(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        regexes = schema.get("patternProperties") if isinstance(schema, dict) else None
        if (name == "pattern" and isinstance(instance, str)) or regexes:
            raise UnsafeRegexes(problem)
        yield from keyword(validator, value, instance, schema)

    return refusing


class UnsafeRegexes(RuntimeError):
    """A schema's regex met a jsonschema that cannot run it with RE2 (see
    :func:`regex_engine_problem`); a loaded policy never gets this far."""


def _refuse_retrieval(uri: str) -> Any:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # an attrs class


def validator_class(schema: dict[str, Any]) -> Any:
    """The jsonschema validator class for the schema's draft, or None for an unknown one."""
    import jsonschema

    if "$schema" not in schema:
        found = jsonschema.validators.validator_for(schema)  # the latest draft
    else:  # a $schema it does not know: None, not a warning and the latest draft
        found = jsonschema.validators.validator_for(schema, default=None)  # type: ignore[arg-type]
        if found is None:
            return None
    extended = _EXTENDED.get(found)
    if extended is None:
        keywords: dict[str, Any] = {"uniqueItems": _unique_items, "enum": _enum}
        problem = regex_engine_problem()  # None: jsonschema's regexes now run in RE2
        if problem is not None:
            # A schema with a regex was refused when its policy was loaded (schema_safety
            # asks the same question); one that skipped that check is refused here, as it
            # is run: never with backtracking.
            for name in REGEX_KEYWORDS:
                keyword = found.VALIDATORS.get(name)
                if keyword is not None:
                    keywords[name] = _refusing_regexes(name, keyword, problem)
        for name in _BY_PROPERTY:
            keyword = found.VALIDATORS.get(name)
            # Draft 3's properties also hold `required: true`: it must see every one.
            if keyword is not None and keyword.__name__ != "properties_draft3":
                keywords[name] = _present_properties_only(keyword)
        extended = _EXTENDED[found] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            found, keywords
        )
    return extended


#: Each draft's validator class, extended once.
_EXTENDED: dict[Any, Any] = {}


def safe_validator(schema: dict[str, Any]) -> Any:
    """A validator that never reads a file, opens a connection or backtracks."""
    from referencing import Registry

    cls = validator_class(schema)
    if cls is None:
        raise ValueError(f"unknown $schema {schema.get('$schema')!r}")
    registry: Any = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
    return cls(schema, registry=registry)
