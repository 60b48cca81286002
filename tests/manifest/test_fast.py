"""The fast acceptance test agrees with the pydantic schema on every document.

The documents come from the one manifest strategy (tests/strategies.py) in junk mode:
mostly right, with now and then a value of the wrong type or shape, a malformed id, a
required key missing or a key misspelt.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from pydantic import ValidationError

from checker.manifest import fast, fields
from checker.manifest import format as schema
from tests.strategies import ID_POOL, JUNK, Builders, manifests

junk = Builders(JUNK)


def accepts(model: type[schema.BaseModel], document: Any) -> bool:
    try:
        model.model_validate(document)
    except ValidationError:
        return False
    return True


@settings(max_examples=1500, deadline=None)
@given(junk.domain(parents=ID_POOL, members=ID_POOL))
def test_domains(document: Any) -> None:
    assert fast.domain_ok(document) == accepts(schema.DomainDoc, document), document


@settings(max_examples=3000, deadline=None)
@given(junk.service(domains=ID_POOL, members=ID_POOL))
def test_services(document: Any) -> None:
    assert fast.service_ok(document) == accepts(schema.ServiceDoc, document), document


@settings(max_examples=300, deadline=None)
@given(manifests(domains=(0, 2), services=(0, 2), junk=JUNK, ids=ID_POOL))
def test_files(document: Any) -> None:
    assert fast.file_ok(document) == accepts(schema.ManifestFile, document), document


def test_key_sets_are_the_models_fields() -> None:
    # checker.manifest.fields writes them out so that a run never builds the models.
    models = {
        "domain": schema.DomainDoc,
        "service": schema.ServiceDoc,
        "any_of": schema.AnyOf,
        "instance": schema.InstanceDoc,
        "backup": schema.BackupDoc,
        "extend": schema.ExtendDoc,
        "file": schema.ManifestFile,
    }
    derived = {
        name: tuple(f.alias or key for key, f in model.model_fields.items())
        for name, model in models.items()
    }
    assert derived == fields.KEYS_BY_MODEL
