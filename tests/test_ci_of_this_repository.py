"""This repository's own CI: a GitHub workflow and a GitLab pipeline, linted by the tools that
check generated projects' CI files (actionlint with shellcheck, check-jsonschema) and by zizmor,
running on every change the fast lane and on the default branch, nightly and on demand the whole
suite, each with the test command README.md gives."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from .helpers.facts import SUPPORTED_PYTHONS
from .helpers.linters import VENV_BIN
from .helpers.linters import actionlint as _actionlint
from .helpers.linters import check_schema as _check_schema
from .helpers.linters import lint_env as _lint_env
from .helpers.linters import zizmor_findings as _zizmor
from .helpers.processes import run
from .helpers.template_repo import TEMPLATE_ROOT

WORKFLOW = TEMPLATE_ROOT / ".github/workflows/ci.yml"
DEPENDABOT = TEMPLATE_ROOT / ".github/dependabot.yml"
PIPELINE = TEMPLATE_ROOT / ".gitlab-ci.yml"
CI_RUN = ".ci/run"
# The jobs of both platforms, by what they do.
CHECKS, FAST, WHOLE = "checks", "fast", "whole-suite"


def broken(text: str, *replacements: tuple[str, str]) -> str:
    """`text` with each replacement made; fails if one no longer applies (the file changed)."""
    for old, new in replacements:
        assert old in text, f"{old!r} is no longer there: update this broken variant"
        text = text.replace(old, new)
    return text


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


# --- Linting ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_workflows_pass_actionlint_with_shellcheck_and_their_schemas() -> None:
    workflows = sorted(WORKFLOW.parent.iterdir())
    assert workflows == [WORKFLOW]
    linted = _actionlint(WORKFLOW)
    assert linted.returncode == 0, linted.stdout
    assert "Found total 0 errors" in linted.stderr, linted.stderr
    # The scripts were checked, not skipped for want of shellcheck.
    assert 'Rule "shellcheck" was disabled' not in linted.stderr, linted.stderr
    _check_schema("vendor.github-workflows", WORKFLOW)
    _check_schema("vendor.dependabot", DEPENDABOT)


def test_workflows_and_dependabot_have_no_zizmor_finding() -> None:
    findings, log = _zizmor(Path(".github"), TEMPLATE_ROOT)
    assert findings == [], json.dumps(findings, indent=2)
    for path in (WORKFLOW, DEPENDABOT):
        assert f"completed {path.relative_to(TEMPLATE_ROOT)}" in log, log


@pytest.mark.slow
def test_pipeline_passes_the_gitlab_ci_schema() -> None:
    _check_schema("vendor.gitlab-ci", PIPELINE)


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The check above can fail: a misspelt context property, an unquoted variable."""
    workflow = tmp_path / ".github/workflows/ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        broken(
            WORKFLOW.read_text(),
            ("github.event_name == 'schedule'", "github.event_nam == 'schedule'"),
            ("run: uv run mypy", "run: echo $RUNNER_TEMP"),
        )
    )
    linted = _actionlint(workflow)
    assert linted.returncode == 1, linted.stdout
    assert "event_nam" in linted.stdout
    assert "SC2086" in linted.stdout


def test_zizmor_rejects_an_insecure_workflow(tmp_path: Path) -> None:
    """The check above can fail: an action pinned to a tag, credentials left in the checkout,
    a branch name expanded into a script."""
    pin = re.search(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", WORKFLOW.read_text())
    assert pin
    workflow = tmp_path / ".github/workflows/ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        broken(
            WORKFLOW.read_text(),
            (pin[0], "actions/checkout@v7"),
            ("persist-credentials: false", "fetch-tags: true"),
            ("run: uv run mypy", 'run: echo "${{ github.head_ref }}"'),
        )
    )
    findings, _log = _zizmor(workflow, tmp_path)
    audits = {finding["ident"] for finding in findings}
    assert {"unpinned-uses", "artipacked", "template-injection"} <= audits, audits


