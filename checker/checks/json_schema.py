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
from typing import Any

from pydantic import RootModel, field_validator

from checker.checks.base import Context, Verdict
from checker.core.location import pointer_to_str
from checker.core.model import Entity

#: The rule key that names this check in a policy.
NAME = "schema"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "A JSON Schema the entity's own document must satisfy."
APPLIES_TO = frozenset({"service", "domain"})


def assert_valid_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Raise ValueError (for pydantic) when ``schema`` is not a valid JSON Schema."""
    # jsonschema costs ~80 ms to import; most runs never meet a schema check (lazy).
    import jsonschema

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as error:
        where = pointer_to_str(tuple(error.absolute_path)) or "/"
        raise ValueError(f"not a valid JSON Schema at {where}: {error.message}") from None
    return schema


class Params(RootModel[dict[str, Any]]):
    """The rule's value is the JSON Schema itself."""

    @field_validator("root")
    @classmethod
    def _valid(cls, value: dict[str, Any]) -> dict[str, Any]:
        return assert_valid_schema(value)


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    import jsonschema  # lazy: see assert_valid_schema

    schema = params.root
    validator = jsonschema.validators.validator_for(schema)(schema)
    for entity in entities:
        errors = sorted(validator.iter_errors(entity.document), key=lambda e: list(e.path))
        if not errors:
            yield Verdict(entity.id, True, "matches the schema")
            continue
        described = [
            f"at {pointer_to_str(tuple(e.absolute_path)) or '/'}: {e.message}" for e in errors
        ]
        yield Verdict(entity.id, False, "does not match the schema: " + "; ".join(described))
