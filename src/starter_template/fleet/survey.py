"""One repository's report: its answers, its place among the template's releases, its plan."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ..plan_check import Plan, parse
from . import model
from .answers_yaml import AnswersError, Value, load_answers
from .model import PartProgress, PlanProgress, Problem, RepoReport
from .releases import (
    ReleaseCatalog,
    ReleaseError,
    is_relative_path,
    is_url,
    list_tags,
    parse_version,
    read_commit,
    redact,
    same_place_key,
)
from .sources import DEFAULT_TIMEOUT, git_env, read_local, read_url

ANSWERS_FILE: Final = ".copier-answers.yml"
PLAN_FILE: Final = "implementation.md"
# Every project of this starter has these answers; another template's answers file lacks them.
FINGERPRINT: Final = ("project_name", "project_type")
_CONFLICT: Final = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True)
class Options:
    """How to read the fleet."""

    template: str | None = None  # the template every repository should come from
    answers_file: str = ANSWERS_FILE
    plan_file: str = PLAN_FILE
    timeout: float = DEFAULT_TIMEOUT
    env: Mapping[str, str] = field(default_factory=git_env)
    scratch: Path | None = None  # where URL repositories are cloned (a temporary folder)


def default_jobs() -> int:
    """Threads: git waits on the network and the disk, so several per core (measured with
    benchmarks/fleet.py: 16 beat 8 and 4 on 2 cores, for folders and for URLs alike)."""
    return min(32, 8 * (os.cpu_count() or 1))


def _text(value: Value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _part(key: str, title: str, fields: int, unfilled: int, done: int, total: int) -> PartProgress:
    return PartProgress(key, title, fields - unfilled, fields, done, total)


def plan_progress(plan: Plan) -> PlanProgress:
    """The figures of a plan read by the plan check (`starter_template.plan_check.parse`)."""
    return PlanProgress(
        fields_filled=plan.fields - plan.unfilled,
        fields_total=plan.fields,
        checklist_done=plan.done,
        checklist_total=plan.checklist,
        damaged=bool(plan.problems),
        sections=tuple(
            _part(p.key, p.title, p.fields, len(p.unfilled), p.done, p.checklist)
            for p in plan.sections.values()
        ),
        phases=tuple(
            _part(p.key, p.title, p.fields, len(p.unfilled), p.done, p.checklist)
            for p in plan.phases.values()
        ),
    )


def _read_plan(report: RepoReport, text: str | None, name: str) -> None:
    if text is None:
        report.problem(model.NO_PLAN, f"no {name}: the plan is missing")
        return
    plan = parse(text, name)
    report.plan = plan_progress(plan)
    for problem in plan.problems:
        report.problem(model.DAMAGED_PLAN, problem.replace(": error: ", ": ", 1))


def _read_answers(report: RepoReport, text: str | None, name: str) -> dict[str, Value] | None:
    if text is None:
        report.problem(
            model.NO_ANSWERS_FILE,
            f"no {name}: the release and answers are unknown and `copier update` cannot run",
        )
        return None
    try:
        answers = load_answers(text)
    except AnswersError as error:
        conflict = _CONFLICT.search(text)
        if conflict:
            line = text.count("\n", 0, conflict.start()) + 1
            reason = f"unresolved merge conflict markers (line {line})"
        else:
            reason = str(error)
        report.problem(model.CORRUPT_ANSWERS, f"{name} cannot be read: {reason}")
        return None
    report.project_name = _text(answers.get("project_name"))
    report.project_type = _text(answers.get("project_type"))
    report.stack = _text(answers.get("stack"))
    report.ci = _text(answers.get("ci"))
    report.template_source = _text(answers.get("_src_path"))
    report.template_version = _text(answers.get("_commit"))
    return answers


def _releases_source(
    report: RepoReport, answers: Mapping[str, Value], options: Options
) -> str | None:
    """Where this repository's template releases are listed, or None (with a problem)."""
    source = report.template_source
    if options.template is not None:
        if source is None:
            report.problem(model.NO_TEMPLATE_SOURCE, "the answers do not say which template")
        elif is_relative_path(source):
            report.problem(
                model.RELATIVE_TEMPLATE_SOURCE,
                f"copied from the relative path {source!r}: `copier update` cannot find it",
            )
        elif same_place_key(source) != same_place_key(options.template):
            report.problem(
                model.OTHER_TEMPLATE,
                f"answers from another template: {source} (this report is for {options.template})",
            )
            return None
        return options.template
    missing = [key for key in FINGERPRINT if key not in answers]
    if missing:
        report.problem(
            model.OTHER_TEMPLATE,
            f"answers from another template ({source or 'unknown source'}): no "
            f"{' or '.join(missing)} answer",
        )
        return None
    if source is None:
        report.problem(model.NO_TEMPLATE_SOURCE, "the answers do not say which template")
        return None
    if is_relative_path(source):
        report.problem(
            model.RELATIVE_TEMPLATE_SOURCE,
            f"copied from the relative path {source!r}: its releases cannot be listed "
            "(pass --template)",
        )
        return None
    return source


