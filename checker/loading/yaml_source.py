"""YAML, read safely: no object-building tags, no duplicate keys, bounded aliases.

PyYAML's C loader composes a node tree with line/column marks at no extra cost;
we walk that tree once (duplicate keys, non-string keys, alias expansion budget)
and keep it for locating findings later.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.loading.document import Document

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TAG = "tag:yaml.org,2002:null"
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}


def parse_yaml(text: str, path: str) -> Document:
    loader = _Loader(text)
    root: Node | None = None
    try:
        root = loader.get_single_node()
        if root is None:
            return Document(path, None, NodeLocator(None))
        _check_tree(root, path, budget=2 * len(text) + 10_000)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise InputError(_describe(error), _mark_location(path, error)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    except RecursionError:
        raise InputError("YAML is nested too deeply", Location(path)) from None
    except (ValueError, TypeError, OverflowError) as error:
        raise InputError(f"invalid YAML value: {error}", _bad_scalar(root, path)) from None
    finally:
        loader.dispose()
    return Document(path, data, NodeLocator(root))


def parse_yaml_stream(text: str, path: str) -> list[Document]:
    """Every document of a multi-document stream (``---``), each with its own locator.

    The same safety as :func:`parse_yaml`; the alias budget is shared by the whole
    stream, so many small alias bombs cannot add up. Empty documents are left out.
    """
    loader = _Loader(text)
    documents: list[Document] = []
    node: Node | None = None
    budget = 2 * len(text) + 10_000
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
                continue
            budget -= _check_tree(node, path, budget)
            data = loader.construct_document(node)
            documents.append(Document(path, data, NodeLocator(node)))
    except yaml.MarkedYAMLError as error:
        raise InputError(_describe(error), _mark_location(path, error)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    except RecursionError:
        raise InputError("YAML is nested too deeply", Location(path)) from None
    except (ValueError, TypeError, OverflowError) as error:
        raise InputError(f"invalid YAML value: {error}", _bad_scalar(node, path)) from None
    finally:
        loader.dispose()
    return documents


def _bad_scalar(root: Node | None, path: str) -> Location:
    """Where the scalar is that could not be built (e.g. the date 2026-13-45)."""
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode) and node.tag != _STR_TAG:
            try:
                # A fresh constructor: the failed one remembers the node as in progress.
                _Loader("").construct_object(node, deep=True)
            except (ValueError, TypeError, OverflowError):
                return _at(path, node)
        elif isinstance(node, MappingNode):
            stack.extend(value for pair in node.value for value in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return Location(path)


def _describe(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    if "could not determine a constructor" in problem:
        tag = problem.split("for the tag")[-1].strip()
        return f"YAML tag not allowed here: {tag} (only plain data)"
    if error.context:
        return f"invalid YAML: {problem} ({error.context})"
    return f"invalid YAML: {problem}"


def _mark_location(path: str, error: yaml.MarkedYAMLError) -> Location:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def _at(path: str, node: Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _check_tree(root: Node, path: str, budget: int) -> int:
    """Walk every node as the data will be expanded, refusing what YAML hides.

    Returns how many nodes the expanded data holds (for a budget shared by a stream).
    """
    stack: list[Node] = [root]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > budget:
            raise InputError(
                "YAML aliases expand to far more data than the file holds "
                "(an alias bomb?); refusing to expand it",
                _at(path, node),
            )
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    stack.append(value)
                    continue
                if not isinstance(key, ScalarNode):
                    raise InputError("mapping keys must be plain strings", _at(path, key))
                if key.tag != _STR_TAG:
                    what = _TAG_NAMES.get(key.tag, "not a string")
                    raise InputError(
                        f"key {key.value!r} is read by YAML as {what}; quote it: '{key.value}'",
                        _at(path, key),
                    )
                first = seen.get(key.value)
                if first is not None:
                    raise InputError(
                        f"duplicate key {key.value!r} (first defined at line "
                        f"{first.start_mark.line + 1}, column {first.start_mark.column + 1})",
                        _at(path, key),
                    )
                seen[key.value] = key
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return visited


class NodeLocator:
    """Finds positions in the composed node tree; per-mapping lookups are built lazily."""

    def __init__(self, root: Node | None) -> None:
        self._root = root
        self._mappings: dict[int, dict[str, tuple[Node, Node]]] = {}

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        node = self._root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for part in pointer:
            if isinstance(node, MappingNode):
                pair = self._entries(node).get(str(part))
                if pair is None:
                    break
                mark, node = pair[0].start_mark, pair[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1

    def _entries(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        entries = self._mappings.get(id(node))
        if entries is None:
            entries = {}
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    continue
                entries.setdefault(str(key.value), (key, value))
            self._mappings[id(node)] = entries
        return entries