@pytest.mark.slow
def test_schemas_reject_a_broken_pipeline_and_dependabot_config(tmp_path: Path) -> None:
    """The schema checks above can fail: `scripts:` for `script:`, an unknown interval."""
    variants = {
        "vendor.gitlab-ci": (PIPELINE, ("  script:\n", "  scripts:\n")),
        "vendor.dependabot": (DEPENDABOT, ("interval: weekly", "interval: fortnightly")),
    }
    for schema, (source, replacement) in variants.items():
        path = tmp_path / source.name
        path.write_text(broken(source.read_text(), replacement))
        checked = run(
            [VENV_BIN / "check-jsonschema", "--builtin-schema", schema, path],
            tmp_path,
            env=_lint_env(),
            check=False,
        )
        assert checked.returncode == 1, (schema, checked.stdout, checked.stderr)


def test_actions_are_pinned_to_a_commit_named_by_its_release() -> None:
    """Each action is pinned by a full commit SHA with its release as a comment (what Dependabot
    updates together), and one action has one pin throughout."""
    text = WORKFLOW.read_text()
    uses = re.findall(r"^\s*-?\s*uses:.*$", text, flags=re.MULTILINE)
    pinned = re.compile(r"^\s*-?\s*uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
    pins: dict[str, set[tuple[str, str]]] = {}
    for line in uses:
        match = pinned.match(line)
        assert match, f"not pinned to a commit with its release: {line.strip()}"
        pins.setdefault(match[1], set()).add((match[2], match[3]))
    assert pins
    assert all(len(pin) == 1 for pin in pins.values()), pins


# --- What the jobs run -----------------------------------------------------------------------


def readme_test_commands() -> tuple[str, str]:
    """The whole suite's and the fast lane's commands, from README.md's first code block (the
    two commands a newcomer runs).

    The fast lane is the README's test command limited to the tests not marked slow, as the
    block writes it, or else as `-m "not slow"` added to the test command.
    """
    tokens = MarkdownIt("commonmark").parse((TEMPLATE_ROOT / "README.md").read_text())
    block = next(token for token in tokens if token.type == "fence")
    commands = [
        shlex.join(shlex.split(line, comments=True))
        for line in block.content.splitlines()
        if shlex.split(line, comments=True)
    ]
    tests = [command for command in commands if "pytest" in shlex.split(command)]
    (whole,) = (command for command in tests if " -m " not in command)
    markers = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    assert any(marker.startswith("slow:") for marker in markers["ini_options"]["markers"])
    fast = shlex.join([*shlex.split(whole), "-m", "not slow"])
    assert all(command in {whole, fast} for command in tests), tests
    return whole, fast


def _normalised(command: str) -> str:
    """A one-line shell command as shlex would quote it (so `-m "not slow"` compares equal)."""
    return shlex.join(shlex.split(command)) if "\n" not in command.strip() else command


def github_jobs() -> dict[str, list[str]]:
    """Each job of the workflow and the commands of its `run:` steps."""
    jobs = _yaml(WORKFLOW)["jobs"]
    return {
        name: [_normalised(step["run"]) for step in job["steps"] if "run" in step]
        for name, job in jobs.items()
    }


def _gitlab_job(pipeline: dict[str, Any], name: str) -> dict[str, Any]:
    """A job with what it extends (GitLab merges keys; a list or script is replaced whole)."""
    job = pipeline[name]
    parents = job.get("extends", [])
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged.update(_gitlab_job(pipeline, parent))
    return {**merged, **job}


def gitlab_jobs() -> dict[str, list[str]]:
    """Each job of the pipeline (not the hidden `.templates`) and its script commands."""
    pipeline = _yaml(PIPELINE)
    jobs = {
        name: _gitlab_job(pipeline, name)
        for name, value in pipeline.items()
        if not name.startswith(".") and isinstance(value, dict) and "script" in value
    }
    return {
        name: [_normalised(command) for command in [*job.get("before_script", []), *job["script"]]]
        for name, job in jobs.items()
    }


PLATFORMS = {"github": github_jobs, "gitlab": gitlab_jobs}


def _runs_tests(commands: list[str]) -> bool:
    return any(command == CI_RUN or "pytest" in command for command in commands)


def test_ci_run_runs_the_readme_test_command() -> None:
    lines = (TEMPLATE_ROOT / CI_RUN).read_text().splitlines()
    commands = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    whole, _fast = readme_test_commands()
    assert _normalised(commands[-1]) == whole


@pytest.mark.parametrize("platform", PLATFORMS)
def test_ci_test_jobs_run_the_readme_test_commands(platform: str) -> None:
    """The whole suite through .ci/run (or README's command itself), the fast lane with README's
    command limited to the tests not marked slow; no other job runs tests."""
    whole, fast = readme_test_commands()
    jobs = PLATFORMS[platform]()
    assert {name for name, commands in jobs.items() if _runs_tests(commands)} == {FAST, WHOLE}
    assert [command for command in jobs[FAST] if _runs_tests([command])] == [fast]
    assert [command for command in jobs[WHOLE] if _runs_tests([command])] in ([CI_RUN], [whole])


@pytest.mark.parametrize("platform", PLATFORMS)
def test_ci_test_jobs_install_what_the_suite_needs(platform: str) -> None:
    """The Python versions generated projects support, which the tests find (copier/facts.yml),
    and Chromium from the distribution's packages."""
    install = shlex.join(["uv", "python", "install", *SUPPORTED_PYTHONS])
    for name in (FAST, WHOLE):
        commands = PLATFORMS[platform]()[name]
        assert install in commands, (name, commands)
        assert any(
            "apt-get install" in command and "chromium" in shlex.split(command.replace("\n", " "))
            for command in commands
        ), (name, commands)


def test_both_platforms_run_the_same_commands() -> None:
    """What each job runs with uv or .ci/run is the same on GitHub and on GitLab."""

    def ours(commands: list[str]) -> list[str]:
        return [command for command in commands if command.startswith(("uv ", CI_RUN))]

    github, gitlab = github_jobs(), gitlab_jobs()
    assert set(github) == set(gitlab) == {CHECKS, FAST, WHOLE}
    for name in github:
        assert ours(github[name]) == ours(gitlab[name]), name
    assert "uv run pre-commit run --all-files --show-diff-on-failure" in github[CHECKS]
    assert "uv run gitleaks git --redact --verbose ." in github[CHECKS]


def test_github_runs_fast_lane_on_every_change_whole_suite_on_main_and_nightly() -> None:
    workflow = _yaml(WORKFLOW)
    # PyYAML reads the key `on` as the boolean true (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"] is None, "every push, to any branch"
    assert "pull_request" in triggers
    assert "workflow_dispatch" in triggers
    assert [entry["cron"] for entry in triggers["schedule"]]
    jobs = workflow["jobs"]
    assert "'push'" in jobs[FAST]["if"]
    assert "'pull_request'" in jobs[FAST]["if"]
    whole = jobs[WHOLE]["if"]
    for condition in (
        "'schedule'",
        "'workflow_dispatch'",
        "github.event.repository.default_branch",
    ):
        assert condition in whole, condition
    # Least privilege: nothing for the workflow, reading the code for each job.
    assert workflow["permissions"] == {}
    assert all(job["permissions"] == {"contents": "read"} for job in jobs.values())
    for job in jobs.values():
        setup_uv = [step for step in job["steps"] if "setup-uv" in step.get("uses", "")]
        assert setup_uv
        assert setup_uv[0]["with"]["enable-cache"] is True


def test_gitlab_runs_fast_lane_on_every_change_whole_suite_on_main_and_nightly() -> None:
    pipeline = _yaml(PIPELINE)
    fast = [rule["if"] for rule in _gitlab_job(pipeline, FAST)["rules"]]
    assert fast == ['$CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "merge_request_event"']
    whole = " ".join(rule["if"] for rule in _gitlab_job(pipeline, WHOLE)["rules"])
    for condition in (
        '$CI_PIPELINE_SOURCE == "schedule"',
        '$CI_PIPELINE_SOURCE == "web"',
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ):
        assert condition in whole, condition
    # uv's cache is kept between pipelines, where uv puts it.
    assert pipeline["variables"]["UV_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/uv"
    for name in (CHECKS, FAST, WHOLE):
        caches = _gitlab_job(pipeline, name)["cache"]
        assert any(cache["paths"] == [".cache/uv"] for cache in caches), name
