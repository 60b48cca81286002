"""YAML, read safely: no object-building tags, no duplicate keys, bounded cost.

The cost of a YAML file is bounded before anything is built (see docs/limits.md):
libyaml first parses the whole text in C, counting events and building nothing
(a syntax error at the end of a 20 MB file is found in a second, in kilobytes),
and a file of more than :data:`~checker.loading.limits.MAX_YAML_EVENTS` events is
refused there. Only then does PyYAML's C loader compose the node tree (with
line/column marks, kept for locating findings later), and one walk over it checks
every node (duplicate and non-string keys, nesting, key length, integer size, alias
expansion) while building the data, at a fraction of PyYAML's constructor's cost.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.loading import limits
from checker.loading.document import Document

_CLoader: Any = getattr(yaml, "CSafeLoader", None)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TAG = "tag:yaml.org,2002:null"
#: Scalar tags whose safe constructors are plain functions of the node.
_PLAIN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}
#: A surrogate escape (``\ud800``, ``\U0000d800``): libyaml refuses them, PyYAML's
#: pure-Python parser (used when libyaml is missing) does not.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")


def _fast_resolve(loader: Any) -> Any:
    """PyYAML's ``resolve`` (called for every node), without its per-call overhead.

    The same answers as :meth:`yaml.resolver.BaseResolver.resolve` for a loader with
    no path resolvers (the safe loader has none): implicit plain scalars are matched
    against the resolvers of their first character, everything else gets its kind's
    default tag.
    """
    table = loader.yaml_implicit_resolvers
    wildcard = list(table.get(None, []))
    by_first = {first: list(resolvers) + wildcard for first, resolvers in table.items()}
    get = by_first.get

    def resolve(kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in get(value[:1], wildcard):
                    if regexp.match(value):
                        return str(tag)
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    return resolve


def _new_loader(text: str) -> Any:
    if _CLoader is None:  # pragma: no cover - PyYAML built without libyaml
        return yaml.SafeLoader(text)
    loader = _CLoader(text)
    if not loader.yaml_path_resolvers:
        # Instance attributes, looked up by the C composer for every node: builtins
        # that do nothing (there are no path resolvers to track) and a lean resolve.
        loader.descend_resolver = {}.get
        loader.ascend_resolver = tuple
        loader.resolve = _fast_resolve(loader)
    return loader


def parse_yaml(text: str, path: str) -> Document:
    _prescan(text, path)
    loader = _new_loader(text)
    root: Node | None = None
    try:
        root = loader.get_single_node()
        if root is None:
            return Document(path, None, NodeLocator(None))
        surrogates = _SURROGATE_ESCAPE.search(text) is not None
        data = _Builder(loader, path, surrogates).build(root)
    except yaml.MarkedYAMLError as error:
        raise InputError(_describe(error), _mark_location(path, error)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    except RecursionError:
        raise InputError("YAML is nested too deeply", Location(path)) from None
    finally:
        loader.dispose()
    return Document(path, data, NodeLocator(root))


def parse_yaml_stream(text: str, path: str) -> list[Document]:
    """Every document of a multi-document stream (``---``), each with its own locator.

    The same safety as :func:`parse_yaml`: the stream is pre-scanned once, and one
    builder checks and builds every document, so the expansion budget covers the whole
    stream (many small alias bombs cannot add up). Empty documents are left out.
    """
    _prescan(text, path)
    loader = _new_loader(text)
    builder = _Builder(loader, path, _SURROGATE_ESCAPE.search(text) is not None)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
                continue
            documents.append(Document(path, builder.build(node), NodeLocator(node)))
    except yaml.MarkedYAMLError as error:
        raise InputError(_describe(error), _mark_location(path, error)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    except RecursionError:
        raise InputError("YAML is nested too deeply", Location(path)) from None
    finally:
        loader.dispose()
    return documents


def _prescan(text: str, path: str) -> None:
    """Parse the whole text in C, building nothing: syntax errors and size, cheaply."""
    parser_class: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)
    if parser_class is None:  # pragma: no cover - PyYAML built without libyaml
        return
    parser = parser_class(text)
    try:
        events = parser.raw_parse()
    except yaml.MarkedYAMLError as error:
        raise InputError(_describe(error), _mark_location(path, error)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    finally:
        parser.dispose()
    if events > limits.MAX_YAML_EVENTS:
        raise InputError(
            f"YAML file of {events:,} parser events (about one per value), above the limit "
            f"of {limits.MAX_YAML_EVENTS:,} for one file: split it, or write it as JSON",
            Location(path),
        )


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


class _Builder:
    """Checks every node as the data will be expanded, and builds the data on the way.

    One iterative walk (no recursion, whatever the nesting): plain strings, lists and
    mappings are built here; anything else (numbers, dates, merge keys, ``!!set``) is
    left to PyYAML's safe constructor, node by node, and still checked. Aliases are
    expanded as they will be used (each use counts against the event budget), so a
    few lines of nested aliases cannot stand for millions of values.
    """

    def __init__(self, loader: Any, path: str, surrogates: bool) -> None:
        self.loader = loader
        self.path = path
        self.surrogates = surrogates
        self.visited = 0
        self.scalars: dict[tuple[str, str], Any] = {}

    def fail(self, message: str, node: Node) -> InputError:
        return InputError(message, _at(self.path, node))

    def build(self, root: Node) -> Any:
        holder: list[Any] = [None]
        #: (node, depth, container to fill or None when PyYAML builds this subtree, slot)
        stack: list[tuple[Node, int, Any, Any]] = [(root, 1, holder, 0)]
        while stack:
            node, depth, target, slot = stack.pop()
            self.visited += 1
            if self.visited > limits.MAX_YAML_EVENTS:
                raise self.fail(
                    "YAML aliases expand to far more data than the file holds "
                    "(an alias bomb?); refusing to expand it",
                    node,
                )
            if isinstance(node, ScalarNode):
                if target is not None:
                    target[slot] = self.scalar(node)
                else:
                    self.check_scalar(node)
                continue
            if depth > limits.MAX_DEPTH:
                raise self.fail(limits.too_deep(), node)
            builds = target is not None and node.tag in (_SEQ_TAG, _MAP_TAG)
            if isinstance(node, MappingNode):
                builds = builds and not any(key.tag == _MERGE_TAG for key, _ in node.value)
                value: Any = {} if builds else None
                children = self.pairs(node, depth, value)
            else:
                value = [None] * len(node.value) if builds else None
                children = [
                    (item, depth + 1, value, index) for index, item in enumerate(node.value)
                ]
            if target is not None:
                target[slot] = value if builds else self.construct(node)
            stack.extend(reversed(children))
        return holder[0]

    def pairs(
        self, node: MappingNode, depth: int, value: dict[str, Any] | None
    ) -> list[tuple[Node, int, Any, Any]]:
        seen: dict[str, Node] = {}
        children: list[tuple[Node, int, Any, Any]] = []
        for key, item in node.value:
            if key.tag == _MERGE_TAG:
                children.append((item, depth + 1, None, None))
                continue
            if not isinstance(key, ScalarNode):
                raise self.fail("mapping keys must be plain strings", key)
            if key.tag != _STR_TAG:
                what = _TAG_NAMES.get(key.tag, "not a string")
                raise self.fail(
                    f"key {key.value!r} is read by YAML as {what}; quote it: '{key.value}'", key
                )
            name = key.value
            if len(name) > limits.MAX_KEY_LENGTH:
                raise self.fail(limits.key_too_long(len(name)), key)
            if self.surrogates and limits.has_lone_surrogate(name):
                raise self.fail(limits.lone_surrogate(), key)
            first = seen.get(name)
            if first is not None:
                raise self.fail(
                    f"duplicate key {name!r} (first defined at line "
                    f"{first.start_mark.line + 1}, column {first.start_mark.column + 1})",
                    key,
                )
            seen[name] = key
            if value is not None:
                value[name] = None  # keeps the keys in document order
            children.append((item, depth + 1, value, name))
        return children

    def check_scalar(self, node: ScalarNode) -> None:
        if node.tag == _INT_TAG:
            self.construct(node)
        elif self.surrogates and limits.has_lone_surrogate(node.value):
            raise self.fail(limits.lone_surrogate(), node)

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            if self.surrogates and limits.has_lone_surrogate(node.value):
                raise self.fail(limits.lone_surrogate(), node)
            return node.value
        # Numbers, booleans and nulls repeat (count: 2, min_healthy: 1): one
        # construction per distinct spelling. All these values are immutable.
        key = (tag, node.value)
        value = self.scalars.get(key, self)
        if value is self:
            value = self.scalars[key] = self.construct(node)
        return value

    def construct(self, node: Node) -> Any:
        """PyYAML's safe constructor for one node (and its subtree)."""
        if node.tag == _INT_TAG and len(node.value) > 4 * limits.MAX_INT_DIGITS:
            raise self.fail(limits.int_too_long(), node)
        loader = self.loader
        try:
            if isinstance(node, ScalarNode) and node.tag in _PLAIN_SCALAR_TAGS:
                # What construct_object would call, without its bookkeeping.
                value = loader.yaml_constructors[node.tag](loader, node)
            else:
                value = loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError) as error:
            raise self.fail(f"invalid YAML value: {error}", node) from None
        if type(value) is int and not -limits.INT_LIMIT < value < limits.INT_LIMIT:
            raise self.fail(limits.int_too_long(), node)
        return value


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
