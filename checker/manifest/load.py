"""Load a manifest set: parse every file, validate it, merge, resolve references.

All problems of one stage are collected (capped), so a user fixes a file in one go;
later stages only run on input that passed the earlier ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from checker.core.errors import InputError, ManifestError, Problem, UsageError
from checker.core.location import Pointer
from checker.core.model import (
    DEFAULT_TIERS,
    Domain,
    Locate,
    Model,
    Service,
    Source,
)
from checker.core.words import plural, suggest
from checker.loading.discovery import (
    STDIN,
    Selection,
    find_candidates,
    not_a_manifest,
    read_stdin,
)
from checker.loading.document import Document
from checker.loading.files import max_file_bytes
from checker.loading.parse import parse_file
from checker.manifest import entities, fast
from checker.manifest.fields import KEYS_BY_MODEL
from checker.manifest.overlay import apply_overlays
from checker.manifest.references import check_references


class ManifestSet(NamedTuple):
    """What :func:`load_manifest_set` found: a model, perhaps with problems."""

    model: Model
    #: Files a walk or a glob met that are not manifests: ``(path, why)``, for ``-v``.
    skipped: tuple[tuple[str, str], ...] = ()
    #: Every problem of every file and stage; the model holds what loaded without one.
    problems: tuple[Problem, ...] = ()
    #: The data of files that parsed but did not validate (what they define still counts
    #: when policies are checked against the model).
    invalid: tuple[Any, ...] = ()
    #: A file could not be parsed at all: nothing can be called unknown.
    unreadable: bool = False


def load_manifests(
    paths: Sequence[Path],
    tiers: Sequence[str] = DEFAULT_TIERS,
    skip: frozenset[Path] = frozenset(),
    selection: Selection | None = None,
) -> Model:
    """Read and merge a manifest set into a :class:`Model`; raise ManifestError on bad input."""
    found = load_manifest_set(paths, tiers, skip, selection)
    if found.problems:
        raise ManifestError(found.problems)
    return found.model


def load_manifest_set(
    paths: Sequence[Path],
    tiers: Sequence[str] = DEFAULT_TIERS,
    skip: frozenset[Path] = frozenset(),
    selection: Selection | None = None,
) -> ManifestSet:
    """The model of the manifests in ``paths``, what was met but is no manifest, and every
    problem of every file and stage (docs/commands.md: all input errors in one run).

    Later stages run on what passed the earlier ones: a reference into a file that did
    not load is not reported as unknown (the file's own problems are).
    """
    try:
        candidates = find_candidates(paths, skip, selection)
    except InputError as error:
        return ManifestSet(Model({}, {}, tuple(tiers)), (), error.problems, (), True)
    documents: dict[str, Document] = {}
    validated: list[tuple[Document, dict[str, Any]]] = []
    problems: list[Problem] = []
    skipped: list[tuple[str, str]] = []
    invalid: list[Any] = []
    unreadable = False
    for candidate in candidates:
        try:
            document = _parse(candidate.path)
        except UsageError:
            raise  # the command line or the environment is wrong: once is enough
        except InputError as error:
            problems.extend(error.problems)
            unreadable = True
            continue
        why = None if candidate.explicit else not_a_manifest(document.data)
        if why is not None:
            skipped.append((document.path, why))
            continue
        documents[document.path] = document
        parsed = validate_document(document, problems)
        if parsed is not None:
            validated.append((document, parsed))
        else:
            invalid.append(document.data)
    if not documents and not problems:
        problems.append(Problem(_nothing_found(paths, skipped)))
    elsewhere = None if unreadable else frozenset(_ids_in(invalid))
    model = build_model(validated, documents, tuple(tiers), problems, elsewhere)
    if documents and not problems and not model.domains and not model.services:
        # A gate that passes on nothing has not looked: say so, do not exit 0.
        shown = ", ".join(list(documents)[:3]) + (" and more" if len(documents) > 3 else "")
        problems.append(
            Problem(
                f"nothing to check: {shown} define{'s' * (len(documents) == 1)} "
                "no domain and no service"
            )
        )
    return ManifestSet(model, tuple(skipped), tuple(problems), tuple(invalid), unreadable)


def _ids_in(documents: Sequence[Any]) -> Iterator[str]:
    for data in documents:
        if not isinstance(data, dict):
            continue
        for section in ("domains", "services"):
            entries = data.get(section)
            if isinstance(entries, dict):
                yield from (str(key) for key in entries)


def _nothing_found(paths: Sequence[Path], skipped: Sequence[tuple[str, str]]) -> str:
    shown = ", ".join(str(p) for p in paths) or "."
    message = f"nothing to check: no manifest file in {shown}"
    if skipped:
        first = "; ".join(f"{path}: {why}" for path, why in skipped[:3])
        more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        message += f" ({plural(len(skipped), 'file')} skipped: {first}{more})"
    return message


def _parse(path: Path) -> Document:
    if path == STDIN:
        return read_stdin(max_file_bytes())
    # A valid manifest is validated while its limits are checked (fast.survey): the
    # document then says so, and validate_document does not check it again.
    return parse_file(path, vouch=fast.survey)


class _NoPositions:
    def locate(self, pointer: Pointer) -> tuple[int, int]:
        return 1, 1


def model_from_data(
    data: dict[str, Any], path: str = "<memory>", tiers: Sequence[str] = DEFAULT_TIERS
) -> Model:
    """A model from one in-memory manifest document (for tests and embedding)."""
    document = Document(path, data, _NoPositions())
    problems: list[Problem] = []
    parsed = validate_document(document, problems)
    if problems or parsed is None:
        raise ManifestError(problems)
    return build_model([(document, parsed)], {path: document}, tuple(tiers))


def _known_keys(pointer: Pointer) -> Sequence[str]:
    shape = tuple("#" if isinstance(p, int) else p for p in pointer)
    if not shape:
        return KEYS_BY_MODEL["file"]
    section = shape[0]
    if len(shape) == 2:
        return KEYS_BY_MODEL[
            {"domains": "domain", "services": "service", "extend": "extend"}.get(
                str(section), "service"
            )
        ]
    if len(shape) == 4 and shape[3] == "#":
        field = {"depends_on": "any_of", "instances": "instance", "backups": "backup"}
        return KEYS_BY_MODEL.get(field.get(str(shape[2]), ""), ())
    return ()


def validate_document(document: Document, problems: list[Problem]) -> dict[str, Any] | None:
    """The document's data if it is a valid manifest file, else None (problems appended)."""
    data = document.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "a manifest file must be a mapping with 'version', 'domains' and 'services', "
                f"not {type(data).__name__}",
                document.location(()),
            )
        )
        return None
    version = data.get("version")
    if "version" not in data and any(key != "$schema" for key in data):
        problems.append(
            Problem("missing 'version: 1' at the top of the manifest", document.location(()))
        )
        return None
    if "version" in data and (type(version) is not int or version != 1):
        problems.append(
            Problem(
                f"unsupported manifest version {version!r}: this resilint reads version 1",
                document.location(("version",)),
            )
        )
        return None
    if document.vouched or fast.file_ok(data):
        return data
    # Lazy: the models and the wording of their errors only explain what is wrong; a file
    # the fast path accepts never gets here, and building the models is a good part of
    # start-up.
    from checker.loading.problems import problems_from_validation
    from checker.manifest import format as schema

    try:
        schema.ManifestFile.model_validate(data)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, document, _known_keys))
        return None
    return data


