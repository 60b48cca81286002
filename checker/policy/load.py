"""Load policy files and built-in packs into rules; each mistake is a PolicyError at file:line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from checker.checks import CHECKS
from checker.core.errors import InputError, PolicyError, Problem, UsageError
from checker.core.location import Location, Pointer
from checker.core.model import DEFAULT_TIERS
from checker.core.words import suggest
from checker.loading.document import Document
from checker.loading.files import display_path
from checker.loading.parse import parse_file
from checker.policy import format
from checker.policy.pack_tiers import TierMap, translate
from checker.policy.rule import Rule

BUILTIN_PREFIX = "builtin:"


def packs_dir() -> Path:
    """Where built-in packs live: inside the installed package, or at the repo top level."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "policies"
    return installed if installed.is_dir() else here.parent / "policies"


def available_packs() -> list[str]:
    return sorted(p.stem for p in packs_dir().glob("*.yaml"))


def resolve_policy(ref: str, base: Path, where: Location | None = None) -> tuple[Path, str]:
    """(file to read, name to show) for ``builtin:NAME`` or a path relative to ``base``.

    ``where`` is where the reference is written (in a config file), for messages.
    """
    if ref.startswith(BUILTIN_PREFIX):
        name = ref[len(BUILTIN_PREFIX) :]
        path = packs_dir() / f"{name}.yaml"
        packs = available_packs()
        if name not in packs:  # a known name, never a path: "builtin:../x" reads nothing
            raise PolicyError(
                f"unknown built-in pack {ref!r}"
                + suggest(name, packs).replace("'", "'builtin:", 1)
                + f" (available: {', '.join(BUILTIN_PREFIX + p for p in packs)})",
                where,
            )
        return path, ref
    path = (base / ref) if not Path(ref).is_absolute() else Path(ref)
    if not path.exists():
        if where is not None:
            raise PolicyError(f"policies: no such file: {ref}", where)
        raise PolicyError(f"policy file not found: {ref}")
    return path, display_path(path)


def _known_keys(pointer: Pointer) -> Sequence[str]:
    if not pointer:
        return ("version", "rules", "$schema")
    if len(pointer) == 2:
        return format.rule_keys()
    if len(pointer) == 3 and pointer[2] == "select":
        return tuple(format.Select.model_fields)
    if len(pointer) == 4 and pointer[2:] == ("select", "tier"):
        return tuple(format.AtLeast.model_fields)
    if len(pointer) == 3 and pointer[2] in CHECKS:
        return tuple(CHECKS[str(pointer[2])].Params.model_fields)
    return ()


def load_policies(
    refs: Sequence[str],
    base: Path,
    tiers: Sequence[str] = DEFAULT_TIERS,
    wheres: Sequence[Location | None] = (),
) -> list[Rule]:
    """Rules of every referenced policy, in order; ids must be unique across them."""
    rules, problems, _ = read_policies(refs, base, tiers, wheres)
    if problems:
        raise PolicyError(problems)
    return rules


class PoliciesRead(NamedTuple):
    rules: list[Rule]
    problems: list[Problem]
    #: Every rule id written in the policies, loaded or not (config may name them).
    written: frozenset[str]


def read_policies(
    refs: Sequence[str],
    base: Path,
    tiers: Sequence[str] = DEFAULT_TIERS,
    wheres: Sequence[Location | None] = (),
    pack_tiers: TierMap | None = None,
) -> PoliciesRead:
    """The rules that load, and every problem of every policy (none stops the others).

    ``wheres`` says where each reference is written (in a config file), for messages;
    ``pack_tiers`` maps the built-in packs' tiers onto the configured ones.
    """
    pack_tiers = pack_tiers or {}
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    problems: list[Problem] = []
    written: set[str] = set()
    for index, ref in enumerate(refs):
        where = wheres[index] if index < len(wheres) else None
        try:
            path, shown = resolve_policy(ref, base, where)
            document = parse_file(path, shown if not ref.startswith(BUILTIN_PREFIX) else None)
        except UsageError:
            raise  # the command line or the environment is wrong: once is enough
        except InputError as error:
            problems.extend(error.problems)
            continue
        unmapped: set[str] = set()
        found = _rules_of(document, shown, tuple(tiers), problems, written, pack_tiers, unmapped)
        if unmapped:
            problems.append(_unmapped(ref, sorted(unmapped, key=DEFAULT_TIERS.index), tiers, where))
        for rule in found:
            for name in (rule.id, *rule.aliases):
                first = seen.get(name)
                if first is not None:
                    problems.append(
                        Problem(
                            f"rule id {name!r} is defined twice: here and at {first.location}",
                            rule.location,
                        )
                    )
                seen[name] = rule
            rules.append(rule)
    return PoliciesRead(rules, problems, frozenset(written))


