"""``schema``: an entity's own document validates against a JSON Schema.

What it does
    Validates the entity's document, exactly as written in the manifest, against the
    rule's JSON Schema (the draft its ``$schema`` names, else 2020-12) and reports every
    error with its path inside the entity.

Why it matters
    Conventions that the other checks rely on (an ``owner`` for paging, a ``data`` label
    on stateful services, an ``rto`` on every critical service) are only useful when
    every entity follows them.

Example
    ``schema: {required: [owner]}`` fails a service with no ``owner``.

Fix
    Add or correct the fields the schema reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from pydantic import ConfigDict, RootModel, field_validator

from checker.checks.base import Context, Verdict
from checker.checks.schema_plain import is_plain
from checker.checks.schema_safety import schema_problem
from checker.core.location import pointer_to_str
from checker.core.model import Entity

#: The rule key that names this check in a policy.
NAME = "schema"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "A JSON Schema the entity's own document must satisfy."
APPLIES_TO = frozenset({"service", "domain"})


def assert_valid_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Raise ValueError (for pydantic) when ``schema`` is not a valid JSON Schema, or
    not one that is safe to run (see :mod:`checker.checks.schema_safety`)."""
    if not is_plain(schema):  # a plain one is valid: jsonschema is not even imported
        _assert_meets_metaschema(schema)
    problem = schema_problem(schema)
    if problem is not None:
        raise ValueError(f"not a JSON Schema resilint can run safely {problem}")
    return schema


def _assert_meets_metaschema(schema: dict[str, Any]) -> None:
    # Lazy, with the validator module that wraps it: jsonschema takes about as long to
    # import as checking a small manifest.
    import jsonschema

    from checker.checks.safe_validator import validator_class

    cls = validator_class(schema)
    if cls is None:
        raise ValueError(
            f"unknown $schema {schema.get('$schema')!r}: name a JSON Schema draft "
            "(e.g. https://json-schema.org/draft/2020-12/schema) or leave $schema out"
        )
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as error:
        where = pointer_to_str(tuple(error.absolute_path)) or "/"
        raise ValueError(f"not a valid JSON Schema at {where}: {error.message}") from None


class Params(RootModel[dict[str, Any]]):
    """The rule's value is the JSON Schema itself."""

    # Built on first use, like the other checks' parameters.
    model_config = ConfigDict(defer_build=True)

    @field_validator("root")
    @classmethod
    def _valid(cls, value: dict[str, Any]) -> dict[str, Any]:
        return assert_valid_schema(value)


#: Characters of one validation error shown (an error quotes the value it is about).
_MESSAGE_LIMIT = 200
#: Validation errors listed per entity.
_ERRORS_SHOWN = 20


def _shorten(message: str) -> str:
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 3] + "..."


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    from checker.checks.safe_validator import safe_validator  # lazy: as above

    validator = safe_validator(params.root)
    for entity in entities:
        errors = sorted(
            islice(validator.iter_errors(entity.document), _ERRORS_SHOWN),
            key=lambda e: list(e.path),
        )
        if not errors:
            yield Verdict(entity.id, True, "matches the schema")
            continue
        described = [
            f"at {pointer_to_str(tuple(e.absolute_path)) or '/'}: {_shorten(e.message)}"
            for e in errors
        ]
        yield Verdict(entity.id, False, "does not match the schema: " + "; ".join(described))