def _place(report: RepoReport, source: str, catalog: ReleaseCatalog) -> None:
    """The release the repository is on, the newest one, and how many it is behind."""
    try:
        releases = catalog.get(source)
    except ReleaseError as error:
        report.problem(model.TEMPLATE_UNREACHABLE, f"cannot list the releases of {source}: {error}")
        return
    latest = releases.latest
    report.latest_template_version = latest.tag if latest else None
    commit = report.template_version
    if commit is None:
        report.problem(model.NO_TEMPLATE_VERSION, "the answers do not say which release (_commit)")
        return
    ref = read_commit(commit)
    if ref.tag is None:
        report.problem(
            model.NOT_A_RELEASE, f"copied from template commit {commit}, not from a release"
        )
        return
    version = releases.find(ref.tag) or parse_version(ref.tag)
    if version is None:
        report.problem(model.NOT_A_RELEASE, f"{ref.tag} is not a release tag of {source}")
        return
    if releases.find(ref.tag) is None:
        report.problem(
            model.RELEASE_MISSING,
            f"release {ref.tag} no longer exists in {source}: `copier update` cannot replay it",
        )
    if ref.ahead:
        report.problem(
            model.UNRELEASED_COMMIT,
            f"on a template commit {ref.ahead} after {ref.tag} ({commit}), not on a release",
        )
    newer = releases.newer_than(version)
    report.releases_behind = len(newer)
    report.newer_releases = [release.tag for release in newer]


def inspect_repository(location: str, options: Options, catalog: ReleaseCatalog) -> RepoReport:
    """Everything the report says about one repository; problems never raise."""
    report = RepoReport(repository=location, kind="url" if is_url(location) else "path")
    try:
        _inspect(report, location, options, catalog)
    except Exception as error:  # one repository never stops the report
        report.problem(model.INTERNAL_ERROR, f"unexpected {type(error).__name__}: {error}")
    return _without_credentials(report)


def _inspect(report: RepoReport, location: str, options: Options, catalog: ReleaseCatalog) -> None:
    names = [options.answers_file, options.plan_file]
    if report.kind == "url":
        snapshot = read_url(
            location, names, env=options.env, timeout=options.timeout, scratch=options.scratch
        )
    else:
        snapshot = read_local(
            Path(location).expanduser(), names, env=options.env, timeout=options.timeout
        )
    report.last_commit = snapshot.last_commit
    report.problems.extend(snapshot.problems)
    if not snapshot.files:
        return  # nothing could be read: the problem says why
    answers = _read_answers(report, snapshot.files.get(options.answers_file), options.answers_file)
    _read_plan(report, snapshot.files.get(options.plan_file), options.plan_file)
    if answers is not None:
        source = _releases_source(report, answers, options)
        if source is not None:
            _place(report, source, catalog)


def _without_credentials(report: RepoReport) -> RepoReport:
    """The report as it may be published: no password or token of a URL in any text."""
    report.repository = redact(report.repository)
    if report.template_source is not None:
        report.template_source = redact(report.template_source)
    report.problems = [Problem(p.code, redact(p.message)) for p in report.problems]
    return report


def make_catalog(options: Options) -> ReleaseCatalog:
    return ReleaseCatalog(lambda source: list_tags(source, dict(options.env), options.timeout))


def inspect_fleet(
    locations: Sequence[str],
    options: Options,
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[RepoReport]:
    """Every repository's report, in the order given, read by a pool of threads."""
    catalog = make_catalog(options)
    reports: list[RepoReport | None] = [None] * len(locations)
    workers = max(1, min(jobs or default_jobs(), len(locations) or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fleet") as pool:
        futures = {
            pool.submit(inspect_repository, location, options, catalog): index
            for index, location in enumerate(locations)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            reports[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(locations))
    return [report for report in reports if report is not None]
