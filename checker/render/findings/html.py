"""``html``: one self-contained page for people (docs/report.md).

Everything is inline: the stylesheet, the script, the pictures and the data (one JSON
block), and a Content-Security-Policy forbids the page any request, so it opens
offline and can be attached to a CI run. The server side writes what must read
without a script (verdict, counts by severity, rule and owner, the inputs, the model
overview picture); the script builds the findings table from the data (filters,
sorting, free-text search, a page of rows at a time, so 10,000 findings stay quick)
and draws each finding's blast radius from its cause chain.

Pictures come from :class:`~checker.queries.pictures.Pictures` (the failure engine's
own answers, computed by the command line); the page computes no failure itself.
Every string from the inputs is escaped: ``html.escape`` in markup, ``<`` as
``\\u003c`` in the JSON block so no value can close the script element.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from html import escape
from importlib import resources
from typing import Any

from checker.core.findings import SEVERITIES, Finding, Result
from checker.core.words import plural
from checker.gate.diff import counts as diff_counts
from checker.queries.pictures import Pictures
from checker.render.findings import ReportOptions
from checker.render.findings.html_data import report_data
from checker.render.svg import to_svg

#: Rows of a count table (the busiest first); the filters list every value.
COUNT_ROWS = 10
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; form-action 'none'; base-uri 'none'"
)


def render(result: Result, options: ReportOptions) -> str:
    shown = [f for f in result.findings if f.status != "pass" or options.show_passing]
    data = report_data(result, shown, options)
    blocking = result.failing(options.fail_on)
    verdict = "failed" if blocking else "passed"
    page = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>resilint report: {verdict}</title>",
        f"<style>{_asset('report.css')}</style></head><body>",
        '<a class="skip" href="#findings">Skip to the findings</a>',
        _header(result, options, blocking),
        '<nav class="sections" aria-label="Sections"><a href="#findings">Findings</a>'
        '<a href="#model">Model and what-if</a></nav>',
        "<main>",
        _findings_section(),
        _model_section(options.pictures),
        "</main>",
        f'<script type="application/json" id="resilint-data">{_json(data)}</script>',
        f"<script>{_asset('report.js')}</script>",
        "</body></html>",
    ]
    return "\n".join(page) + "\n"


def _asset(name: str) -> str:
    return (resources.files("checker.render.findings") / "html_assets" / name).read_text(
        encoding="utf-8"
    )


def _json(data: Any) -> str:
    # "<" escaped: no value can end the script element or open a comment in it.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _header(result: Result, options: ReportOptions, blocking: list[Finding]) -> str:
    if blocking:
        count = f"{len(blocking):,} finding{'s' if len(blocking) != 1 else ''}"
        verdict = f"✗ Failed: {count} at or above fail_on={options.fail_on}"
    else:
        verdict = f"✓ Passed: nothing fails at or above fail_on={options.fail_on}"
    summary = result.summary
    line = (
        f"{summary.get('fail', 0):,} failed, {summary.get('pass', 0):,} passed, "
        f"{summary.get('waived', 0):,} waived; {len([r for r in result.rules if r.enabled])} rules"
    )
    parts = [
        '<header class="top"><h1>resilint report</h1>',
        f'<p class="verdict {"failed" if blocking else "passed"}" role="status">'
        f"{escape(verdict)}</p>",
        f"<p>{escape(line)}.</p>",
        *_diff_line(result),
        *_notices(result),
        '<h2 id="summary">Failures by severity, rule and owner</h2>',
        _counts(result, options),
        _inputs(result, options),
        "</header>",
    ]
    return "\n".join(parts)


def _diff_line(result: Result) -> list[str]:
    if result.diff is None:
        return []
    new, fixed, unchanged = diff_counts(result)
    since = f"since {result.diff.ref} ({result.diff.commit[:12]})"
    return [
        f'<p class="diffline">This change, {escape(since)}: {new:,} new, {fixed:,} fixed, '
        f"{unchanged:,} unchanged.</p>"
    ]


def _notices(result: Result) -> list[str]:
    """Rules that applied to nothing, and the like: above the counts, as every format
    says them, so that a rule disarmed by an empty selection is seen (docs/policy.md)."""
    if not result.notices:
        return []
    items = "".join(
        "<li>"
        + (f"<code>{escape(str(notice.location))}</code>: " if notice.location else "")
        + f"{escape(notice.message)}</li>"
        for notice in result.notices
    )
    return [
        '<section class="notices" aria-labelledby="notices-title">'
        f'<h2 id="notices-title">{plural(len(result.notices), "notice")}</h2>'
        f"<ul>{items}</ul></section>"
    ]


def _counts(result: Result, options: ReportOptions) -> str:
    failed = [f for f in result.findings if f.status == "fail"]
    if not failed:
        return '<p class="note">No failing finding.</p>'
    tables = []
    dimensions: list[tuple[str, Callable[[Finding], str], list[str] | None]] = [
        ("severity", lambda f: f.severity, list(SEVERITIES)),
        ("rule", lambda f: f.rule, None),
        ("owner", lambda f: f.owner or "(no owner)", None),
    ]
    for name, key, order in dimensions:
        counts = Counter(key(f) for f in failed)
        gating = Counter(key(f) for f in failed if f.blocks(options.fail_on))
        names = (
            [n for n in order if counts[n]]
            if order
            else sorted(counts, key=lambda n: (-counts[n], n))
        )
        rows = "".join(
            f'<tr><th scope="row">{escape(n)}</th><td class="n">{counts[n]:,}</td>'
            f'<td class="n">{gating[n]:,}</td></tr>'
            for n in names[:COUNT_ROWS]
        )
        if len(names) > COUNT_ROWS:
            rows += (
                f'<tr><td colspan="3" class="note">and {len(names) - COUNT_ROWS:,} more '
                f"(the {name} filter below lists them all)</td></tr>"
            )
        tables.append(
            f'<table><caption>By {name}</caption><thead><tr><th scope="col">{name}</th>'
            '<th scope="col">failed</th><th scope="col">failing the run</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return '<div class="counts">' + "".join(tables) + "</div>"


def _inputs(result: Result, options: ReportOptions) -> str:
    config = escape(options.config_file) if options.config_file else "none (defaults)"
    policies = ", ".join(escape(p) for p in options.policies) or "builtin:baseline"
    files = "".join(f"<li>{escape(path)}</li>" for path in result.files)
    version = f" · resilint {escape(options.tool_version)}" if options.tool_version else ""
    return (
        '<details class="inputs"><summary>Inputs: config, policies and '
        f"{plural(len(result.files), 'manifest file')}{version}</summary>"
        f"<p>Config: {config}</p><p>Policies: {policies}</p><ul>{files}</ul></details>"
    )


def _findings_section() -> str:
    def select(ident: str, label: str) -> str:
        return f'<label for="{ident}">{label}<select id="{ident}"></select></label>'

    headers = [("sev", "Severity"), ("status", "Status"), ("rule", "Rule"), ("entity", "Entity")]
    headers += [("owner", "Owner"), ("loc", "Location"), ("msg", "Message")]
    head = "".join(
        f'<th scope="col" data-key="{key}" aria-sort="{_sorted(key)}">'
        f'<button type="button">{label}</button></th>'
        for key, label in headers
    )
    return (
        '<section id="findings" aria-labelledby="findings-title">'
        '<h2 id="findings-title">Findings</h2>'
        '<fieldset class="filters"><legend>Filter</legend>'
        '<label for="f-q">Search<input type="search" id="f-q" '
        'placeholder="id, rule, message, cause…"></label>'
        + select("f-sev", "Severity")
        + select("f-status", "Status")
        + select("f-rule", "Rule")
        + select("f-owner", "Owner")
        + select("f-file", "File")
        + '<button type="button" id="f-reset">Reset filters</button></fieldset>'
        '<p id="count" class="count" role="status" aria-live="polite"></p>'
        "<noscript><p>The findings table needs JavaScript; the counts above and the "
        "json or markdown formats have the same findings.</p></noscript>"
        '<table class="findings"><thead><tr><th scope="col"><span class="skip">Details</span></th>'
        f'{head}</tr></thead><tbody id="rows"></tbody></table>'
        '<button type="button" id="more" class="more" hidden>Show more findings</button>'
        "</section>"
    )


def _sorted(key: str) -> str:
    return "ascending" if key == "status" else "none"


def _model_section(pictures: Pictures | None) -> str:
    parts = ['<section id="model" aria-labelledby="model-title">']
    parts.append('<h2 id="model-title">Model and what-if</h2>')
    if pictures is None:
        parts.append('<p class="note">No model was given to this report.</p></section>')
        return "".join(parts)
    parts.append(
        '<div class="whatif-pick"><label for="whatif-domain">What if this domain fails?</label>'
        '<select id="whatif-domain"></select></div>'
        '<div id="whatif-result" aria-live="polite"></div>'
    )
    if pictures.overview is not None:
        parts.append(
            "<p>The domain tree (boxes) and the services (requirements solid, placements "
            "dashed). Click a domain, or press Enter on it, to see what goes down with it.</p>"
        )
        overview = pictures.overview
        svg = to_svg(overview, "model overview", standalone=False, prefix="ov-", markable=True)
        parts.append(f'<div class="overview">{svg}</div>')
    else:
        parts.append(
            f'<p class="note">The model has {pictures.size:,} entities to draw: too many for one '
            "legible picture. Choose a domain above for what goes down with it; "
            "<code>resilint graph -f svg --around ID</code> draws a part of the model.</p>"
        )
    parts.append("</section>")
    return "".join(parts)