def _rules_of(
    document: Document,
    source: str,
    tiers: tuple[str, ...],
    problems: list[Problem],
    names: set[str],
    pack_tiers: TierMap,
    unmapped_tiers: set[str],
) -> list[Rule]:
    data: Any = document.data
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "a policy file must be a mapping with 'version: 1' and 'rules'",
                document.location(()),
            )
        )
        return []
    if data.get("version", 1) != 1:
        problems.append(
            Problem(
                f"unsupported policy version {data['version']!r}: this resilint reads version 1",
                document.location(("version",)),
            )
        )
        return []
    written = data.get("rules")
    if isinstance(written, dict):
        names.update(str(key) for key in written)
    try:
        parsed = format.PolicyFile.model_validate(data)
    except ValidationError as error:
        from checker.loading.problems import problems_from_validation  # lazy: errors only

        problems.extend(problems_from_validation(error, document, _known_keys))
        # The rules without a problem still load, so that what they say is checked too.
        bad = {e["loc"][1] for e in error.errors() if len(e["loc"]) > 1 and e["loc"][0] == "rules"}
        if not isinstance(written, dict) or len(bad) != len({e["loc"][:2] for e in error.errors()}):
            return []
        kept = {**data, "rules": {k: v for k, v in written.items() if k not in bad}}
        try:
            parsed = format.PolicyFile.model_validate(kept)
        except ValidationError:  # pragma: no cover - what is left validated before
            return []
    rules = []
    for rule_id, rule in parsed.rules.items():
        where = document.location(("rules", rule_id))
        checks = format.checks_of(rule)
        if len(checks) != 1:
            found = f"found {', '.join(checks)}" if checks else "found none"
            problems.append(
                Problem(
                    f"rule {rule_id!r} must have exactly one check ({', '.join(CHECKS)}); {found}",
                    where,
                )
            )
            continue
        ((check, params),) = checks.items()
        entity = rule.select.entity
        if entity not in CHECKS[check].APPLIES_TO:
            problems.append(
                Problem(
                    f"rule {rule_id!r}: check {check!r} does not apply to {entity}s "
                    f"(with entity: domain only survives and schema apply)",
                    document.location(("rules", rule_id, "select", "entity")),
                )
            )
            continue
        select = rule.select
        if source.startswith(BUILTIN_PREFIX):
            select, unmapped = translate(select, pack_tiers, tiers)
            if unmapped:
                unmapped_tiers.update(unmapped)
                continue
        problems.extend(_select_problems(document, rule_id, select, tiers))
        if params is None:
            params = _default_params(document, rule_id, check, problems)
            if params is None:
                continue
        rules.append(
            Rule(
                id=rule_id,
                title=rule.title,
                severity=rule.severity,
                select=select,
                check=check,
                params=params,
                why=rule.why,
                fix=rule.fix,
                tags=tuple(rule.tags),
                references=tuple(rule.references),
                aliases=tuple(rule.aliases),
                source=source,
                location=where,
                default_severity=rule.severity,
                document=document,
            )
        )
    return rules


def _unmapped(
    ref: str, unmapped: Sequence[str], tiers: Sequence[str], where: Location | None
) -> Problem:
    names = ", ".join(repr(t) for t in unmapped)
    example = f'{unmapped[0]} = "{tiers[0]}"'
    return Problem(
        f"{ref} selects services by tier {names}, which is not a configured tier "
        f"({', '.join(tiers)}): say which of your tiers it stands for in the config's "
        f"[pack_tiers] table, e.g. {example}",
        where,
    )


def _default_params(
    document: Document, rule_id: str, check: str, problems: list[Problem]
) -> BaseModel | None:
    """The parameters of a check key left empty (``acyclic:``), if it has no required ones."""
    try:
        return CHECKS[check].Params.model_validate({})
    except ValidationError as error:
        missing = [".".join(map(str, e["loc"])) for e in error.errors() if e["type"] == "missing"]
        needs = f"needs {', '.join(missing)}" if missing else "needs parameters"
        problems.append(
            Problem(
                f"rule {rule_id!r}: check {check!r} {needs} (see 'resilint explain' or "
                "docs/policy.md)",
                document.location(("rules", rule_id, check)),
            )
        )
        return None


def _select_problems(
    document: Document, rule_id: str, select: format.Select, tiers: tuple[str, ...]
) -> list[Problem]:
    problems = []
    base: Pointer = ("rules", rule_id, "select")
    if select.entity == "domain" and select.tier is not None:
        problems.append(
            Problem(
                f"rule {rule_id!r}: 'tier' selects services, not domains",
                document.location((*base, "tier")),
            )
        )
    if select.entity == "service" and select.kind is not None:
        problems.append(
            Problem(
                f"rule {rule_id!r}: 'kind' selects domains; add 'entity: domain'",
                document.location((*base, "kind")),
            )
        )
    tier = select.tier
    names = (
        [tier.at_least]
        if isinstance(tier, format.AtLeast)
        else [tier]
        if isinstance(tier, str)
        else list(tier or [])
    )
    for name in names:
        if name not in tiers:
            problems.append(
                Problem(
                    f"rule {rule_id!r}: unknown tier {name!r}"
                    + suggest(name, tiers)
                    + f" (configured tiers: {', '.join(tiers)})",
                    document.location((*base, "tier")),
                )
            )
    return problems
