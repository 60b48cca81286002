"""What the ``html`` format of ``check`` needs beyond the result (docs/report.md).

Built only when html is asked for: the pictures cost a propagation per domain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from checker.cli.project import Project
from checker.loading.files import display_path
from checker.queries.pictures import pictures
from checker.render.findings import ReportOptions


def html_options(
    report: ReportOptions,
    project: Project,
    policies: Sequence[str],
    environ: Mapping[str, str],
) -> ReportOptions:
    """``report`` with the model's pictures, the config and policies, and a source URL."""
    values = project.config.values
    source = project.config.source
    return dataclasses.replace(
        report,
        pictures=pictures(project.model),
        config_file=display_path(source) if source is not None else None,
        policies=tuple(policies) if policies else tuple(values.policies),
        source_url=values.source_url or ci_source_url(environ),
    )


def ci_source_url(environ: Mapping[str, str]) -> str | None:
    """The checked-out commit's file view, under GitHub Actions or GitLab CI."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    commit = environ.get("GITHUB_SHA")
    if server and repository and commit:
        return f"{server}/{repository}/blob/{commit}/{{path}}#L{{line}}"
    project, commit = environ.get("CI_PROJECT_URL"), environ.get("CI_COMMIT_SHA")
    if project and commit:
        return f"{project}/-/blob/{commit}/{{path}}#L{{line}}"
    return None
