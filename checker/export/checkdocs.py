"""``docs/checks.md``, generated from the check registry: one section per check kind.

Each check module already says what it does, why it matters, an example and the fix
(its docstring), its parameters (``Params``) and what it applies to; this page only
lays them out, so a new check is documented the moment it is registered. The
committed page is this module's output (a test checks); regenerate it with
``python -m checker.export.checkdocs > docs/checks.md``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

from checker.checks import CHECKS
from checker.checks.base import Check, check_sections

SECTIONS = ("What it does", "Why it matters", "Example", "Fix")


def _type_name(schema: dict[str, Any]) -> str:
    """A JSON Schema fragment as a reader says it: ``str``, ``duration``, ``list of str``."""
    if "anyOf" in schema:
        kinds = [_type_name(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds)
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return " or ".join(f"`{v}`" for v in values)
    kind = str(schema.get("type", "any"))
    if kind == "string" and "pattern" in schema:
        return "duration" if "[smhdw]" in schema["pattern"] else "str"
    if kind == "array":
        return "list of " + _type_name(schema.get("items", {}))
    return {"string": "str", "integer": "int", "boolean": "bool", "object": "mapping"}.get(
        kind, kind
    )


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    default: Any = field.default
    return f"`{json.dumps(default)}`" if default is not None else "none"


def _parameters(params: type[BaseModel]) -> list[str]:
    if issubclass(params, RootModel):
        return ["The rule's value is itself the parameter (see above).", ""]
    if not params.model_fields:
        return ["No parameters: write the key with an empty value (`acyclic: {}`).", ""]
    properties = params.model_json_schema()["properties"]
    lines = ["| parameter | type | default |", "| --- | --- | --- |"]
    for name, field in params.model_fields.items():
        lines.append(f"| `{name}` | {_type_name(properties[name])} | {_default(field)} |")
    return [*lines, ""]


def _plain(text: str) -> str:
    """Docstrings quote code reST-style (````x````); Markdown reads ```x```."""
    return text.replace("``", "`")


def _section(name: str, check: Check) -> list[str]:
    sections = check_sections(check)
    applies = " and ".join(f"{kind}s" for kind in sorted(check.APPLIES_TO))
    lines = [f"## `{name}`", "", _plain(check.SUMMARY), "", f"Applies to: {applies}.", ""]
    for title in SECTIONS:
        if sections.get(title):
            lines += [f"### {title}", "", _plain(sections[title]), ""]
    return [*lines, "### Parameters", "", *_parameters(check.Params)]


def render() -> str:
    lines = [
        "# Check kinds",
        "",
        "<!-- Generated from checker/checks/ by `python -m checker.export.checkdocs`; "
        "do not edit. -->",
        "",
        "Every rule names exactly one check; the check decides, for each entity the rule",
        "selects, whether it passes. See [policy.md](policy.md) for rules and selection.",
        "",
        "| check | applies to | a selected entity passes when |",
        "| --- | --- | --- |",
    ]
    for name, check in CHECKS.items():
        applies = ", ".join(sorted(check.APPLIES_TO))
        lines.append(f"| [`{name}`](#{name}) | {applies} | {_plain(check.SUMMARY)} |")
    lines.append("")
    for name, check in CHECKS.items():
        lines += _section(name, check)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