#: The sections of a manifest that define entities (domains first).
ENTITIES = ("domains", "services")


def build_model(
    validated: Sequence[tuple[Document, dict[str, Any]]],
    documents: dict[str, Document],
    tiers: tuple[str, ...],
    collect: list[Problem] | None = None,
    elsewhere: frozenset[str] | None = frozenset(),
) -> Model:
    """Merge validated documents into a model: one id namespace, overlays applied, tiers
    resolved.

    Raises a ManifestError on the first stage with problems; with ``collect``, every
    stage runs and appends its problems there instead (``elsewhere``: see
    :func:`~checker.manifest.references.check_references`).
    """
    problems: list[Problem] = [] if collect is None else collect
    validated = apply_overlays(validated, problems)
    if problems and collect is None:
        raise ManifestError(problems)
    defined: dict[str, Source] = {}
    locate = Locate(documents)
    domains: dict[str, Domain] = {}
    services: dict[str, Service] = {}
    tier_rank = {tier: rank for rank, tier in enumerate(tiers)}
    no_labels: dict[str, str] = {}

    def define(entity_id: str, source: Source) -> bool:
        first = defined.setdefault(entity_id, source)
        if first is source:
            return True
        problems.append(
            Problem(
                f"id {entity_id!r} is defined twice: here and at {locate(first)} "
                "(domains and services share one id namespace)",
                locate(source),
            )
        )
        return False

    def unknown_tier(service_id: str, tier: str, source: Source) -> int:
        problems.append(
            Problem(
                f"services.{service_id}: unknown tier {tier!r}"
                + suggest(tier, tiers)
                + f" (configured tiers: {', '.join(tiers)})",
                locate(source, ("tier",)),
            )
        )
        return len(tiers)

    sections = [data.get(section, {}) for _, data in validated for section in ENTITIES]
    parts = entities.Parts(
        list(chain.from_iterable(sections[::2])), list(chain.from_iterable(sections))
    )
    built: list[tuple[str, str, dict[str, Any]]] = []  # sections built at once
    clash = False  # some id is defined twice: the rest is built entity by entity
    for document, data in validated:
        path = document.path
        for name in ENTITIES:
            section = data.get(name, {})
            if not clash and all(section.keys().isdisjoint(b[2].keys()) for b in built):
                if name == "domains":
                    entities.add_domains(domains, path, section, parts, no_labels)
                else:
                    add = entities.add_services
                    add(services, path, section, parts, no_labels, tier_rank, unknown_tier)
                built.append((path, name, section))
                continue
            if not clash:
                clash = True
                defined.update((i, Source(p, (n, i))) for p, n, ids in built for i in ids)
            if name == "domains":
                entities.domains_one_by_one(domains, path, section, define, no_labels)
            else:
                entities.services_one_by_one(
                    services, path, section, define, no_labels, tier_rank, unknown_tier
                )
    if problems and collect is None:
        raise ManifestError(problems)
    model = Model(
        domains=domains,
        services=services,
        tiers=tiers,
        files=tuple(documents),
        locate=locate,
    )
    check_references(model, collect, elsewhere, None if clash else parts.referenced())
    return model
