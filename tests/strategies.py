"""Random manifest documents for property tests: one set of builders (docs/manifest.md).

``manifests()`` draws whole, valid manifests whose references resolve: a forest of
domains (a parent is always an earlier domain), services placed on domains with
replica counts and ``min_healthy`` (a number or ``majority``), and requirements (hard
ids and ``any_of`` groups) on any entity, so services can require each other in cycles.
Sizes are parameters, since brute-force oracles want small sets; so are the fields the
failure semantics ignore (``extras``: labels, backups, objectives...), which triple
the cost of drawing a manifest.

With ``junk=``, the same builders draw documents as users get them wrong, for tests
that compare two validators: now and then a value is junk (:data:`JUNK`), an id is
malformed (:data:`BAD_IDS`), a required key is missing, a key is misspelt, or an
``any_of`` list is empty or repeats an id. Mostly right, so that documents with a
single thing wrong, the ones a fast path most easily misjudges, are common.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from checker.core.findings import AppliedWaiver, Finding
from checker.core.location import Location

Doc = dict[str, Any]
Strategy = st.SearchStrategy

KINDS = ("facility", "hall", "ups", "feed", "rack")
TIERS = ("critical", "high", "medium", "low")
DURATIONS = ("90s", "15m", "4h", "1h30m", "2d", "1w")

#: Valid ids for junk documents, with the characters ids may hold besides letters.
ID_POOL = ("a", "pangyo/b3-ups", "x:y.z_1")
#: Malformed ids: a space, empty, a non-ASCII letter, a trailing newline (which a
#: Python ``$`` lets through and the schema's patterns do not).
BAD_IDS = ("bad id", "", "é", "a\n", "a ", "a\t", "x:y.z_1\r\n", "١")
#: Values of the wrong type or shape for some field or other: null, booleans (never
#: counts), negative and zero counts, a float count, ids, durations good and bad.
JUNK: Strategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 4),
    st.just(2.0),
    st.sampled_from(ID_POOL + BAD_IDS),
    st.sampled_from(
        ["majority", "1h", "90s", "1h30m", "3 hours", "2d", "1h\n", "1h ", "١h", "critical"]
    ),
    st.integers(16, 20).map(lambda digits: "9" * digits + "s"),
)

#: In place of a value in a valid record: leave the key out.
ABSENT: Strategy[Any] = st.just(None)


def _without_absent(record: Doc) -> Doc:
    # None is never a value of a valid record here (the format allows it only for
    # optional scalars, which mean the same when left out).
    return {key: value for key, value in record.items() if value is not None}


def _itself(strategy: Strategy[Any]) -> Strategy[Any]:
    return strategy


def _same(value: Any) -> Any:
    return value


def _requirement_on(members: list[str]) -> Strategy[Any]:
    group = st.fixed_dictionaries(
        {"any_of": st.just(members)}, optional={"min": st.integers(1, len(members))}
    )
    return st.one_of(st.just(members[0]), group) if len(members) == 1 else group


class Builders:
    """A strategy for each part of a manifest; with ``junk``, any part may be wrong."""

    def __init__(self, junk: Strategy[Any] | None = None, *, extras: bool = False) -> None:
        self.junk = junk
        # Junk documents always have every field: each is somewhere to be wrong.
        self.extras = extras or junk is not None

    def field(self, value: Strategy[Any], *wrong: Strategy[Any]) -> Strategy[Any]:
        """``value``; in junk mode, one time in four a junk value or one of ``wrong``."""
        if self.junk is None:
            return value
        # Weighted by hand: st.one_of(value, JUNK) would flatten JUNK's six branches
        # into its own and pick junk for six fields out of seven. Mapped, the junk
        # stays one branch, as likely as each wrong variant of the value.
        otherwise = st.one_of(self.junk.map(_same), *wrong)
        return st.sampled_from((value, value, value, otherwise)).flatmap(_itself)

    def ref(self, ids: Sequence[str]) -> Strategy[Any]:
        """One of ``ids``; in junk mode now and then a malformed id or junk."""
        return self.field(st.sampled_from(ids), st.sampled_from(BAD_IDS))

    def record(
        self,
        required: dict[str, Strategy[Any]],
        optional: dict[str, Strategy[Any]],
        typo: str,
        wrong: dict[str, Strategy[Any]] | None = None,
    ) -> Strategy[Any]:
        """A mapping; in junk mode any value may be junk (or its ``wrong`` variant), and
        the mapping itself junk, short of a required key, or with the misspelt ``typo``."""
        if self.junk is None:
            return st.fixed_dictionaries(required, optional=optional).map(_without_absent)
        variants = {key: [value] for key, value in (wrong or {}).items()}
        required = {k: self.field(v, *variants.get(k, [])) for k, v in required.items()}
        optional = {k: self.field(v, *variants.get(k, [])) for k, v in optional.items()}
        return self.field(
            st.fixed_dictionaries(required, optional=optional),
            st.fixed_dictionaries({}, optional={**required, **optional}),
            st.fixed_dictionaries({**required, typo: self.junk}, optional=optional),
        )

    def requirement(self, members: Sequence[str]) -> Strategy[Any]:
        """A hard id, or ``{any_of: [...], min: K}`` (mostly: groups are where gates differ)."""
        if self.junk is None:
            chosen = st.lists(st.sampled_from(members), min_size=1, max_size=3, unique=True)
            return chosen.flatmap(_requirement_on)
        any_of = st.lists(self.ref(members), min_size=1, max_size=3, unique=True)
        empty_or_repeated: Strategy[list[str]] = st.one_of(
            st.just([]), st.sampled_from(members).map(lambda member: [member, member])
        )
        group = self.record(
            {"any_of": any_of},
            {"min": st.integers(1, 3)},
            typo="max",
            wrong={"any_of": empty_or_repeated},
        )
        return st.one_of(self.ref(members), group)

    def labels(self) -> Strategy[Any]:
        """Free string-to-string data (in junk mode, a value may be of another type)."""
        keys = ("team", "zone") if self.junk is None else ID_POOL + BAD_IDS
        values = self.field(st.sampled_from(("a", "b")))
        return st.dictionaries(st.sampled_from(keys), values, max_size=2)

    def instance(self, domains: Sequence[str]) -> Strategy[Any]:
        """A domain id (one replica), or ``{at: ID, count: N, labels: {...}}``."""
        optional: dict[str, Strategy[Any]] = {"count": st.integers(1, 3)}
        if self.extras:
            optional["labels"] = self.labels()
        placed = self.record({"at": st.sampled_from(domains)}, optional, typo="cuont")
        return st.one_of(self.ref(domains), placed)

    def backup(self, domains: Sequence[str]) -> Strategy[Any]:
        every = {"at": st.sampled_from(domains), "every": st.sampled_from(DURATIONS)}
        return self.record(every, {}, typo="x")

    def domain(self, parents: Sequence[str], members: Sequence[str]) -> Strategy[Any]:
        """A domain document whose parent is one of ``parents`` (none when empty)."""
        optional: dict[str, Strategy[Any]] = {
            "depends_on": st.lists(self.requirement(members), max_size=3)
        }
        if self.extras:
            optional |= {"labels": self.labels(), "meta": st.just({"notes": ["free", 1]})}
        if parents:
            optional["parent"] = st.sampled_from(parents)
        return self.record({"kind": st.sampled_from(KINDS)}, optional, typo="kidn")

    def service(self, domains: Sequence[str], members: Sequence[str]) -> Strategy[Any]:
        """A service document placed on ``domains``, requiring some of ``members``."""
        min_healthy = st.one_of(st.integers(1, 3), st.just("majority"))
        # What decides a service's fate is drawn for every service, as often a quorum as
        # not (engine tests want quorums and cycles); no min_healthy at all now and then.
        required = {
            "tier": st.sampled_from(TIERS),
            "instances": st.lists(self.instance(domains), max_size=4),
            "min_healthy": min_healthy if self.junk is not None else st.one_of(ABSENT, min_healthy),
            "depends_on": st.lists(self.requirement(members), max_size=3),
        }
        optional: dict[str, Strategy[Any]] = {}
        if self.extras:
            optional |= {
                "backups": st.lists(self.backup(domains), max_size=2),
                "rto": st.sampled_from(DURATIONS),
                "rpo": st.sampled_from(DURATIONS),
                "owner": st.just("platform"),
                "labels": self.labels(),
                "meta": st.just({"notes": ["free", 1]}),
            }
        return self.record(required, optional, typo="depnds_on")


@st.composite
def _valid_manifests(
    draw: st.DrawFn, domains: tuple[int, int], services: tuple[int, int], extras: bool
) -> Doc:
    build = Builders(extras=extras)
    domain_ids = [f"d{i}" for i in range(draw(st.integers(*domains)))]
    service_ids = [f"s{i}" for i in range(draw(st.integers(*services)))]
    everything = domain_ids + service_ids
    return {
        "version": 1,
        # A parent is an earlier domain: a forest, never a cycle.
        "domains": {
            domain_id: draw(build.domain(domain_ids[:index], everything))
            for index, domain_id in enumerate(domain_ids)
        },
        "services": {
            service_id: draw(build.service(domain_ids, everything)) for service_id in service_ids
        },
    }


def manifests(
    *,
    domains: tuple[int, int] = (1, 7),
    services: tuple[int, int] = (1, 6),
    extras: bool = False,
    junk: Strategy[Any] | None = None,
    ids: Sequence[str] = ID_POOL,
) -> Strategy[Doc]:
    """Manifest documents with ``domains`` and ``services`` (inclusive ranges) entities.

    Valid ones by default, with the fields no failure depends on when ``extras``; with
    ``junk``, whole files as users get them wrong, their ids and references from ``ids``.
    """
    if junk is None:
        return _valid_manifests(domains, services, extras)
    build = Builders(junk)

    def section(entity: Strategy[Any], size: tuple[int, int]) -> Strategy[Any]:
        return st.dictionaries(build.ref(ids), entity, min_size=size[0], max_size=size[1])

    body = build.record(
        {},
        {
            "domains": section(build.domain(ids, ids), domains),
            "services": section(build.service(ids, ids), services),
            "$schema": st.just("../schemas/manifest.schema.json"),
        },
        typo="extra",
    )
    # Never a junk version: the version is checked before the rest of a file is.
    return st.builds(_versioned, body, st.booleans())


def _versioned(body: Any, versioned: bool) -> Any:
    return {"version": 1, **body} if versioned and isinstance(body, dict) else body


#: Text as findings carry it: quotes, backslashes, control characters, any script.
FINDING_TEXT: Strategy[str] = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ['a "quoted" \\ path', "tab\there\nnew line", "\x00\x1f\x7f", "한국 ☃"]
)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    """Findings with every optional part, for reporters held to a reference encoding."""
    text = FINDING_TEXT
    owner = draw(st.none() | text)
    waiver = None
    if draw(st.booleans()):
        waiver = AppliedWaiver(
            draw(text), draw(text), draw(text), "2027-01-01", draw(st.none() | text), "w.yaml:3:5"
        )
    return Finding(
        draw(text),
        draw(text),
        draw(st.sampled_from(["fail", "pass", "waived"])),
        draw(st.sampled_from(["critical", "high", "medium", "low", "info", "odd"])),
        draw(text),
        Location(draw(text), draw(st.integers(1, 10**6)), draw(st.integers(1, 500))),
        tuple(draw(st.lists(text, max_size=3))),
        draw(text),
        owner,
        waiver,
        draw(st.sampled_from([None, "new", "unchanged"])),
    )
