"""Finding what a resource points at: typed attributes, references, subnets, regions.

A plan often leaves an instance's zone "known after apply"; what it was written
against is still in the configuration: ``subnet_id = aws_subnet.web_subnet.id``
gives the reference ``aws_subnet.web_subnet``, whose planned ``availability_zone`` is
known. References are followed inside the referring resource's module instance,
through module outputs (``module.vpc.private_subnets``) and module inputs
(``var.subnet_ids`` inside a module), a few levels deep. Real ids (``subnet-0abc``)
are looked up across all input files, so a network state and an application plan can
be given together (docs/importing-terraform.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from checker.core.errors import InputError
from checker.importers.terraform_read import (
    Resource,
    ShowFile,
    module_path,
    split_module_address,
)

#: Resource types read only to place others: they become zone domains, never skipped.
SUBNET_TYPES = frozenset({"aws_subnet", "aws_default_subnet"})
SUBNET_GROUP_TYPES = frozenset(
    {
        "aws_db_subnet_group",
        "aws_elasticache_subnet_group",
        "aws_neptune_subnet_group",
        "aws_docdb_subnet_group",
    }
)

_RESOURCE_REF = re.compile(
    r'^(data\.)?([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\[("(?:[^"\\]|\\.)*"|[^\]]*)\])?'
)
_NOT_RESOURCES = frozenset({"var", "local", "module", "each", "count", "path", "terraform", "self"})
#: How many module boundaries a reference is followed across.
_MAX_DEPTH = 6


class Lookup:
    """Indexes over all input files, built once; every question is a dict lookup."""

    def __init__(self, files: Sequence[ShowFile]) -> None:
        self.files = files
        self.copies: dict[tuple[int, str], list[Resource]] = defaultdict(list)
        self.subnets_by_id: dict[str, Resource] = {}
        self.groups_by_name: dict[tuple[str, str], Resource] = {}
        for file in files:
            for resource in file.resources:
                self.copies[(resource.file, resource.base)].append(resource)
                if resource.type in SUBNET_TYPES:
                    subnet_id = resource.values.get("id")
                    if isinstance(subnet_id, str):
                        self.subnets_by_id.setdefault(subnet_id, resource)
                elif resource.type in SUBNET_GROUP_TYPES:
                    for key in ("name", "id"):
                        name = resource.values.get(key)
                        if isinstance(name, str):
                            self.groups_by_name.setdefault((resource.type, name), resource)

        self._indexes: dict[tuple[str, str], dict[str, Resource]] = {}
        self._settings: dict[tuple[int, str | None, str, str], str | None] = {}
        self._referenced: dict[tuple[int, str, int], list[Resource]] = {}
        #: Answers handlers keep for this import (e.g. a subnet's zone, asked by each
        #: instance in it), so nothing outlives the import.
        self.memo: dict[Any, Any] = {}

    def find(self, kind: str, key: str, value: str) -> Resource | None:
        """The resource of type ``kind`` whose attribute ``key`` is ``value``, in any file."""
        index = self._indexes.get((kind, key))
        if index is None:
            index = self._indexes[(kind, key)] = {}
            for file in self.files:
                for resource in file.resources:
                    found = resource.values.get(key) if resource.type == kind else None
                    if isinstance(found, str):
                        index.setdefault(found, resource)
        return index.get(value)

    # -- typed attributes -------------------------------------------------------------

    def fail(self, resource: Resource, key: str, message: str) -> InputError:
        file = self.files[resource.file]
        where = (*resource.pointer, "values", key) if key in resource.values else resource.pointer
        return InputError(f"{resource.address}: {message}", file.location(where))

    def string(self, resource: Resource, key: str) -> str | None:
        """A string attribute: its planned or state value, else a constant in the config."""
        value = resource.values.get(key)
        if value is None:
            value = self.constant(resource, key)
            return value if isinstance(value, str) and value else None
        if not isinstance(value, str):
            raise self.fail(resource, key, f"`{key}` must be a string")
        return value or None

    def integer(self, resource: Resource, key: str) -> int | None:
        value = resource.values.get(key)
        if value is None:
            value = self.constant(resource, key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(resource, key, f"`{key}` must be an integer")
        return value

    def boolean(self, resource: Resource, key: str) -> bool | None:
        value = resource.values.get(key)
        if value is None:
            value = self.constant(resource, key)
            return value if isinstance(value, bool) else None
        if not isinstance(value, bool):
            raise self.fail(resource, key, f"`{key}` must be true or false")
        return value

    def strings(self, resource: Resource, key: str) -> list[str] | None:
        value = resource.values.get(key)
        if value is None:
            value = self.constant(resource, key)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(resource, key, f"`{key}` must be a list of strings")
        return value

    def block(self, resource: Resource, key: str) -> Mapping[str, Any]:
        """The first of a nested block list (``settings[0]``), or an empty mapping."""
        value = resource.values.get(key)
        if value is None or value == []:
            return {}
        if not isinstance(value, list) or not isinstance(value[0], dict):
            raise self.fail(resource, key, f"`{key}` must be a list of blocks")
        first: Mapping[str, Any] = value[0]
        return first

    def is_unknown(self, resource: Resource, key: str) -> bool:
        return resource.unknown.get(key) is True

    def constant(self, resource: Resource, key: str) -> Any:
        """The value an expression gives without applying: a constant, or a root variable."""
        expression = resource.expressions.get(key)
        if not isinstance(expression, dict):
            return None
        if "constant_value" in expression:
            return expression["constant_value"]
        references = expression.get("references")
        if resource.module == "" and isinstance(references, list) and references:
            first = references[0]
            if isinstance(first, str) and first.startswith("var."):
                return self.files[resource.file].variables.get(first[4:])
        return None

    # -- references ------------------------------------------------------------------

    def referenced(self, resource: Resource, key: str) -> list[Resource]:
        """The resources the expression of ``key`` refers to (followed through modules)."""
        expression = resource.expressions.get(key)
        if not isinstance(expression, dict):
            return []
        # The copies of one block share its expressions (and module): follow them once.
        cache_key = (resource.file, resource.module, id(expression))
        cached = self._referenced.get(cache_key)
        if cached is None:
            found: dict[str, Resource] = {}
            self._follow(resource, resource.module, expression.get("references"), found, 0)
            cached = self._referenced[cache_key] = [found[a] for a in sorted(found)]
        return cached

    def _follow(
        self,
        referrer: Resource,
        module: str,
        references: Any,
        found: dict[str, Resource],
        depth: int,
    ) -> None:
        if not isinstance(references, list) or depth > _MAX_DEPTH:
            return
        prefix = f"{module}." if module else ""
        #: Resource base -> the index expressions it is referred to with.
        keys: dict[str, set[str | None]] = {}
        for reference in references:
            if not isinstance(reference, str):
                continue
            if reference.startswith("module."):
                self._follow_output(referrer, module, reference, found, depth)
            elif reference.startswith("var.") and module:
                self._follow_input(referrer, module, reference[4:], found, depth)
            else:
                match = _RESOURCE_REF.match(reference)
                if match is None or (match.group(1) is None and match.group(2) in _NOT_RESOURCES):
                    continue
                data, kind, name, key = match.groups()
                keys.setdefault(f"{prefix}{'data.' if data else ''}{kind}.{name}", set()).add(key)
        for base, wanted in keys.items():
            # Terraform lists `aws_subnet.web[0].id`, `aws_subnet.web[0]` and
            # `aws_subnet.web` for one use: the indexed form says which copy.
            if len(wanted) > 1:
                wanted.discard(None)
            for copy in self.copies.get((referrer.file, base), ()):
                if any(_index_matches(key, copy.key) for key in wanted):
                    found[copy.address] = copy

    def _follow_output(
        self,
        referrer: Resource,
        module: str,
        reference: str,
        found: dict[str, Resource],
        depth: int,
    ) -> None:
        # module.NAME.OUTPUT: the output's own references, inside that module.
        parts = reference.split(".")
        if len(parts) < 3:
            return
        name, output = parts[1], parts[2].split("[", 1)[0]
        child = f"{module}.module.{name}" if module else f"module.{name}"
        config = self.files[referrer.file].modules.get(module_path(child))
        outputs = config.get("outputs") if config else None
        target = outputs.get(output) if isinstance(outputs, dict) else None
        expression = target.get("expression") if isinstance(target, dict) else None
        if isinstance(expression, dict):
            self._follow(referrer, child, expression.get("references"), found, depth + 1)

    def _follow_input(
        self, referrer: Resource, module: str, variable: str, found: dict[str, Resource], depth: int
    ) -> None:
        # var.NAME inside a module: the calling module's expression for that input.
        # The call's expression is one for all instances of a count/for_each module.
        steps = split_module_address(module)
        if not steps:
            return
        parent = ".".join(f"module.{n}{k or ''}" for n, k in steps[:-1])
        config = self.files[referrer.file].modules.get(module_path(parent))
        calls = config.get("module_calls") if config else None
        call = calls.get(steps[-1][0]) if isinstance(calls, dict) else None
        expressions = call.get("expressions") if isinstance(call, dict) else None
        expression = expressions.get(variable) if isinstance(expressions, dict) else None
        if isinstance(expression, dict):
            self._follow(referrer, parent, expression.get("references"), found, depth + 1)

    # -- providers ---------------------------------------------------------------------

    def provider_setting(self, resource: Resource, provider: str, key: str) -> str | None:
        """A constant (or root variable) setting of the resource's provider block."""
        cache_key = (resource.file, resource.provider_key, provider, key)
        if cache_key in self._settings:
            return self._settings[cache_key]
        value = self._provider_setting(resource, provider, key)
        self._settings[cache_key] = value
        return value

    def _provider_setting(self, resource: Resource, provider: str, key: str) -> str | None:
        file = self.files[resource.file]
        candidates = [resource.provider_key, provider]
        if resource.provider_key and ":" in resource.provider_key:
            candidates.insert(1, resource.provider_key.rsplit(":", 1)[1])
        for candidate in candidates:
            expressions = file.providers.get(candidate) if candidate else None
            if expressions is None:
                continue
            expression = expressions.get(key)
            if not isinstance(expression, dict):
                return None
            value = expression.get("constant_value")
            references = expression.get("references")
            if value is None and isinstance(references, list) and references:
                first = references[0]
                if isinstance(first, str) and first.startswith("var."):
                    value = file.variables.get(first[4:])
            return value if isinstance(value, str) and value else None
        return None


def _index_matches(key: str | None, index: int | str | None) -> bool:
    """Whether a copy is the one a literal index (``[0]``, ``["a"]``) names.

    An index computed from ``count.index`` or ``each.key`` is not in the JSON (only the
    whole resource is listed), so it matches every copy: the caller then finds
    several zones and says so instead of guessing.
    """
    if key is None or key in ("*", ""):
        return True
    if key.isdigit():
        return index == int(key)
    if len(key) >= 2 and key[0] == key[-1] == '"':
        return index == key[1:-1]
    return True
