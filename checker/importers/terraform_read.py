"""Reading ``terraform show -json`` output: plans and states, child modules included.

A plan holds ``planned_values`` (what will exist), ``resource_changes`` (which values
are "known after apply") and ``configuration`` (the expressions, whose references
say which subnet an instance was written against); a state holds ``values``. Both
nest ``child_modules`` recursively. This module checks the shape of what it reads
(a wrong shape is an :class:`InputError` at the file's line and column) and flattens
every resource into a :class:`Resource`; the mapping is in
:mod:`checker.importers.terraform` (docs/importing-terraform.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.loading.document import Document

_EMPTY: Mapping[str, Any] = {}
_NO_CONFIG: tuple[Mapping[str, Any], str | None] = (_EMPTY, None)


class Resource(NamedTuple):
    """One resource instance of one input file.

    ``base`` is the address without the resource's own ``count``/``for_each`` index
    (module instance keys stay: two module instances are two deployments), so all
    copies of one resource block share it.
    """

    address: str
    base: str
    module: str
    mode: str
    type: str
    name: str
    #: The ``count`` index or ``for_each`` key of this copy, if any.
    key: int | str | None
    values: Mapping[str, Any]
    #: ``after_unknown`` of the plan's change: attributes "known after apply".
    unknown: Mapping[str, Any]
    #: The configuration's ``expressions`` of the resource block.
    expressions: Mapping[str, Any]
    provider_key: str | None
    file: int
    pointer: Pointer


@dataclass(frozen=True)
class ShowFile:
    """One ``terraform show -json`` document, its resources and configuration."""

    number: int
    document: Document
    kind: str  # "plan" or "state"
    resources: list[Resource]
    #: Module path without instance keys ("" for the root, "module.a.module.b") -> the
    #: configuration of that module (``resources``, ``module_calls``, ``outputs``).
    modules: dict[str, Mapping[str, Any]]
    #: The root module's input variables (name -> value), from a plan.
    variables: dict[str, Any]
    #: Provider configuration key -> that block's ``expressions``.
    providers: dict[str, Mapping[str, Any]]

    def location(self, pointer: Pointer) -> Location:
        return self.document.location(pointer)


def read_show_json(document: Document, number: int) -> ShowFile:
    """Check the shape of one document and flatten its resources."""
    data = document.data
    if not isinstance(data, dict):
        raise InputError(
            "expected the JSON object that `terraform show -json` writes",
            document.location(()),
        )
    if "planned_values" in data:
        kind, values_key = "plan", "planned_values"
    elif "values" in data:
        kind, values_key = "state", "values"
    elif "resources" in data and "version" in data:
        raise InputError(
            "this is a raw state file (terraform.tfstate); give the output of "
            "`terraform show -json` (of the state or of a saved plan) instead",
            document.location(()),
        )
    elif set(data) <= {"format_version", "terraform_version"} and data:
        # `terraform show -json` of an empty state: nothing to import, not an error.
        return ShowFile(number, document, "state", [], {}, {}, {})
    else:
        raise InputError(
            "not `terraform show -json` output: no `planned_values` (a plan) nor "
            "`values` (a state)",
            document.location(()),
        )
    reader = _Reader(document, number)
    configuration = data.get("configuration")
    if configuration is not None:
        reader.read_configuration(configuration)
    if kind == "plan":
        reader.read_changes(data.get("resource_changes"))
        reader.read_variables(data.get("variables"))
    root = _object(document, data[values_key], (values_key,))
    if root.get("root_module") is not None:
        reader.read_module(root["root_module"], (values_key, "root_module"), "")
    return ShowFile(
        number, document, kind, reader.resources, reader.modules, reader.variables,
        reader.providers,
    )  # fmt: skip


def module_path(module_address: str) -> str:
    """``module.a["x"].module.b[0]`` -> ``module.a.module.b`` (the configuration's path)."""
    if "[" not in module_address:
        return module_address
    return ".".join(f"module.{name}" for name, _ in split_module_address(module_address))


_MODULE_STEP = re.compile(r'module\.([^.\[]+)(\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?\.?')


def split_module_address(module_address: str) -> list[tuple[str, str | None]]:
    """``module.a["x"].module.b`` -> ``[("a", '["x"]'), ("b", None)]``; quotes respected."""
    steps: list[tuple[str, str | None]] = []
    position = 0
    while position < len(module_address):
        match = _MODULE_STEP.match(module_address, position)
        if match is None:
            break
        steps.append((match.group(1), match.group(2)))
        position = match.end()
    return steps


class _Reader:
    def __init__(self, document: Document, number: int) -> None:
        self.document = document
        self.number = number
        self.resources: list[Resource] = []
        self.modules: dict[str, Mapping[str, Any]] = {}
        self.variables: dict[str, Any] = {}
        self.providers: dict[str, Mapping[str, Any]] = {}
        self.unknown: dict[str, Mapping[str, Any]] = {}
        #: (module path, resource address in module) -> (expressions, provider key).
        self.config: dict[tuple[str, str], tuple[Mapping[str, Any], str | None]] = {}
        self._paths: dict[str, str] = {}

    def read_configuration(self, configuration: Any) -> None:
        configuration = _object(self.document, configuration, ("configuration",))
        providers = configuration.get("provider_config") or {}
        providers = _object(self.document, providers, ("configuration", "provider_config"))
        for key, block in providers.items():
            where = ("configuration", "provider_config", key)
            block = _object(self.document, block, where)
            expressions = block.get("expressions") or {}
            self.providers[key] = _object(self.document, expressions, (*where, "expressions"))
        root = configuration.get("root_module")
        if root is not None:
            self._read_config_module(root, ("configuration", "root_module"), "")

    def _read_config_module(self, module: Any, pointer: Pointer, path: str) -> None:
        module = _object(self.document, module, pointer)
        self.modules[path] = module
        for n, block in enumerate(
            _list(self.document, module.get("resources"), (*pointer, "resources"))
        ):
            where = (*pointer, "resources", n)
            block = _object(self.document, block, where)
            address = _string(self.document, block, "address", where)
            expressions = block.get("expressions") or {}
            expressions = _object(self.document, expressions, (*where, "expressions"))
            provider_key = block.get("provider_config_key")
            self.config[(path, address)] = (
                expressions, provider_key if isinstance(provider_key, str) else None,
            )  # fmt: skip
        calls = module.get("module_calls") or {}
        calls = _object(self.document, calls, (*pointer, "module_calls"))
        for name, call in calls.items():
            where = (*pointer, "module_calls", name)
            call = _object(self.document, call, where)
            child = call.get("module")
            if child is not None:
                prefix = f"{path}." if path else ""
                self._read_config_module(child, (*where, "module"), f"{prefix}module.{name}")

    def read_changes(self, changes: Any) -> None:
        unknown = self.unknown
        for n, change in enumerate(_list(self.document, changes, ("resource_changes",))):
            body = change.get("change") if type(change) is dict else None
            address = change.get("address") if type(change) is dict else None
            if type(address) is not str:
                where = ("resource_changes", n)
                change = _object(self.document, change, where)
                _string(self.document, change, "address", where)
            if type(body) is dict:
                after_unknown = body.get("after_unknown")
                if type(after_unknown) is dict:
                    unknown[str(address)] = after_unknown

    def read_variables(self, variables: Any) -> None:
        if not isinstance(variables, dict):
            return
        for name, variable in variables.items():
            if isinstance(variable, dict) and "value" in variable:
                self.variables[name] = variable["value"]

    def read_module(self, module: Any, pointer: Pointer, address: str) -> None:
        document = self.document
        module = _object(document, module, pointer)
        path = self._path(address)
        prefix = f"{address}." if address else ""
        resources = _list(document, module.get("resources"), (*pointer, "resources"))
        append = self.resources.append
        config = self.config
        unknown = self.unknown
        number = self.number
        for n, item in enumerate(resources):
            where = (*pointer, "resources", n)
            if type(item) is not dict:
                _object(document, item, where)
            full, kind, name = item.get("address"), item.get("type"), item.get("name")
            if not (type(full) is type(kind) is type(name) is str and full and kind and name):
                for key in ("address", "type", "name"):
                    _string(document, item, key, where)
            mode = item.get("mode", "managed")
            values = item.get("values")
            if values is None:
                values = _EMPTY
            elif type(values) is not dict:
                where = (*where, "values")
                raise InputError("`values` must be an object", document.location(where))
            local = f"data.{kind}.{name}" if mode == "data" else f"{kind}.{name}"
            expressions, provider_key = config.get((path, local), _NO_CONFIG)
            if provider_key is None:
                provider_name = item.get("provider_name")
                provider_key = provider_name if type(provider_name) is str else None
            append(
                Resource(
                    full,
                    prefix + local,
                    address,
                    mode if type(mode) is str else "managed",
                    kind,
                    name,
                    item.get("index"),
                    values,
                    unknown.get(full, _EMPTY),
                    expressions,
                    provider_key,
                    number,
                    where,
                )
            )
        children = _list(document, module.get("child_modules"), (*pointer, "child_modules"))
        for n, child in enumerate(children):
            where = (*pointer, "child_modules", n)
            child = _object(document, child, where)
            self.read_module(child, where, _string(document, child, "address", where))

    def _path(self, address: str) -> str:
        path = self._paths.get(address)
        if path is None:
            path = self._paths[address] = module_path(address)
        return path


def _object(document: Document, value: Any, pointer: Pointer) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"`{_name(pointer)}` must be an object", document.location(pointer))
    return value


def _list(document: Document, value: Any, pointer: Pointer) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"`{_name(pointer)}` must be a list", document.location(pointer))
    return value


def _string(document: Document, item: dict[str, Any], key: str, pointer: Pointer) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        where = (*pointer, key) if key in item else pointer
        raise InputError(f"`{key}` must be a non-empty string", document.location(where))
    return value


def _name(pointer: Pointer) -> str:
    for part in reversed(pointer):
        if isinstance(part, str):
            return part
    return "document"
